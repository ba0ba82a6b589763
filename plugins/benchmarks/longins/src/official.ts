/**
 * `loom score longins --predictions DIR`.
 *
 * Official (eval.py @ cf8c59b, run from the repository root DIR): for one model, length and mode it
 * reads `results/<model>_<length>_<mode>.jsonl` (lines `{"id", "response"}` as infer.py writes
 * them) and `data/<mode>/<length>.json`, appends each response's F1 to the list under
 * `<model>_<length>_<mode>` in `f1.json` (read first, created as `{}` when missing), turns every list
 * in it into its mean (`sum / len`) and writes it back (`json.dump(..., ensure_ascii=False,
 * indent=4)`). Here every `results/*_<length>_<GIST|LIST>.jsonl` is scored, as if eval.py ran once
 * per file, in the order model, mode (GIST, LIST), length; `f1.json` is read from and written to
 * OUT (default DIR). Where eval.py would raise (a key already in f1.json holding a number, a
 * response that is not a string, an id missing from the data, a line that is not JSON, a missing
 * data file), this stops with the reason and writes nothing.
 *
 * LOOM-Scope (--protocol loom; utils/evaluation/eval.py of loom-scope 0.1): DIR is LOOM-Scope's
 * prediction folder of `<GIST|LIST>_<length>.jsonl` files whose lines carry `response`, `error` and
 * `LEN`. A line that is not JSON is skipped by `except: pass` and the previous record is scored
 * again. Per file `ACC = round(100 * sum / len, 2)`; the count-weighted mean of those is the total
 * (numpy's round to 2 places). It writes `Total.txt` as LOOM-Scope does and `score_loom.json` with
 * the numbers of its results.xlsx and results_length.xlsx (per `categorize_length(LEN)` bucket),
 * and `length.json` (the bucket counts) as LOOM-Scope writes it; the xlsx files are not written.
 */
import { mkdir, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  PyFloat,
  PyJsonDecodeError,
  categorizeLengthOf,
  loomScopeSaveResults,
  pyFloatRepr,
  pyJsonDumps,
  pyJsonLoads,
  pyReadText,
  pyTypeName,
  pyTextLines,
  type PyJsonValue,
} from "@loomscope/metrics";
import { officialScoreError, pathExists, readOfficialJson, writeOfficialFiles } from "@loomscope/benchmark-kit";
import type { OfficialScoreOptions, OfficialScoreResult } from "@loomscope/spec";
import { predictedIndices, pythonKey, setF1 } from "./metrics.js";
import { MODES, type Mode } from "./tasks.js";

const RESULT_FILE = /^(.+)_(0|[1-9][0-9]*)_(GIST|LIST)\.jsonl$/;

const loadJson = (path: string, what: string) => readOfficialJson(path, what, "eval.py");

/** `set(true_list)`: a list's elements, a string's characters, a dict's keys; TypeError otherwise. */
export function pySetOf(value: PyJsonValue | undefined): Set<string> {
  if (typeof value === "string") return new Set(Array.from(value, (c) => `str:${c}`));
  if (Array.isArray(value)) return new Set((value as PyJsonValue[]).map(pythonKey));
  if (value instanceof Map) return new Set([...value.keys()].map((k) => `str:${k}`));
  throw new TypeError(`'${pyTypeName(value ?? null)}' object is not iterable`);
}

function getItem(container: PyJsonValue | undefined, key: string, where: string): PyJsonValue {
  if (!(container instanceof Map)) officialScoreError(`${where}: ${pyTypeName(container ?? null)} has no item '${key}' (eval.py raises TypeError)`);
  const v = (container as Map<string, PyJsonValue>).get(key);
  if (v === undefined) officialScoreError(`${where}: no '${key}' (eval.py raises KeyError)`);
  return v;
}

