import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { LoomError, type Benchmark, type BenchmarkResult, type RunManifest, type RunResults, type SampleRecord, type Suite } from "@loomscope/spec";
import { createDataAccess } from "../data/access.js";
import { resolveCacheDir } from "../data/cache.js";
import { DEFAULT_RETRY_POLICY } from "../retry.js";
import { ResponseCache } from "./cache.js";
import { bindJudge, type JudgeBinding } from "./judge.js";
import type { TaskFileLoader } from "./plan.js";
import { judgeMetricsOf, scoreRecord } from "./score.js";
import { PluginRegistry } from "../plugins/registry.js";
import { sha256 } from "../text/tokenizers.js";
import { aggregateBenchmark, aggregateSuite } from "./aggregate.js";
import { RunStore, type StoreNotice } from "./store.js";
import { assertNotLocked } from "./lock.js";

/**
 * A run directory to rewrite (`lock` names the command that holds it) or, without `lock`, to read:
 * then nothing in it is touched, and a writer still at work is refused.
 */
function openRun(dir: string, lock: string | undefined, onNotice?: (n: StoreNotice) => void): { store: RunStore; manifest: RunManifest } {
  if (!existsSync(join(dir, "manifest.json"))) {
    throw new LoomError("RUN_DIR", `${dir} is not a run directory (no manifest.json)`);
  }
  let store: RunStore;
  if (lock) store = RunStore.open(dir, { ...(onNotice ? { onNotice } : {}), lock });
  else {
    assertNotLocked(dir, "loom merge");
    store = RunStore.openForReading(dir);
  }
  try {
    return { store, manifest: store.readManifest()! };
  } catch (error) {
    store.close();
    throw error;
  }
}

/** A benchmark of a run as the run configured it (protocol and options from the manifest). */
async function configuredBenchmark(registry: PluginRegistry, manifest: RunManifest, id: string, loadTaskFile: TaskFileLoader | undefined): Promise<Benchmark> {
  const info = manifest.plugins.find((p) => p.kind === "benchmark" && p.id === id);
  let benchmark: Benchmark;
  if (info?.package.startsWith("file:")) {
    if (!loadTaskFile) throw new LoomError("RESCORE", `benchmark ${id} came from the task file ${info.package.slice(5)}, and this host cannot read task files`);
    benchmark = await loadTaskFile(info.package.slice(5));
  } else benchmark = await registry.load("benchmark", id);
  const settings = manifest.benchmarks?.[id];
  return settings && benchmark.configure ? benchmark.configure(settings) : benchmark;
}

async function aggregateRun(
  benchmarks: ReadonlyMap<string, Benchmark>,
  registry: PluginRegistry,
  manifest: RunManifest,
  records: readonly SampleRecord[],
  complete: boolean,
): Promise<RunResults> {
  const results: BenchmarkResult[] = [];
  for (const [id, benchmark] of benchmarks) results.push(aggregateBenchmark(benchmark, records.filter((r) => r.benchmark === id)));
  const suiteInfo = manifest.plugins.find((p) => p.kind === "suite");
  const suite: Suite | undefined = suiteInfo ? await registry.load("suite", suiteInfo.id) : undefined;
  return { v: 1, runId: manifest.runId, complete, benchmarks: results, suite: suite ? aggregateSuite(suite, results) : null };
}

async function benchmarksOf(registry: PluginRegistry, manifest: RunManifest, loadTaskFile: TaskFileLoader | undefined): Promise<Map<string, Benchmark>> {
  const out = new Map<string, Benchmark>();
  for (const p of manifest.plugins) if (p.kind === "benchmark") out.set(p.id, await configuredBenchmark(registry, manifest, p.id, loadTaskFile));
  return out;
}

export interface RescoreOptions {
  registry?: PluginRegistry;
  cwd?: string;
  env?: Readonly<Record<string, string | undefined>>;
  onNotice?: (n: StoreNotice) => void;
  /** The judge for judge-scored metrics (default: the run's); cached calls cost nothing. */
  judge?: string;
  cacheDir?: string;
  loadTaskFile?: TaskFileLoader;
}

/**
 * `loom score <run-dir>`: recompute every record's scores with the installed benchmark plugins,
 * configured as the run was, and rewrite the records and results. No model is called; judge calls
 * come from the cache unless the judge or its prompt changed.
 */
export async function rescoreRun(runDir: string, options: RescoreOptions = {}): Promise<{ results: RunResults; rescored: number; changed: number }> {
  const cwd = options.cwd ?? process.cwd();
  const dir = resolve(cwd, runDir);
  const { store, manifest } = openRun(dir, "loom score", options.onNotice);
  try {
    return await rescoreOpen(store, manifest, options);
  } finally {
    store.close();
  }
}

