/**
 * Score: a prediction's scores by the benchmark's metrics, judge calls recorded. One function for
 * the run and for `loom score` (re-scoring), so both give the same numbers.
 */
import { LoomError, type Benchmark, type JudgeCallRecord, type Protocol, type SampleRecord, type Scores } from "@loomscope/spec";
import type { JudgeBinding } from "./judge.js";

export interface Scored {
  scores: Scores;
  /** The task's headline metric value (its first metric). */
  score: number | null;
  judgeCalls: JudgeCallRecord[];
}

export interface ScoreContext {
  judge: JudgeBinding | undefined;
  protocol: Protocol;
  signal?: AbortSignal;
}

type Scorable = Pick<SampleRecord, "task" | "length" | "references" | "scoring"> & { prediction: string };

export async function scoreRecord(benchmark: Benchmark, record: Scorable, ctx: ScoreContext): Promise<Scored> {
  const task = benchmark.tasks.find((t) => t.id === record.task);
  if (!task) throw new LoomError("RESCORE", `benchmark ${benchmark.id} has no task ${record.task}`);
  const judgeCalls: JudgeCallRecord[] = [];
  const scores = await benchmark.score({
    task: record.task,
    ...(record.length !== null ? { length: record.length } : {}),
    prediction: record.prediction,
    references: record.references,
    ...(record.scoring ? { scoring: record.scoring } : {}),
    protocol: ctx.protocol,
    ...(ctx.judge ? { judge: ctx.judge.forSample(judgeCalls) } : {}),
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
  for (const [metric, value] of Object.entries(scores)) {
    if (value !== null && (typeof value !== "number" || Number.isNaN(value))) {
      throw new LoomError("SCORING", `${benchmark.id}/${record.task}: metric ${metric} gave ${String(value)}`);
    }
  }
  const headline = task.metrics[0];
  return { scores, score: headline !== undefined ? (scores[headline] ?? null) : null, judgeCalls };
}

/** Metric ids of the planned tasks that need a judge model, as `benchmark/task: metric (what judges)`. */
export function judgeMetricsOf(benchmark: Benchmark, taskIds: readonly string[]): string[] {
  const out: string[] = [];
  for (const task of benchmark.tasks) {
    if (!taskIds.includes(task.id)) continue;
    for (const metric of task.metrics) {
      const judge = benchmark.metrics?.[metric]?.judge;
      if (judge) out.push(`${benchmark.id}/${task.id}: ${metric} (${judge})`);
    }
  }
  return out;
}

/** Metric ids of the planned tasks whose scoring runs model-written code, as `benchmark/task: metric`. */
export function codeMetricsOf(benchmark: Benchmark, taskIds: readonly string[]): string[] {
  return benchmark.tasks.filter((t) => taskIds.includes(t.id)).flatMap((t) => t.metrics.filter((m) => benchmark.metrics?.[m]?.executesCode).map((m) => `${benchmark.id}/${t.id}: ${m}`));
}
