/**
 * LIBRA's aggregation as eval.py (ai-forever/LIBRA @ 94dcac0) computes it:
 *   results[dataset][length] = np.mean(scores of that length)       (numpy pairwise sum)
 *   a configured length with no prediction counts as 0 (int)
 *   results[dataset]["dataset_total_score"] = np.mean over the dataset's configured lengths
 *   results["total_score"] = np.mean over the datasets present in the predictions file
 * No rounding anywhere. A dataset scored on only some of its configured lengths is pulled down by
 * the zeros of the others (running a 8k model on passkey averages 4k, 8k and four zeros).
 */
import { loomPooledAggregate } from "@loomscope/benchmark-kit";
import { numpyMean } from "@loomscope/metrics";
import type { AggregateCell, BenchmarkAggregate, Protocol, ResultTable } from "@loomscope/spec";
import { LENGTHS, TASK_IDS, configLengths, metricNameOf } from "./tasks.js";

export interface DatasetResult {
  /** Configured lengths: mean score, or 0 when no prediction had that length. */
  lengths: Map<string, number>;
  /** Lengths the config does not list: eval.py leaves their raw score lists in the output. */
  unlisted: Map<string, number[]>;
  total: number;
}

/** One dataset's numbers from its per-length score lists (in first-seen length order). */
export function datasetResult(dataset: string, byLength: ReadonlyMap<string, readonly number[]>): DatasetResult {
  const lengths = new Map<string, number>();
  const configured = configLengths(dataset);
  const totals: number[] = [];
  for (const l of configured) {
    const values = byLength.get(l);
    const v = values && values.length > 0 ? numpyMean(values) : 0;
    lengths.set(l, v);
    totals.push(v);
  }
  const unlisted = new Map<string, number[]>();
  for (const [l, values] of byLength) if (!configured.includes(l)) unlisted.set(l, [...values]);
  return { lengths, unlisted, total: numpyMean(totals) };
}

/** eval.py's `total_score`: NaN (numpy's mean of nothing) when no dataset is present. */
export function totalScore(datasetTotals: readonly number[]): number {
  return datasetTotals.length === 0 ? Number.NaN : numpyMean(datasetTotals);
}

const pct = (x: number): number | null => (Number.isFinite(x) ? x * 100 : null);

/**
 * The run's aggregate: eval.py's numbers under protocol official, LOOM-Scope's under loom.
 * (Protocol omitted: official.)
 */
export function aggregate(cells: readonly AggregateCell[], settings?: { protocol: Protocol }): BenchmarkAggregate {
  return settings?.protocol === "loom" ? aggregateLoom(cells) : aggregateOfficial(cells);
}

/**
 * LOOM-Scope's LIBRA aggregation (loom-scope 0.1, benchmarks/Specialization/LIBRA/utils/evaluation/eval.py
 * as the phase-1 reading recorded it; ResultManager.py `ConstructResultTable2`): per dataset, every
 * length pooled, `round(100 * sum / len, 2)` with Python's sum and round; the overall number is the
 * count-weighted mean of those rounded scores, numpy-rounded to 2 places. Its per-length table
 * buckets samples by prompt tokens (`categorize_length(LEN)`), which a run's cells do not carry:
 * not reproduced here.
 */
export function aggregateLoom(cells: readonly AggregateCell[]): BenchmarkAggregate {
  return loomPooledAggregate(cells, {
    tasks: TASK_IDS,
    metricOf: metricNameOf,
    lengthsOf: configLengths,
    title: "LIBRA (LOOM-Scope): round(100 × mean, 2) per dataset, all lengths pooled",
  });
}

/** From core's cells (metric values per task × length) to eval.py's numbers, on a 0–100 scale. */
export function aggregateOfficial(cells: readonly AggregateCell[]): BenchmarkAggregate {
  const byTask = new Map<string, Map<string, number[]>>();
  for (const cell of cells) {
    if (!TASK_IDS.includes(cell.task) || cell.length === null) continue;
    const values = cell.values[metricNameOf(cell.task)] ?? [];
    const m = byTask.get(cell.task) ?? new Map<string, number[]>();
    m.set(cell.length, [...(m.get(cell.length) ?? []), ...values]);
    byTask.set(cell.task, m);
  }
  const tasks: Record<string, number | null> = {};
  const outCells: Record<string, Record<string, number | null>> = {};
  const totals: number[] = [];
  const rows: string[] = [];
  const tableCells: (number | null)[][] = [];
  for (const task of TASK_IDS) {
    const m = byTask.get(task);
    if (!m) continue;
    const r = datasetResult(task, m);
    tasks[task] = pct(r.total);
    totals.push(r.total);
    const row: Record<string, number | null> = {};
    for (const [l, v] of r.lengths) row[l] = m.has(l) ? pct(v) : null;
    outCells[task] = row;
    rows.push(task);
    tableCells.push([...LENGTHS.map((l) => (r.lengths.has(l) && m.has(l) ? pct(r.lengths.get(l) as number) : null)), pct(r.total)]);
  }
  const table: ResultTable = {
    title: "LIBRA (eval.py): mean score per dataset and length; dataset total counts missing configured lengths as 0",
    rows,
    columns: [...LENGTHS, "dataset_total_score"],
    cells: tableCells,
  };
  return { score: pct(totalScore(totals)), tasks, cells: outCells, tables: [table] };
}
