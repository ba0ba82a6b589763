/** evaluate.py's per-sample checks and per-file numbers (RUCAIBox/BAMBOO @ f230f20). */
import { OfficialScorerError, defineMetric, pyDigitRuns, pyInt, pyLower, pyStrip, pyStripChars, type AnyMetric, type MetricInput } from "@loomscope/metrics";
import type { BambooTaskId } from "./prompts.js";

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

// ---- metric objects ------------------------------------------------------------------------

/**
 * run_for_transformers.py's ordering prediction: `[int(y) for y in re.findall(r"\d+", pred)]`
 * (Python's `\d` and `int()` take every Unicode decimal digit). Values beyond 2^53 lose precision
 * here, which cannot change a pair compared with the 0-4 answers.
 */
export const orderOf = (reply: string): number[] => pyDigitRuns(reply).map((run) => Number(pyInt(run)));

const answerOf = (input: MetricInput): string => {
  const r = input.references[0];
  if (r === undefined) throw new Error(`${input.task}: the sample has no answer`);
  return r;
};

/** The answer list of an ordering sample (kept in `scoring.answer`). */
const orderAnswer = (input: MetricInput): number[] => {
  const a = input.scoring?.["answer"];
  if (!Array.isArray(a) || !a.every((x) => typeof x === "number")) throw new Error(`${input.task}: the sample has no answer order`);
  return a as number[];
};

/** Official exceptions (an empty reply in qa_accuracy, an answer of fewer than two items) fail the sample with the Python error. */
const official = <T>(f: () => T): T => {
  try {
    return f();
  } catch (e) {
    if (e instanceof OfficialScorerError) throw new Error(`evaluate.py raises ${e.message}`);
    throw e;
  }
};

/** One id, three official functions (describe shows one description per id). */
const ACCURACY =
  "evaluate.py accuracy, 100 * hits / n: meetingqa/paperqa qa_accuracy (the first character of the first line read as A-D; an empty reply raises IndexError), altqa altqa_accuracy (stripped, '.'-stripped, lower-cased equality), meetingpred/showspred pred_accuracy (the same on the first line)";

export const accuracyQa = defineMetric({
  id: "accuracy",
  description: ACCURACY,
  binary: true,
  score: (i) => official(() => qaAccuracy(i.prediction, answerOf(i))),
});
export const accuracyAltqa = defineMetric({
  id: "accuracy",
  description: ACCURACY,
  binary: true,
  score: (i) => altqaAccuracy(i.prediction, answerOf(i)),
});
export const accuracyPred = defineMetric({
  id: "accuracy",
  description: ACCURACY,
  binary: true,
  score: (i) => predAccuracy(i.prediction, answerOf(i)),
});
export const saysYesMetric = defineMetric({
  id: "says_yes",
  description: 'evaluate.py\'s hallucination label: "yes" in pred.strip()[:3].lower(); precision/recall/F1 against the answers are the official numbers',
  binary: true,
  score: (i) => (saysYes(i.prediction) ? 1 : 0),
});
export const concordanceMetric = defineMetric({
  id: "concordance_index",
  description: "evaluate.py concordinary_index of the reply's integers against the order; a length mismatch is a format error that scores 0 but counts",
  score: (i) =>
    official(() => {
      const [ci, formatError] = concordanceIndex(orderOf(i.prediction), orderAnswer(i));
      return formatError ? 0 : ci;
    }),
});

/** The private_eval metric without sandbox settings (a run binds them from the options). */
export const passMetricInfo = {
  id: "pass@1",
  description: "private_eval: the completion (paraphrased API names mapped back) run against the problem's test in a sandboxed Python child; pass@1 over task ids",
  binary: true,
  executesCode: true,
} as const;

export const METRIC_OBJECTS: Readonly<Record<BambooTaskId, AnyMetric[]>> = {
  meetingqa: [accuracyQa],
  paperqa: [accuracyQa],
  altqa: [accuracyAltqa],
  meetingpred: [accuracyPred],
  showspred: [accuracyPred],
  senhallu: [saysYesMetric],
  abshallu: [saysYesMetric],
  reportsumsort: [concordanceMetric],
  showssort: [concordanceMetric],
  private_eval: [defineMetric({ ...passMetricInfo, score: () => Promise.reject(new Error("private_eval runs model-written code: pass --allow-code-execution")) })],
};
