/**
 * Helpers every LOOM-Scope scorer shares (loom-scope 0.1; files checked against the wheel's RECORD
 * sha256):
 * - `categorizeLength`: benchmarks/utils/Tools.py `categorize_length(length)`, the length bucket of a
 *   prediction's `LEN` (prompt tokens): 0-8k, 8k-16k, 16k-32k, 32k-64k, 64k-128k, >128k, by
 *   `length > threshold` against 8000, 16000, 32000, 64000 and 130000 (so 128001-130000 is still 64k-128k);
 * - `constructResultTable2Overall`: scripts/utils/ResultManager.py `ConstructResultTable2`'s
 *   "Average / Overall": each row's score (already rounded by the caller) weighted by its sample
 *   count, summed in row order, divided, and `round(x, 2)` of a numpy float (numpy's rounding); 0
 *   when the weights sum to 0. The same value is written to Total.txt when `save_total`;
 * - `loomScopeSaveResults`: the `save_results(benchmark_name, scores_task, scores_length, OutPath)`
 *   the retrieval and reasoning scorers' eval.py files share (BABILong, NThread, LongIns, Ada-LEval):
 *   per task `round(100 * sum / len, 2)`, per `categorize_length(LEN)` bucket the same, `length.json`
 *   (`json.dump(count_length, indent=2)`), ConstructResultTable2's two tables (written as .xlsx there;
 *   as `score_loom.json` here) and Total.txt (the tasks' count-weighted overall).
 */
import { numpyRound, officialPercent } from "./rounding.js";
import { PyFloat, pyFloatRepr, pyJsonDumps, type PyJsonValue } from "./python.js";
import { pyTypeName } from "./python-builtins.js";
import { PythonError } from "./errors.js";

const THRESHOLDS = [8000, 16000, 32000, 64000, 130000];
const LABELS = ["0-8k", "8k-16k", "16k-32k", "32k-64k", "64k-128k", ">128k"];

export function categorizeLength(length: number): string {
  for (let i = THRESHOLDS.length - 1; i >= 0; i--) if (length > (THRESHOLDS[i] as number)) return LABELS[i + 1] as string;
  return LABELS[0] as string;
}

/**
 * `categorize_length(LEN)` of a json.loads value: it compares LEN with ints, so any number (bool
 * and int included) is bucketed and anything else raises Python's TypeError.
 */
export function categorizeLengthOf(value: PyJsonValue | undefined): string {
  if (typeof value === "number") return categorizeLength(value);
  if (typeof value === "bigint") return categorizeLength(Number(value));
  if (value instanceof PyFloat) return categorizeLength(value.value);
  if (typeof value === "boolean") return categorizeLength(value ? 1 : 0);
  const type = value === undefined ? "NoneType" : pyTypeName(value);
  throw new PythonError("TypeError", `'>' not supported between instances of '${type}' and 'int'`);
}

/** `ConstructResultTable2`'s overall over rows of (score, sample count), in row order. */
export function loomWeightedTotal(rows: Iterable<{ readonly score: number; readonly count: number }>): number {
  let sum = 0;
  let weight = 0;
  for (const { score, count } of rows) {
    sum += score * count;
    weight += count;
  }
  return weight > 0 ? numpyRound(sum / weight, 2) : 0;
}

/** The same over a task → score map and a task → count map (a task without a count weighs 1). */
export function constructResultTable2Overall(scores: ReadonlyMap<string, number>, counts: ReadonlyMap<string, number>): number {
  return loomWeightedTotal([...scores].map(([k, score]) => ({ score, count: counts.get(k) ?? 1 })));
}

/** One score table of save_results: row → rounded score, and row → sample count (same order). */
export interface LoomScopeTable {
  readonly scores: ReadonlyMap<string, number>;
  readonly counts: ReadonlyMap<string, number>;
  /** ConstructResultTable2's "Average / Overall" of the table. */
  readonly overall: number;
}

export interface LoomScopeSaved {
  readonly tasks: LoomScopeTable;
  readonly lengths: LoomScopeTable;
  /** The files save_results writes, by name: `length.json`, `Total.txt`, and ours, `score_loom.json`. */
  readonly files: ReadonlyMap<"length.json" | "Total.txt" | "score_loom.json", string>;
}

export interface LoomScopeSaveOptions {
  /** The column name of the per-task table (`ACC` in every scorer here). */
  readonly taskMetric?: string;
  /** The column name of the per-length table: `ACC` (BABILong, LongIns) or `AVG` (NThread, Ada-LEval). */
  readonly lengthMetric?: string;
}

function table(scores: ReadonlyMap<string, readonly number[]>): LoomScopeTable {
  const rounded = new Map([...scores].map(([k, v]) => [k, officialPercent(v)]));
  const counts = new Map([...scores].map(([k, v]) => [k, v.length]));
  return { scores: rounded, counts, overall: constructResultTable2Overall(rounded, counts) };
}

/**
 * save_results over per-sample scores (0–1, or booleans as 0/1) grouped by task (the prediction
 * file) and by `categorize_length(LEN)` bucket, both in the order the caller met them (Python
 * dicts keep insertion order). `score_loom.json` holds both tables as
 * `{ <benchmark>: {task: {ACC}}, count, Total, length: {bucket: {metric}}, count_length, Total_length }`.
 */
export function loomScopeSaveResults(
  benchmark: string,
  scoresTask: ReadonlyMap<string, readonly number[]>,
  scoresLength: ReadonlyMap<string, readonly number[]>,
  options: LoomScopeSaveOptions = {},
): LoomScopeSaved {
  const tasks = table(scoresTask);
  const lengths = table(scoresLength);
  const named = (t: LoomScopeTable, metric: string): Map<string, PyJsonValue> =>
    new Map([...t.scores].map(([k, v]) => [k, new Map([[metric, new PyFloat(v)]])]));
  const body = new Map<string, PyJsonValue>([
    [benchmark, named(tasks, options.taskMetric ?? "ACC")],
    ["count", new Map(tasks.counts)],
    ["Total", new PyFloat(tasks.overall)],
    ["length", named(lengths, options.lengthMetric ?? "ACC")],
    ["count_length", new Map(lengths.counts)],
    ["Total_length", new PyFloat(lengths.overall)],
  ]);
  const files = new Map<"length.json" | "Total.txt" | "score_loom.json", string>([
    ["length.json", pyJsonDumps(new Map(lengths.counts), { indent: 2 })],
    ["Total.txt", pyFloatRepr(tasks.overall)],
    ["score_loom.json", pyJsonDumps(body, { indent: 2 })],
  ]);
  return { tasks, lengths, files };
}
