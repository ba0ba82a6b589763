/**
 * RULER's metrics and post-processing: scripts/eval/synthetic/constants.py (string_match_all,
 * string_match_part) and scripts/eval/evaluate.py (postprocess_pred), with Python's float
 * arithmetic order and `round(x, 2)`.
 */
import { pyLower, pyStrip, pythonRound } from "@loomscope/metrics";

/** evaluate.py postprocess_pred: strip, control characters to newlines, strip. */
export function postprocessPred(pred: string): string {
  // eslint-disable-next-line no-control-regex
  return pyStrip(pyStrip(pred).replace(/[\x00-\x1f]/g, "\n"));
}



/** Per-sample string_match_all (before averaging): fraction of references found. */
export function matchAll(pred: string, refs: readonly string[]): number {
  const p = pyLower(pred);
  let s = 0;
  for (const r of refs) s += p.includes(pyLower(r)) ? 1.0 : 0.0;
  return s / refs.length;
}

/** Per-sample string_match_part: 1 if any reference is found. */
export function matchPart(pred: string, refs: readonly string[]): number {
  const p = pyLower(pred);
  let best = -Infinity;
  for (const r of refs) best = Math.max(best, p.includes(pyLower(r)) ? 1.0 : 0.0);
  if (refs.length === 0) throw new Error("max() arg is an empty sequence");
  return best;
}

/** string_match_all over a task: `round(sum(...) / len(preds) * 100, 2)`. */
export function stringMatchAll(preds: readonly string[], refs: readonly (readonly string[])[]): number {
  let sum = 0;
  preds.forEach((p, i) => (sum += matchAll(p, refs[i] ?? [])));
  return pythonRound((sum / preds.length) * 100, 2);
}

export function stringMatchPart(preds: readonly string[], refs: readonly (readonly string[])[]): number {
  let sum = 0;
  preds.forEach((p, i) => (sum += matchPart(p, refs[i] ?? [])));
  return pythonRound((sum / preds.length) * 100, 2);
}
