/**
 * `loom score longbench --predictions DIR`: LongBench's eval.py (THUDM/LongBench @ 2e00731,
 * `LongBench/eval.py`), re-done on the folder one official run reads.
 *
 * DIR is `pred/<model>` or `pred_e/<model>`; as eval.py chooses its folder by `--e`, a parent folder
 * named `pred_e` selects LongBench-E (`scorer_e`). Every entry whose name ends in "jsonl" is a
 * prediction file; its dataset is the name up to the first "."; it writes `result.json`
 * (`json.dump(scores, f, ensure_ascii=False, indent=4)`) into OUT (default DIR). eval.py walks
 * `os.listdir` order, which the file system decides; we walk names in Python's sorted order.
 *
 * eval.py's quirks are kept: the `all_classes` of a file's last line is used for the whole file
 * (and an earlier file's when a file is empty); LongBench-E buckets only the lines up to the first
 * line without "length" (`zip` stops at the shortest list); a string `answers` is iterated
 * character by character. Where eval.py stops with an exception (an empty file without `--e`, a
 * blank line, a dataset it has no metric for, a retrieval answer without a paragraph number, …)
 * this stops too, before writing anything.
 *
 * `--protocol loom` re-does LOOM-Scope's evaluation instead (loom_scope 0.1,
 * benchmarks/General/LongBench/utils/evaluation/eval.py and scripts/utils/ResultManager.py
 * `ConstructResultTable2`): it writes `length.json` and `Total.txt` as LOOM-Scope writes them and
 * `score_loom.json` with the rows of its results.xlsx / results_length.xlsx.
 */
