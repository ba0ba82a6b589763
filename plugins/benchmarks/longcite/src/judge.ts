/**
 * LongBench-Cite's judged scores, as THUDM/LongCite @ d7d772e3 computes them:
 * - citation recall / precision / F1 (LongBench-Cite/auto_scorer.py `get_citation_score`);
 * - correctness (LongBench-Cite/eval_correct.py `gpt_score_qa`, `gpt_score_summ`, `gpt_score_fewshot`).
 * Every judge call goes through `Judge.complete` with the official prompt, settings and retry loop;
 * verdicts are parsed with the official regexes, malformed ones included.
 */
import type { ChatMessage, Judge, JudgeRequest } from "@loomscope/spec";
import { OfficialScorerError, PY_DIGIT_CLASS_SOURCE, PyFloat, PythonError, numpyMean, pyInt, pyJsonStr, pyStrip, type PyJsonValue } from "@loomscope/metrics";
import {
  CORRECTNESS_SYSTEM,
  FEWSHOT_TEMPLATE,
  NEED_CITATION_TEMPLATE,
  QA_TEMPLATE,
  RELEVANT_TEMPLATE,
  SUMM_TEMPLATE,
  SUPPORT_TEMPLATE,
} from "./prompts.js";

export const JUDGE_MODEL = "gpt-4o-2024-05-13";
/** eval_cite.py: `get_citation_score(js, max_statement_num=40)`. */
export const MAX_STATEMENTS = 40;

/** Python `template.format(a, b, …)` for templates whose only braces are positional `{}` fields. */
export function formatPositional(template: string, args: readonly string[]): string {
  const parts = template.split("{}");
  if (parts.length - 1 > args.length) {
    throw new OfficialScorerError("IndexError", `str.format: ${parts.length - 1} fields, ${args.length} arguments`);
  }
  return parts.map((p, i) => (i === 0 ? p : (args[i - 1] as string) + p)).join("");
}

// ---------------------------------------------------------------------------------------------
// Citation quality (auto_scorer.py)

/** `cat_qa_and_statement`. */
export function catQaAndStatement(question: string, answer: string, statement: string): string {
  return `<question>\n${pyStrip(question)}\n</question>\n\n<response>\n${pyStrip(answer)}\n</response>\n\n<sentence>\n${pyStrip(statement)}\n</sentence>`;
}

/** `cat_question_statement_context`. */
export function catQuestionStatementContext(question: string, statement: string, context: string): string {
  return `<question>\n${pyStrip(question)}\n</question>\n\n<statement>\n${pyStrip(statement)}\n</statement>\n\n<snippet>\n${pyStrip(context)}\n</snippet>\n\n`;
}

/** `re.findall(r'\[\[([ /a-zA-Z]+)\]\]', s)[0]`, or null. */
function firstBracketed(s: string): string | null {
  const m = /\[\[([ /a-zA-Z]+)\]\]/.exec(s);
  return m ? (m[1] as string) : null;
}

/** `need_citation_to_score`: 1 when the first [[…]] contains "yes" (any case), else 0; null without one. */
export function needCitationToScore(s: string): number | null {
  const l = firstBracketed(s);
  if (l === null) return null;
  return l.toLowerCase().includes("yes") ? 1 : 0;
}

/** `support_level_to_score`: "fully" → 1, "partially" → 0.5, other → 0; null without [[…]]. */
export function supportLevelToScore(s: string): number | null {
  const l = firstBracketed(s);
  if (l === null) return null;
  const low = l.toLowerCase();
  return low.includes("fully") ? 1 : low.includes("partially") ? 0.5 : 0;
}

/** `relevant_level_to_score`: "unrelevant" → 0, other → 1; null without [[…]]. */
export function relevantLevelToScore(s: string): number | null {
  const l = firstBracketed(s);
  if (l === null) return null;
  return l.toLowerCase().includes("unrelevant") ? 0 : 1;
}

/**
 * The request need_citation / is_support / is_relevant send on try t (temperature 0 first, then 1).
 * Tries 2-5 are the same request: `attempt` (t + 1) makes each its own call and cache entry.
 */
export function citationJudgeRequest(prompt: string, attempt: number): JudgeRequest {
  return { messages: [{ role: "user", content: prompt }], temperature: attempt === 0 ? 0 : 1, maxNewTokens: 10, stop: ["Analysis:"], attempt: attempt + 1 };
}

/** The loop shared by need_citation, is_support and is_relevant: up to 5 tries, stop early on "Trigger". */
async function citationVerdict(
  prompt: string,
  parse: (s: string) => number | null,
  judge: Judge,
  signal?: AbortSignal,
): Promise<{ score: number | null; output: string }> {
  let score: number | null = null;
  let output = "";
  for (let t = 0; t < 5; t++) {
    output = await judge.complete(citationJudgeRequest(prompt, t), signal === undefined ? undefined : { signal });
    score = parse(output);
    if (score === null) {
      if (output.includes("Trigger")) break;
      continue;
    }
    break;
  }
  return { score, output };
}

