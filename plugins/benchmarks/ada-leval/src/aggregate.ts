/**
 * From per-sample hits to Ada-LEval's numbers. Official (dataset.py `evaluate`): per dataset
 * (task × setting) accuracy = 100 × hits / items, unrounded in result.json, printed with one
 * decimal (the README tables). Here a cell is that accuracy; a task's score and the headline are
 * plain means of the cells present (loomscope's summary: the repository defines no overall
 * number). Failed generations are not in the values; run.py has no such case (an API failure is
 * stored as the text "Failed to obtain answer via API. " and scored as a wrong answer).
 */
import type { AggregateCell, BenchmarkAggregate, ResultTable } from "@loomscope/spec";
import { loomWeightedTotal, officialPercent } from "@loomscope/metrics";
import { LENGTHS, TASKS, type AdaTask } from "./tasks.js";

export function datasetAccuracy(hits: readonly number[]): number | null {
  if (hits.length === 0) return null;
  let k = 0;
  for (const h of hits) k += h;
  return 100 * (k / hits.length);
}

const mean = (xs: readonly number[]): number | null => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length);

export function aggregateAdaLeval(cells: readonly AggregateCell[]): BenchmarkAggregate {
  const out: Record<string, Record<string, number | null>> = {};
  for (const cell of cells) {
    if (cell.length === null) continue;
    const row = TASKS.find((t) => t.id === cell.task);
    if (!row) continue;
    const metric = row.metrics[0]?.id as string;
    (out[cell.task] ??= {})[cell.length] = datasetAccuracy(cell.values[metric] ?? []);
  }
  const tasks: Record<string, number | null> = {};
  const all: number[] = [];
  const tables: ResultTable[] = [];
  for (const t of TASKS) {
    const row = out[t.id];
    if (!row) continue;
    const present = Object.values(row).filter((v): v is number => v !== null);
    tasks[t.id] = mean(present);
    all.push(...present);
    const columns = LENGTHS[t.id as AdaTask].filter((l) => l in row);
    tables.push({ title: `${t.name} accuracy (%)`, rows: [t.name], columns, cells: [columns.map((l) => row[l] ?? null)] });
  }
  return { score: mean(all), tasks, cells: out, tables };
}

/**
 * LOOM-Scope's numbers (`--protocol loom`; loom-scope 0.1 utils/evaluation/eval.py and
 * ResultManager's ConstructResultTable2): per prediction file `<task>_<setting>` ACC =
 * `round(100 * sum / len, 2)` (Python round); the total is the count-weighted mean of those ACCs,
 * numpy-rounded to 2 places (Total.txt). A task's score here is the same weighted mean over its
 * files (loomscope's summary; LOOM-Scope prints none).
 */
export function aggregateAdaLevalLoom(cells: readonly AggregateCell[]): BenchmarkAggregate {
  const out: Record<string, Record<string, number | null>> = {};
  const rows: { task: string; score: number; count: number }[] = [];
  for (const cell of cells) {
    if (cell.length === null) continue;
    const metric = TASKS.find((t) => t.id === cell.task)?.metrics[0]?.id;
    if (metric === undefined) continue;
    const values = cell.values[metric] ?? [];
    const acc = values.length === 0 ? null : officialPercent(values);
    (out[cell.task] ??= {})[cell.length] = acc;
    if (acc !== null) rows.push({ task: cell.task, score: acc, count: values.length });
  }
  const tasks: Record<string, number | null> = {};
  const tables: ResultTable[] = [];
  for (const t of TASKS) {
    const row = out[t.id];
    if (!row) continue;
    const mine = rows.filter((r) => r.task === t.id);
    tasks[t.id] = mine.length === 0 ? null : loomWeightedTotal(mine);
    const columns = LENGTHS[t.id as AdaTask].filter((l) => l in row);
    tables.push({ title: `${t.name}, LOOM-Scope: ACC per file (round(100·mean, 2))`, rows: [t.name], columns, cells: [columns.map((l) => row[l] ?? null)] });
  }
  return { score: rows.length === 0 ? null : loomWeightedTotal(rows), tasks, cells: out, tables };
}
