/**
 * LongBench's aggregation.
 * - eval.py `scorer` (a v1 dataset): `round(100 * total_score / len(predictions), 2)`, the sum taken
 *   left to right from 0.0, Python's round. No samples: ZeroDivisionError.
 * - eval.py `scorer_e` (a LongBench-E dataset): per length bucket
 *   `round(100 * np.mean(scores), 2)`; `np.mean` is numpy's pairwise mean and `round` of a numpy
 *   float64 is numpy's rounding (`rint(x * 100) / 100`). An empty bucket is NaN.
 * - README leaderboard (not code): per language a category is the mean of its datasets' scores
 *   (the code datasets count for English and Chinese), "Avg" the mean of the six categories.
 * - LOOM-Scope (`--protocol loom`, scripts/utils/ResultManager.py `ConstructResultTable2`): its
 *   Total.txt is the task scores weighted by their sample counts, `round()` of a numpy float64.
 */
import type { AggregateCell, BenchmarkAggregate, Protocol, ResultTable } from "@loomscope/spec";
import { OfficialScorerError, loomWeightedTotal, numpyMean, numpyRound, officialPercent, pythonRound } from "@loomscope/metrics";
import {
  CATEGORIES,
  DATASET2METRIC,
  DATASET_CATEGORY,
  DATASET_LANGUAGE,
  DATASETS,
  E_BUCKETS,
  E_DATASETS,
  eBucket,
  type Dataset,
  type EBucket,
} from "./config.js";
import { parseTask } from "./data.js";

/** eval.py `scorer`'s rounding of one dataset. Throws where eval.py divides by zero. */
export function datasetScore(values: readonly number[]): number {
  return officialPercent(values);
}

/** eval.py `scorer_e`'s rounding of one bucket: NaN when the bucket is empty. */
export function bucketScore(values: readonly number[]): number {
  return numpyRound(100 * numpyMean(values), 2);
}

/** eval.py `scorer_e`: the three buckets of one dataset, from (score, length) pairs in file order. */
export function scoreBuckets(scored: ReadonlyArray<{ score: number; length: number }>): Record<EBucket, number> {
  const buckets: Record<EBucket, number[]> = { "0-4k": [], "4-8k": [], "8k+": [] };
  for (const { score, length } of scored) buckets[eBucket(length)].push(score);
  return { "0-4k": bucketScore(buckets["0-4k"]), "4-8k": bucketScore(buckets["4-8k"]), "8k+": bucketScore(buckets["8k+"]) };
}

function mean(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}

const nullIfNaN = (x: number): number | null => (Number.isNaN(x) ? null : x);

/** The group holding our headline under the official protocol: no official script prints one. */
export const UNOFFICIAL_MEAN_GROUP = "mean of task scores (not official)";
/** The group holding LOOM-Scope's Total.txt under `--protocol loom`. */
export const LOOM_TOTAL_GROUP = "LOOM-Scope Total (sample-weighted)";

/**
 * LOOM-Scope's Total: each task's score (already Python-rounded to 2 places) weighted by its
 * sample count; the weighted sum is a numpy float64, so `round(…, 2)` is numpy's.
 */
export function loomTotal(tasks: ReadonlyArray<{ score: number; count: number }>): number | null {
  return tasks.length === 0 ? null : loomWeightedTotal(tasks);
}

/**
 * Per task: v1 datasets get eval.py's score; LongBench-E datasets get one cell per bucket (as
 * `eval.py --e`, empty buckets null where result.json has NaN) and, as their task score, what
 * eval.py without `--e` would print for the same file. Under the official protocol `score` is the
 * unweighted mean of the task scores present — the official scripts print no overall number, so it
 * is ours, and its group says so. Under `--protocol loom` it is LOOM-Scope's Total.txt.
 */
