/**
 * L-CiteEval's generation-quality scores per sample, as script/eval_correct.py computes them:
 * - QA and dialogue (narrativeqa, natural_questions, hotpotqa, 2wikimultihopqa, dialsim, locomo):
 *   the first line of the stripped generation, citations removed, SQuAD-normalised token F1 /
 *   precision / recall, each the max over the answers separately;
 * - summaries (qmsum, gov_report, multi_news): a "summary…:" head cut, first line, citations
 *   removed, ROUGE-L F of rouge 1.0.1; an empty answer, or no ":" after "summary", scores nothing
 *   (`continue`: 0 in the sum, still in the count);
 * - counting_stars: the JSON between the first "{" and the first "}", `little_penguin` counts found
 *   among the gold counts, × 100;
 * - niah: ROUGE-1 recall of the first line, citations removed.
 * Where eval_correct.py raises (an unreadable ROUGE call, a list answer for ROUGE, a JSON answer
 * without `little_penguin`, …) we throw OfficialScorerError with the Python error.
 */
import { OfficialScorerError, PY_DIGIT_CLASS_SOURCE, PythonError, normalizeAnswer, pyContains, pyHashKey, pyIter, pyInt, pyJsonLoads, pyLower, pySplit, pyStrip, rougeScores, PyFloat, type PyJsonValue } from "@loomscope/metrics";

// Python's \d is Unicode (Python 3.11's tables).
const SPACE_CITATION = new RegExp(` \\[${PY_DIGIT_CLASS_SOURCE}+`, "gu");
const CITATION = new RegExp(`\\[${PY_DIGIT_CLASS_SOURCE}+`, "gu");
/** `re.search(r"The little penguin counted (\d+) ★", doc)`. */
export const PENGUIN_COUNT = new RegExp(`The little penguin counted (${PY_DIGIT_CLASS_SOURCE}+) ★`, "u");

export const QA_TASKS = ["narrativeqa", "natural_questions", "hotpotqa", "2wikimultihopqa", "dialsim", "locomo"];
export const SUMMARY_TASKS = ["qmsum", "gov_report", "multi_news"];

/** `remove_citations`: `re.sub(r"\[\d+", "", re.sub(r" \[\d+", "", sent)).replace(" |", "").replace("]", "")` (Unicode \d). */
export function removeCitations(sent: string): string {
  return sent.replace(SPACE_CITATION, "").replace(CITATION, "").split(" |").join("").split("]").join("");
}

/** The stripped generation cut at its first "\n". */
export function firstLine(generation: string): string {
  const a = pyStrip(generation);
  const i = a.indexOf("\n");
  return i === -1 ? a : a.slice(0, i);
}

function counts(tokens: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const t of tokens) m.set(t, (m.get(t) ?? 0) + 1);
  return m;
}

/** `qa_f1_score` → (f1, precision, recall); (0, 0, 0) without a common token. */
export function qaF1Triple(prediction: string, groundTruth: string): [number, number, number] {
  const p = pySplit(normalizeAnswer(prediction));
  const g = pySplit(normalizeAnswer(groundTruth));
  const cg = counts(g);
  let same = 0;
  for (const [k, v] of counts(p)) same += Math.min(v, cg.get(k) ?? 0);
  if (same === 0) return [0, 0, 0];
  const precision = (1.0 * same) / p.length;
  const recall = (1.0 * same) / g.length;
  return [(2 * precision * recall) / (precision + recall), precision, recall];
}

/** An answer field as the data holds it (str, int, or list of str). */
export type Answer = string | number | readonly string[];

/** QA correctness of one generation: max f1, precision and recall over the answers (each on its own). */
export function qaCorrectness(generation: string, answer: Answer): { f1: number; precision: number; recall: number } {
  const ans = removeCitations(firstLine(generation));
  if (typeof answer === "string" || typeof answer === "number") {
    const [f1, precision, recall] = qaF1Triple(ans, String(answer));
    return { f1, precision, recall };
  }
  let f1 = 0;
  let precision = 0;
  let recall = 0;
  for (const a of answer) {
    const [f, p, r] = qaF1Triple(ans, a);
    f1 = Math.max(f1, f);
    precision = Math.max(precision, p);
    recall = Math.max(recall, r);
  }
  return { f1, precision, recall };
}

/** Python frames under `Rouge.get_scores` in eval_correct.py: `<module>` and `rouge_score`. */
const ROUGE_FRAMES = { callerFrames: 2 };

function rougeOrCrash(hyp: string, ref: string): ReturnType<typeof rougeScores> {
  try {
    return rougeScores(hyp, ref, undefined, ROUGE_FRAMES);
  } catch (e) {
    if (e instanceof OfficialScorerError) {
      // rouge_score returns 0.0 and the caller indexes it.
      throw new OfficialScorerError("TypeError", `'float' object is not subscriptable (rouge raised ${e.pythonError}: ${e.message})`);
    }
    throw e;
  }
}