import { mkdir, readdir, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import {
  OfficialScorerError,
  PyFloat,
  categorizeLength,
  constructResultTable2Overall,
  officialPercent,
  PythonError,
  pyFloat,
  pyFloatRepr,
  pyJsonDumps,
  pyJsonLoads,
  pyReadText,
  pyStrCompare,
  pyTextLines,
  pyTypeName,
  pythonRound,
  type PyJsonValue,
} from "@loomscope/metrics";
import { LoomError, type OfficialScoreOptions, type OfficialScoreResult, type Protocol } from "@loomscope/spec";
import { DATASET2METRIC, FIRST_LINE_DATASETS, isDataset } from "./config.js";
import { bucketScore, datasetScore } from "./aggregate.js";
import { firstLine, officialMetric } from "./metrics.js";

export class PythonScriptError extends Error {
  readonly code = "OFFICIAL_SCORE";
  constructor(
    readonly pythonError: string,
    message: string,
    readonly hint?: string,
  ) {
    super(`${message} (the official script stops with ${pythonError} here)`);
    this.name = "PythonScriptError";
  }
}

interface PredictionLine {
  pred: PyJsonValue;
  answers: PyJsonValue;
  allClasses: PyJsonValue;
  hasLength: boolean;
  length: PyJsonValue | undefined;
  where: string;
}

/** `data[key]` on a parsed line: a dict is required, a missing key is KeyError. */
function field(data: PyJsonValue, key: string, where: string): PyJsonValue {
  if (!(data instanceof Map)) throw new PythonScriptError("TypeError", `${where}: the line is a JSON ${pyTypeName(data)}, not an object`);
  if (!data.has(key)) throw new PythonScriptError("KeyError", `${where}: no "${key}" field`);
  return data.get(key) as PyJsonValue;
}

/** Python iterating `answers`: a list gives its items, a string its characters. */
function groundTruths(answers: PyJsonValue, where: string): readonly PyJsonValue[] {
  if (Array.isArray(answers)) return answers as readonly PyJsonValue[];
  if (typeof answers === "string") return Array.from(answers);
  if (answers instanceof Map) return [...answers.keys()];
  throw new PythonScriptError("TypeError", `${where}: answers is ${pyTypeName(answers)}, which is not iterable`);
}

function asClasses(allClasses: unknown, where: string): string[] | null {
  if (allClasses === null) return null;
  if (Array.isArray(allClasses) && allClasses.every((c) => typeof c === "string")) return allClasses as string[];
  throw new PythonScriptError("TypeError", `${where}: all_classes must be a list of strings or null`);
}

/** eval.py's per-sample loop (shared by `scorer` and `scorer_e`, and by LOOM-Scope's `scorer`). */
function scoreLine(dataset: string, line: PredictionLine, allClasses: unknown, protocol: Protocol): number {
  let prediction = line.pred;
  if ((FIRST_LINE_DATASETS as readonly string[]).includes(dataset)) {
    if (typeof prediction !== "string") {
      throw new PythonScriptError("AttributeError", `${line.where}: pred is ${pyTypeName(prediction)}, not a string`);
    }
    prediction = firstLine(prediction);
  }
  let score = 0.0;
  for (const gt of groundTruths(line.answers, line.where)) {
    if (!isDataset(dataset)) {
      throw new PythonScriptError("KeyError", `${line.where}: eval.py has no metric for dataset "${dataset}"`,
        "prediction files are named <dataset>.jsonl with an official dataset name");
    }
    if (typeof prediction !== "string" || typeof gt !== "string") {
      throw new PythonScriptError("TypeError", `${line.where}: pred and every answer must be strings`);
    }
    const metric = officialMetric(DATASET2METRIC[dataset], protocol);
    let value: number;
    try {
      value = metric(prediction, gt, DATASET2METRIC[dataset] === "classification_score" ? asClasses(allClasses, line.where) : null);
    } catch (e) {
      if (e instanceof OfficialScorerError) throw new PythonScriptError(e.pythonError, `${line.where}: ${e.message}`);
      throw e;
    }
    score = Math.max(score, value);
  }
  return score;
}

interface ReadFile {
  name: string;
  dataset: string;
  lines: PredictionLine[];
  lastAllClasses: { value: PyJsonValue } | undefined;
}

async function readPredictionFile(dir: string, name: string, lengthKey: "length" | "LEN"): Promise<ReadFile> {
  const path = join(dir, name);
  let text: string;
  try {
    text = await pyReadText(path);
  } catch (e) {
    if (e instanceof PythonError) throw new PythonScriptError(e.pythonError, `${path} is not valid UTF-8`);
    throw e;
  }
  const lines: PredictionLine[] = [];
  let lastAllClasses: { value: PyJsonValue } | undefined;
  pyTextLines(text).forEach((raw, i) => {
    const where = `${path}:${i + 1}`;
    let data: PyJsonValue;
    try {
      data = pyJsonLoads(raw);
    } catch (e) {
      if (!(e instanceof PythonError)) throw e;
      throw new PythonScriptError(e.pythonError === "JSONDecodeError" ? "json.JSONDecodeError" : e.pythonError, `${where}: not JSON (${e.message})`);
    }
    const pred = field(data, "pred", where);
    const answers = field(data, "answers", where);
    const allClasses = field(data, "all_classes", where);
    lastAllClasses = { value: allClasses };
    let hasLength = true;
    let length: PyJsonValue | undefined;
    if (lengthKey === "LEN") length = field(data, "LEN", where);
    else if ((data as ReadonlyMap<string, PyJsonValue>).has("length")) length = (data as ReadonlyMap<string, PyJsonValue>).get("length");
    else hasLength = false;
    lines.push({ pred, answers, allClasses, hasLength, length, where });
  });
  return { name, dataset: name.split(".")[0] as string, lines, lastAllClasses };
}

async function predictionFileNames(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    throw new LoomError("OFFICIAL_SCORE", `cannot list ${dir}: ${(e as Error).message}`, {
      hint: "give the folder one evaluation reads: pred/<model> or pred_e/<model>",
    });
  }
  const names: string[] = [];
  for (const entry of entries.sort((a, b) => pyStrCompare(a.name, b.name))) {
    if (!entry.name.endsWith("jsonl")) continue;
    if (entry.isDirectory()) throw new PythonScriptError("IsADirectoryError", `${join(dir, entry.name)} is a directory`);
    names.push(entry.name);
  }
  return names;
}

function toLoomError(e: unknown): never {
  if (e instanceof PythonScriptError) {
    throw new LoomError("OFFICIAL_SCORE", e.message, e.hint === undefined ? undefined : { hint: e.hint });
  }
  throw e;
}

