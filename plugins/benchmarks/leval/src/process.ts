/**
 * LEval's answer extraction and per-answer metrics, as OpenLMLab/LEval @ cd34b05 writes them:
 * Evaluation/auto_eval.py (process_output_mc, process_gt_mc, process_math, process_output_code,
 * process_gt_code, process_gt_judge, process_output_judge), Evaluation/em.py (normalize_answer
 * without lower-casing, exact_match_score with the 0.25 partial credit), Evaluation/f1.py
 * (normalize_answer with lower-casing, f1_score) and Evaluation/rouge.py (Google rouge_score after
 * `"\n".join(nltk.sent_tokenize(text))`).
 */
import {
  ASCII_PUNCTUATION,
  OfficialScorerError,
  RougeScorer,
  isPyIsdigit,
  normalizeAnswer,
  PythonError,
  pyFloatFromString,
  pyLen,
  pyLower,
  pySplit,
  pyStrip,
  removeArticles,
  sentTokenize,
  tokenF1,
  whiteSpaceFix,
  PY_NON_SPACE_CLASS_SOURCE,
  PY_SPACE_CLASS_SOURCE,
  type RougeScore,
} from "@loomscope/metrics";


const OPTION_LETTERS = "ABCD";

/**
 * `process_output_mc(response)`. `isCoursera` is auto_eval.py's `"coursera" in args.pred_file`:
 * outside Coursera the first A-D character anywhere wins; Coursera reads multiple answers.
 */
export function processOutputMc(response: string, isCoursera: boolean): string {
  if (pyStrip(response).length === 0) return "None";
  if (OPTION_LETTERS.includes(response)) return response; // a substring test: "AB", "BCD", … come back as they are
  if (!isCoursera) {
    for (const ch of response) if (OPTION_LETTERS.includes(ch)) return ch;
  }
  // Leading option letters (the loop drops one leading character per letter it reads).
  let cleaned = "";
  let rest = Array.from(response);
  for (const ch of Array.from(response)) {
    if (OPTION_LETTERS.includes(ch)) {
      cleaned += ch;
      rest = rest.slice(1);
    } else break;
  }
  if (pyLen(cleaned) > 1) return [...new Set(Array.from(cleaned))].sort().join("");
  const remaining = rest.join("").split("Question")[0] as string;
  const options = remaining.match(OPTION_PATTERN) ?? [];
  cleaned += pyStrip(options.join(" "));
  cleaned = cleaned.replace(/[^A-D]/gu, "");
  cleaned = [...new Set(Array.from(cleaned))].sort().join("");
  if (pyLen(cleaned) < 1) {
    let hasAnswer = false;
    const chars = Array.from(remaining);
    for (const ch of chars) {
      if (OPTION_LETTERS.includes(ch)) {
        cleaned += ch;
        hasAnswer = true;
      } else if (hasAnswer) break;
    }
  }
  if (pyLen(cleaned) < 1) cleaned = "A";
  return cleaned;
}

/** `re.findall(r"\s*[A-Z](?=[\s.)])", response)` with Python's Unicode `\s`. */
const OPTION_PATTERN = new RegExp(`${PY_SPACE_CLASS_SOURCE}*[A-Z](?=${PY_SPACE_CLASS_SOURCE}|[.)])`, "gu");

/** `process_gt_mc(response)`: the letters A-D of the first word ("A" if none). */
export function processGtMc(response: string): string {
  const words = pySplit(response);
  if (words.length === 0) throw new OfficialScorerError("IndexError", "list index out of range (process_gt_mc: the reference has no words)");
  const cleaned = (words[0] as string).replace(/[^A-D]/gu, "");
  return cleaned.length < 1 ? "A" : cleaned;
}

const THE_ANSWER_IS = new RegExp(`The answer is (${PY_NON_SPACE_CLASS_SOURCE}+)`, "u");

/** `process_math(response)`: the digits of the number after "The answer is", else of the last word holding a digit. */
export function processMath(response: string): string {
  const match = THE_ANSWER_IS.exec(response);
  let ret = "";
  if (!match) {
    const words = (response.split("\n\n")[0] as string).split(" ").reverse();
    for (const word of words) {
      if (Array.from(word).some(isPyIsdigit)) {
        ret = word;
        break;
      }
    }
  } else {
    ret = match[1] as string;
  }
  let out = "";
  for (const ch of ret) {
    if (isPyIsdigit(ch)) out += ch;
    if (ch === ".") break;
  }
  return out;
}

const WS_RUN = new RegExp(`${PY_SPACE_CLASS_SOURCE}+`, "gu");

/** `process_gt_code(response)`. */
export function processGtCode(response: string): string {
  let r = response.replace(WS_RUN, " ");
  for (const [from, to] of [[",", ""], ["'", ""], ["\\", ""], [".0", ""], ["] [", "]["], ["[ [", "[["], ["] ]", "]]"]] as const) {
    r = r.split(from).join(to);
  }
  return r;
}

/** `re.split(r"\s+", text)` (empty strings at the ends kept, as Python keeps them). */
function splitWs(text: string): string[] {
  return text.split(new RegExp(`${PY_SPACE_CLASS_SOURCE}+`, "u"));
}