async function rescoreOpen(store: RunStore, manifest: RunManifest, options: RescoreOptions): Promise<{ results: RunResults; rescored: number; changed: number }> {
  const cwd = options.cwd ?? process.cwd();
  const registry = options.registry ?? new PluginRegistry({ cwd });
  const env = options.env ?? process.env;
  const benchmarks = await benchmarksOf(registry, manifest, options.loadTaskFile);
  const records = [...(await store.records(options.onNotice)).values()];
  const judgeSpec = options.judge ?? manifest.judge?.spec;
  const controller = new AbortController();
  let judge: JudgeBinding | undefined;
  if (judgeSpec && [...benchmarks.values()].some((b) => judgeMetricsOf(b, b.tasks.map((t) => t.id)).length > 0)) {
    const cacheDir = resolveCacheDir(options.cacheDir, env);
    judge = await bindJudge(judgeSpec, {
      registry,
      env,
      cacheDir,
      data: createDataAccess({ cacheDir, env }),
      options: {},
      cache: new ResponseCache(join(cacheDir, "responses", "judge")),
      retry: DEFAULT_RETRY_POLICY,
      concurrency: 4,
      signal: controller.signal,
      log: (level, message) => options.onNotice?.({ level: level === "error" ? "error" : "warn", message }),
    });
  }
  let rescored = 0;
  let changed = 0;
  try {
    for (const record of records) {
      if (record.status !== "ok" || record.prediction === null) continue;
      const benchmark = benchmarks.get(record.benchmark);
      if (!benchmark) throw new LoomError("RESCORE", `the run's manifest does not name benchmark ${record.benchmark}`);
      const protocol = manifest.benchmarks?.[record.benchmark]?.protocol ?? "official";
      const scored = await scoreRecord(benchmark, { ...record, prediction: record.prediction }, { judge, protocol });
      if (JSON.stringify(scored.scores) !== JSON.stringify(record.scores)) changed++;
      record.scores = scored.scores;
      record.score = scored.score;
      if (scored.judgeCalls.length) record.judge = scored.judgeCalls;
      rescored++;
    }
  } finally {
    await judge?.dispose();
  }
  const previous = store.readResults();
  const results = await aggregateRun(benchmarks, registry, manifest, records, previous?.complete ?? true);
  // Records and results are replaced together (one commit), so a killed score leaves no mix.
  store.rewriteRecords(records, results);
  return { results, rescored, changed };
}

/**
 * `loom merge <dirs…> --out <dir>`: join the run directories of `--shard i/n` runs of one
 * configuration into one run directory.
 */
export async function mergeRuns(
  dirs: readonly string[],
  out: string,
  options: { registry?: PluginRegistry; cwd?: string; onNotice?: (n: StoreNotice) => void; loadTaskFile?: TaskFileLoader } = {},
): Promise<{ results: RunResults; records: number; runDir: string }> {
  if (dirs.length === 0) throw new LoomError("MERGE", "name the run directories to merge");
  const cwd = options.cwd ?? process.cwd();
  const target = resolve(cwd, out);
  const sources = dirs.map((d) => resolve(cwd, d));
  if (sources.includes(target)) throw new LoomError("MERGE", `--out ${out} is one of the directories to merge`, { hint: "merge into a new directory" });
  const runs: ReturnType<typeof openRun>[] = [];
  let store: RunStore | undefined;
  try {
    for (const source of sources) runs.push(openRun(source, undefined, options.onNotice));
    store = RunStore.open(target, { lock: "loom merge", ...(options.onNotice ? { onNotice: options.onNotice } : {}) });
    return await mergeOpen(runs, dirs, store, target, options);
  } finally {
    store?.close();
    for (const run of runs) run.store.close();
  }
}

async function mergeOpen(
  runs: ReturnType<typeof openRun>[],
  dirs: readonly string[],
  store: RunStore,
  target: string,
  options: { registry?: PluginRegistry; cwd?: string; onNotice?: (n: StoreNotice) => void; loadTaskFile?: TaskFileLoader },
): Promise<{ results: RunResults; records: number; runDir: string }> {
  const cwd = options.cwd ?? process.cwd();
  const strip = (m: RunManifest) => JSON.stringify({ ...m.config, shard: null });
  const reference = strip(runs[0]!.manifest);
  for (const [i, run] of runs.entries()) {
    if (strip(run.manifest) !== reference) {
      throw new LoomError("MERGE", `${dirs[i]} was run with a different configuration than ${dirs[0]}`, {
        hint: "only shards of one configuration (same command, different --shard) can be merged",
      });
    }
  }
  const merged = new Map<string, SampleRecord>();
  for (const run of runs) for (const [key, record] of await run.store.records(options.onNotice)) merged.set(key, record);
  const config = { ...runs[0]!.manifest.config, shard: null };
  const manifest: RunManifest = {
    ...runs[0]!.manifest,
    runId: `${runs[0]!.manifest.runId}-merged`,
    configHash: sha256(JSON.stringify(config)),
    config,
    totals: runs.reduce(
      (acc, r) => ({
        promptTokens: acc.promptTokens + (r.manifest.totals?.promptTokens ?? 0),
        completionTokens: acc.completionTokens + (r.manifest.totals?.completionTokens ?? 0),
        requests: acc.requests + (r.manifest.totals?.requests ?? 0),
        costUsd: null,
      }),
      { promptTokens: 0, completionTokens: 0, requests: 0, costUsd: null as number | null },
    ),
  };
  const registry = options.registry ?? new PluginRegistry({ cwd });
  const complete = runs.every((r) => r.store.readResults()?.complete ?? false);
  const results = await aggregateRun(await benchmarksOf(registry, manifest, options.loadTaskFile), registry, manifest, [...merged.values()], complete);
  store.writeManifest(manifest);
  store.rewriteRecords(merged.values(), results);
  return { results, records: merged.size, runDir: target };
}
