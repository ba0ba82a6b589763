import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { LoomError, type Benchmark, type BenchmarkResult, type JsonObject, type RunManifest, type RunResults, type SampleRecord, type Suite } from "@loomscope/spec";
import { createDataAccess } from "../data/access.js";
import { resolveCacheDir } from "../data/cache.js";
import { DEFAULT_RETRY_POLICY } from "../retry.js";
import { ResponseCache } from "./cache.js";
import { bindJudge, type JudgeBinding } from "./judge.js";
import type { FileTargetLoader, TaskFileLoader } from "./plan.js";
import { judgeMetricsOf, scoreRecord } from "./score.js";
import { PluginRegistry } from "../plugins/registry.js";
import { readRunPlan, unitKey } from "./plan-file.js";
import { computeResults } from "./results.js";
import { RunStore, sampleKey, type StoreNotice } from "./store.js";
import { assertNotLocked } from "./lock.js";

/**
 * A run directory to rewrite (`lock` names the command that holds it) or, without `lock`, to read:
 * then nothing in it is touched, and a writer still at work is refused.
 */
export function openRun(dir: string, lock: string | undefined, onNotice?: (n: StoreNotice) => void): { store: RunStore; manifest: RunManifest } {
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

/**
 * A run directory's results from its records: the plan the manifest and `plan.jsonl` name (every
 * planned unit appears, records of samples outside the plan are left out), each benchmark as the
 * run configured it.
 */
export async function aggregateRun(
  benchmarks: ReadonlyMap<string, Benchmark>,
  registry: PluginRegistry,
  manifest: RunManifest,
  records: readonly SampleRecord[],
  complete: boolean,
  runDir?: string,
  loadFileTarget?: FileTargetLoader,
): Promise<RunResults> {
  const suite = await suiteOf(registry, manifest, loadFileTarget);
  const units = manifest.plan;
  const listed = runDir ? readRunPlan(runDir) : new Map();
  let planned: Set<string> | undefined;
  if (units && units.every((u) => listed.has(unitKey(u)))) {
    planned = new Set(units.flatMap((u) => listed.get(unitKey(u))!.ids.map((id: string) => sampleKey({ ...u, id }))));
  }
  const kept = planned ? records.filter((r) => planned!.has(sampleKey(r))) : records;
  return computeResults(
    manifest.runId,
    [...benchmarks].map(([id, benchmark]) => ({
      benchmark,
      protocol: manifest.benchmarks?.[id]?.protocol ?? "official",
      facts: { ...(planned ? { planned } : {}), ...(units ? { units: units.filter((u) => u.benchmark === id) } : {}) },
    })),
    kept,
    { suite, complete, judge: manifest.judge?.spec ?? null },
  );
}

/** The suite a run ran: installed, or read again from its suite file. */
async function suiteOf(registry: PluginRegistry, manifest: RunManifest, loadFileTarget: FileTargetLoader | undefined): Promise<Suite | undefined> {
  const info = manifest.plugins.find((p) => p.kind === "suite");
  if (!info) return undefined;
  if (!info.package.startsWith("file:")) return registry.load("suite", info.id);
  if (!loadFileTarget) throw new LoomError("RESCORE", `suite ${info.id} came from the file ${info.package.slice(5)}, and this host cannot read suite files`);
  const target = await loadFileTarget(info.package.slice(5));
  if (target.kind !== "suite") throw new LoomError("RESCORE", `${info.package.slice(5)} is no longer a suite file`);
  return target.suite;
}

export async function benchmarksOf(registry: PluginRegistry, manifest: RunManifest, loadTaskFile: TaskFileLoader | undefined): Promise<Map<string, Benchmark>> {
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
  /** Options of the judge's backend (e.g. its `baseURL`, as `--judge-opt` gives them to a run), given the judge spec. */
  judgeOptions?: (judgeSpec: string) => JsonObject;
  cacheDir?: string;
  loadTaskFile?: TaskFileLoader;
  loadFileTarget?: FileTargetLoader;
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
    return await rescoreOpen(store, manifest, dir, options);
  } finally {
    store.close();
  }
}

async function rescoreOpen(store: RunStore, manifest: RunManifest, dir: string, options: RescoreOptions): Promise<{ results: RunResults; rescored: number; changed: number }> {
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
      options: options.judgeOptions?.(judgeSpec) ?? {},
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
  const results = await aggregateRun(benchmarks, registry, manifest, records, previous?.complete ?? true, dir, options.loadFileTarget);
  // Records and results are replaced together (one commit), so a killed score leaves no mix.
  store.rewriteRecords(records, results);
  return { results, rescored, changed };
}
