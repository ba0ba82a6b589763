/**
 * The LV-Eval leaderboard layout (README "Overall Result" / "Detail Result on Each Dataset"): dataset
 * × length scores (evaluation.py: mean × 100, Python round to 2), the average over datasets per
 * length, over lengths per dataset, single-hop / multi-hop and overall. The README's averages are
 * means of the rounded cell scores, rounded again (ChatGLM3-6B-32k at 16k: 30.697 → 30.70); missing
 * cells are left out of every mean.
 */
import type { AggregateCell, BenchmarkAggregate } from "@loomscope/spec";
import { lengthTable } from "@loomscope/benchmark-kit";
import { officialPercent, pythonRound } from "@loomscope/metrics";
import { DATASET_HOP, DATASET_METRIC, DATASETS, LENGTH_LEVELS, isDataset } from "./config.js";

/** `round(100 * total_score / total_sample, 2)` with the sum taken in sample order. */
export function datasetScore(values: readonly number[]): number | null {
  return values.length === 0 ? null : officialPercent(values);
}

/** Mean of the present values, Python-rounded to 2 places; null when none is present. */
export function roundedMean(values: ReadonlyArray<number | null | undefined>): number | null {
  const present = values.filter((v): v is number => typeof v === "number");
  return present.length === 0 ? null : pythonRound(present.reduce((a, b) => a + b, 0.0) / present.length, 2);
}

const hop = (h: string) => (tasks: readonly string[]) => tasks.filter((t) => isDataset(t) && DATASET_HOP[t] === h);

export function aggregateLveval(cells: readonly AggregateCell[]): BenchmarkAggregate {
  return lengthTable({
    cells,
    tasks: DATASETS,
    lengths: LENGTH_LEVELS,
    metricOf: (task) => (isDataset(task) ? DATASET_METRIC[task] : ""),
    cellScore: datasetScore,
    mean: roundedMean,
    groups: [
      { key: "avg", label: "Average", members: (tasks) => tasks },
      { key: "single-hop", label: "Single-hop QA", members: hop("single-hop") },
      { key: "multi-hop", label: "Multi-hop QA", members: hop("multi-hop") },
    ],
    title: "LV-Eval (score × 100; rows: datasets, columns: length levels)",
  });
}