/** Summary correctness: ROUGE-L F, or 0 where the script `continue`s (still counted). */
export function summaryCorrectness(generation: string, answer: Answer): number {
  let ans = pyStrip(generation);
  if (pyLower(Array.from(ans).slice(0, 100).join("")).includes("summary")) {
    const ind = ans.indexOf(":");
    if (ind === -1) return 0;
    ans = pyStrip(ans.slice(ind + 1));
  }
  const nl = ans.indexOf("\n");
  if (nl !== -1) ans = ans.slice(0, nl);
  ans = removeCitations(ans);
  if (ans === "") return 0;
  if (typeof answer !== "string") {
    throw new OfficialScorerError("TypeError", "'>' not supported between instances of 'dict' and 'int' (max over a list answer)");
  }
  return rougeOrCrash(ans, answer)["rouge-l"].f;
}

/** niah correctness: ROUGE-1 recall of the first line. */
export function niahCorrectness(generation: string, answer: Answer): number {
  const ans = removeCitations(firstLine(generation));
  if (typeof answer !== "string") {
    throw new OfficialScorerError("TypeError", "'>' not supported between instances of 'dict' and 'int' (max over a list answer)");
  }
  return rougeOrCrash(ans, answer)["rouge-1"].r;
}

/** Gold passage ids (1-based) and counts: docs holding "The little penguin counted", and `(\d+) ★` after it. */
export function countingStarsGold(docs: readonly unknown[]): { ids: number[]; counts: number[] } {
  const ids: number[] = [];
  const out: number[] = [];
  docs.forEach((d, j) => {
    if (typeof d === "string" && d.includes("The little penguin counted")) {
      ids.push(j + 1);
      const m = PENGUIN_COUNT.exec(d);
      if (!m) throw new OfficialScorerError("AttributeError", "'NoneType' object has no attribute 'group'");
      out.push(Number(pyInt(m[1] as string)));
    }
  });
  return { ids, counts: out };
}


/** The answer JSON as the scripts read it (null where json.loads fails: the sample scores 0). */
export function countingStarsAnswer(generation: string, chatQa = false): PyJsonValue | null {
  const ans = pyStrip(generation);
  try {
    if (!chatQa) {
      const i1 = ans.indexOf("{");
      const i2 = ans.indexOf("}");
      if (i1 === -1 || i2 === -1) return null;
      return pyJsonLoads(ans.slice(i1, Math.max(i1, i2 + 1)));
    }
    return pyJsonLoads("{" + ans + "}");
  } catch {
    return null;
  }
}

/** A Python exception of a builtin as the official scorer's own. */
function asScorerError<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof PythonError) throw new OfficialScorerError(e.pythonError, e.message);
    throw e;
  }
}

/** Python `x in list` for the JSON values of little_penguin / passage_id against int lists (== across int/float/bool). */
export function inInts(v: PyJsonValue, list: readonly number[]): boolean {
  return asScorerError(() => pyContains(list, v));
}

/** `key in container`, raising as the official script does. */
export function pyIn(container: PyJsonValue, key: string): boolean {
  return asScorerError(() => pyContains(container, key));
}

/** `set(passage_id)`: its distinct elements (Python's ==), in first-seen order; TypeError where set() raises. */
export function distinct(ids: PyJsonValue): PyJsonValue[] {
  return asScorerError(() => {
    const seen = new Map<string, PyJsonValue>();
    for (const x of pyIter(ids)) {
      const k = pyHashKey(x);
      if (!seen.has(k)) seen.set(k, x);
    }
    return [...seen.values()];
  });
}

/** counting_stars correctness (× 100). */
export function countingStarsCorrectness(generation: string, docs: readonly unknown[], answer: Answer, chatQa = false): number {
  const gold = countingStarsGold(docs);
  const answerLength = Array.isArray(answer) ? answer.length : typeof answer === "string" ? Array.from(answer).length : -1;
  if (answerLength === -1) throw new OfficialScorerError("TypeError", "object of type 'int' has no len()");
  if (gold.counts.length !== answerLength) throw new OfficialScorerError("AssertionError", "len(gold_ans_lst) != len(i['answer'])");
  const parsed = countingStarsAnswer(generation, chatQa);
  if (parsed === null) return 0;
  if (pyIn(parsed, "passage_id")) {
    const ids = distinct((parsed as Map<string, PyJsonValue>).get("passage_id") as PyJsonValue);
    if (ids.length === 0) throw new OfficialScorerError("ZeroDivisionError", "division by zero (empty passage_id)");
    if (gold.ids.length === 0) throw new OfficialScorerError("ZeroDivisionError", "division by zero (no gold passage)");
  }
  if (!(parsed instanceof Map)) throw new OfficialScorerError("TypeError", "indices must be integers (model_ans['little_penguin'])");
  if (!parsed.has("little_penguin")) throw new OfficialScorerError("KeyError", "'little_penguin'");
  const lp = parsed.get("little_penguin") as PyJsonValue;
  const list: PyJsonValue[] = Array.isArray(lp) ? (lp as PyJsonValue[]) : typeof lp === "string" ? Array.from(lp) : (() => {
    throw new OfficialScorerError("TypeError", "object is not subscriptable (little_penguin)");
  })();
  let total = 0;
  for (const a of list.slice(0, gold.counts.length)) if (inInts(a, gold.counts)) total++;
  return (total / gold.counts.length) * 100;
}
