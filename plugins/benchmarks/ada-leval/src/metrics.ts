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
import { OfficialScorerError, PyFloat, defineMetric, pyJsonLoads, pyStrip, type PyJsonValue } from "@loomscope/metrics";

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

/** Python's `type(x).__name__` for json values. */
export function pyTypeName(v: PyJsonValue): string {
  if (v === null) return "NoneType";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "number" || typeof v === "bigint") return "int";
  if (v instanceof PyFloat) return "float";
  if (typeof v === "string") return "str";
  if (Array.isArray(v)) return "list";
  return "dict";
}

/** Iterating a json value as Python's `for x in value` / `zip` does; TypeError when not iterable. */
export function pyIterate(v: PyJsonValue): PyJsonValue[] {
  if (typeof v === "string") return Array.from(v);
  if (Array.isArray(v)) return [...(v as PyJsonValue[])];
  if (v instanceof Map) return [...(v as ReadonlyMap<string, PyJsonValue>).keys()];
  if (v !== null && typeof v === "object" && !(v instanceof PyFloat)) return Object.keys(v);
  throw new OfficialScorerError("TypeError", `'${pyTypeName(v)}' object is not iterable`);
}

type Numeric = { int: bigint } | { float: number };
function numeric(v: PyJsonValue): Numeric | null {
  if (typeof v === "boolean") return { int: v ? 1n : 0n };
  if (typeof v === "number") return Number.isInteger(v) ? { int: BigInt(v) } : { float: v };
  if (typeof v === "bigint") return { int: v };
  if (v instanceof PyFloat) return { float: v.value };
  return null;
}

/** Python `a == b` for json values (int, float and bool compare by value; containers deeply). */
export function pyEquals(a: PyJsonValue, b: PyJsonValue): boolean {
  const x = numeric(a);
  const y = numeric(b);
  if (x !== null || y !== null) {
    if (x === null || y === null) return false;
    if ("int" in x && "int" in y) return x.int === y.int;
    const f = "float" in x ? x.float : "float" in y ? y.float : NaN;
    const other = "float" in x ? y : x;
    if ("float" in other) return f === other.float;
    return Number.isInteger(f) && BigInt(f) === other.int;
  }
  if (a === null || b === null) return a === b;
  if (typeof a === "string" || typeof b === "string") return a === b;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return (a as PyJsonValue[]).every((v, i) => pyEquals(v, (b as PyJsonValue[])[i] as PyJsonValue));
  }
  const ea = a instanceof Map ? [...a] : Object.entries(a as Record<string, PyJsonValue>);
  const mb = b instanceof Map ? (b as ReadonlyMap<string, PyJsonValue>) : new Map(Object.entries(b as Record<string, PyJsonValue>));
  return ea.length === mb.size && ea.every(([k, v]) => mb.has(k) && pyEquals(v as PyJsonValue, mb.get(k) as PyJsonValue));
}

/** The record's answer as TextSort.evaluate reads it: json.loads of a string, else the value. */
export function tsortReference(answer: PyJsonValue): PyJsonValue {
  return typeof answer === "string" ? pyJsonLoads(answer) : answer;
}

/** Official TSort hit: every pair of `zip(answer, extracted)` equal (raises when not iterable). */
export function tsortHitOfficial(answer: PyJsonValue, extracted: PyJsonValue): boolean {
  const a = pyIterate(answer);
  const e = pyIterate(extracted);
  const n = Math.min(a.length, e.length);
  for (let i = 0; i < n; i++) if (!pyEquals(a[i] as PyJsonValue, e[i] as PyJsonValue)) return false;
  return true;
}

/** LOOM-Scope's TSort hit: `extracted == answers`. */
export function tsortHitLoom(answer: PyJsonValue, extracted: PyJsonValue): boolean {
  return pyEquals(extracted, answer);
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
