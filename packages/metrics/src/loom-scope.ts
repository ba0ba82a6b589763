/**
 * Helpers every LOOM-Scope scorer shares (loom-scope 0.1; files checked against the wheel's RECORD
 * sha256):
 * - `categorizeLength`: benchmarks/utils/Tools.py `categorize_length(length)`, the length bucket of a
 *   prediction's `LEN` (prompt tokens): 0-8k, 8k-16k, 16k-32k, 32k-64k, 64k-128k, >128k, by
 *   `length > threshold` against 8000, 16000, 32000, 64000 and 130000 (so 128001-130000 is still 64k-128k);
 * - `constructResultTable2Overall`: scripts/utils/ResultManager.py `ConstructResultTable2`'s
 *   "Average / Overall": each row's score (already rounded by the caller) weighted by its sample
 *   count, summed in row order, divided, and `round(x, 2)` of a numpy float (numpy's rounding); 0
 *   when the weights sum to 0. The same value is written to Total.txt when `save_total`.
 */
import { numpyRound } from "./rounding.js";

const THRESHOLDS = [8000, 16000, 32000, 64000, 130000];
const LABELS = ["0-8k", "8k-16k", "16k-32k", "32k-64k", "64k-128k", ">128k"];

export function categorizeLength(length: number): string {
  for (let i = THRESHOLDS.length - 1; i >= 0; i--) if (length > (THRESHOLDS[i] as number)) return LABELS[i + 1] as string;
  return LABELS[0] as string;
}

/** `ConstructResultTable2`'s overall over rows of (score, sample count), in row order. */
export function loomWeightedTotal(rows: Iterable<{ readonly score: number; readonly count: number }>): number {
  let sum = 0;
  let weight = 0;
  for (const { score, count } of rows) {
    sum += score * count;
    weight += count;
  }
  return weight > 0 ? numpyRound(sum / weight, 2) : 0;
}

/** The same over a task → score map and a task → count map (a task without a count weighs 1). */
export function constructResultTable2Overall(scores: ReadonlyMap<string, number>, counts: ReadonlyMap<string, number>): number {
  return loomWeightedTotal([...scores].map(([k, score]) => ({ score, count: counts.get(k) ?? 1 })));
}
