/**
 * How a Needle Threading answer is scored.
 *
 * Official (README.md, "Single Needle example inference"; the repository has no other scorer):
 *
 *     model_response.strip()                      # result discarded: no effect
 *     model_response = literal_eval(model_response)
 *     answer = item['values']
 *     model_answer = model_response[0:len(str(answer))]
 *     correct = model_answer == str(answer)
 *
 * so a response is right when it parses as a Python str literal whose first len(answer) characters
 * are the answer. A list, tuple or bytes response is never equal to a str (the multi-value tasks'
 * answers are the Python repr of a list, so a bare list response scores 0); a number, None, bool,
 * set or dict response raises TypeError on the slice; a response that is not a Python literal (an
 * unquoted UUID, prose) raises SyntaxError / ValueError. Where the README code raises, the run
 * script would stop: we raise OfficialScorerError with the Python exception class.
 *
 * LOOM-Scope (loom-scope 0.1 benchmarks/Retrieve/NThread/utils/evaluation/eval.py `score`):
 * `answer in pred` when the answer has no "[", else `eval(answer)` and every element `in pred`
 * (substring tests on the raw output).
 */
import {
  OfficialScorerError,
  PythonError,
  UnsupportedLiteralError,
  defineMetric,
  fromJson,
  literalEval,
  pyStr,
  pyStrOf,
  pyStrText,
  pyValueTypeName,
  type PyValue,
} from "@loomscope/metrics";
import { LoomError } from "@loomscope/spec";

const toScorerError = (e: unknown): unknown =>
  e instanceof PythonError ? new OfficialScorerError(e.pythonError, e.message) : e;

/**
 * The README's rule on an already parsed response: `response[0:len(str(answer))] == str(answer)`.
 * `answer` is the `values` field (a str in the dataset; any other JSON value is turned into text
 * with Python's str()).
 */
export function prefixEquals(response: PyValue, answer: PyValue): boolean {
  const target = answer.kind === "str" ? answer.cps : Array.from(pyStrOf(answer), (c) => c.codePointAt(0) as number);
  switch (response.kind) {
    case "str": {
      const head = response.cps.slice(0, target.length);
      return head.length === target.length && head.every((c, i) => c === target[i]);
    }
    case "bytes":
    case "list":
    case "tuple":
      return false; // a slice of these is never == a str
    case "dict":
      throw new OfficialScorerError("TypeError", "unhashable type: 'slice'");
    default:
      throw new OfficialScorerError("TypeError", `'${pyValueTypeName(response)}' object is not subscriptable`);
  }
}

/** The README's check on a raw model response (`literal_eval`, then the prefix comparison). */
export function officialCorrect(output: string, answer: string | PyValue): boolean {
  let parsed: PyValue;
  try {
    parsed = literalEval(output);
  } catch (e) {
    if (e instanceof UnsupportedLiteralError) throw new LoomError("SCORING", e.message);
    throw toScorerError(e);
  }
  return prefixEquals(parsed, typeof answer === "string" ? pyStr(answer) : answer);
}

/**
 * LOOM-Scope's `score(answer, pred)`. `eval(answer)` is evaluated as a literal (the answers are
 * Python reprs of lists); an answer that is not a literal is refused rather than evaluated.
 */
export function loomScore(answer: string, pred: string | null): boolean {
  if (pred === null) throw new OfficialScorerError("TypeError", "argument of type 'NoneType' is not iterable");
  if (!answer.includes("[")) return pred.includes(answer);
  let items: PyValue;
  try {
    items = literalEval(answer);
  } catch (e) {
    throw toScorerError(e);
  }
  // `for i in range(len(answer)): answer[i] in pred`, whatever eval returned.
  let elements: PyValue[];
  if (items.kind === "list" || items.kind === "tuple") elements = items.items;
  else if (items.kind === "str") elements = items.cps.map((c) => ({ kind: "str", cps: [c] }) as PyValue);
  else if (items.kind === "bytes") elements = items.bytes.map((b) => ({ kind: "int", value: BigInt(b) }) as PyValue);
  else if (items.kind === "set") {
    if (items.items.length > 0) throw new OfficialScorerError("TypeError", "'set' object is not subscriptable");
    elements = [];
  } else if (items.kind === "dict") {
    elements = items.entries.map((_, i) => {
      const hit = items.entries.find(([k]) => (k.kind === "int" && k.value === BigInt(i)) || (k.kind === "bool" && BigInt(k.value) === BigInt(i)) || (k.kind === "float" && k.value === i));
      if (!hit) throw new OfficialScorerError("KeyError", String(i));
      return hit[1];
    });
  } else throw new OfficialScorerError("TypeError", `object of type '${pyValueTypeName(items)}' has no len()`);
  let hits = 0;
  for (const el of elements) {
    if (el.kind !== "str") throw new OfficialScorerError("TypeError", `'in <string>' requires string as left operand, not ${pyValueTypeName(el)}`);
    if (pred.includes(pyStrText(el))) hits++;
  }
  return hits === elements.length;
}

/**
 * The metric: 1 / 0 by the official rule, or by LOOM-Scope's under `protocol: "loom"`. The reference
 * is the record's `values`.
 */
export const nthreadAccuracy = defineMetric({
  id: "nthread_accuracy",
  description: "Needle Threading README rule: literal_eval(response)[0:len(answer)] == answer (LOOM-Scope: substring containment of the value(s))",
  binary: true,
  score: ({ prediction, references, protocol }) => {
    const answer = references[0];
    if (answer === undefined) throw new LoomError("SCORING", "nthread needs the answer (values) as the first reference");
    return (protocol === "loom" ? loomScore(answer, prediction) : officialCorrect(prediction, answer)) ? 1 : 0;
  },
});


