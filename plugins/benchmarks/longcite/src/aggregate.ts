/**
 * LongBench-Cite's reported numbers (eval_cite.py / eval_correct.py result dicts) from per-sample
 * values: per dataset `np.mean` over the judged items in idx order; "multifieldqa" pools
 * multifieldqa_en and multifieldqa_zh (the scripts match datasets by substring); the averages are
 * `np.mean` over longbench-chat, multifieldqa, hotpotqa, dureader, gov_report. Correctness of a
 * dataset with no items is 0 (eval_correct.py); citation means of an empty dataset are NaN (np.mean
 * of []), shown as null. Numbers here are ×100; samples eval_cite.py drops are counted in
 * `dropped:<task>`.
 */
import type { AggregateCell, BenchmarkAggregate, JsonObject, ResultTable } from "@loomscope/spec";
import { numpyMean } from "@loomscope/metrics";

export const REPORTED = ["longbench-chat", "multifieldqa", "hotpotqa", "dureader", "gov_report"] as const;
const METRICS = ["citation_recall", "citation_precision", "citation_f1", "correctness"] as const;

/**
 * A metric's values of every cell whose task contains `dataset`, in idx order, as the scripts take
 * them (`sorted(opts, key=lambda x: x['idx'])`, stable): from the cells' aligned rows (id, meta with
 * the idx, scores; a null score is an item the script left out), so a pooled mean such as
 * "multifieldqa" sums in the official order. Cells without rows keep their value order.
 */
function valuesInIdxOrder(cells: readonly AggregateCell[], dataset: string, metric: string): number[] {
  const pairs: { idx: number; order: number; value: number }[] = [];
  const idxOf = (meta: JsonObject | null | undefined): number => {
    const idx = meta?.["idx"];
    return typeof idx === "number" ? idx : Number.MAX_SAFE_INTEGER;
  };
  for (const cell of cells) {
    if (!cell.task.includes(dataset)) continue;
    if (cell.rows) {
      for (const row of cell.rows) {
        const value = row.scores[metric];
        if (typeof value === "number") pairs.push({ idx: idxOf(row.meta), order: pairs.length, value });
      }
      continue;
    }
    const values = cell.values[metric] ?? [];
    const aligned = cell.meta !== undefined && cell.meta.length === values.length;
    values.forEach((value, i) => pairs.push({ idx: aligned ? idxOf(cell.meta?.[i]) : Number.MAX_SAFE_INTEGER, order: pairs.length, value }));
  }
  return pairs.sort((a, b) => a.idx - b.idx || a.order - b.order).map((p) => p.value);
}

const pct = (v: number): number | null => (Number.isNaN(v) ? null : v * 100);

type Means = Record<(typeof METRICS)[number], number>;

/** One dataset's means on the scripts' own 0-1 scale (NaN for an empty citation list; correctness 0 when empty). */
function rawMeans(cells: readonly AggregateCell[], dataset: string): Means {
  const mean = (m: (typeof METRICS)[number]): number => numpyMean(valuesInIdxOrder(cells, dataset, m));
  const correct = valuesInIdxOrder(cells, dataset, "correctness");
  return {
    citation_recall: mean("citation_recall"),
    citation_precision: mean("citation_precision"),
    citation_f1: mean("citation_f1"),
    correctness: correct.length === 0 ? 0 : numpyMean(correct),
  };
}

/** One dataset's means, as the scripts compute them, ×100 (null for NaN). */
export function datasetMeans(cells: readonly AggregateCell[], dataset: string): Record<(typeof METRICS)[number], number | null> {
  const raw = rawMeans(cells, dataset);
  return { citation_recall: pct(raw.citation_recall), citation_precision: pct(raw.citation_precision), citation_f1: pct(raw.citation_f1), correctness: pct(raw.correctness) };
}

export function aggregateLongCite(cells: readonly AggregateCell[]): BenchmarkAggregate {
  const rows = [...new Set([...cells.map((c) => c.task), "multifieldqa"])];
  const per = new Map(rows.map((d) => [d, datasetMeans(cells, d)] as const));
  const groups: Record<string, number | null> = {};
  // The averages are np.mean of the datasets' raw means (0-1), then shown ×100.
  const raw = new Map(REPORTED.map((d) => [d, rawMeans(cells, d)] as const));
  for (const m of METRICS) {
    const avg = numpyMean(REPORTED.map((d) => (raw.get(d) as Means)[m]));
    groups[m === "correctness" ? "avg_gpt_score" : `avg_${m}`] = pct(avg);
  }
  const tasks: Record<string, number | null> = {};
  const cellsOut: Record<string, Record<string, number | null>> = {};
  for (const cell of cells) {
    tasks[cell.task] = per.get(cell.task)?.citation_f1 ?? null;
    cellsOut[cell.task] = {};
    // Items eval_cite.py left out: null citation scores (counted apart), never 0.
    const left = cell.rows ? cell.rows.filter((r) => r.scores["citation_f1"] === null).length : cell.n - (cell.values["citation_f1"]?.length ?? 0);
    groups[`dropped:${cell.task}`] = left;
  }
  // Every number is judge-dependent: the columns say so, and the results name the judge model of the run.
  const table: ResultTable = {
    title: "LongBench-Cite (×100; citation scores eval_cite.py, correctness eval_correct.py; every number judge-scored)",
    rows: [...rows, "Avg"],
    columns: METRICS.map((m) => `${m} [judge-scored]`),
    cells: [
      ...rows.map((d) => METRICS.map((m) => per.get(d)?.[m] ?? null)),
      METRICS.map((m) => groups[m === "correctness" ? "avg_gpt_score" : `avg_${m}`] ?? null),
    ],
  };
  return { score: groups["avg_citation_f1"] ?? null, tasks, cells: cellsOut, groups, tables: [table] };
}
