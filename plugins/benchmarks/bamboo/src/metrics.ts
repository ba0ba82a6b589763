/** evaluate.py's per-sample checks and per-file numbers (RUCAIBox/BAMBOO @ f230f20). */
import { OfficialScorerError, pyLower, pyStrip, pyStripChars } from "@loomscope/metrics";

/** `altqa_accuracy`. */
export function altqaAccuracy(pred: string, right: string): number {
  const norm = (s: string): string => pyLower(pyStripChars(pyStrip(s), "."));
  return norm(pred) === norm(right) ? 1 : 0;
}

/** `pred_accuracy` (meetingpred, showspred): the first line only. */
export function predAccuracy(pred: string, right: string): number {
  return pyLower(pyStripChars(pyStrip(pred.split("\n")[0] as string), ".")) === pyLower(pyStripChars(pyStrip(right), ".")) ? 1 : 0;
}

/** `qa_accuracy` (meetingqa, paperqa): first character of the first line; an empty one raises IndexError. */
export function qaAccuracy(pred: string, right: string): number {
  const first = pyStripChars(pyStrip(pred).split("\n")[0] as string, " ");
  const c = Array.from(first)[0];
  if (c === undefined) throw new OfficialScorerError("IndexError", "string index out of range (an empty prediction in qa_accuracy)");
  const l = pyLower(c);
  const letter = l.startsWith("a") ? "A" : l.startsWith("b") ? "B" : l.startsWith("c") ? "C" : l.startsWith("d") ? "D" : "F";
  return letter === right ? 1 : 0;
}

/** `concordinary_index(pred_list, right_list)` → [index, format_error]. */
export function concordanceIndex(pred: readonly number[], right: readonly number[]): [number, boolean] {
  const predSet = new Set<string>();
  const shift = pred.length > 0 && Math.min(...pred) === 1 ? 1 : 0;
  for (let i = 0; i < pred.length - 1; i++) for (let j = i + 1; j < pred.length; j++) predSet.add(`${(pred[i] as number) - shift},${(pred[j] as number) - shift}`);
  const error = pred.length !== right.length;
  const rightSet = new Set<string>();
  for (let i = 0; i < right.length - 1; i++) for (let j = i + 1; j < right.length; j++) rightSet.add(`${right[i]},${right[j]}`);
  if (rightSet.size === 0) throw new OfficialScorerError("ZeroDivisionError", "an answer with fewer than two items");
  let common = 0;
  for (const p of rightSet) if (predSet.has(p)) common++;
  return [common / rightSet.size, error];
}

/** The hallucination tasks' label: `"yes" in pred.strip()[:3].lower()`. */
export const saysYes = (pred: string): boolean => pyLower(Array.from(pyStrip(pred)).slice(0, 3).join("")).includes("yes");

/** sklearn precision/recall/f1 of the positive class (zero_division "warn" → 0.0). */
export function precisionRecallF1(truth: readonly boolean[], pred: readonly boolean[]): [number, number, number] {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  truth.forEach((t, i) => {
    if (pred[i] && t) tp++;
    else if (pred[i] && !t) fp++;
    else if (!pred[i] && t) fn++;
  });
  const p = tp + fp === 0 ? 0 : tp / (tp + fp);
  const r = tp + fn === 0 ? 0 : tp / (tp + fn);
  const f = p + r === 0 ? 0 : (2 * p * r) / (p + r);
  return [p, r, f];
}
