/**
 * `loom score ada-leval --predictions DIR`.
 *
 * Official (run.py @ 2154258, `--mode all`, run from the repository root DIR): for each dataset
 * `<task>_<setting>` it loads the first `sampleCount` items of `data/<task>_<setting>.json`, the
 * predictions pickled in `results/<model>_<task>_<setting>.pkl` (merged over the per-rank files
 * `..._<rank>.pkl` first, as rank 0 does), looks up each item's prediction by its index (a missing
 * one raises KeyError), scores them with dataset.py's `evaluate`, and stores the accuracy (× 100,
 * unrounded) under `<model>_<task>_<setting>` in `result.json` (read first, `json.dump(...,
 * indent=4, ensure_ascii=False)`). Here every pickle in results/ is scored, per model (sorted), in
 * the order of run.py's `datasets` list; result.json is read from and written to OUT (default DIR).
 * The sample count follows run.py: `less` for its API model (gpt-4-0125), `normal` for the others;
 * for a model run.py does not know, `normal` when every one of its items has a prediction, else
 * `less`. Crash cases (a missing prediction, a TSort answer that is not iterable, no items) stop
 * with the reason and write nothing. The `.xlsx` copies of the predictions run.py also writes are
 * not written.
 *
 * LOOM-Scope (--protocol loom, loom-scope 0.1 utils/evaluation/eval.py): DIR is its prediction
 * folder of `<task>_<setting>.jsonl` files (lines with `response`, `answer`, `all_answers` for
 * stackselect, `LEN`); per file `ACC = round(100 * sum / len, 2)`, the count-weighted total
 * numpy-rounded to 2 places; writes `length.json` and `Total.txt` as LOOM-Scope does and
 * `score_loom.json` with the numbers of its results.xlsx and results_length.xlsx (per
 * `categorize_length(LEN)` bucket); the xlsx files are not written.
 */
import { mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  OfficialScorerError,
  PyFloat,
  categorizeLengthOf,
  loomScopeSaveResults,
  pyReadText,
  pyFloatRepr,
  pyFormatFixed,
  pyJsonDumps,
  pyJsonEquals,
  pyJsonLoads,
  pyTextLines,
  pyTypeName,
  type PyJsonValue,
} from "@loomscope/metrics";
import { officialScoreError, pathExists, readOfficialJson, writeOfficialFiles } from "@loomscope/benchmark-kit";
import type { OfficialScoreOptions, OfficialScoreResult } from "@loomscope/spec";
import { officialIndex } from "./data.js";
import { extractBestAnswer, extractTsort, tsortHitLoom, tsortHitOfficial, tsortReference } from "./metrics.js";
import { unpickle, type PickleValue } from "./pickle.js";
import { SETTINGS, sampleCount, type AdaTask } from "./tasks.js";

/** run.py's API model (`OpenAIWrapper.is_api`): evaluated on the `less` sample counts. */
export const API_MODELS: readonly string[] = ["gpt-4-0125"];
const PICKLE = /^(.+)_(stackselect|textsort)_([0-9]+k)\.pkl$/;

const loadJson = (path: string, what: string) => readOfficialJson(path, what, "run.py");

async function loadPickle(path: string): Promise<Map<PickleValue, PickleValue>> {
  const value = unpickle(await readFile(path));
  if (!(value instanceof Map)) officialScoreError(`${path} does not hold a dict of predictions`);
  return value;
}

/** run.py rank 0: the per-rank pickles in rank order, then the main one over them. */
export async function loadPredictions(resultsDir: string, model: string, dname: string): Promise<Map<PickleValue, PickleValue>> {
  const merged = new Map<PickleValue, PickleValue>();
  for (let rank = 0; ; rank++) {
    const sub = join(resultsDir, `${model}_${dname}_${rank}.pkl`);
    if (!(await pathExists(sub))) break;
    for (const [k, v] of await loadPickle(sub)) merged.set(k, v);
  }
  for (const [k, v] of await loadPickle(join(resultsDir, `${model}_${dname}.pkl`))) merged.set(k, v);
  return merged;
}

interface Item {
  index: string;
  record: Map<string, PyJsonValue>;
}

