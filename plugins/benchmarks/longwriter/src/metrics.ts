/**
 * LongBench-Write's two scores, as THUDM/LongWriter @ 3fcfdff4 computes them:
 * - S_l (evaluation/eval_length.py `score(x, y)`): piecewise on the required length x and the
 *   produced length y, where y is pred.py's `count_words(response)` (CJK ideographs U+4E00–U+9FFF
 *   one each, plus `\b[a-zA-Z]+\b` matches under Python's Unicode word boundaries).
 * - S_q (evaluation/eval_quality.py): GPT-4o with judge.txt scores six dimensions 1–5; each
 *   dimension's mean m becomes (m − 1) × 25, S_q is the mean of the six.
 * The paper's overall score is (S_l + S_q) / 2 (src/aggregate.ts); the scripts print S_l and S_q.
 */
import type { Judge, JudgeRequest, Protocol } from "@loomscope/spec";
import {
  OfficialScorerError,
  PythonError,
  defineMetric,
  isPyWordChar,
  pyContains,
  pyFloatOf,
  pyJsonLoads,
  pyTypeName,
  type AnyMetric,
  type Metric,
  type MetricInput,
  type PyJsonValue,
} from "@loomscope/metrics";
import { JUDGE_TEMPLATE } from "./judge-template.js";

/** eval_quality.py `dims`, in order (the order of every sum over them). */
export const DIMS = ["Relevance", "Accuracy", "Coherence", "Clarity", "Breadth and Depth", "Reading Experience"] as const;
export type Dim = (typeof DIMS)[number];

/** eval_quality.py: the judge model and `get_response_gpt4` defaults. */
export const JUDGE = {
  model: "gpt-4o-2024-05-13",
  temperature: 0.5,
  maxNewTokens: 1024,
  /** `while scores is None and trys < 5` (LOOM-Scope: `trys < 2`). */
  maxTries: { official: 5, loom: 2 } as Readonly<Record<Protocol, number>>,
} as const;

/**
 * pred.py `count_words`: `len(re.findall(r'[\u4e00-\u9fff]', text)) + len(re.findall(r'\b[a-zA-Z]+\b', text))`.
 * Python's `\b` sits between a `\w` and a non-`\w` character, `\w` being Unicode letters, digits and
 * `_`; so a run of word characters counts as one English word only when it is all ASCII letters
 * ("hello世界" is 2, "café" and "abc123" are 0).
 */
export function countWords(text: string): number {
  let chinese = 0;
  let english = 0;
  let runAllAscii = true;
  let inRun = false;
  for (const ch of text) {
    const cp = ch.codePointAt(0) as number;
    if (cp >= 0x4e00 && cp <= 0x9fff) chinese++;
    if (isPyWordChar(ch)) {
      if (!inRun) {
        inRun = true;
        runAllAscii = true;
      }
      if (!((ch >= "a" && ch <= "z") || (ch >= "A" && ch <= "Z"))) runAllAscii = false;
    } else if (inRun) {
      if (runAllAscii) english++;
      inRun = false;
    }
  }
  if (inRun && runAllAscii) english++;
  return chinese + english;
}

/**
 * eval_length.py `score(x, y)` (x required, y produced): `100 * max(0, 1 - (y/x - 1)/3)` when
 * y > x, else `100 * max(0, 1 - (x/y - 1)/2)`. Python divides by zero when y is 0 (or x is 0 and
 * y > 0) and the script stops: we throw.
 */
export function lengthScore(required: number, produced: number): number {
  if (produced > required) {
    if (required === 0) throw new OfficialScorerError("ZeroDivisionError", `length score: required length is 0 (y / x)`);
    return 100 * Math.max(0, 1 - (produced / required - 1) / 3);
  }
  if (produced === 0) {
    throw new OfficialScorerError("ZeroDivisionError", `length score: the response has no countable words (x / y with y = 0)`);
  }
  return 100 * Math.max(0, 1 - (required / produced - 1) / 2);
}

/** eval_quality.py: `prompt_template.replace('$INST$', item['prompt']).replace('$RESPONSE$', item["response"])`. */
export function judgePrompt(instruction: string, response: string): string {
  return JUDGE_TEMPLATE.split("$INST$").join(instruction).split("$RESPONSE$").join(response);
}

/** The request eval_quality.py's `get_response_gpt4(prompt)` sends: one user turn, temperature 0.5, 1024 tokens, no stop. */
export function judgeRequest(instruction: string, response: string): JudgeRequest {
  return {
    messages: [{ role: "user", content: judgePrompt(instruction, response) }],
    temperature: JUDGE.temperature,
    maxNewTokens: JUDGE.maxNewTokens,
  };
}

/** What one pass of process_data's `while` loop leaves: the parsed value (or null) and how much `trys` grew. */
export interface VerdictAttempt {
  scores: PyJsonValue | null;
  triesUsed: number;
}