/** Python `length < 4000` on a JSON value: numbers and booleans compare, anything else is TypeError. */
function numericLength(v: PyJsonValue | undefined, where: string): number {
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  if (v instanceof PyFloat) return v.value;
  if (typeof v === "boolean") return v ? 1 : 0;
  throw new PythonScriptError("TypeError", `${where}: length is ${v === undefined ? "missing" : pyTypeName(v)}, which does not compare with int`);
}

export interface LongBenchResult {
  /** Dataset → score (v1) or bucket → score (LongBench-E, NaN for an empty bucket), in file order. */
  scores: Map<string, number | Record<string, number>>;
  e: boolean;
}

/** eval.py `__main__` without the write: every file scored, in our (sorted) order. */
export async function evaluateOfficial(dir: string, e: boolean): Promise<LongBenchResult> {
  const scores = new Map<string, number | Record<string, number>>();
  let allClasses: { value: unknown } | undefined;
  for (const name of await predictionFileNames(dir)) {
    const file = await readPredictionFile(dir, name, "length");
    if (file.lastAllClasses) allClasses = file.lastAllClasses;
    if (!allClasses) throw new PythonScriptError("NameError", `${join(dir, name)} is empty and no earlier file set all_classes`);
    if (e) {
      // zip(predictions, answers, lengths): lengths holds only the lines that have "length"
      const lengths = file.lines.filter((l) => l.hasLength).map((l) => l.length);
      const n = Math.min(file.lines.length, lengths.length);
      const buckets: Record<string, number[]> = { "0-4k": [], "4-8k": [], "8k+": [] };
      for (let i = 0; i < n; i++) {
        const line = file.lines[i] as PredictionLine;
        const score = scoreLine(file.dataset, line, allClasses.value, "official");
        const length = numericLength(lengths[i], line.where);
        (length < 4000 ? buckets["0-4k"] : length < 8000 ? buckets["4-8k"] : buckets["8k+"])?.push(score);
      }
      scores.set(file.dataset, {
        "0-4k": bucketScore(buckets["0-4k"] ?? []),
        "4-8k": bucketScore(buckets["4-8k"] ?? []),
        "8k+": bucketScore(buckets["8k+"] ?? []),
      });
    } else {
      const values = file.lines.map((line) => scoreLine(file.dataset, line, allClasses?.value, "official"));
      if (values.length === 0) {
        throw new PythonScriptError("ZeroDivisionError", `${join(dir, name)} has no predictions (eval.py divides by len(predictions))`);
      }
      scores.set(file.dataset, datasetScore(values));
    }
  }
  return { scores, e };
}

/** The text eval.py writes to result.json for these scores. */
export function resultJson(result: LongBenchResult): string {
  const obj: Record<string, PyJsonValue> = {};
  for (const [k, v] of result.scores) {
    obj[k] = typeof v === "number" ? pyFloat(v) : Object.fromEntries(Object.entries(v).map(([b, x]) => [b, pyFloat(x)]));
  }
  return pyJsonDumps(obj, { ensureAscii: false, indent: 4 });
}

type LoomRow = [string, string, string, number | "", number | ""];

/** scripts/utils/ResultManager.py `ConstructResultTable2` for one metric per row: its rows and the total. */
function loomTable(name: string, data: Map<string, [string, number]>, count: Map<string, number>): { rows: LoomRow[]; total: number } {
  if (data.size === 0) throw new PythonScriptError("ValueError", "there is nothing to tabulate (max() of an empty sequence)");
  const rows: LoomRow[] = [...data].map(([task, [metric, value]]) => [name, task, metric, value, ""]);
  const avg = constructResultTable2Overall(new Map([...data].map(([task, [, value]]) => [task, value])), count);
  rows.push([name, "Average", "Overall", avg, ""]);
  rows.push(["Total", "Average", "Overall", "", avg]);
  return { rows, total: avg };
}

export interface LoomResult {
  lengthJson: string;
  totalTxt: string;
  scoreLoomJson: string;
  taskScores: Map<string, number>;
}

