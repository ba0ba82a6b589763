/**
 * src/compute_scores.py (OpenBMB/InfiniteBench @ 88b3daa) per task, quirks included:
 * - passkey / number_string: the FIRST run of ASCII digits in the prediction must equal the label
 *   (a str); a list label is unwrapped to its first element.
 * - kv_retrieval: the label must be one of the whitespace-separated words after \n : " ' . , ? ! { }
 *   became spaces. A list label is NOT unwrapped, so it never matches.
 * - code_run: the LAST word, read with Python's int(), must equal the label.
 * - code_debug: "B." / "B:" at the start, else the text after the first of "answer is:", "is:",
 *   "answer:", "correct option is:" must start with the letter or the function name.
 * - math_find: the first \d+\.\d+ or \d+ (Unicode digits) read as the label's type (int() of
 *   "3.5" raises, as it does in Python).
 * - longdialogue_qa_eng: only the FIRST label name, compared with the upper-cased words.
 * - longbook_choice_eng: the first character if it is A-D, the whole prediction, an answer prefix,
 *   else the first word that is a substring of "ABCD" ("AB" counts) — each checked with Python `in`.
 * - longbook_qa_eng: token F1 (normalize_answer), best over the labels.
 * - longbook_qa_chn: character F1 after normalize_zh_answer, best over the labels.
 * - longbook_sum_eng: HF evaluate "rouge" rougeLsum fmeasure (Google rouge_score, no stemmer,
 *   lines split on "\n"), the label list read as several references (score_multi).
 * - math_calc: how many leading values of the label list the ASCII digit runs of the prediction
 *   reproduce, over the label length; for model "gpt4" the first number is dropped first.
 * Where compute_scores.py raises, we throw OfficialScorerError instead of scoring.
 */
import {
  OfficialScorerError,
  PY_DIGIT_CLASS_SOURCE,
  PyFloat,
  RougeScorer,
  pyContains,
  pyIndex,
  pyIter,
  pyJsonEquals,
  pyJsonStr,
  pyLen,
  pyTypeName,
  type PyJsonValue,
  normalizeAnswer,
  normalizeZhAnswer,
  PythonError,
  pyFloatFromString,
  pyInt,
  pySplit,
  pyStrip,
  pyUpper,
  tokenF1,
} from "@loomscope/metrics";
import type { TaskId } from "./tasks.js";

/** `re.split("[^0-9]", prediction)`'s first non-empty piece: the first run of ASCII digits, or "". */
export function firstIntMatch(prediction: string): string {
  return /[0-9]+/.exec(prediction)?.[0] ?? "";
}

function replaceAll(text: string, chars: readonly string[]): string {
  let out = text;
  for (const c of chars) out = out.split(c).join(" ");
  return out;
}

function collapseSpaces(text: string): string {
  let out = text;
  while (out.includes("  ")) out = out.split("  ").join(" ");
  return out;
}

/** `text[n:]` with n counted in code points from a UTF-16 index `at` (skip = code points to drop after it). */
function sliceAfter(text: string, at: number, skip: number): string {
  let i = at;
  for (let k = 0; k < skip && i < text.length; k++) {
    const c = text.charCodeAt(i);
    i += c >= 0xd800 && c <= 0xdbff && i + 1 < text.length ? 2 : 1;
  }
  return text.slice(i);
}


/** Python `s.find(sub)` in code points (or -1). */
function pyFind(text: string, sub: string): number {
  const at = text.indexOf(sub);
  return at < 0 ? -1 : pyLen(text.slice(0, at));
}

function startsWith(text: string, prefix: PyJsonValue): boolean {
  if (typeof prefix !== "string") {
    throw new OfficialScorerError("TypeError", `startswith first arg must be str or a tuple of str, not ${pyTypeName(prefix)}`);
  }
  return text.startsWith(prefix);
}

const RETRIEVAL_SEPARATORS = ["\n", ":", '"', "'", ".", ",", "?", "!", "{", "}"];

export function scorePasskey(pred: string, label: PyJsonValue): boolean {
  const l = isList(label) ? pyIndex(label, 0) : label;
  return pyJsonEquals(l, firstIntMatch(pred));
}

export function scoreKvRetrieval(pred: string, label: PyJsonValue): boolean {
  return pyContains(pySplit(replaceAll(pred, RETRIEVAL_SEPARATORS)), label);
}

