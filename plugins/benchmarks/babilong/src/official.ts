/**
 * `loom score babilong --predictions DIR`: what babilong/collect_results.py writes for a folder of
 * official prediction files, or (protocol "loom") what LOOM-Scope's babilong eval.py writes.
 *
 * Official layout: `babilong_evals/<org>/<model>/<task>_<length>_<prompt_name>.csv` (columns
 * `,target,output,question`, as run_model_on_babilong.py writes them with `df.to_csv`).
 * - DIR holding such CSVs is one model (`process_single_model`); its name is the last two parts of
 *   DIR (`<org>/<model>`, the `--model_name` convention), and `<out>/<org>/<model>.csv` is written
 *   (`save_model_results` with `save_path` = out; the PDF heatmap is not reproduced).
 * - DIR holding `<org>/<model>/` folders is the whole evals folder (`process_all_models`): one CSV per
 *   model and `<out>/all_results.csv`. Models are taken in sorted order (Python takes them in the
 *   order the file system lists them).
 * Only collect_results' own TASKS (qa1–qa10) and LENGTHS are collected, as without `--tasks` /
 * `--lengths`. A file the official code cannot score (a non-text output such as True left by pandas in
 * an object column, a missing column, an empty file) stops everything with an error and nothing is written.
 *
 * LOOM-Scope layout: `DIR/<task>_<length>.jsonl`, records with `output`, `question`, `target`, `LEN`.
 * Writes `length.json` and `Total.txt` as eval.py / ConstructResultTable2 do, and `score_loom.json`
 * with the tables it prints (`results.xlsx`, `results_length.xlsx` are not written).
 */
import { mkdir, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import {
  OfficialScorerError,
  categorizeLength,
  loomScopeSaveResults,
  pandasCsv,
  pyFloatRepr,
} from "@loomscope/metrics";
import { writeOfficialFiles } from "@loomscope/benchmark-kit";
import type { OfficialScoreOptions, OfficialScoreResult } from "@loomscope/spec";
import { bestTableCsv, cellAccuracy, displayText, resultsTable, type BestTable, type ConfigResults } from "./aggregate.js";
import { TASK_LABELS, compareAnswers } from "./metrics.js";
import { CsvError, asStr, readCsv, type PandasColumn } from "./pandas-csv.js";
import { COLLECT_LENGTHS, COLLECT_TASKS, TASKS, isTask, type BabilongTask } from "./tasks.js";

const stemOf = (file: string): string => file.replace(/\.csv$/, "");

function pyError(file: string, kind: string, message: string): OfficialScorerError {
  return new OfficialScorerError(kind, `${file}: ${message}`);
}

/** collect_results' reading of one prediction CSV: the number of rows compare_answers accepts, and the row count. */
export function scoreCsv(text: string, task: BabilongTask, file = "<csv>"): { correct: number; total: number } {
  let frame;
  try {
    frame = readCsv(text);
  } catch (e) {
    if (e instanceof CsvError) throw pyError(file, e.message.startsWith("No columns") ? "EmptyDataError" : "ParserError", e.message);
    throw e;
  }
  const column = (name: string): PandasColumn => {
    const c = frame.data.get(name);
    if (!c) throw pyError(file, "KeyError", `no column '${name}'`);
    return c;
  };
  const outputCol = column("output");
  if (frame.rows === 0) {
    // DataFrame.apply on no rows returns an empty DataFrame, which cannot be set as the 'correct' column.
    throw pyError(file, "ValueError", "no rows (Cannot set a DataFrame with multiple columns to the single column correct)");
  }
  // `if df['output'].dtype != object: astype(str)`; then `fillna('')`.
  const outputs: (string | boolean)[] =
    outputCol.dtype !== "object"
      ? asStr(outputCol)
      : outputCol.values.map((v) => (typeof v === "number" ? "" : v));
  const targets = column("target");
  const questions = column("question");
  let correct = 0;
  for (let i = 0; i < frame.rows; i++) {
    const target = targets.values[i];
    const question = questions.values[i];
    const output = outputs[i];
    if (typeof target !== "string" || targets.dtype !== "object") throw pyError(file, "AttributeError", `row ${i}: target ${String(target)} has no lower()`);
    if (typeof output !== "string") throw pyError(file, "AttributeError", `row ${i}: output ${String(output)} is not text`);
    if (typeof question !== "string" || questions.dtype !== "object") throw pyError(file, "AttributeError", `row ${i}: question ${String(question)} has no lower()`);
    if (compareAnswers(target, output, question, TASK_LABELS[task])) correct++;
  }
  return { correct, total: frame.rows };
}

/** `get_model_results(results_path)` with no tasks / lengths given. */
export async function modelResults(dir: string): Promise<ConfigResults[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith(".csv")).sort();
  const configs = new Set<string>();
  const modelTasks = new Set<string>();
  const modelLengths = new Set<string>();
  for (const f of files) {
    const parts = stemOf(f).split("_");
    if (parts.length < 2) throw pyError(join(dir, f), "IndexError", "a .csv name without '_' (list index out of range)");
    configs.add(parts.slice(2).join("_"));
    modelTasks.add(parts[0] as string);
    modelLengths.add(parts[1] as string);
  }
  const tasks = COLLECT_TASKS.filter((t) => modelTasks.has(t));
  const lengths = COLLECT_LENGTHS.filter((l) => modelLengths.has(l));
  const present = new Set(files);
  const out: ConfigResults[] = [];
  for (const config of [...configs].sort()) {
    const accuracy = tasks.map(() => lengths.map(() => -1));
    let any = false;
    for (const [j, task] of tasks.entries()) {
      for (const [i, length] of lengths.entries()) {
        const name = `${task}_${length}_${config}.csv`;
        if (!present.has(name)) continue;
        const path = join(dir, name);
        const { correct, total } = scoreCsv(await readFile(path, "utf8"), task, path);
        (accuracy[j] as number[])[i] = cellAccuracy(correct, total);
        any = true;
      }
    }
    if (any) out.push({ config, tasks, lengths, accuracy });
  }
  return out;
}

