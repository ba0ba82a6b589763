/**
 * Ada-LEval's answer extraction and scoring, as ada_leval/dataset.py (@ 2154258) does it, with
 * LOOM-Scope's variant (utils/evaluation/eval.py of loom-scope 0.1) under protocol `loom`.
 *
 * BestAnswer (StackSelect.evaluate.extract): among "A1".."An" (n = number of answers) the one with
 * the highest number that occurs anywhere in the prediction wins (so "A12" also contains "A1" and
 * wins over it); if none occurs, the same with the bare numbers "1".."n", answered as "A<k>";
 * else "???". Accuracy: the extracted designation equals the record's `answer`.
 *
 * TSort (TextSort.evaluate.extract): the text after the first "Answer:" (up to a second one),
 * stripped, goes through json.loads; whatever it returns is the answer. If json.loads fails, the
 * one permutation of 1234 that is a subsequence of the text, or [0, 0, 0, 0] when none or several
 * are. Official accuracy compares `zip(answer, extracted)` pairwise: a shorter (or empty)
 * extraction is a hit when its elements match the answer's first ones, and an extraction that is
 * not iterable (a number, true/false, null) makes evaluate raise TypeError. LOOM-Scope compares the
 * whole lists (`extracted != answers`).
 */
import { OfficialScorerError, PythonError, defineMetric, pyIter, pyJsonEquals, pyJsonLoads, pyStrip, type PyJsonValue } from "@loomscope/metrics";

/** StackSelect extract: "A<k>" or "???". */
export function extractBestAnswer(prediction: string, numChoice: number): string {
  for (const prefix of ["A", ""]) {
    for (let i = numChoice; i >= 1; i--) {
      if (prediction.includes(`${prefix}${i}`)) return `A${i}`;
    }
  }
  return "???";
}

/** itertools.permutations(range(1, 5)) joined, in itertools' order. */
export const PERMUTATIONS_1234: readonly string[] = (() => {
  const out: string[] = [];
  const rec = (prefix: string, rest: string): void => {
    if (rest === "") out.push(prefix);
    for (let i = 0; i < rest.length; i++) rec(prefix + rest[i], rest.slice(0, i) + rest.slice(i + 1));
  };
  rec("", "1234");
  return out;
})();

/** dataset.py `is_subseq(needle, haystack)`: each character found in order (str.find from the last hit + 1). */
export function isSubseq(needle: string, haystack: string): boolean {
  let pos = 0;
  for (const c of needle) {
    const at = haystack.indexOf(c, pos);
    if (at < 0) return false;
    pos = at + c.length;
  }
  return true;
}

/** The text TextSort.extract hands to json.loads: after the first "Answer:" (up to the next), stripped. */
export function tsortAnswerText(prediction: string): string {
  if (prediction.includes("Answer:")) return pyStrip(prediction.split("Answer:")[1] as string);
  return prediction;
}

/** TextSort.extract: json.loads' value, or the unique subsequence permutation, or [0, 0, 0, 0]. */
export function extractTsort(prediction: string): PyJsonValue {
  const pred = tsortAnswerText(prediction);
  try {
    return pyJsonLoads(pred);
  } catch {
    const hits = PERMUTATIONS_1234.filter((p) => isSubseq(p, pred));
    if (hits.length === 1) return Array.from(hits[0] as string, Number);
    return [0, 0, 0, 0];
  }
}

/** The record's answer as TextSort.evaluate reads it: json.loads of a string, else the value. */
export function tsortReference(answer: PyJsonValue): PyJsonValue {
  return typeof answer === "string" ? pyJsonLoads(answer) : answer;
}

/** Official TSort hit: every pair of `zip(answer, extracted)` equal (raises when not iterable). */
export function tsortHitOfficial(answer: PyJsonValue, extracted: PyJsonValue): boolean {
  let a: readonly PyJsonValue[];
  let e: readonly PyJsonValue[];
  try {
    a = pyIter(answer);
    e = pyIter(extracted);
  } catch (err) {
    if (err instanceof PythonError) throw new OfficialScorerError(err.pythonError, err.message);
    throw err;
  }
  const n = Math.min(a.length, e.length);
  for (let i = 0; i < n; i++) if (!pyJsonEquals(a[i] as PyJsonValue, e[i] as PyJsonValue)) return false;
  return true;
}

/** LOOM-Scope's TSort hit: `extracted == answers`. */
export function tsortHitLoom(answer: PyJsonValue, extracted: PyJsonValue): boolean {
  return pyJsonEquals(extracted, answer);
}

function scoringValue(scoring: Record<string, unknown> | undefined, key: string): unknown {
  return scoring?.[key];
}

/** A plain JSON value (as stored in a sample's `scoring`) as the value json.loads would give. */
function asPy(v: unknown): PyJsonValue {
  return v as PyJsonValue;
}

export const bestAnswerAccuracy = defineMetric({
  id: "best_answer_accuracy",
  description: "Ada-LEval StackSelect: the highest-numbered 'A<k>' (else bare number) found in the prediction equals the answer",
  binary: true,
  score: ({ prediction, references, scoring }) => {
    const n = scoringValue(scoring, "num_choice");
    if (typeof n !== "number") throw new TypeError("best_answer_accuracy needs scoring.num_choice");
    const answer = scoringValue(scoring, "answer") ?? references[0];
    return extractBestAnswer(prediction, n) === answer ? 1 : 0;
  },
});

export const tsortAccuracy = defineMetric({
  id: "tsort_accuracy",
  description:
    "Ada-LEval TextSort: json.loads of the text after 'Answer:' (else the unique 1234 permutation subsequence) against the order; official zip-prefix comparison, LOOM-Scope whole-list equality",
  binary: true,
  score: ({ prediction, references, scoring, protocol }) => {
    const raw = scoringValue(scoring, "answer") ?? references[0];
    const answer = tsortReference(asPy(raw));
    const extracted = extractTsort(prediction);
    return (protocol === "loom" ? tsortHitLoom(answer, extracted) : tsortHitOfficial(answer, extracted)) ? 1 : 0;
  },
});