export function scoreCodeRun(pred: string, label: PyJsonValue): boolean {
  const l = isList(label) ? pyIndex(label, 0) : label;
  const words = pySplit(replaceAll(pyStrip(pred), ["\n", ".", "`", "'", '"', ":"]));
  if (words.length === 0) return false;
  let value: bigint;
  try {
    value = pyInt(words[words.length - 1] as string);
  } catch (e) {
    if (e instanceof PythonError) return false; // int() raised ValueError, caught by `except Exception`
    throw e;
  }
  return pyJsonEquals(l, value);
}

export function scoreCodeDebug(pred: string, label: PyJsonValue): boolean {
  let p = pyStrip(pred);
  const labelC = pyIndex(label, 1);
  const fnName = pyIndex(label, 0);
  const head = Array.from(p).slice(0, 2).join("");
  if (head === `${pyJsonStr(labelC)}.` || head === `${pyJsonStr(labelC)}:`) return true;
  p = collapseSpaces(replaceAll(pyStrip(p), ["\n", "`", "'", '"', "-", "*", "Option", "option"]));
  for (const prefix of ["answer is:", "is:", "answer:", "correct option is:"]) {
    const idx = pyFind(p, prefix);
    if (idx === -1) continue;
    if (pyLen(p) < idx + pyLen(prefix) + 1) return false;
    const after = sliceAfter(p, p.indexOf(prefix) + prefix.length, 1);
    for (const s of [labelC, fnName]) if (startsWith(after, s)) return true;
    return false;
  }
  return false;
}

const FIRST_NUMBER = new RegExp(`${PY_DIGIT_CLASS_SOURCE}+\\.${PY_DIGIT_CLASS_SOURCE}+|${PY_DIGIT_CLASS_SOURCE}+`, "u");


export function scoreMathFind(pred: string, label: PyJsonValue): boolean {
  const l = isList(label) ? pyIndex(label, 0) : label;
  const isInt = typeof l === "boolean" || typeof l === "bigint" || (typeof l === "number" && Number.isInteger(l));
  const isFloat = l instanceof PyFloat || (typeof l === "number" && !Number.isInteger(l));
  if (!isInt && !isFloat) throw new OfficialScorerError("TypeError", `Expected int or float, got <class '${pyTypeName(l)}'>`);
  const found = FIRST_NUMBER.exec(pred);
  if (!found) return false;
  const first = found[0];
  if (isInt) {
    // int() of a "\d+\.\d+" match raises ValueError, which compute_scores.py does not catch
    let value: bigint;
    try {
      value = pyInt(first);
    } catch (e) {
      if (e instanceof PythonError) throw new OfficialScorerError(e.pythonError, e.message);
      throw e;
    }
    return pyJsonEquals(l, value);
  }
  return pyJsonEquals(l, new PyFloat(pyFloatFromString(first)));
}

export function scoreLongDialogue(pred: string, label: PyJsonValue): boolean {
  const l = pyIndex(label, 0);
  const words = pySplit(replaceAll(pyStrip(pred), RETRIEVAL_SEPARATORS)).map(pyUpper);
  return pyContains(words, l);
}

export function scoreLongbookChoice(pred: string, label: PyJsonValue): boolean {
  let p = pyStrip(pred);
  if (p === "") return false;
  const first = Array.from(p)[0] as string;
  if ("ABCD".includes(first)) return pyContains(label, first);
  if (pyContains(label, p)) return true;
  p = collapseSpaces(replaceAll(p, ["\n", '"', "'", ".", ",", "?", "!", "{", "}"]));
  for (const prefix of ["answer is:", "answer:", "answer is", "option is"]) {
    const idx = pyFind(p, prefix);
    if (idx === -1) continue;
    if (pyLen(p) < idx + pyLen(prefix) + 1) return false;
    const after = sliceAfter(p, p.indexOf(prefix) + prefix.length, 1);
    for (const s of pyIter(label)) if (startsWith(after, s)) return true;
    return false;
  }
  for (const word of pySplit(p)) {
    if ("ABCD".includes(word)) return pyContains(label, word);
  }
  return false;
}

function requireStr(v: PyJsonValue, what: string): string {
  if (typeof v !== "string") throw new OfficialScorerError("AttributeError", `'${pyTypeName(v)}' object has no attribute 'lower' (${what})`);
  return v;
}