/** `process_output_code(response, gt)`: the last (or, after "the final output", the first) len(gt.split()) + 3 pieces. */
export function processOutputCode(response: string, gt: string): string {
  const n = pySplit(gt).length + 3;
  let r = processGtCode(response);
  for (const cut of ["will be", "of the code", "is", "would be", "the value of", "the result of", "printed"]) r = r.split(cut).join("");
  let pieces: string[];
  if (r.includes("the final output")) {
    const parts = r.split("the final output");
    pieces = splitWs(parts[parts.length - 1] as string).slice(0, n);
  } else {
    const all = splitWs(r);
    pieces = all.slice(Math.max(0, all.length - n));
  }
  return pieces.join(" ");
}

/** `process_gt_judge(response)`: [loyalty, fact] of "<loyalty> [fact: <fact>]", lower-cased. */
export function processGtJudge(response: string): [string, string] {
  const parts = pyLower(response).split("[fact:");
  if (parts.length < 2) {
    throw new OfficialScorerError("IndexError", 'list index out of range (process_gt_judge: no "[fact:" in the text)');
  }
  const fact = Array.from(parts[1] as string).slice(0, -1).join("");
  return [pyStrip(parts[0] as string), pyStrip(fact)];
}

/** `process_output_judge(response)`: "true" / "false" / "<error>" for the loyalty and the fact answer. */
export function processOutputJudge(response: string): [string, string] {
  const [loyalty, fact] = processGtJudge(response);
  const verdict = (text: string): string => {
    for (const word of pySplit(text)) {
      if (word.includes("true")) return "true";
      if (word.includes("false")) return "false";
    }
    return "<error>";
  };
  return [verdict(loyalty), verdict(fact)];
}

const ASCII_PUNCT = new Set(Array.from(ASCII_PUNCTUATION));

/** em.py `normalize_answer`: punctuation, then articles, then whitespace — and NO lower-casing. */
export function normalizeAnswerEm(text: string): string {
  let out = "";
  for (const ch of text) if (!ASCII_PUNCT.has(ch)) out += ch;
  return whiteSpaceFix(removeArticles(out));
}

/** em.py `exact_match_score(prediction, ground_truth)`: 1, 0.25 (a subset of the correct options) or 0. */
export function exactMatchScore(prediction: string, groundTruth: string): number {
  const gt = normalizeAnswerEm(groundTruth);
  const withOptions = Array.from(gt).every((ch) => OPTION_LETTERS.includes(ch));
  if (withOptions) {
    const pred = normalizeAnswerEm(prediction);
    if (pred === gt) return 1;
    const gtSet = new Set(Array.from(gt));
    return Array.from(pred).every((ch) => gtSet.has(ch)) ? 0.25 : 0;
  }
  // `try: float(prediction) == float(ground_truth)` / `except ValueError`
  const floatOrNull = (text: string): number | null => {
    try {
      return pyFloatFromString(text);
    } catch (e) {
      if (e instanceof PythonError) return null;
      throw e;
    }
  };
  const pre = floatOrNull(prediction);
  const gtv = pre === null ? null : floatOrNull(groundTruth);
  if (pre !== null && gtv !== null) return pre === gtv ? 1 : 0;
  const squeeze = (s: string) => pyLower(s).split(" ").join("");
  return squeeze(prediction).includes(squeeze(groundTruth)) ? 1 : 0;
}

/** f1.py `f1_score(prediction, ground_truth)` (normalize_answer lower-cases here). */
export function f1Score(prediction: string, groundTruth: string): number {
  return tokenF1(pySplit(normalizeAnswer(prediction)), pySplit(normalizeAnswer(groundTruth)));
}

/** rouge.py `postprocess_text`: `"\n".join(nltk.sent_tokenize(text))`. */
export function postprocessText(text: string): string {
  return sentTokenize(text).join("\n");
}

const ROUGE_TYPES = ["rouge1", "rouge2", "rougeL", "rougeLsum"] as const;
const ROUGE = new RougeScorer(ROUGE_TYPES);

/** rouge_score's fmeasure per type for one (prediction, reference) pair, after post-processing both. */
export function rougeFmeasures(prediction: string, reference: string): Record<(typeof ROUGE_TYPES)[number], number> {
  const scores = ROUGE.score(postprocessText(reference), postprocessText(prediction));
  const f = (t: (typeof ROUGE_TYPES)[number]) => (scores[t] as RougeScore).fmeasure;
  return { rouge1: f("rouge1"), rouge2: f("rouge2"), rougeL: f("rougeL"), rougeLsum: f("rougeLsum") };
}

/** One pair as auto_eval.py's transform_result_fn leaves it: fmeasure × 100 per type. */
export function rougePair(prediction: string, reference: string): Record<(typeof ROUGE_TYPES)[number], number> {
  const f = rougeFmeasures(prediction, reference);
  return { rouge1: f.rouge1 * 100, rouge2: f.rouge2 * 100, rougeL: f.rougeL * 100, rougeLsum: f.rougeLsum * 100 };
}

export { ROUGE_TYPES };
