/**
 * The leaderboard layout many long-context benchmarks publish: tasks × length levels, an average per
 * task over its lengths, and group rows (average, single-hop / multi-hop, …) per length and overall.
 * The benchmark supplies the official arithmetic: how a cell's per-sample values become its score,
 * and how scores average (both with the official rounding).
 */
import type { AggregateCell, BenchmarkAggregate, JsonObject, ResultTable } from "@loomscope/spec";
import { constructResultTable2Overall, officialPercent } from "@loomscope/metrics";

export interface LengthTableOptions {
  cells: readonly AggregateCell[];
  /** Tasks in the official order (rows); tasks without cells are left out. */
  tasks: readonly string[];
  /** Length levels in the official order (columns); levels no cell has are left out. */
  lengths: readonly string[];
  /** The metric whose values make a task's cell. */
  metricOf(task: string): string;
  /** A cell's score from its per-sample values (e.g. `round(100 * mean, 2)`), null when empty. */
  cellScore(values: readonly number[]): number | null;
  /** The mean of present scores as the official table computes it (e.g. Python-rounded to 2 places). */
  mean(scores: readonly (number | null)[]): number | null;
  /** Group rows: the first is the benchmark's headline. */
  groups: readonly { key: string; label: string; members: (tasks: readonly string[]) => readonly string[] }[];
  title: string;
}

export function lengthTable(o: LengthTableOptions): BenchmarkAggregate {
  const grid = new Map<string, Map<string, number | null>>();
  for (const cell of o.cells) {
    if (cell.length === null || !o.tasks.includes(cell.task)) continue;
    const row = grid.get(cell.task) ?? new Map<string, number | null>();
    row.set(cell.length, o.cellScore(cell.values[o.metricOf(cell.task)] ?? []));
    grid.set(cell.task, row);
  }
  const extra = [...new Set(o.cells.map((c) => c.length).filter((l): l is string => l !== null && !o.lengths.includes(l)))];
  const tasks = o.tasks.filter((t) => grid.has(t));
  const lengths = [...o.lengths, ...extra].filter((l) => tasks.some((t) => grid.get(t)!.has(l)));
  const at = (t: string, l: string): number | null => grid.get(t)?.get(l) ?? null;

  const cells: BenchmarkAggregate["cells"] = {};
  const perTask: BenchmarkAggregate["tasks"] = {};
  for (const t of tasks) {
    cells[t] = Object.fromEntries(lengths.filter((l) => grid.get(t)!.has(l)).map((l) => [l, at(t, l)]));
    perTask[t] = o.mean(lengths.map((l) => at(t, l)));
  }
  const groups: Record<string, number | null> = {};
  const groupRows = o.groups.map((g) => {
    const members = g.members(tasks);
    const perLength = lengths.map((l) => o.mean(members.map((t) => at(t, l))));
    lengths.forEach((l, i) => (groups[`${g.key}@${l}`] = perLength[i] ?? null));
    groups[g.key] = o.mean(perLength);
    return { label: g.label, row: [...perLength, groups[g.key] ?? null] };
  });
  const table: ResultTable = {
    title: o.title,
    rows: [...tasks, ...groupRows.map((g) => g.label)],
    columns: [...lengths, "Avg"],
    cells: [...tasks.map((t) => [...lengths.map((l) => at(t, l)), perTask[t] ?? null]), ...groupRows.map((g) => g.row)],
  };
  const headline = o.groups[0]?.key;
  return { score: headline !== undefined ? (groups[headline] ?? null) : null, tasks: perTask, cells, groups, tables: [table] };
}

export interface PivotOptions {
  cells: readonly AggregateCell[];
  /** The row a scored sample falls in, from its `meta` (e.g. the needle depth); undefined leaves it out. */
  rowOf(meta: JsonObject | null): number | string | undefined;
  /** The metric whose per-sample values fill the cells. */
  metric: string;
  /** Per-sample value as the official table counts it (e.g. × 100, rounded). */
  value?(v: number): number;
  /** A cell's number from its values, with the official arithmetic. */
  cellScore(values: readonly number[]): number | null;
  /** Column (length) order: ascending by this key. */
  columnOrder?(length: string): number;
  title: string;
  rowAxis: string;
  columnAxis: string;
  view?: "table" | "heatmap";
  range?: [number, number];
}