export const needCitationPrompt = (question: string, answer: string, sentence: string): string =>
  formatPositional(NEED_CITATION_TEMPLATE, [catQaAndStatement(question, answer, sentence)]);
export const supportPrompt = (question: string, statement: string, context: string): string =>
  formatPositional(SUPPORT_TEMPLATE, [catQuestionStatementContext(question, statement, context)]);
export const relevantPrompt = (question: string, statement: string, citation: string): string =>
  formatPositional(RELEVANT_TEMPLATE, [catQuestionStatementContext(question, statement, citation)]);

/** A statement with its citations, as the prediction files hold them (`{"statement", "citation": [{"cite", …}]}`). */
export interface CitedStatement {
  statement: string;
  citation: { cite: string }[];
}

/** What `score_recall` / `score_precision` leave on each statement and citation. */
export interface CitationJudgement {
  /** np.mean of the scores (a float), or the int 0 when there is nothing to score. */
  recall: number;
  precision: number;
  f1: number;
  recallIsInt: boolean;
  precisionIsInt: boolean;
  /** Per judged statement (the first MAX_STATEMENTS): support_output, support_score. */
  support: { output: string; score: number }[];
  /** Per judged statement, per citation: relevant_output, relevant_score. */
  relevant: { output: string; score: number }[][];
}

/** The item cannot be scored: auto_scorer.py raises NotImplementedError and eval_cite.py drops the item. */
export class UnexpectedVerdictError extends Error {
  readonly code = "JUDGE_VERDICT";
  constructor(
    readonly kind: "support" | "need_citation" | "relevant",
    readonly output: string,
  ) {
    super(`unexpected ${kind} verdict after the official tries: ${JSON.stringify(output)}; eval_cite.py leaves the response out`);
    this.name = "UnexpectedVerdictError";
  }
}

/** auto_scorer.py `get_citation_score` (with eval_cite.py's max_statement_num=40). */
export async function citationScores(
  question: string,
  prediction: string,
  statements: readonly CitedStatement[],
  judge: Judge,
  signal?: AbortSignal,
): Promise<CitationJudgement> {
  const answer = prediction.replace(/<cite>[\s\S]*?<\/cite>/g, "").split("<statement>").join("").split("</statement>").join("");
  const judged = statements.length > MAX_STATEMENTS ? statements.slice(0, MAX_STATEMENTS) : statements;
  const recallScores: number[] = [];
  const support: CitationJudgement["support"] = [];
  for (const js of judged) {
    const cites = js.citation.map((c) => c.cite);
    if (cites.length > 0) {
      const context = pyStrip(cites.join("\n\n"));
      let score: number | null;
      let output: string;
      if (context === "") {
        score = 0;
        output = "No matched citation";
      } else {
        ({ score, output } = await citationVerdict(supportPrompt(question, js.statement, context), supportLevelToScore, judge, signal));
      }
      if (score === null) throw new UnexpectedVerdictError("support", output);
      support.push({ output, score });
      recallScores.push(score);
    } else {
      const { score, output } = await citationVerdict(needCitationPrompt(question, answer, js.statement), needCitationToScore, judge, signal);
      if (score === null) throw new UnexpectedVerdictError("need_citation", output);
      support.push({ output, score: 1 - score });
      recallScores.push(1 - score);
    }
  }
  const precisionScores: number[] = [];
  const relevant: CitationJudgement["relevant"] = [];
  for (const js of judged) {
    const row: { output: string; score: number }[] = [];
    for (const c of js.citation) {
      const { score, output } = await citationVerdict(relevantPrompt(question, js.statement, c.cite), relevantLevelToScore, judge, signal);
      if (score === null) throw new UnexpectedVerdictError("relevant", output);
      row.push({ output, score });
      precisionScores.push(score);
    }
    relevant.push(row);
  }
  const recall = recallScores.length === 0 ? 0 : numpyMean(recallScores);
  const precision = precisionScores.length === 0 ? 0 : numpyMean(precisionScores);
  const f1 = recall + precision === 0 ? 0 : (2 * recall * precision) / (recall + precision);
  return { recall, precision, f1, recallIsInt: recallScores.length === 0, precisionIsInt: precisionScores.length === 0, support, relevant };
}

// ---------------------------------------------------------------------------------------------
// Correctness (eval_correct.py)

export type CorrectnessKind = "qa" | "summ" | "fewshot";

/** eval_correct.py `dataset2metric` ("multifieldqa" maps to None: calling it raises TypeError). */
export const DATASET_CORRECTNESS: Readonly<Record<string, CorrectnessKind | null>> = {
  "longbench-chat": "fewshot",
  multifieldqa_en: "qa",
  multifieldqa_zh: "qa",
  multifieldqa: null,
  hotpotqa: "qa",
  dureader: "qa",
  gov_report: "summ",
};

/** `process`: `<cite>…</cite>` removed (DOTALL, lazy), then the statement tags. */
export function stripCitations(prediction: string): string {
  return prediction.replace(/<cite>[\s\S]*?<\/cite>/g, "").split("<statement>").join("").split("</statement>").join("");
}

export interface FewShot {
  answer: string;
  score: PyJsonValue;
}