async function isDir(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

interface ModelTable {
  model: string;
  table: BestTable;
}

/** `save_combined_results`: every model's best table, `model_name` first, one row per task and avg. */
export function allResultsCsv(models: readonly ModelTable[]): string {
  const columns: string[] = [];
  for (const m of models) for (const l of m.table.lengths) if (!columns.includes(l)) columns.push(l);
  const rows: (string | number | null)[][] = [];
  for (const m of models) {
    m.table.rows.forEach((task, r) => {
      const row = m.table.values[r] as number[];
      rows.push([m.model, task, ...columns.map((l) => (m.table.lengths.includes(l) ? (row[m.table.lengths.indexOf(l)] as number) : null))]);
    });
  }
  return pandasCsv(["model_name", "task", ...columns], rows);
}

async function scoreOfficialProtocol(options: OfficialScoreOptions): Promise<OfficialScoreResult> {
  const dir = resolve(options.predictions);
  const out = resolve(options.out ?? options.predictions);
  const direct = (await readdir(dir)).filter((f) => f.endsWith(".csv"));
  const models: ModelTable[] = [];
  if (direct.length > 0) {
    const model = `${basename(dirname(dir))}/${basename(dir)}`;
    models.push({ model, table: resultsTable(await modelResults(dir)) });
  } else {
    for (const org of (await readdir(dir)).sort()) {
      if (org.includes(".git") || !(await isDir(join(dir, org)))) continue;
      for (const name of (await readdir(join(dir, org))).sort()) {
        const path = join(dir, org, name);
        if (!(await isDir(path))) continue;
        models.push({ model: `${org}/${name}`, table: resultsTable(await modelResults(path)) });
      }
    }
    if (models.length === 0) {
      throw new OfficialScorerError("AttributeError", `${dir}: no <task>_<length>_<config>.csv files and no <org>/<model> folders`);
    }
  }
  const written: string[] = [];
  for (const m of models) {
    const path = join(out, `${m.model}.csv`);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, bestTableCsv(m.table));
    written.push(path);
  }
  if (direct.length === 0) {
    const path = join(out, "all_results.csv");
    await writeFile(path, allResultsCsv(models));
    written.push(path);
  }
  const summary = models.map((m) => displayText(m.model, m.table)).join("\n\n");
  options.log("info", summary);
  return { written, summary };
}

