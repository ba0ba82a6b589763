/**
 * Results: the aggregate stage for a whole run (run, re-score and merge share it). Failed samples of
 * benchmarks whose official scorer scores a missing prediction as empty are scored that way here,
 * so the score is the official one; everything else is `aggregate.ts`.
 */
import type { Benchmark, BenchmarkResult, RunResults, SampleRecord, Suite } from "@loomscope/spec";
import { aggregateBenchmark, aggregateSuite, type PlanFacts } from "./aggregate.js";
import { scoreRecord } from "./score.js";

export interface BenchmarkInRun {
  benchmark: Benchmark;
  protocol: "official" | "loom";
  facts?: Omit<PlanFacts, "protocol" | "judge">;
}

/** A failed sample's scores as an empty prediction (judge metrics left out: they cannot be asked of nothing). */
async function emptyScores(benchmark: Benchmark, record: SampleRecord, protocol: "official" | "loom"): Promise<SampleRecord["scores"]> {
  try {
    return (await scoreRecord(benchmark, { ...record, prediction: "" }, { judge: undefined, protocol })).scores;
  } catch {
    // A judge metric (or a scorer that refuses an empty prediction): leave this sample's scores out.
    return {};
  }
}

export async function computeResults(
  runId: string,
  members: readonly BenchmarkInRun[],
  records: readonly SampleRecord[],
  options: { suite?: Suite | undefined; complete: boolean; judge?: string | null | undefined },
): Promise<RunResults> {
  const benchmarks: BenchmarkResult[] = [];
  for (const { benchmark, protocol, facts } of members) {
    let own = records.filter((r) => r.benchmark === benchmark.id);
    if (benchmark.failedSamples === "score-empty") {
      own = await Promise.all(own.map(async (r) => (r.status === "error" ? { ...r, scores: await emptyScores(benchmark, r, protocol) } : r)));
    }
    benchmarks.push(aggregateBenchmark(benchmark, own, { ...facts, protocol, judge: options.judge ?? null }));
  }
  const suite = options.suite ? aggregateSuite(options.suite, benchmarks) : null;
  return { v: 1, runId, complete: options.complete && benchmarks.every((b) => !b.partial), benchmarks, suite };
}
