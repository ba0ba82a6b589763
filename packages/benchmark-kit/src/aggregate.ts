/**
 * The leaderboard layout many long-context benchmarks publish: tasks × length levels, an average per
 * task over its lengths, and group rows (average, single-hop / multi-hop, …) per length and overall.
 * The benchmark supplies the official arithmetic: how a cell's per-sample values become its score,
 * and how scores average (both with the official rounding).
 */
import type { AggregateCell, BenchmarkAggregate, ResultTable } from "@loomscope/spec";

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