function itemsOf(data: PyJsonValue, task: AdaTask, path: string): Item[] {
  if (!Array.isArray(data)) officialScoreError(`${path} is not a JSON list`);
  return (data as PyJsonValue[]).map((r, i) => {
    if (!(r instanceof Map)) officialScoreError(`${path}[${i}] is not an object`);
    try {
      return { index: officialIndex(task, Object.fromEntries(r as Map<string, PyJsonValue>)), record: r as Map<string, PyJsonValue> };
    } catch (e) {
      officialScoreError(`${path}[${i}]: ${(e as Error).message}`);
    }
  });
}

/** dataset.py `evaluate` over one dataset: the accuracy × 100 (NaN for StackSelect with no items, as np.mean gives). */
export function evaluateDataset(task: AdaTask, items: readonly Item[], predictions: ReadonlyMap<PickleValue, PickleValue>, where: string): number {
  const preds = items.map((it) => {
    if (!predictions.has(it.index)) officialScoreError(`${where}: no prediction for index '${it.index}' (run.py raises KeyError)`);
    const p = predictions.get(it.index) as PickleValue;
    if (typeof p !== "string") officialScoreError(`${where}: the prediction for '${it.index}' is not a string (dataset.py raises)`);
    return p;
  });
  if (task === "stackselect") {
    let hits = 0;
    items.forEach((it, i) => {
      const all = it.record.get("all_answers");
      if (!Array.isArray(all)) officialScoreError(`${where}: item '${it.index}' has no all_answers list`);
      const answer = it.record.get("answer") as PyJsonValue;
      if (pyJsonEquals(extractBestAnswer(preds[i] as string, all.length), answer)) hits++;
    });
    return 100 * (hits / items.length);
  }
  const answers = items.map((it) => {
    try {
      return tsortReference(it.record.get("answer") as PyJsonValue);
    } catch (e) {
      officialScoreError(`${where}: the answer of '${it.index}' is a string json.loads rejects (${(e as Error).message})`);
    }
  });
  const extracted = preds.map(extractTsort);
  let hit = 0;
  answers.forEach((a, i) => {
    try {
      if (tsortHitOfficial(a, extracted[i] as PyJsonValue)) hit++;
    } catch (e) {
      if (e instanceof OfficialScorerError) {
        officialScoreError(`${where}: the answer extracted for '${items[i]?.index}' is ${pyJsonDumps(extracted[i] as PyJsonValue)}: ${e.message}`);
      }
      throw e;
    }
  });
  if (items.length === 0) officialScoreError(`${where}: no items (TextSort.evaluate divides by zero)`);
  return 100 * (hit / items.length);
}

async function scoreOfficialProtocol(options: OfficialScoreOptions): Promise<OfficialScoreResult> {
  const dir = options.predictions;
  const out = options.out ?? dir;
  const resultsDir = join(dir, "results");
  if (!(await pathExists(resultsDir))) officialScoreError(`no results/ folder in ${dir}`, "DIR is the Ada-LEval repository root holding data/ and results/");
  const runs = new Map<string, Set<string>>();
  for (const name of await readdir(resultsDir)) {
    const m = PICKLE.exec(name);
    if (!m) continue;
    const [model, task, setting] = [m[1] as string, m[2] as AdaTask, m[3] as string];
    if (!SETTINGS[task].includes(setting)) continue;
    const set = runs.get(model) ?? new Set<string>();
    set.add(`${task}_${setting}`);
    runs.set(model, set);
  }
  if (runs.size === 0) officialScoreError(`no results/<model>_<stackselect|textsort>_<setting>.pkl files in ${dir}`);
  const order = [...SETTINGS.stackselect.map((s) => `stackselect_${s}`), ...SETTINGS.textsort.map((s) => `textsort_${s}`)];

  const resultPath = join(out, "result.json");
  let results = new Map<string, PyJsonValue>();
  if (await pathExists(resultPath)) {
    const prior = await loadJson(resultPath, "result.json");
    if (!(prior instanceof Map)) officialScoreError(`${resultPath} holds a ${pyTypeName(prior)}, not a dict`);
    results = new Map(prior as Map<string, PyJsonValue>);
  }
  const summary: string[] = [];
  for (const model of [...runs.keys()].sort()) {
    for (const dname of order.filter((d) => runs.get(model)?.has(d))) {
      const [task, setting] = dname.split("_") as [AdaTask, string];
      const dataPath = join(dir, "data", `${dname}.json`);
      const all = itemsOf(await loadJson(dataPath, "data file"), task, dataPath);
      const predictions = await loadPredictions(resultsDir, model, dname);
      let mode: "normal" | "less";
      if (API_MODELS.includes(model)) mode = "less";
      else if (/^internlm2-(7b|20b)$/.test(model)) mode = "normal";
      else mode = all.slice(0, sampleCount(setting, "normal")).every((it) => predictions.has(it.index)) ? "normal" : "less";
      const items = all.slice(0, sampleCount(setting, mode));
      const acc = evaluateDataset(task, items, predictions, `${model}_${dname}`);
      results.set(`${model}_${dname}`, new PyFloat(acc));
      const label = task === "stackselect" ? "StackSelect" : "TextSort";
      summary.push(`${model}: ${label} ${setting} Accuracy: ${pyFormatFixed(acc, 1)}% (${items.length} items, ${mode})`);
      options.log("debug", `ada-leval: ${model}_${dname}: ${acc}`);
    }
  }
  await mkdir(out, { recursive: true });
  await writeFile(resultPath, pyJsonDumps(results, { ensureAscii: false, indent: 4 }), "utf8");
  return { written: [resultPath], summary: summary.join("\n") };
}

