/**
 * LongIns's metric: F1 between the question numbers a response names and the record's `error`
 * list, as eval.py (Ins-Bench/LongIns-Bench @ cf8c59b) computes it:
 *
 *   matches = set(re.findall(r'\[(.*?)\]', response))      # every [...] on one line, deduplicated
 *   result = [int(n) for m in matches for n in re.findall(r'\d+', m)]
 *   calculate_f1_score(result, answer[id]['error'])          # over sets; 0.0 when either is empty
 *
 * Python's `.` stops at "\n" only (not at "\r" or U+2028 as JavaScript's does), `\d` is Unicode's
 * decimal digits and `int()` reads them by value ("１２" is 12), numbers are exact (a 30-digit run
 * stays distinct from its neighbours), and the two sets compare by Python equality (1 == 1.0 == True).
 * LOOM-Scope's utils/evaluation/eval.py uses the same two functions on the record's own `error`.
 */
import { PythonError, defineMetric, pyDigitRuns, pyHashKey, pyInt, pyTypeName, type MetricInput, type PyJsonValue } from "@loomscope/metrics";
import type { JsonValue } from "@loomscope/spec";

const BRACKETED = /\[([^\n]*?)\]/g;

/** The numbers eval.py reads from a response, as a set of canonical decimal strings. */
export function predictedIndices(response: string): Set<string> {
  const matches = new Set<string>();
  for (const m of response.matchAll(BRACKETED)) matches.add(m[1] as string);
  const out = new Set<string>();
  for (const m of matches) for (const run of pyDigitRuns(m)) out.add(pyInt(run).toString());
  return out;
}

/** The error of Python's `set()` on an unhashable element, with Python's message. */
export class UnhashableError extends TypeError {
  constructor(readonly pythonType: string) {
    super(`unhashable type: '${pythonType}'`);
    this.name = "UnhashableError";
  }
}

/** One element of the `error` list as a key with Python's equality (`pyHashKey`), UnhashableError for a list or dict. */
export function pythonKey(v: PyJsonValue): string {
  try {
    return pyHashKey(v);
  } catch (e) {
    if (e instanceof PythonError) throw new UnhashableError(pyTypeName(v));
    throw e;
  }
}

/** eval.py `calculate_f1_score(pred_list, true_list)` over sets of Python-equal keys. */
export function setF1(pred: ReadonlySet<string>, truth: ReadonlySet<string>): number {
  let tp = 0;
  for (const p of pred) if (truth.has(p)) tp++;
  const fp = pred.size - tp;
  const fn = truth.size - tp;
  if (tp + fp === 0 || tp + fn === 0) return 0.0;
  const precision = tp / (tp + fp);
  const recall = tp / (tp + fn);
  if (precision + recall === 0) return 0.0;
  return (2 * (precision * recall)) / (precision + recall);
}

/** F1 of one response against a record's `error` list. */
export function longinsScore(response: string, errors: readonly (JsonValue | bigint)[]): number {
  return setF1(predictedIndices(response), new Set(errors.map(pythonKey)));
}

/** The `error` list a sample carries in `scoring.error` (else the numbers of its bracketed reference, `[2, 4]`). */
export function errorsOf(input: Pick<MetricInput, "scoring" | "references">): (JsonValue | bigint)[] {
  const e = input.scoring?.["error"];
  if (Array.isArray(e)) return e;
  return input.references.flatMap((r) => [...predictedIndices(r)].map((n) => BigInt(n)));
}

export const longinsF1 = defineMetric({
  id: "longins_f1",
  description:
    "LongIns eval.py: F1 between the numbers inside [...] in the response and the record's error list (sets; 0 when either is empty)",
  score: (input) => longinsScore(input.prediction, errorsOf(input)),
});