/** LOOM-Scope's `evaluate(DataPath, OutPath)` for LongBench, without the writes. */
export async function evaluateLoom(dir: string): Promise<LoomResult> {
  const scoresTask = new Map<string, number[]>();
  const scoresLength = new Map<string, number[]>();
  let allClasses: { value: unknown } | undefined;
  for (const name of await predictionFileNames(dir)) {
    const file = await readPredictionFile(dir, name, "LEN");
    if (file.lastAllClasses) allClasses = file.lastAllClasses;
    if (!allClasses) throw new PythonScriptError("UnboundLocalError", `${join(dir, name)} is empty and no earlier file set all_classes`);
    for (const line of file.lines) {
      const score = scoreLine(file.dataset, line, allClasses.value, "loom");
      const len = numericLength(line.length, line.where);
      scoresTask.set(file.dataset, [...(scoresTask.get(file.dataset) ?? []), score]);
      const bucket = categorizeLength(len);
      scoresLength.set(bucket, [...(scoresLength.get(bucket) ?? []), score]);
    }
  }
  const count = new Map([...scoresTask].map(([k, v]) => [k, v.length]));
  const countLength = new Map([...scoresLength].map(([k, v]) => [k, v.length]));
  const tasks = new Map<string, [string, number]>();
  for (const [task, values] of scoresTask) {
    if (!isDataset(task)) throw new PythonScriptError("KeyError", `LOOM-Scope's metric_name has no "${task}"`);
    tasks.set(task, [DATASET2METRIC[task], officialPercent(values)]);
  }
  const lengths = new Map<string, [string, number]>();
  for (const [bucket, values] of scoresLength) lengths.set(bucket, ["AVG", officialPercent(values)]);
  const lengthJson = pyJsonDumps(Object.fromEntries(countLength), { indent: 2 });
  const lengthTable = loomTable("LongBench", lengths, countLength);
  const taskTable = loomTable("LongBench", tasks, count);
  const header = ["BenchMark", "Tasks", "Metric", "Score", "AVG"];
  const asJson = (rows: LoomRow[]): PyJsonValue[] => [header, ...rows.map((r) => r.map((c) => (typeof c === "number" ? pyFloat(c) : c)))];
  const scoreLoomJson = pyJsonDumps(
    { "results.xlsx": asJson(taskTable.rows), "results_length.xlsx": asJson(lengthTable.rows), "Total.txt": pyFloat(taskTable.total) },
    { ensureAscii: false, indent: 4 },
  );
  return {
    lengthJson,
    totalTxt: pyFloatRepr(taskTable.total),
    scoreLoomJson,
    taskScores: new Map([...tasks].map(([k, [, v]]) => [k, v])),
  };
}

/** `Benchmark.scoreOfficial` for LongBench. */
export async function scoreOfficialDir(options: OfficialScoreOptions): Promise<OfficialScoreResult> {
  const dir = resolve(options.predictions);
  const out = resolve(options.out ?? options.predictions);
  const protocol = options.protocol ?? "official";
  try {
    if (protocol === "loom") {
      const result = await evaluateLoom(dir);
      await mkdir(out, { recursive: true });
      const written = [join(out, "length.json"), join(out, "Total.txt"), join(out, "score_loom.json")];
      await writeFile(written[0] as string, result.lengthJson, "utf8");
      await writeFile(written[1] as string, result.totalTxt, "utf8");
      await writeFile(written[2] as string, result.scoreLoomJson, "utf8");
      const summary = [...result.taskScores].map(([k, v]) => `${k}: ${pyFloatRepr(v)}`).concat(`Total: ${result.totalTxt}`).join("\n");
      return { written, summary };
    }
    const e = basename(dirname(dir)) === "pred_e";
    const result = await evaluateOfficial(dir, e);
    if (result.scores.size === 0) options.log("warn", `longbench: no *jsonl prediction files in ${dir}`);
    await mkdir(out, { recursive: true });
    const path = join(out, "result.json");
    await writeFile(path, resultJson(result), "utf8");
    const summary = [...result.scores]
      .map(([k, v]) =>
        typeof v === "number" ? `${k}: ${pyFloatRepr(v)}` : `${k}: ${Object.entries(v).map(([b, x]) => `${b} ${pyFloatRepr(x)}`).join(", ")}`,
      )
      .join("\n");
    return { written: [path], summary: `${e ? "LongBench-E (pred_e)" : "LongBench"}\n${summary}` };
  } catch (err) {
    toLoomError(err);
  }
}
