/**
 * result.py's table (THUDM/LongBench @ 2e00731, repository root): per results file, Overall, Easy,
 * Hard, Short, Medium, Long = `round(100 * correct / count, 1)` (Python's round; correct counts
 * `int(judge)`, or 0.25 for an unextracted answer when `compensated`). "Easy" is difficulty ==
 * "easy", every other difficulty is "Hard"; "Short" / "Medium" are those lengths, every other
 * length is "Long". An empty column is a ZeroDivisionError in result.py.
 */
import type { AggregateCell, BenchmarkAggregate, JsonObject, Protocol, ResultTable } from "@loomscope/spec";
import { pythonRound } from "@loomscope/metrics";
import { RESULT_COLUMNS } from "./config.js";
import { resultsSuffix } from "./tasks.js";

export interface JudgedItem {
  /** `int(judge)`, or 0.25 when compensated and no answer was extracted. */
  acc: number;
  difficulty: string;
  length: string;
}

export type ResultRow = Record<(typeof RESULT_COLUMNS)[number], number>;

export class EmptyColumnError extends Error {
  constructor(readonly column: string) {
    super(`no ${column} items: result.py divides by zero here`);
    this.name = "EmptyColumnError";
  }
}

/** One row of result.py, in its column order. Throws EmptyColumnError where result.py divides by zero. */
export function resultRow(items: readonly JudgedItem[]): ResultRow {
  let easy = 0, hard = 0, short = 0, medium = 0, long = 0;
  let easyAcc = 0, hardAcc = 0, shortAcc = 0, mediumAcc = 0, longAcc = 0;
  for (const { acc, difficulty, length } of items) {
    if (difficulty === "easy") {
      easy++;
      easyAcc += acc;
    } else {
      hard++;
      hardAcc += acc;
    }
    if (length === "short") {
      short++;
      shortAcc += acc;
    } else if (length === "medium") {
      medium++;
      mediumAcc += acc;
    } else {
      long++;
      longAcc += acc;
    }
  }
  const pct = (column: string, correct: number, n: number): number => {
    if (n === 0) throw new EmptyColumnError(column);
    return pythonRound((100 * correct) / n, 1);
  };
  return {
    Overall: pct("Overall", easyAcc + hardAcc, items.length),
    Easy: pct("Easy", easyAcc, easy),
    Hard: pct("Hard", hardAcc, hard),
    Short: pct("Short", shortAcc, short),
    Medium: pct("Medium", mediumAcc, medium),
    Long: pct("Long", longAcc, long),
  };
}

function rowOrNulls(items: readonly JudgedItem[]): (number | null)[] {
  const out: (number | null)[] = [];
  for (const column of RESULT_COLUMNS) {
    const subset = items.filter((it) =>
      column === "Overall" ? true
      : column === "Easy" ? it.difficulty === "easy"
      : column === "Hard" ? it.difficulty !== "easy"
      : column === "Short" ? it.length === "short"
      : column === "Medium" ? it.length === "medium"
      : it.length !== "short" && it.length !== "medium",
    );
    if (subset.length === 0) out.push(null);
    else out.push(pythonRound((100 * subset.reduce((s, it) => s + it.acc, 0)) / subset.length, 1));
  }
  return out;
}

/** The run's settings as the aggregate needs them. */
export interface V2AggregateSettings {
  protocol: Protocol;
  options: { cot?: boolean; noContext?: boolean; rag?: number; compensated?: boolean };
}

/** Each scored sample's value (compensated or not) with its difficulty and length; samples a metric left out (null) are not there. */
function judgedOf(cell: AggregateCell, metric: string): JudgedItem[] {
  const items: JudgedItem[] = [];
  const push = (acc: number, meta: JsonObject | null | undefined) => {
    const difficulty = typeof meta?.["difficulty"] === "string" ? meta["difficulty"] : "";
    const length = cell.length ?? (typeof meta?.["length"] === "string" ? meta["length"] : "");
    items.push({ acc, difficulty, length });
  };
  if (cell.rows) {
    // rows are aligned with their meta, and keep the samples whose score is null (pred.py dropped them)
    for (const row of cell.rows) {
      const acc = row.scores[metric];
      if (typeof acc === "number") push(acc, row.meta);
    }
  } else {
    (cell.values[metric] ?? []).forEach((acc, i) => push(acc, cell.meta?.[i]));
  }
  return items;
}

/**
 * Per task, result.py's row from the per-sample values (difficulty from each sample's meta,
 * length from the cell). Empty columns are null here (result.py would stop). The row is named as
 * pred.py names its results file after the model (`_cot`, `_no_context`, `_rag_N`). `score` is
 * the Overall column. With `compensated`, the values are result.py's compensated ones.
 * Under `--protocol loom` the same layout is shown over LOOM-Scope's per-sample judgements, and
 * says so: LOOM-Scope's own v2 table (its utils/evaluation/eval.py) is not available to us.
 */
export function aggregateLongBenchV2(cells: readonly AggregateCell[], settings: V2AggregateSettings = { protocol: "official", options: {} }): BenchmarkAggregate {
  const compensated = settings.options.compensated === true;
  const metric = compensated ? "accuracy_compensated" : "accuracy";
  const byTask = new Map<string, JudgedItem[]>();
  for (const cell of cells) byTask.set(cell.task, [...(byTask.get(cell.task) ?? []), ...judgedOf(cell, metric)]);
  const suffix = resultsSuffix(settings.protocol, { cot: settings.options.cot ?? false, noContext: settings.options.noContext ?? false, rag: settings.options.rag ?? 0 });
  const title =
    settings.protocol === "loom"
      ? "LongBench v2 in result.py's layout over LOOM-Scope's judgements (LOOM-Scope's own v2 table is not available)"
      : `LongBench v2 (result.py${compensated ? ", compensated = True" : ""})`;
  const table: ResultTable = { title, rows: [], columns: [...RESULT_COLUMNS], cells: [] };
  const tasks: Record<string, number | null> = {};
  const cellsOut: Record<string, Record<string, number | null>> = {};
  const groups: Record<string, number | null> = {};
  for (const [task, items] of byTask) {
    const row = rowOrNulls(items);
    table.rows.push(`${task}${suffix}`);
    table.cells.push(row);
    tasks[task] = row[0] ?? null;
    cellsOut[task] = { short: row[3] ?? null, medium: row[4] ?? null, long: row[5] ?? null };
    groups[`${task}/easy`] = row[1] ?? null;
    groups[`${task}/hard`] = row[2] ?? null;
  }
  const first = tasks["longbench_v2"] ?? Object.values(tasks)[0] ?? null;
  return { score: first, tasks, cells: cellsOut, groups, tables: [table] };
}
