/**
 * BABILong's collected table, babilong/collect_results.py (booydar/babilong @ 7a6efee):
 * - `get_model_results`: per run configuration (the file-name part after `<task>_<length>_`) a
 *   tasks × lengths matrix of `100 * correct / len(df)`, -1 where no file;
 * - `get_results_table`: per task the configuration with the highest `len_avg` (the row mean over
 *   every length column, the -1 of missing files included; the first one met wins a tie — Python
 *   meets them in `set` order, which varies between runs, we meet them sorted), then an `avg` row:
 *   per length the mean of the first five task rows, or -1 when one of them is -1 or there are fewer
 *   than five rows;
 * - displayed with `round().astype(int)` (numpy: half to even); saved by `save_model_results` as
 *   `table.iloc[:, :-2].to_csv(path)`: the lengths as columns, the tasks and `avg` as rows, floats as
 *   Python writes them.
 * LOOM-Scope (loom-scope 0.1 benchmarks/Reasoning/babilong/utils/evaluation/eval.py) pools each task
 * over all its lengths: ACC `round(100 * sum / len, 2)` per task and per length bucket
 * (`categorize_length` of each prediction's `LEN`), and an overall mean weighted by sample counts,
 * rounded to 2 (`ConstructResultTable2`).
 */
import { constructResultTable2Overall, officialPercent, numpyRound, pandasCsv, pythonRound } from "@loomscope/metrics";
import type { AggregateCell, BenchmarkAggregate, ResultTable } from "@loomscope/spec";
import { COLLECT_LENGTHS, TASKS } from "./tasks.js";

/**
 * `100 * score / len(df) if len(df) > 0 else 0`. The `else 0` never runs in practice: a file with
 * no rows already fails at `df['correct'] = df.apply(...)` (see official.ts).
 */
export const cellAccuracy = (correct: number, total: number): number => (total > 0 ? (100 * correct) / total : 0);

/** A configuration's matrix: `accuracy[task][length]`, -1 where there was no file. */
export interface ConfigResults {
  config: string;
  tasks: readonly string[];
  lengths: readonly string[];
  accuracy: number[][];
}

/** numpy / pandas row mean over up to a handful of values: a left-to-right sum (no pairwise blocks below 8). */
function seqMean(values: readonly number[]): number {
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}

/** The best-setup table of get_results_table, before `.round()`. */
export interface BestTable {
  /** Task rows then "avg". */
  rows: string[];
  lengths: string[];
  /** `values[row][length]`; the avg row holds -1 where the official one does. */
  values: number[][];
  /** The configuration picked per task row ("N/A" for avg). */
  bestConfig: string[];
  /** The per-configuration tables get_results_table displays first. */
  perConfig: ConfigResults[];
}

/** `get_col_mean(col, min_rows=5)`. */
function colMean(col: readonly number[], minRows = 5): number {
  if (col.some((v) => v === -1 || Number.isNaN(v)) || col.length < minRows) return -1;
  return seqMean(col);
}

/** `get_results_table`: per task the configuration with the highest mean over lengths, then the avg row. */
export function resultsTable(configs: readonly ConfigResults[]): BestTable {
  if (configs.length === 0) {
    throw new Error("no result files: collect_results.get_results_table fails here ('NoneType' object has no attribute 'loc')");
  }
  const ordered = [...configs].sort((a, b) => (a.config < b.config ? -1 : a.config > b.config ? 1 : 0));
  const { tasks, lengths } = ordered[0] as ConfigResults;
  const best = new Map<string, { avg: number; row: number[]; config: string }>();
  for (const cfg of ordered) {
    cfg.tasks.forEach((task, j) => {
      const row = cfg.accuracy[j] as number[];
      const avg = seqMean(row);
      const prev = best.get(task);
      if (!prev || avg > prev.avg) best.set(task, { avg, row, config: cfg.config });
    });
  }
  const values = tasks.map((t) => [...(best.get(t) as { row: number[] }).row]);
  const avgRow = lengths.map((_, i) => colMean(values.slice(0, 5).map((r) => r[i] as number)));
  return {
    rows: [...tasks, "avg"],
    lengths: [...lengths],
    values: [...values, avgRow],
    bestConfig: [...tasks.map((t) => (best.get(t) as { config: string }).config), "N/A"],
    perConfig: ordered,
  };
}

/** `save_model_results`' CSV: `table.iloc[:, :-2].to_csv(csv_path, index=True)`. */
export function bestTableCsv(table: BestTable): string {
  return pandasCsv(
    ["", ...table.lengths],
    table.rows.map((r, i) => [r, ...(table.values[i] as number[])]),
  );
}

/** How get_results_table displays a table: `.round().astype(int)`. */
export const displayInt = (v: number): number => numpyRound(v);