/** Python `sum(list) / len(list)` for the numbers json.loads returns; raises as Python does. */
function pyListMean(list: readonly PyJsonValue[], key: string): PyFloat {
  if (list.length === 0) officialScoreError(`f1.json: "${key}" is an empty list (eval.py divides by zero)`);
  let total = 0;
  for (const v of list) {
    if (typeof v === "number" || typeof v === "bigint") total += Number(v);
    else if (v instanceof PyFloat) total += v.value;
    else if (typeof v === "boolean") total += v ? 1 : 0;
    else officialScoreError(`f1.json: "${key}" holds a ${pyTypeName(v)} (eval.py's sum raises TypeError)`);
  }
  return new PyFloat(total / list.length);
}

interface ResultFile {
  name: string;
  model: string;
  length: string;
  mode: Mode;
}

/** Official order of the result files: model, then GIST before LIST, then length. */
function resultOrder(a: ResultFile, b: ResultFile): number {
  if (a.model !== b.model) return a.model < b.model ? -1 : 1;
  if (a.mode !== b.mode) return MODES.indexOf(a.mode) - MODES.indexOf(b.mode);
  return Number(a.length) - Number(b.length);
}

/** The F1 of every line of one results file, as eval.py computes them. */
export async function scoreResultFile(dir: string, file: ResultFile): Promise<number[]> {
  const path = join(dir, "results", file.name);
  const answers = await loadJson(join(dir, "data", file.mode, `${file.length}.json`), "data file");
  const lines = pyTextLines(await pyReadText(path));
  const scores: number[] = [];
  lines.forEach((line, i) => {
    const where = `${path}:${i + 1}`;
    let q: PyJsonValue;
    try {
      q = pyJsonLoads(line);
    } catch (e) {
      officialScoreError(`${where}: not JSON (${(e as Error).message}); eval.py raises ${e instanceof PyJsonDecodeError ? e.pythonError : "an error"}`);
    }
    const response = getItem(q, "response", where);
    if (typeof response !== "string") officialScoreError(`${where}: response is a ${pyTypeName(response)}, not a string (re.findall raises TypeError)`);
    const id = getItem(q, "id", where);
    if (typeof id !== "string") officialScoreError(`${where}: id ${pyJsonDumps(id)} is not a key of the data file (eval.py raises KeyError)`);
    const record = getItem(answers, id, `${where}: data/${file.mode}/${file.length}.json`);
    const error = getItem(record, "error", `${where}: data/${file.mode}/${file.length}.json["${id}"]`);
    let truth: Set<string>;
    try {
      truth = pySetOf(error);
    } catch (e) {
      officialScoreError(`${where}: error of "${id}": ${(e as Error).message} (eval.py raises TypeError)`);
    }
    scores.push(setF1(predictedIndices(response), truth));
  });
  return scores;
}

async function scoreOfficialProtocol(options: OfficialScoreOptions): Promise<OfficialScoreResult> {
  const dir = options.predictions;
  const out = options.out ?? dir;
  const resultsDir = join(dir, "results");
  if (!(await pathExists(resultsDir))) officialScoreError(`no results/ folder in ${dir}`, "DIR is the LongIns-Bench repository root holding data/ and results/");
  const files: ResultFile[] = [];
  for (const name of await readdir(resultsDir)) {
    const m = RESULT_FILE.exec(name);
    if (!m) continue;
    files.push({ name, model: m[1] as string, length: m[2] as string, mode: m[3] as Mode });
  }
  files.sort(resultOrder);
  if (files.length === 0) officialScoreError(`no results/<model>_<length>_<GIST|LIST>.jsonl files in ${dir}`);

  const f1Path = join(out, "f1.json");
  let state: Map<string, PyJsonValue> = new Map();
  if (await pathExists(f1Path)) {
    const prior = await loadJson(f1Path, "f1.json");
    if (!(prior instanceof Map)) officialScoreError(`${f1Path} holds a ${pyTypeName(prior ?? null)}, not a dict (eval.py's f1.keys() raises AttributeError)`);
    state = new Map(prior as Map<string, PyJsonValue>);
  }
  const summary: string[] = [];
  for (const file of files) {
    const key = `${file.model}_${file.length}_${file.mode}`;
    const scores = await scoreResultFile(dir, file);
    const before = state.get(key);
    if (before !== undefined && !Array.isArray(before) && scores.length > 0) {
      officialScoreError(
        `${f1Path} already holds "${key}" = ${pyJsonDumps(before)}: eval.py would append to it and raise AttributeError`,
        "remove the key (or the file) to score this run again, or write elsewhere with --out",
      );
    }
    if (scores.length > 0) {
      const list = Array.isArray(before) ? [...(before as PyJsonValue[])] : [];
      for (const s of scores) list.push(new PyFloat(s));
      state.set(key, list);
    }
    // eval.py ends by replacing every list in f1.json by its mean.
    for (const [k, v] of state) if (Array.isArray(v)) state.set(k, pyListMean(v as PyJsonValue[], k));
    const value = state.get(key);
    summary.push(`${key}: ${value instanceof PyFloat ? pyFloatRepr(value.value) : "(no responses)"} (${scores.length} responses)`);
    options.log("debug", `longins: ${file.name}: ${scores.length} responses`);
  }
  await mkdir(out, { recursive: true });
  await writeFile(f1Path, pyJsonDumps(state, { ensureAscii: false, indent: 4 }), "utf8");
  return { written: [f1Path], summary: summary.join("\n") };
}

