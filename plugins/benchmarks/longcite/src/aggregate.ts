/**
 * LongBench-Cite's reported numbers (eval_cite.py / eval_correct.py result dicts) from per-sample
 * values: per dataset `np.mean` over the judged items in idx order; "multifieldqa" pools
 * multifieldqa_en and multifieldqa_zh (the scripts match datasets by substring); the averages are
 * `np.mean` over longbench-chat, multifieldqa, hotpotqa, dureader, gov_report. Correctness of a
 * dataset with no items is 0 (eval_correct.py); citation means of an empty dataset are NaN (np.mean
 * of []), shown as null. Numbers here are ×100; samples eval_cite.py drops are counted in
 * `dropped:<task>`.
 */
import type { AggregateCell, BenchmarkAggregate, ResultTable } from "@loomscope/spec";
import { numpyMean } from "@loomscope/metrics";

export const REPORTED = ["longbench-chat", "multifieldqa", "hotpotqa", "dureader", "gov_report"] as const;
const METRICS = ["citation_recall", "citation_precision", "citation_f1", "correctness"] as const;

/**
 * A metric's values of every cell whose task contains `dataset`, in idx order (each cell's `meta`
 * gives the idx when it lines up with that metric's values; otherwise cell order is kept).
 */
function valuesInIdxOrder(cells: readonly AggregateCell[], dataset: string, metric: string): number[] {
  const pairs: { idx: number; order: number; value: number }[] = [];
  for (const cell of cells) {
    if (!cell.task.includes(dataset)) continue;
    const values = cell.values[metric] ?? [];
    const aligned = cell.meta !== undefined && cell.meta.length === values.length;
    values.forEach((value, i) => {
      const idx = aligned ? cell.meta?.[i]?.["idx"] : undefined;
      pairs.push({ idx: typeof idx === "number" ? idx : Number.MAX_SAFE_INTEGER, order: pairs.length, value });
    });
  }
  return pairs.sort((a, b) => a.idx - b.idx || a.order - b.order).map((p) => p.value);
}

const pct = (v: number): number | null => (Number.isNaN(v) ? null : v * 100);

/** One dataset's means, as the scripts compute them (null for NaN). */
export function datasetMeans(cells: readonly AggregateCell[], dataset: string): Record<(typeof METRICS)[number], number | null> {
  const mean = (m: (typeof METRICS)[number]): number => numpyMean(valuesInIdxOrder(cells, dataset, m));
  const correct = valuesInIdxOrder(cells, dataset, "correctness");
  return {
    citation_recall: pct(mean("citation_recall")),
    citation_precision: pct(mean("citation_precision")),
    citation_f1: pct(mean("citation_f1")),
    correctness: correct.length === 0 ? 0 : pct(numpyMean(correct)),
  };
}

export function aggregateLongCite(cells: readonly AggregateCell[]): BenchmarkAggregate {
  const rows = [...new Set([...cells.map((c) => c.task), "multifieldqa"])];
  const per = new Map(rows.map((d) => [d, datasetMeans(cells, d)] as const));
  const groups: Record<string, number | null> = {};
  for (const m of METRICS) {
    const vals = REPORTED.map((d) => per.get(d)?.[m] ?? (m === "correctness" ? 0 : null));
    const avg = numpyMean(vals.map((v) => (v === null ? Number.NaN : v / 100)));
    groups[m === "correctness" ? "avg_gpt_score" : `avg_${m}`] = pct(avg);
  }
  const tasks: Record<string, number | null> = {};
  const cellsOut: Record<string, Record<string, number | null>> = {};
  for (const cell of cells) {
    tasks[cell.task] = per.get(cell.task)?.citation_f1 ?? null;
    cellsOut[cell.task] = {};
    const scored = cell.values["citation_f1"]?.length ?? 0;
    groups[`dropped:${cell.task}`] = cell.n - scored;
  }
  const table: ResultTable = {
    title: "LongBench-Cite (×100; citation scores eval_cite.py, correctness eval_correct.py; judge-scored)",
    rows: [...rows, "Avg"],
    columns: [...METRICS],
    cells: [
      ...rows.map((d) => METRICS.map((m) => per.get(d)?.[m] ?? null)),
      METRICS.map((m) => groups[m === "correctness" ? "avg_gpt_score" : `avg_${m}`] ?? null),
    ],
  };
  return { score: groups["avg_citation_f1"] ?? null, tasks, cells: cellsOut, groups, tables: [table] };
}