/**
 * One iteration of eval_quality.py `process_data`'s loop on a judge reply. Kept exactly:
 * - a ```json fence is cut out with `re.search(r'```json\n(.*?)\n```', output, re.DOTALL)`; no
 *   match gives None and `None.replace` raises (one try used);
 * - newlines are removed, then `json.loads`; a parse error uses one try;
 * - `for dim in dims: if dim not in scores: scores = None; trys += 1`: the first missing dimension
 *   uses a try and sets scores to None, the next `dim not in None` raises and uses another (so a
 *   missing dimension costs 2 tries unless it is "Reading Experience");
 * - `in` on a list or a str is membership / substring, so `["Relevance", …]` or a string naming all
 *   six passes; on a number or bool it raises TypeError (one try) but `scores` stays set, so the
 *   loop ends and the value is kept (the final aggregation then fails on it).
 */
export function parseVerdictAttempt(output: string): VerdictAttempt {
  let text: string | null = output;
  let scores: PyJsonValue | null = null;
  let triesUsed = 0;
  try {
    if (text.includes("```json")) {
      const m = /```json\n([\s\S]*?)\n```/.exec(text);
      text = m ? (m[1] as string) : null;
    }
    if (text === null) throw new PythonError("TypeError", "'NoneType' object has no attribute 'replace'");
    text = text.split("\n").join("");
    scores = pyJsonLoads(text);
    for (const dim of DIMS) {
      if (scores === null) pyContains(null, dim); // raises, as `dim not in None` does
      if (!pyContains(scores as PyJsonValue, dim)) {
        scores = null;
        triesUsed++;
      }
    }
  } catch {
    triesUsed++;
  }
  return { scores, triesUsed };
}

/** The outcome of process_data for one item: the kept verdict (null when it gave up) and every raw reply. */
export interface QualityVerdict {
  scores: PyJsonValue | null;
  outputs: string[];
}

/** process_data for one item: ask until a verdict parses or the tries are used up (5; LOOM-Scope 2). */
export async function judgeQuality(
  instruction: string,
  response: string,
  judge: Judge,
  protocol: Protocol = "official",
  signal?: AbortSignal,
): Promise<QualityVerdict> {
  const request = judgeRequest(instruction, response);
  const maxTries = JUDGE.maxTries[protocol];
  const outputs: string[] = [];
  let scores: PyJsonValue | null = null;
  let tries = 0;
  while (scores === null && tries < maxTries) {
    // The same request again is the next try: `attempt` makes it its own (cached) call, so re-scoring replays the sequence.
    const output = await judge.complete({ ...request, attempt: outputs.length + 1 }, signal === undefined ? undefined : { signal });
    outputs.push(output);
    const attempt = parseVerdictAttempt(output);
    scores = attempt.scores;
    tries += attempt.triesUsed;
  }
  return { scores, outputs };
}

/**
 * eval_quality.py's final aggregation for one dimension of one verdict:
 * `float(score[dim]) if dim in score else 3`, with Python's errors (a str or list verdict passes
 * `in` and then fails on indexing; a number fails on `in`; "4/5" fails in float()).
 */
export function dimensionValue(scores: PyJsonValue, dim: Dim): number {
  if (!pyContains(scores, dim)) return 3;
  if (!(scores instanceof Map)) {
    const what = pyTypeName(scores) === "list" ? "list indices must be integers or slices, not str" : "string indices must be integers, not 'str'";
    throw new PythonError("TypeError", what);
  }
  return pyFloatOf(scores.get(dim));
}

/** `((sum(scores) / len(scores)) - 1) * 25` over one dimension's values (Python's left-to-right sum). */
export function dimensionScore(values: readonly number[]): number {
  if (values.length === 0) throw new OfficialScorerError("ZeroDivisionError", "quality score: no judged response (sum(scores) / len(scores))");
  let s = 0;
  for (const v of values) s += v;
  return (s / values.length - 1) * 25;
}

/** `total_score['total'] = sum(total_score.values()) / len(total_score)` over the six dimension scores. */
export function totalQuality(dimensionScores: readonly number[]): number {
  let s = 0;
  for (const v of dimensionScores) s += v;
  return s / dimensionScores.length;
}

/** A verdict's six raw values, or the official aggregation's error for it. */
export function verdictDimensions(scores: PyJsonValue): Record<Dim, number> {
  const out = {} as Record<Dim, number>;
  try {
    for (const dim of DIMS) out[dim] = dimensionValue(scores, dim);
  } catch (e) {
    if (e instanceof PythonError) {
      throw new OfficialScorerError(e.pythonError, `quality score: the judge's verdict cannot be aggregated (${e.message})`);
    }
    throw e;
  }
  return out;
}

