/**
 * CLongEval's aggregation as eval.py `scorer` computes it: per task and set,
 * `round(100 * total / n, 5)` with total a running Python float sum in file order, Python's round
 * (half-even on the binary value). "all" is the same over small + medium + large concatenated, and
 * only when all three sets exist; otherwise null. A set with no file is null (never 0).
 * The official code reports no cross-task average, so the headline `score` is null.
 */
import { loomPooledAggregate } from "@loomscope/benchmark-kit";
import { officialPercent } from "@loomscope/metrics";
import type { AggregateCell, BenchmarkAggregate, Protocol, ResultTable } from "@loomscope/spec";
import { DATASET_METRIC, type ClongevalDataset } from "./metrics.js";
import { DATASETS, SIZES, SHORT_NAMES } from "./tasks.js";

/** eval.py `scorer` on a list of per-sample scores; ZeroDivisionError on an empty list. */
export function scorerRound(values: readonly number[]): number {
  return officialPercent(values, 5);
}

export interface TaskScores {
  small: number | null;
  medium: number | null;
  large: number | null;
  all: number | null;
}

export function taskScores(bySize: ReadonlyMap<string, readonly number[]>): TaskScores {
  const get = (s: string): number | null => {
    const v = bySize.get(s);
    return v === undefined ? null : scorerRound(v);
  };
  const complete = SIZES.every((s) => bySize.has(s));
  return {
    small: get("small"),
    medium: get("medium"),
    large: get("large"),
    all: complete ? scorerRound(SIZES.flatMap((s) => bySize.get(s) as readonly number[])) : null,
  };
}

/** The run's aggregate: eval.py's table under protocol official, LOOM-Scope's under loom (omitted: official). */
export function aggregate(cells: readonly AggregateCell[], settings?: { protocol: Protocol }): BenchmarkAggregate {
  return settings?.protocol === "loom" ? aggregateLoom(cells) : aggregateOfficial(cells);
}

/**
 * LOOM-Scope's CLongEval aggregation (loom-scope 0.1, benchmarks/Specialization/CLongEval/utils/
 * evaluation/eval.py `save_results`): per task, every set pooled, `round(100 * sum / len, 2)`
 * (Python's sum and round); overall, ResultManager's `ConstructResultTable2` count-weighted mean of
 * those rounded scores, numpy-rounded to 2 places. Its per-length table buckets samples by prompt
 * tokens (`categorize_length(LEN)`), which a run's cells do not carry: not reproduced.
 */
export function aggregateLoom(cells: readonly AggregateCell[]): BenchmarkAggregate {
  return loomPooledAggregate(cells, {
    tasks: DATASETS,
    metricOf: (task) => DATASET_METRIC[task as ClongevalDataset].name,
    lengthsOf: () => SIZES,
    title: "CLongEval (LOOM-Scope): round(100 × mean, 2) per task, all sets pooled",
    rowLabel: (task) => SHORT_NAMES[task as ClongevalDataset],
  });
}

/** eval.py's numbers per task and set; no official cross-task average, so the headline is null. */
export function aggregateOfficial(cells: readonly AggregateCell[]): BenchmarkAggregate {
  const tasks: Record<string, number | null> = {};
  const out: Record<string, Record<string, number | null>> = {};
  const rows: string[] = [];
  const table: (number | null)[][] = [];
  for (const task of DATASETS) {
    const metric = DATASET_METRIC[task as ClongevalDataset].name;
    const bySize = new Map<string, number[]>();
    for (const c of cells) {
      if (c.task !== task || c.length === null) continue;
      bySize.set(c.length, [...(bySize.get(c.length) ?? []), ...(c.values[metric] ?? [])]);
    }
    for (const [k, v] of bySize) if (v.length === 0) bySize.delete(k);
    if (bySize.size === 0) continue;
    const s = taskScores(bySize);
    tasks[task] = s.all;
    out[task] = { small: s.small, medium: s.medium, large: s.large };
    rows.push(SHORT_NAMES[task as ClongevalDataset]);
    table.push([s.small, s.medium, s.large, s.all]);
  }
  const t: ResultTable = { title: "CLongEval (eval.py): score per task and set", rows, columns: [...SIZES, "all"], cells: table };
  return { score: null, tasks, cells: out, tables: [t] };
}