/** The user prompt of one correctness call. Few-shot answers stay in data order (the official shuffle is unseeded). */
export function correctnessPrompt(kind: CorrectnessKind, query: string, groundTruth: string, prediction: string, fewShots: readonly FewShot[] = []): string {
  if (kind === "qa") return QA_TEMPLATE.split("$Q$").join(query).split("$A$").join(groundTruth).split("$P$").join(prediction);
  if (kind === "summ") return SUMM_TEMPLATE.split("$A$").join(groundTruth).split("$P$").join(prediction);
  const pred = pyStrip(prediction.split("\n").join(" "));
  const shots = fewShots.flatMap((s) => [s.answer, pyJsonStr(s.score ?? null)]);
  return formatPositional(FEWSHOT_TEMPLATE, [query, groundTruth, ...shots, pred]);
}

export function correctnessRequest(kind: CorrectnessKind, prompt: string): JudgeRequest {
  const messages: ChatMessage[] = [
    { role: "system", content: CORRECTNESS_SYSTEM },
    { role: "user", content: prompt },
  ];
  // query_llm's defaults: max_new_tokens 1024, stop None; few-shot stops at a blank line.
  return kind === "fewshot" ? { messages, temperature: 0, maxNewTokens: 1024, stop: ["\n\n"] } : { messages, temperature: 0, maxNewTokens: 1024 };
}

const RATING_NUMBER = new RegExp(`${PY_DIGIT_CLASS_SOURCE}+\\.${PY_DIGIT_CLASS_SOURCE}+|${PY_DIGIT_CLASS_SOURCE}+`, "u");

/** `re.findall(r"\[\[([^\]]+)\]\]", response)[-1]`, then the first `\d+\.\d+|\d+` (Unicode digits, as Python's `\d`). */
export function parseRating(response: string): string | null {
  const all = [...response.matchAll(/\[\[([^\]]+)\]\]/g)];
  const last = all.at(-1);
  if (!last) return null;
  const m = RATING_NUMBER.exec(last[1] as string);
  return m ? m[0] : null;
}

export interface CorrectnessCall {
  /** The score this ground truth gets: the rating mapped, or 0.5 when no rating was read. */
  score: number;
  /** The reply that gave the rating (appended to gpt_usage.responses), or null for the 0.5 fallback. */
  response: string | null;
  calls: number;
}

/** One `gpt_score_*` call: up to 5 tries (few-shot: 2) at temperature 0, 0.5 when no rating is read. */
export async function correctnessScore(
  kind: CorrectnessKind,
  query: string,
  groundTruth: string,
  prediction: string,
  judge: Judge,
  fewShots: readonly FewShot[] = [],
  signal?: AbortSignal,
): Promise<CorrectnessCall> {
  const request = correctnessRequest(kind, correctnessPrompt(kind, query, groundTruth, prediction, fewShots));
  const maxTries = kind === "fewshot" ? 2 : 5;
  let tries = 0;
  let calls = 0;
  let rating: string | null = null;
  let response: string | null = null;
  while (rating === null && tries < maxTries) {
    // The same request again (temperature 0): `attempt` makes each try its own call and cache entry.
    response = await judge.complete({ ...request, attempt: calls + 1 }, signal === undefined ? undefined : { signal });
    calls++;
    rating = parseRating(response);
    if (rating === null) {
      tries++;
      response = null;
    }
  }
  if (rating === null) return { score: 0.5, response: null, calls };
  let n: number;
  try {
    n = Number(pyInt(rating)); // int(rating): "4.5" raises ValueError, which eval_correct.py does not catch
  } catch (e) {
    if (e instanceof PythonError) throw new OfficialScorerError(e.pythonError, `int() of the rating ${JSON.stringify(rating)}: ${e.message}`);
    throw e;
  }
  const score = kind === "qa" ? (n - 1) / 2 : kind === "summ" ? (n - 1) / 4 : n / 10;
  return { score, response, calls };
}

/** `process` in eval_correct.py: the max over the ground truths (starting from the int 0). */
export async function itemCorrectness(
  dataset: string,
  query: string,
  answers: readonly string[],
  prediction: string,
  judge: Judge,
  fewShots: readonly FewShot[] = [],
  signal?: AbortSignal,
): Promise<{ score: number; scoreIsInt: boolean; responses: string[]; calls: number }> {
  const kind = DATASET_CORRECTNESS[dataset];
  if (kind === undefined) throw new OfficialScorerError("KeyError", `no correctness metric for dataset "${dataset}"`);
  const cleaned = stripCitations(prediction);
  let score = 0;
  let scoreIsInt = true;
  const responses: string[] = [];
  let calls = 0;
  for (const gt of answers) {
    if (kind === null) throw new OfficialScorerError("TypeError", `dataset2metric["${dataset}"] is None ('NoneType' object is not callable)`);
    const r = await correctnessScore(kind, query, gt, cleaned, judge, fewShots, signal);
    calls += r.calls;
    if (r.response !== null) responses.push(r.response);
    if (r.score > score) {
      score = r.score;
      scoreIsInt = false;
    }
  }
  return { score, scoreIsInt, responses, calls };
}