/** LOOM-Scope's eval.py over its prediction folder. */
async function scoreLoomProtocol(options: OfficialScoreOptions): Promise<OfficialScoreResult> {
  const dir = options.predictions;
  const out = options.out ?? dir;
  const names = (await readdir(dir)).filter((n) => n.endsWith(".jsonl")).sort();
  if (names.length === 0) officialScoreError(`no <task>.jsonl prediction files in ${dir}`, "DIR is LOOM-Scope's prediction folder (GIST_256.jsonl, …)");
  const perTask = new Map<string, number[]>();
  /** categorize_length(LEN) → F1s, buckets in the order they first occur (a Python defaultdict). */
  const perLength = new Map<string, number[]>();
  let data: PyJsonValue | undefined;
  for (const name of names) {
    const task = name.slice(0, -".jsonl".length);
    const path = join(dir, name);
    const scores: number[] = [];
    pyTextLines(await pyReadText(path)).forEach((line, i) => {
      const where = `${path}:${i + 1}`;
      try {
        data = pyJsonLoads(line);
      } catch {
        // `except: pass`: the previous record is scored again.
        if (data === undefined) officialScoreError(`${where}: not JSON and no earlier record (LOOM-Scope's eval.py raises NameError)`);
      }
      const response = getItem(data, "response", where);
      if (typeof response !== "string") officialScoreError(`${where}: response is a ${pyTypeName(response)} (re.findall raises TypeError)`);
      const error = getItem(data, "error", where);
      let truth: Set<string>;
      try {
        truth = pySetOf(error);
      } catch (e) {
        officialScoreError(`${where}: ${(e as Error).message} (LOOM-Scope's eval.py raises TypeError)`);
      }
      const score = setF1(predictedIndices(response), truth);
      scores.push(score);
      const len = getItem(data, "LEN", where);
      let bucket: string;
      try {
        bucket = categorizeLengthOf(len);
      } catch (e) {
        officialScoreError(`${where}: LEN is a ${pyTypeName(len)} (categorize_length raises ${(e as Error).message})`);
      }
      (perLength.get(bucket) ?? perLength.set(bucket, []).get(bucket)!).push(score);
    });
    if (scores.length > 0) perTask.set(task, scores);
  }
  if (perTask.size === 0) officialScoreError(`no prediction lines in ${dir} (LOOM-Scope's save_results fails on an empty table)`);
  const saved = loomScopeSaveResults("LongIns", perTask, perLength);
  const written = await writeOfficialFiles(out, saved.files);
  return {
    written,
    summary: [...saved.tasks.scores].map(([t, a]) => `${t}: ${pyFloatRepr(a)}`).concat(`Total: ${pyFloatRepr(saved.tasks.overall)}`).join("\n"),
  };
}

export async function scoreOfficial(options: OfficialScoreOptions): Promise<OfficialScoreResult> {
  return (options.protocol ?? "official") === "loom" ? scoreLoomProtocol(options) : scoreOfficialProtocol(options);
}
