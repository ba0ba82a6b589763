/**
 * Where LongHealth's data comes from in a run, and the build every sample is drawn from.
 *
 * The data is one file, data/benchmark_v5.json of kbressem/LongHealth: read from `--data-dir` (the
 * repository's layout, the bare file, or LOOM-Scope's `LongHealth.json`), else downloaded from the
 * repository (the `dataUrl` option). Patients are streamed out of the object one by one, so a
 * malformed patient is reported with its file and line and left out (of the questions and of the
 * other patients' distractors).
 *
 * Samples come from a whole-benchmark build (tasks 2 and 3 sample distractors across patients, and
 * one generator draws for every prompt in order): it is planned once per run (data, tokenizer,
 * seed, budget, protocol) and any one sample is then built alone from its generator state.
 */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { LoomError, type BenchmarkContext, type RemoteFile, type Tokenizer } from "@loomscope/spec";
import { jsonElements } from "@loomscope/benchmark-kit";
import { PyJsonDecodeError, pyJsonLoads } from "@loomscope/metrics";
import { DATA_FILE, dataDirLayouts, patientOf, type Benchmark } from "./data.js";
import { memoTokenizer, planBuild, type BuildPlan } from "./build.js";

/** The file in the repository (data/benchmark_v5.json on its default branch). */
export const OFFICIAL_DATA_URL = "https://raw.githubusercontent.com/kbressem/LongHealth/main/data/benchmark_v5.json";

export const dataFile = (url: string = OFFICIAL_DATA_URL): RemoteFile => ({ source: "url", url, path: DATA_FILE });

interface Loaded {
  benchmark: Benchmark;
  issues: { file: string; line: number; message: string }[];
}

const loaded = new Map<string, Promise<Loaded>>();
/** Issues already reported to a run (keyed by its data access, shared by the run's units). */
const reported = new WeakMap<object, Set<string>>();

async function readPatients(path: string, label: string): Promise<Loaded> {
  const patients: Benchmark["patients"] = [];
  const issues: Loaded["issues"] = [];
  const chunks = (async function* () {
    for await (const chunk of createReadStream(path)) yield chunk as Buffer;
  })();
  let elements = 0;
  for await (const el of jsonElements(chunks)) {
    elements++;
    const id = el.key;
    if (id === undefined) throw new LoomError("DATA_FORMAT", `${label}: benchmark_v5.json is one object keyed by patient id, not a list`);
    let value;
    try {
      value = pyJsonLoads(el.text);
    } catch (e) {
      issues.push({ file: label, line: el.line, message: `${id}: ${e instanceof PyJsonDecodeError ? e.message : String(e)}` });
      continue;
    }
    const one = patientOf(id, value);
    if ("issue" in one) issues.push({ file: label, line: el.line, message: `${id}: ${one.issue}` });
    else patients.push(one.patient);
  }
  if (elements === 0) throw new LoomError("DATA_FORMAT", `${label}: no patients`);
  return { benchmark: { patients }, issues };
}

/** The run's benchmark_v5.json, parsed once per file version; its data issues reported once per run. */
export async function loadBenchmark(ctx: BenchmarkContext, dataUrl: string = OFFICIAL_DATA_URL): Promise<Benchmark> {
  let path: string | undefined;
  for (const layout of dataDirLayouts()) {
    const found = ctx.data.local(layout);
    if (found === undefined) continue;
    path = found;
    const sha256 = await ctx.data.checksum?.(found);
    ctx.recordProvenance(`data:${layout}`, { path: found, origin: "data-dir", ...(sha256 ? { sha256 } : {}) });
    break;
  }
  if (path === undefined) {
    const file = dataFile(dataUrl);
    const fetched = await ctx.data.fetch(file, { signal: ctx.signal });
    ctx.recordProvenance(`data:${DATA_FILE}`, { url: dataUrl, path: DATA_FILE, sha256: fetched.sha256, bytes: fetched.bytes, origin: fetched.origin });
    path = fetched.path;
  }
  const info = await stat(path);
  const key = `${path}\0${info.size}\0${info.mtimeMs}`;
  let entry = loaded.get(key);
  if (!entry) {
    entry = readPatients(path, path);
    loaded.set(key, entry);
    entry.catch(() => loaded.delete(key));
  }
  const { benchmark, issues } = await entry;
  const seen = reported.get(ctx.data) ?? new Set<string>();
  reported.set(ctx.data, seen);
  if (!seen.has(key)) {
    seen.add(key);
    for (const issue of issues) ctx.reportDataIssue(issue);
  }
  return benchmark;
}

const memoTokenizers = new WeakMap<Tokenizer, Tokenizer>();
const plans = new WeakMap<Benchmark, WeakMap<Tokenizer, Map<string, Promise<BuildPlan>>>>();

/** The run's planned build (one per benchmark, tokenizer, seed, budget and protocol). */
export function planFor(benchmark: Benchmark, tokenizer: Tokenizer, options: { seed: number; maxLen: number; protocol: "official" | "loom" }): Promise<BuildPlan> {
  let memo = memoTokenizers.get(tokenizer);
  if (!memo) memoTokenizers.set(tokenizer, (memo = memoTokenizer(tokenizer)));
  const byTokenizer = plans.get(benchmark) ?? new WeakMap<Tokenizer, Map<string, Promise<BuildPlan>>>();
  plans.set(benchmark, byTokenizer);
  const byKey = byTokenizer.get(tokenizer) ?? new Map<string, Promise<BuildPlan>>();
  byTokenizer.set(tokenizer, byKey);
  const key = `${options.seed}\0${options.maxLen}\0${options.protocol}`;
  let plan = byKey.get(key);
  if (!plan) {
    plan = planBuild(benchmark, { tokenizer: memo, maxLen: options.maxLen, seed: options.seed, protocol: options.protocol });
    byKey.set(key, plan);
    plan.catch(() => byKey.delete(key));
  }
  return plan;
}
