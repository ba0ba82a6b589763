import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { LoomError, type BenchmarkResult, type RunManifest, type RunResults, type SampleRecord, type Suite } from "@loomscope/spec";
import { PluginRegistry } from "../plugins/registry.js";
import { aggregateBenchmark, aggregateSuite } from "./aggregate.js";
import { RunStore, type StoreNotice } from "./store.js";

export function openRun(dir: string, onNotice?: (n: StoreNotice) => void): { store: RunStore; manifest: RunManifest } {
  if (!existsSync(join(dir, "manifest.json"))) {
    throw new LoomError("RUN_DIR", `${dir} is not a run directory (no manifest.json)`);
  }
  const store = RunStore.open(dir, onNotice ? { onNotice } : {});
  return { store, manifest: store.readManifest()! };
}

export async function aggregateRun(
  registry: PluginRegistry,
  manifest: RunManifest,
  records: readonly SampleRecord[],
  complete: boolean,
): Promise<RunResults> {
  const benchmarkIds = manifest.plugins.filter((p) => p.kind === "benchmark").map((p) => p.id);
  const results: BenchmarkResult[] = [];
  for (const id of benchmarkIds) {
    const benchmark = await registry.load("benchmark", id);
    results.push(aggregateBenchmark(benchmark, records.filter((r) => r.benchmark === id)));
  }
  const suiteInfo = manifest.plugins.find((p) => p.kind === "suite");
  const suite: Suite | undefined = suiteInfo ? await registry.load("suite", suiteInfo.id) : undefined;
  return { v: 1, runId: manifest.runId, complete, benchmarks: results, suite: suite ? aggregateSuite(suite, results) : null };
}

/**
 * `loom score <run-dir>`: recompute every record's scores with the installed benchmark plugins and
 * rewrite the records and results. No model is called.
 */
export async function rescoreRun(
  runDir: string,
  options: { registry?: PluginRegistry; cwd?: string; onNotice?: (n: StoreNotice) => void } = {},
): Promise<{ results: RunResults; rescored: number; changed: number }> {
  const dir = resolve(options.cwd ?? process.cwd(), runDir);
  const { store, manifest } = openRun(dir, options.onNotice);
  const registry = options.registry ?? new PluginRegistry({ cwd: options.cwd ?? process.cwd() });
  const records = [...(await store.records(options.onNotice)).values()];
  let rescored = 0;
  let changed = 0;
  for (const record of records) {
    if (record.status !== "ok" || record.prediction === null) continue;
    const benchmark = await registry.load("benchmark", record.benchmark);
    const task = benchmark.tasks.find((t) => t.id === record.task);
    if (!task) throw new LoomError("RESCORE", `benchmark ${record.benchmark} no longer has task ${record.task}`);
    const scores = await benchmark.score({
      task: record.task,
      ...(record.length !== null ? { length: record.length } : {}),
      prediction: record.prediction,
      references: record.references,
      ...(record.scoring ? { scoring: record.scoring } : {}),
    });
    if (JSON.stringify(scores) !== JSON.stringify(record.scores)) changed++;
    record.scores = scores;
    record.score = task.metrics[0] !== undefined ? (scores[task.metrics[0]] ?? null) : null;
    rescored++;
  }
  store.rewriteRecords(records);
  const previous = store.readResults();
  const results = await aggregateRun(registry, manifest, records, previous?.complete ?? true);
  store.writeResults(results);
  return { results, rescored, changed };
}
