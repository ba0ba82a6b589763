/**
 * LongBench-Write's reported numbers from per-sample values:
 * - S_l = `np.mean(scores)` over every response (eval_length.py prints it unrounded);
 * - S_q = eval_quality.py's `total_score['total']`: per dimension ((sum / n) − 1) × 25 over the
 *   judged responses (Python's left-to-right sum), then the mean of the six; responses the judge
 *   gave up on are not in it (the script drops them), and we count them;
 * - S = (S_l + S_q) / 2, the paper's overall score (arXiv 2408.07055 §2; no script computes it).
 * Under `--protocol loom`, LOOM-Scope's eval.py reports `round(sum(scores) / len(scores), 2)` of
 * S_l per task ("ACC") and no quality (its quality path raises; see metrics.ts).
 * The official sum order of S_q is the order of judge.jsonl, which eval_quality.py shuffles with an
 * unseeded `random.shuffle` and 8 processes: we sum in sample order, so S_q equals the official
 * number for that order (the last bits of a float sum depend on the order).
 */
import type { AggregateCell, BenchmarkAggregate, Protocol, ResultTable } from "@loomscope/spec";
import { numpyMean, pythonRound } from "@loomscope/metrics";
import { DIMS, dimensionMetricId, dimensionScore, totalQuality, type Dim } from "./metrics.js";

export interface TaskNumbers {
  /** eval_length.py's printed mean (NaN with no responses, as np.mean prints). */
  lengthScore: number;
  /** eval_quality.py's total_score (null without judged responses: the script divides by zero). */
  quality: { dimensions: Record<Dim, number>; total: number } | null;
  /** (S_l + S_q) / 2, null without S_q. */
  overall: number | null;
  responses: number;
  judged: number;
}

/** The official numbers of one task from its per-sample values (in sample order). */
export function officialNumbers(lengthScores: readonly number[], dimensionValues: Readonly<Record<Dim, readonly number[]>>): TaskNumbers {
  const lengthScore = numpyMean(lengthScores);
  const judged = dimensionValues[DIMS[0]].length;
  let quality: TaskNumbers["quality"] = null;
  if (judged > 0) {
    const dimensions = {} as Record<Dim, number>;
    for (const d of DIMS) dimensions[d] = dimensionScore(dimensionValues[d]);
    quality = { dimensions, total: totalQuality(DIMS.map((d) => dimensions[d])) };
  }
  const overall = quality === null ? null : (lengthScore + quality.total) / 2;
  return { lengthScore, quality, overall, responses: lengthScores.length, judged };
}

/** LOOM-Scope eval.py `save_results`: `round(sum(scores) / len(scores), 2)` with Python's round. */
export function loomTaskScore(lengthScores: readonly number[]): number | null {
  if (lengthScores.length === 0) return null;
  let s = 0;
  for (const v of lengthScores) s += v;
  return pythonRound(s / lengthScores.length, 2);
}

/**
 * A metric's values of a cell in the official order (pred.jsonl's: the data file's line order), from
 * the cell's aligned rows sorted by the line index in their ids (`<task>-<n>`), so sums do not
 * depend on the order samples finished in; cells without rows keep their value order.
 */
function inLineOrder(cell: AggregateCell, metric: string): number[] {
  if (!cell.rows) return cell.values[metric] ?? [];
  const index = (id: string): number => Number(/-(\d+)$/.exec(id)?.[1] ?? Number.MAX_SAFE_INTEGER);
  return cell.rows
    .map((r, order) => ({ r, order, i: index(r.id) }))
    .sort((a, b) => a.i - b.i || a.order - b.order)
    .flatMap(({ r }) => (typeof r.scores[metric] === "number" ? [r.scores[metric] as number] : []));
}

/** What the aggregation needs from the run's settings. */
export interface LongWriterAggregateSettings {
  protocol?: Protocol;
  /** false: the judge-scored metrics were dropped on request (option `quality`): S_q and S are not computed. */
  quality?: boolean;
}

export function aggregateLongWriter(cells: readonly AggregateCell[], settings: LongWriterAggregateSettings | Protocol = {}): BenchmarkAggregate {
  const { protocol = "official", quality = true } = typeof settings === "string" ? { protocol: settings } : settings;
  // Judge-dependent columns say so; the results name the judge model of the run.
  const judged = quality ? "judge-scored" : "not computed: quality=false";
  const tasks: Record<string, number | null> = {};
  const cellsOut: Record<string, Record<string, number | null>> = {};
  const groups: Record<string, number | null> = {};
  const rows: string[] = [];
  const tableCells: (number | null)[][] = [];
  for (const cell of cells) {
    const lengthScores = inLineOrder(cell, "length_score");
    const sl = lengthScores.length === 0 ? null : numpyMean(lengthScores);
    if (protocol === "loom") {
      const acc = loomTaskScore(lengthScores);
      const q = quality ? loomTaskScore(inLineOrder(cell, "quality")) : null;
      tasks[cell.task] = acc;
      groups[`ACC:${cell.task}`] = acc;
      groups[`quality:${cell.task}`] = q;
      rows.push(cell.task);
      tableCells.push([acc, q]);
      continue;
    }
    groups[`S_l:${cell.task}`] = sl;
    if (!quality) {
      // S_q and S are not computed: the task's number is S_l, and the table says so.
      tasks[cell.task] = sl;
      groups[`S_q:${cell.task}`] = null;
      groups[`S:${cell.task}`] = null;
      rows.push(cell.task);
      tableCells.push([sl, null, null, ...DIMS.map(() => null)]);
      continue;
    }
    const dims = {} as Record<Dim, readonly number[]>;
    for (const d of DIMS) dims[d] = inLineOrder(cell, dimensionMetricId(d));
    const n = officialNumbers(lengthScores, dims);
    tasks[cell.task] = n.overall;
    groups[`S_q:${cell.task}`] = n.quality?.total ?? null;
    groups[`S:${cell.task}`] = n.overall;
    groups[`judge_dropped:${cell.task}`] = n.responses - n.judged;
    rows.push(cell.task);
    tableCells.push([sl, n.quality?.total ?? null, n.overall, ...DIMS.map((d) => n.quality?.dimensions[d] ?? null)]);
  }
  const present = Object.values(tasks).filter((v): v is number => v !== null);
  const score = present.length === 0 ? null : present.reduce((a, b) => a + b, 0) / present.length;
  const table: ResultTable =
    protocol === "loom"
      ? {
          title: `LongWriter (LOOM-Scope eval.py: ACC = length score per task, rounded; quality ${judged})`,
          rows,
          columns: ["ACC", `quality [${judged}]`],
          cells: tableCells,
        }
      : {
          title: quality
            ? "LongBench-Write (S_l eval_length.py; S_q eval_quality.py, judge-scored; S = (S_l + S_q) / 2, the paper's)"
            : "LongBench-Write (S_l eval_length.py; S_q and S not computed: quality=false, the task score is S_l)",
          rows,
          columns: ["S_l", `S_q [${judged}]`, `S [${judged}]`, ...DIMS.map((d) => `${d} [${judged}]`)],
          cells: tableCells,
        };
  for (const task of Object.keys(tasks)) cellsOut[task] = {};
  return { score, tasks, cells: cellsOut, groups, tables: [table] };
}