/**
 * A pivot of per-sample values: rows from each sample's meta (NIAH's needle depth), columns the
 * length levels, each cell the official mean of its samples and how many there are. Declared in
 * the results (`view: "heatmap"`), so a report draws it without knowing the benchmark.
 */
export function pivotTable(o: PivotOptions): ResultTable | undefined {
  const grid = new Map<number | string, Map<string, number[]>>();
  const columns: string[] = [];
  for (const c of o.cells) {
    const length = c.length ?? "";
    if (!columns.includes(length)) columns.push(length);
    const values = c.values[o.metric] ?? [];
    values.forEach((raw, i) => {
      const row = o.rowOf(c.meta?.[i] ?? null);
      if (row === undefined) return;
      let byLength = grid.get(row);
      if (!byLength) grid.set(row, (byLength = new Map()));
      byLength.set(length, [...(byLength.get(length) ?? []), o.value ? o.value(raw) : raw]);
    });
  }
  if (grid.size === 0) return undefined;
  if (o.columnOrder) columns.sort((a, b) => o.columnOrder!(a) - o.columnOrder!(b));
  const rows = [...grid.keys()].sort((a, b) => (typeof a === "number" && typeof b === "number" ? a - b : String(a).localeCompare(String(b))));
  return {
    title: o.title,
    rows: rows.map(String),
    columns,
    cells: rows.map((r) => columns.map((l) => {
      const v = grid.get(r)?.get(l);
      return v && v.length ? o.cellScore(v) : null;
    })),
    n: rows.map((r) => columns.map((l) => grid.get(r)?.get(l)?.length ?? 0)),
    view: o.view ?? "heatmap",
    rowAxis: o.rowAxis,
    columnAxis: o.columnAxis,
    ...(o.range ? { range: o.range } : {}),
  };
}

/** What `loomPooledAggregate` needs to know of a benchmark. */
export interface LoomPooledOptions {
  /** Tasks in LOOM-Scope's order; a task without cells is left out. */
  tasks: readonly string[];
  /** The metric (a key of `AggregateCell.values`) a task is scored by. */
  metricOf: (task: string) => string;
  /** The length levels a task has, in order. */
  lengthsOf: (task: string) => readonly string[];
  title: string;
  /** The table's row label for a task (default: its id). */
  rowLabel?: (task: string) => string;
}

/**
 * LOOM-Scope's pooled aggregation (its eval.py `save_results` with ResultManager's
 * `ConstructResultTable2`): per task every length pooled and per task × length, `round(100 × mean, 2)`
 * with Python's sum and round; the headline the count-weighted mean of the rounded task scores,
 * numpy-rounded to 2 places.
 */
export function loomPooledAggregate(cells: readonly AggregateCell[], options: LoomPooledOptions): BenchmarkAggregate {
  const scores = new Map<string, number>();
  const counts = new Map<string, number>();
  const tasks: Record<string, number | null> = {};
  const out: Record<string, Record<string, number | null>> = {};
  for (const task of options.tasks) {
    const mine = cells.filter((c) => c.task === task);
    if (mine.length === 0) continue;
    const metric = options.metricOf(task);
    const row: Record<string, number | null> = {};
    const pooled: number[] = [];
    for (const length of options.lengthsOf(task)) {
      const values = mine.filter((c) => c.length === length).flatMap((c) => c.values[metric] ?? []);
      if (mine.some((c) => c.length === length)) row[length] = values.length ? officialPercent(values) : null;
      pooled.push(...values);
    }
    out[task] = row;
    tasks[task] = pooled.length ? officialPercent(pooled) : null;
    if (pooled.length) {
      scores.set(task, tasks[task] as number);
      counts.set(task, pooled.length);
    }
  }
  const rows = Object.keys(tasks);
  const table: ResultTable = {
    title: options.title,
    rows: rows.map((t) => options.rowLabel?.(t) ?? t),
    columns: ["score", "n"],
    cells: rows.map((t) => [tasks[t] ?? null, counts.get(t) ?? 0]),
  };
  return { score: scores.size ? constructResultTable2Overall(scores, counts) : null, tasks, cells: out, tables: [table] };
}