/** A text rendering of the displayed tables (what collect_results prints), for the CLI summary. */
export function displayText(model: string, table: BestTable): string {
  const fmt = (rows: string[], lengths: string[], values: number[][], extra?: string[]): string => {
    const head = ["", ...lengths, ...(extra ? ["best_cfg"] : [])].join("\t");
    const body = rows.map((r, i) => [r, ...(values[i] as number[]).map((v) => String(displayInt(v))), ...(extra ? [extra[i]] : [])].join("\t"));
    return [head, ...body].join("\n");
  };
  const parts: string[] = [];
  for (const cfg of table.perConfig) parts.push(`${model}\n${cfg.config}\n${fmt([...cfg.tasks], [...cfg.lengths], cfg.accuracy)}`);
  parts.push(`${model}\nbest setup:\n${fmt(table.rows, table.lengths, table.values, table.bestConfig)}`);
  return parts.join("\n\n");
}

/** The official column order: collect_results.LENGTHS first, then any other label in the order met. */
function orderLengths(labels: Iterable<string>): string[] {
  const set = new Set(labels);
  return [...COLLECT_LENGTHS.filter((l) => set.has(l)), ...[...set].filter((l) => !(COLLECT_LENGTHS as readonly string[]).includes(l))];
}
const taskOrder = (t: string): number => {
  const i = (TASKS as readonly string[]).indexOf(t);
  return i < 0 ? TASKS.length : i;
};

const mean = (xs: readonly number[]): number | null => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length);

/**
 * A run's numbers (one prompt configuration): cells are the official per-file accuracy (0–100,
 * errored samples are counted apart by core and not scored; the official script writes an output
 * for every sample, so it has no such case). `tables[0]` is the collected best-setup table with the
 * official values, `tables[1]` as displayed (rounded to integers). Headline: the mean over lengths
 * of the `avg` row (the README's "average accuracy over QA1-QA5"), null when that row is all -1.
 * Under LOOM-Scope's protocol the per-task numbers are its pooled ACC (2 decimals) and the headline
 * its count-weighted overall.
 */
export function aggregateBabilong(cells: readonly AggregateCell[], protocol: "official" | "loom" = "official"): BenchmarkAggregate {
  const metric = "babilong_accuracy";
  const tasks = [...new Set(cells.map((c) => c.task))].sort((a, b) => taskOrder(a) - taskOrder(b));
  const lengths = orderLengths(cells.map((c) => c.length ?? "all"));
  const accuracy = tasks.map((t) =>
    lengths.map((l) => {
      const cell = cells.find((c) => c.task === t && (c.length ?? "all") === l);
      if (!cell) return -1;
      const vs = cell.values[metric] ?? [];
      return cellAccuracy(vs.reduce((a, b) => a + b, 0), vs.length);
    }),
  );
  const table = resultsTable([{ config: "run", tasks, lengths, accuracy }]);
  const out: BenchmarkAggregate = { score: null, tasks: {}, cells: {} };
  tasks.forEach((t, j) => {
    const row = accuracy[j] as number[];
    out.cells[t] = Object.fromEntries(lengths.map((l, i) => [l, row[i] === -1 ? null : (row[i] as number)]));
    out.tasks[t] = mean(row.filter((v) => v !== -1));
  });
  const avgRow = table.values[table.values.length - 1] as number[];
  const defined = avgRow.filter((v) => v !== -1);
  out.score = mean(defined);
  out.groups = Object.fromEntries(lengths.map((l, i) => [`avg@${l}`, avgRow[i] === -1 ? null : (avgRow[i] as number)]));
  if (protocol === "loom") {
    const scores = new Map<string, number>();
    const counts = new Map<string, number>();
    for (const t of tasks) {
      const vs = cells.filter((c) => c.task === t).flatMap((c) => c.values[metric] ?? []);
      if (vs.length === 0) {
        out.tasks[t] = null;
        continue;
      }
      const acc = officialPercent(vs);
      out.tasks[t] = acc;
      scores.set(t, acc);
      counts.set(t, vs.length);
    }
    // ConstructResultTable2's overall (numpy's round of the count-weighted mean)
    out.score = scores.size > 0 ? constructResultTable2Overall(scores, counts) : null;
  }
  const tableOf = (title: string, f: (v: number) => number): ResultTable => ({
    title,
    rows: table.rows,
    columns: table.lengths,
    cells: table.values.map((r) => r.map((v) => (v === -1 ? null : f(v)))),
  });
  out.tables = [
    tableOf(
      "BABILong accuracy by task and length (collect_results.py; avg = first five tasks). Headline: the mean of the avg row over lengths, not a number the official code computes",
      (v) => v,
    ),
    tableOf("BABILong accuracy as collect_results displays it (rounded half to even)", displayInt),
  ];
  if (protocol === "loom") {
    const rows = tasks.filter((t) => out.tasks[t] !== null && out.tasks[t] !== undefined);
    out.tables.unshift({
      title: "BABILong as LOOM-Scope's eval.py scores it: ACC per task pooled over its lengths, Overall weighted by sample counts",
      rows: [...rows, "Overall"],
      columns: ["ACC"],
      cells: [...rows.map((t) => [out.tasks[t] ?? null]), [out.score]],
    });
  }
  return out;
}