interface LoomRecord {
  output?: unknown;
  question?: unknown;
  target?: unknown;
  LEN?: unknown;
}

async function scoreLoomProtocol(options: OfficialScoreOptions): Promise<OfficialScoreResult> {
  const dir = resolve(options.predictions);
  const out = resolve(options.out ?? options.predictions);
  const files = (await readdir(dir)).filter((f) => f.endsWith("jsonl")).sort();
  const byTask = new Map<string, boolean[]>();
  const byLength = new Map<string, boolean[]>();
  for (const f of files) {
    const stem = f.replace(/\.jsonl$/, "");
    const task = stem.split("_").slice(0, -1).join("_");
    if (!isTask(task)) throw new OfficialScorerError("KeyError", `${f}: no task labels for '${task}'`);
    const text = await readFile(join(dir, f), "utf8");
    for (const [n, line] of text.split("\n").entries()) {
      if (line.trim() === "" && n === text.split("\n").length - 1) continue;
      let rec: LoomRecord;
      try {
        rec = JSON.parse(line) as LoomRecord;
      } catch (e) {
        throw new OfficialScorerError("JSONDecodeError", `${f} line ${n + 1}: ${(e as Error).message}`);
      }
      const { output, question, target, LEN } = rec;
      if (typeof target !== "string" || typeof question !== "string") {
        throw new OfficialScorerError("AttributeError", `${f} line ${n + 1}: target and question must be text`);
      }
      if (!("output" in rec)) throw new OfficialScorerError("KeyError", `${f} line ${n + 1}: no 'output'`);
      if (output !== null && typeof output !== "string") {
        throw new OfficialScorerError("AttributeError", `${f} line ${n + 1}: output must be text or null`);
      }
      if (typeof LEN !== "number") throw new OfficialScorerError("KeyError", `${f} line ${n + 1}: no numeric 'LEN'`);
      // LOOM-Scope's preprocess_output: `output.lower() if output else ''`.
      const s = compareAnswers(target, typeof output === "string" ? output : "", question, TASK_LABELS[task], "loom");
      (byTask.get(task) ?? byTask.set(task, []).get(task)!).push(s);
      const bucket = categorizeLength(LEN);
      (byLength.get(bucket) ?? byLength.set(bucket, []).get(bucket)!).push(s);
    }
  }
  if (byTask.size === 0) throw new OfficialScorerError("UnboundLocalError", `${dir}: no <task>_<length>.jsonl predictions`);
  const taskOrder = [...byTask.keys()].sort((a, b) => TASKS.indexOf(a as BabilongTask) - TASKS.indexOf(b as BabilongTask));
  const saved = loomScopeSaveResults(
    "babilong",
    new Map(taskOrder.map((t) => [t, byTask.get(t)!.map(Number)])),
    new Map([...byLength].map(([k, v]) => [k, v.map(Number)])),
  );
  const written = await writeOfficialFiles(out, saved.files);
  const summary = `babilong (LOOM-Scope): Overall ${pyFloatRepr(saved.tasks.overall)}; ${[...saved.tasks.scores].map(([t, v]) => `${t} ${v}`).join(", ")}`;
  options.log("info", summary);
  return { written, summary };
}

/** `Benchmark.scoreOfficial`. */
export async function scoreOfficial(options: OfficialScoreOptions): Promise<OfficialScoreResult> {
  return (options.protocol ?? "official") === "loom" ? scoreLoomProtocol(options) : scoreOfficialProtocol(options);
}