/** The judge gave up (no parsable verdict within the tries): eval_quality.py drops the item from S_q (the metrics return null for it). */
export class JudgeGaveUpError extends Error {
  readonly code = "JUDGE_VERDICT";
  constructor(readonly outputs: readonly string[]) {
    super(
      `the judge gave no usable verdict in ${outputs.length} replies; eval_quality.py prints the last one and leaves the response out of S_q`,
    );
    this.name = "JudgeGaveUpError";
  }
}

/**
 * LOOM-Scope's LongWriter eval.py computes each judged item's quality with
 * `float(score[dim]) if dim in scores_temp else 3`, where `score` is the module's length-score
 * function: every parsed verdict raises TypeError.
 */
export const LOOM_QUALITY_CRASH = "'function' object is not subscriptable";

// One judge loop per (judge, prompt): the seven quality metrics of a sample share it.
const verdicts = new WeakMap<Judge, Map<string, Promise<QualityVerdict>>>();
const VERDICT_MEMO = 64;

function memoQuality(input: MetricInput): Promise<QualityVerdict> {
  const judge = input.judge;
  if (!judge) throw new Error("longwriter quality needs a judge (--judge <backend:model>)");
  const instruction = scoringString(input, "prompt");
  const key = `${input.protocol}\u0000${instruction}\u0000${input.prediction}`;
  let memo = verdicts.get(judge);
  if (!memo) verdicts.set(judge, (memo = new Map()));
  let hit = memo.get(key);
  if (!hit) {
    hit = judgeQuality(instruction, input.prediction, judge, input.protocol, input.signal);
    memo.set(key, hit);
    if (memo.size > VERDICT_MEMO) memo.delete(memo.keys().next().value as string);
    hit.catch(() => memo?.delete(key));
  }
  return hit;
}

function scoringString(input: MetricInput, key: string): string {
  const v = input.scoring?.[key];
  if (typeof v !== "string") throw new Error(`longwriter sample has no scoring.${key}`);
  return v;
}

function scoringNumber(input: MetricInput, key: string): number {
  const v = input.scoring?.[key];
  if (typeof v !== "number") throw new Error(`longwriter sample has no scoring.${key}`);
  return v;
}

/**
 * Six raw dimension values of one sample's verdict, following the protocol; null when the judge gave
 * no usable verdict in the official tries (eval_quality.py, and LOOM-Scope's eval.py, leave the
 * response out of S_q: counted apart, never as 0).
 */
export async function sampleDimensions(input: MetricInput): Promise<Record<Dim, number> | null> {
  const { scores } = await memoQuality(input);
  if (scores === null) return null;
  if (input.protocol === "loom") {
    throw new OfficialScorerError("TypeError", `LOOM-Scope's eval.py raises on every parsed verdict (${LOOM_QUALITY_CRASH}): its quality score cannot be computed; --benchmark-opt longwriter.quality=false runs its length score alone`);
  }
  return verdictDimensions(scores);
}

/** S_q of one response: the official aggregation over a one-item list. */
export function qualityOfDimensions(dims: Readonly<Record<Dim, number>>): number {
  return totalQuality(DIMS.map((d) => dimensionScore([dims[d]])));
}

export const lengthScoreMetric: Metric = defineMetric({
  id: "length_score",
  description: "S_l: eval_length.py score(required, count_words(response)), 0-100",
  scale: 1,
  score: (input) => lengthScore(scoringNumber(input, "length"), countWords(input.prediction)),
});

export const qualityMetric: AnyMetric = defineMetric({
  id: "quality",
  description: "S_q of one response: mean over the six judge dimensions of (score - 1) * 25, 0-100 (GPT-4o with judge.txt)",
  scale: 1,
  judge: "LLM judge",
  score: async (input) => {
    const dims = await sampleDimensions(input);
    return dims === null ? null : qualityOfDimensions(dims);
  },
});

/** `quality_<dimension>`: the raw 1-5 value, so the aggregate can take the official per-dimension means. */
export const dimensionMetricId = (dim: Dim): string => `quality_${dim.toLowerCase().replace(/ /g, "_")}`;

export const dimensionMetrics: readonly AnyMetric[] = DIMS.map((dim) =>
  defineMetric({
    id: dimensionMetricId(dim),
    description: `the judge's raw "${dim}" score (1-5) as float() reads it`,
    scale: 1,
    judge: "LLM judge",
    score: async (input) => (await sampleDimensions(input))?.[dim] ?? null,
  }),
);

/** Headline first: S_l needs no judge; the quality metrics do. */
export const LONGWRITER_METRICS: readonly Metric[] = [lengthScoreMetric, qualityMetric, ...dimensionMetrics];
/** The metrics left when the judge-scored ones are dropped on request (`quality: false`). */
export const LENGTH_ONLY_METRICS: readonly Metric[] = [lengthScoreMetric];