/** The best token F1 over the labels: `qa_f1_score` (words after normalize_answer) or `qa_f1_score_zh` (characters after normalize_zh_answer). */
function bestF1(pred: string, label: PyJsonValue, zh: boolean): number {
  const tokens = (text: string) => (zh ? Array.from(normalizeZhAnswer(text)) : pySplit(normalizeAnswer(text)));
  let best = 0;
  for (const gt of pyIter(label)) {
    if (typeof gt !== "string") throw new OfficialScorerError("AttributeError", `'${pyTypeName(gt)}' object has no attribute 'lower' (${zh ? "qa_f1_score_zh" : "qa_f1_score"})`);
    best = Math.max(best, tokenF1(tokens(pred), tokens(gt)));
  }
  return best;
}
export const scoreQaF1 = (pred: string, label: PyJsonValue): number => bestF1(pred, label, false);
export const scoreQaF1Zh = (pred: string, label: PyJsonValue): number => bestF1(pred, label, true);

/** `evaluate.load("rouge")`'s default rouge types: all four are computed, rougeLsum is read. */
const ROUGE = new RougeScorer(["rouge1", "rouge2", "rougeL", "rougeLsum"]);

/** `ROUGE_SCORER.compute(predictions=[pred], references=[label], use_aggregator=False)["rougeLsum"][0]`. */
export function scoreLongbookSum(pred: string, label: PyJsonValue): number {
  if (isList(label)) {
    const refs = label.map((r) => {
      if (typeof r !== "string") throw new OfficialScorerError("TypeError", `a reference is a ${pyTypeName(r)}, not a str`);
      return r;
    });
    if (refs.length === 0) throw new OfficialScorerError("ValueError", "attempt to get argmax of an empty sequence");
    return (ROUGE.scoreMulti(refs, pred).rougeLsum as { fmeasure: number }).fmeasure;
  }
  if (typeof label !== "string") throw new OfficialScorerError("TypeError", `the reference is a ${pyTypeName(label)}, not a str`);
  return (ROUGE.score(label, pred).rougeLsum as { fmeasure: number }).fmeasure;
}

export function scoreMathCalc(pred: string, label: PyJsonValue, modelName: string): number {
  if (!isList(label)) throw new OfficialScorerError("AssertionError", `Expected list, got <class '${pyTypeName(label)}'>`);
  let l: readonly PyJsonValue[] = label;
  const head = pyIndex(l, 0);
  if (isList(head)) l = head;
  let nums = (pred.match(/[0-9]+/g) ?? []).map((d) => BigInt(d));
  if (modelName === "gpt4") nums = nums.slice(1);
  let count = 0;
  for (let i = 0; i < l.length; i++) {
    if (i >= nums.length) break;
    if (pyJsonEquals(l[i] as PyJsonValue, nums[i] as bigint)) count++;
    else break;
  }
  if (l.length === 0) throw new OfficialScorerError("ZeroDivisionError", "division by zero (empty label list)");
  return count / l.length;
}

const isList = (v: PyJsonValue): v is readonly PyJsonValue[] => Array.isArray(v);

/** compute_scores.py `get_score_one`: the task's score as a float (booleans as 0.0 / 1.0); where it raises, OfficialScorerError. */
export function scoreOne(pred: string, label: PyJsonValue, task: TaskId, modelName: string): number {
  try {
    return scoreOneRaw(pred, label, task, modelName);
  } catch (e) {
    if (e instanceof PythonError) throw new OfficialScorerError(e.pythonError, e.message);
    throw e;
  }
}

function scoreOneRaw(pred: string, label: PyJsonValue, task: TaskId, modelName: string): number {
  switch (task) {
    case "passkey":
    case "number_string":
      return Number(scorePasskey(pred, label));
    case "kv_retrieval":
      return Number(scoreKvRetrieval(pred, label));
    case "code_run":
      return Number(scoreCodeRun(pred, label));
    case "code_debug":
      return Number(scoreCodeDebug(pred, label));
    case "math_find":
      return Number(scoreMathFind(pred, label));
    case "longdialogue_qa_eng":
      return Number(scoreLongDialogue(pred, label));
    case "longbook_choice_eng":
      return Number(scoreLongbookChoice(pred, label));
    case "longbook_qa_eng":
      return scoreQaF1(pred, label);
    case "longbook_qa_chn":
      return scoreQaF1Zh(pred, label);
    case "longbook_sum_eng":
      return scoreLongbookSum(pred, label);
    case "math_calc":
      return scoreMathCalc(pred, label, modelName);
  }
}

/** compute_scores.py `get_score`: `sum(scores) / len(scores)`. */
export function meanScore(scores: readonly number[]): number {
  if (scores.length === 0) throw new OfficialScorerError("ZeroDivisionError", "division by zero (no predictions)");
  let total = 0;
  for (const s of scores) total += s;
  return total / scores.length;
}