function get(data: PyJsonValue | undefined, key: string, where: string): PyJsonValue {
  if (!(data instanceof Map) || !data.has(key)) officialScoreError(`${where}: no '${key}' (LOOM-Scope's eval.py raises)`);
  return (data as Map<string, PyJsonValue>).get(key) as PyJsonValue;
}

async function scoreLoomProtocol(options: OfficialScoreOptions): Promise<OfficialScoreResult> {
  const dir = options.predictions;
  const out = options.out ?? dir;
  const names = (await readdir(dir)).filter((n) => n.endsWith(".jsonl")).sort();
  if (names.length === 0) officialScoreError(`no <task>.jsonl prediction files in ${dir}`, "DIR is LOOM-Scope's prediction folder (stackselect_1k.jsonl, …)");
  const perTask = new Map<string, number[]>();
  /** categorize_length(LEN) → hits, buckets in the order they first occur (a Python defaultdict). */
  const perLength = new Map<string, number[]>();
  for (const name of names) {
    const task = name.slice(0, -".jsonl".length);
    const path = join(dir, name);
    const scores: number[] = [];
    pyTextLines(await pyReadText(path)).forEach((line, i) => {
      const where = `${path}:${i + 1}`;
      let data: PyJsonValue;
      try {
        data = pyJsonLoads(line);
      } catch (e) {
        officialScoreError(`${where}: not JSON (${(e as Error).message}); LOOM-Scope's eval.py raises`);
      }
      const response = get(data, "response", where);
      if (typeof response !== "string") officialScoreError(`${where}: response is a ${pyTypeName(response)}`);
      if (name.includes("stackselect")) {
        const all = get(data, "all_answers", where);
        if (!Array.isArray(all)) officialScoreError(`${where}: all_answers is not a list`);
        scores.push(pyJsonEquals(extractBestAnswer(response, all.length), get(data, "answer", where)) ? 1 : 0);
      } else {
        let answer: PyJsonValue;
        try {
          answer = tsortReference(get(data, "answer", where));
        } catch (e) {
          officialScoreError(`${where}: answer: ${(e as Error).message}`);
        }
        scores.push(tsortHitLoom(answer, extractTsort(response)) ? 1 : 0);
      }
      const len = get(data, "LEN", where);
      let bucket: string;
      try {
        bucket = categorizeLengthOf(len);
      } catch (e) {
        officialScoreError(`${where}: LEN is a ${pyTypeName(len)} (categorize_length raises ${(e as Error).message})`);
      }
      (perLength.get(bucket) ?? perLength.set(bucket, []).get(bucket)!).push(scores[scores.length - 1] as number);
    });
    if (scores.length > 0) perTask.set(task, scores);
  }
  if (perTask.size === 0) officialScoreError(`no prediction lines in ${dir} (LOOM-Scope's save_results fails on an empty table)`);
  const saved = loomScopeSaveResults("Ada_LEval", perTask, perLength, { lengthMetric: "AVG" });
  const written = await writeOfficialFiles(out, saved.files);
  return {
    written,
    summary: [...saved.tasks.scores].map(([t, a]) => `${t}: ${pyFloatRepr(a)}`).concat(`Total: ${pyFloatRepr(saved.tasks.overall)}`).join("\n"),
  };
}

export async function scoreOfficial(options: OfficialScoreOptions): Promise<OfficialScoreResult> {
  return (options.protocol ?? "official") === "loom" ? scoreLoomProtocol(options) : scoreOfficialProtocol(options);
}