export function aggregateLongBench(cells: readonly AggregateCell[], settings: { protocol: Protocol } = { protocol: "official" }): BenchmarkAggregate {
  const v1 = new Map<Dataset, number[]>();
  const e = new Map<Dataset, Map<string, number[]>>();
  for (const cell of cells) {
    const parsed = parseTask(cell.task);
    if (!parsed) continue;
    const values = cell.values[DATASET2METRIC[parsed.dataset]] ?? [];
    if (!parsed.e) {
      v1.set(parsed.dataset, [...(v1.get(parsed.dataset) ?? []), ...values]);
    } else {
      const byBucket = e.get(parsed.dataset) ?? new Map<string, number[]>();
      const key = cell.length ?? "all";
      byBucket.set(key, [...(byBucket.get(key) ?? []), ...values]);
      e.set(parsed.dataset, byBucket);
    }
  }

  const tasks: Record<string, number | null> = {};
  const cellsOut: Record<string, Record<string, number | null>> = {};
  const v1Scores = new Map<Dataset, number>();
  for (const d of DATASETS) {
    const values = v1.get(d);
    if (!values || values.length === 0) continue;
    const s = datasetScore(values);
    v1Scores.set(d, s);
    tasks[d] = s;
  }
  const eRows: Dataset[] = [];
  for (const d of E_DATASETS) {
    const byBucket = e.get(d);
    if (!byBucket) continue;
    eRows.push(d);
    const row: Record<string, number | null> = {};
    const all: number[] = [];
    for (const b of E_BUCKETS) {
      const values = byBucket.get(b) ?? [];
      all.push(...values);
      row[b] = nullIfNaN(bucketScore(values));
    }
    for (const [k, values] of byBucket) if (!(E_BUCKETS as readonly string[]).includes(k)) all.push(...values);
    cellsOut[`${d}_e`] = row;
    tasks[`${d}_e`] = all.length > 0 ? datasetScore(all) : null;
  }

  const groups: Record<string, number | null> = {};
  const leaderboard: ResultTable = {
    title: "LongBench leaderboard layout (README): category means per language",
    rows: [],
    columns: ["Avg", ...CATEGORIES],
    cells: [],
  };
  for (const lang of ["en", "zh"] as const) {
    const perCategory = CATEGORIES.map((c) => {
      const members = [...v1Scores.entries()].filter(
        ([d]) => DATASET_CATEGORY[d] === c && (DATASET_LANGUAGE[d] === lang || DATASET_LANGUAGE[d] === "code"),
      );
      return mean(members.map(([, s]) => s));
    });
    const present = perCategory.filter((x): x is number => x !== null);
    if (present.length === 0) continue;
    const avg = present.length === CATEGORIES.length ? mean(present) : null;
    CATEGORIES.forEach((c, i) => (groups[`${lang}/${c}`] = perCategory[i] ?? null));
    groups[lang] = avg;
    leaderboard.rows.push(lang);
    leaderboard.cells.push([avg, ...perCategory]);
  }
  for (const b of E_BUCKETS) {
    const present = eRows.map((d) => cellsOut[`${d}_e`]?.[b]).filter((x): x is number => typeof x === "number");
    if (present.length > 0) groups[`e/${b}`] = mean(present);
  }

  const tables: ResultTable[] = [];
  if (v1Scores.size > 0) {
    tables.push({
      title: "LongBench (eval.py result.json)",
      rows: [...v1Scores.keys()],
      columns: ["score"],
      cells: [...v1Scores.values()].map((s) => [s]),
    });
  }
  if (eRows.length > 0) {
    tables.push({
      title: "LongBench-E (eval.py --e result.json; empty buckets are NaN there)",
      rows: eRows,
      columns: [...E_BUCKETS],
      cells: eRows.map((d) => E_BUCKETS.map((b) => cellsOut[`${d}_e`]?.[b] ?? null)),
    });
  }
  if (leaderboard.rows.length > 0) tables.push(leaderboard);

  const taskScores = Object.values(tasks).filter((x): x is number => typeof x === "number");
  const unweighted = mean(taskScores);
  if (settings.protocol === "loom") {
    const total = loomTotal([...v1Scores].map(([d, score]) => ({ score, count: v1.get(d)?.length ?? 0 })));
    groups[LOOM_TOTAL_GROUP] = total;
    if (total !== null) tables.push({ title: "LOOM-Scope Total.txt (task scores weighted by samples, numpy rounding)", rows: ["Total"], columns: ["score"], cells: [[total]] });
    return { score: total, tasks, cells: cellsOut, groups, tables };
  }
  groups[UNOFFICIAL_MEAN_GROUP] = unweighted;
  return { score: unweighted, tasks, cells: cellsOut, groups, tables };
}
