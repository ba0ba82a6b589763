/**
 * LooGLE's metrics (Evaluation/automatic_metrics.py, Evaluation/llm_score.py @ 6734382). Each
 * per-sample function returns what the official function returns; `automatic_eval.py` first
 * replaces an empty prediction by "None" (applied here by `officialHypothesis`).
 */
import {
  OfficialScorerError,
  PythonError,
  UnsupportedLiteralError,
  defineMetric,
  literalEval,
  pyDictGet,
  pyInt,
  pySetOrder,
  pySplit,
  pyStrText,
  pyStrip,
  rougeScores,
  sentenceBleu,
  singleMeteorScore,
  type AnyMetric,
  type MetricInput,
  type PyValue,
} from "@loomscope/metrics";
import type { JsonObject, Judge } from "@loomscope/spec";
import type { LoogleTaskId } from "./tasks.js";

/** automatic_eval.py `evaluation`: `if hyp == '': hyp = 'None'`. */
export const officialHypothesis = (prediction: string): string => (prediction === "" ? "None" : prediction);

/** `text.replace("\n", " ").split()`. */
const words = (text: string): string[] => pySplit(text.replace(/\n/g, " "));

/** `get_bleu_score`: nltk sentence_bleu with weights (1,0,0,0) and (0,0,0,1), no smoothing. */
export function getBleuScore(reference: string, hypothesis: string): [number, number] {
  const ref = words(reference);
  const hyp = words(hypothesis);
  return [sentenceBleu([ref], hyp, [1, 0, 0, 0]), sentenceBleu([ref], hyp, [0, 0, 0, 1])];
}

/**
 * `get_rouge_score`: rouge 1.0.1 `Rouge().get_scores(hyps=[h], refs=[r])[0]`, the *recall* ("r")
 * of rouge-1, rouge-2 and rouge-l. Not caught: an empty side or a deep LCS stops the script.
 * Three Python frames call it (<module> → evaluation → get_rouge_score).
 */
export function getRougeScore(reference: string, hypothesis: string): [number, number, number] {
  const s = rougeScores(hypothesis, reference, ["rouge-1", "rouge-2", "rouge-l"], { callerFrames: 3 });
  return [(s["rouge-1"] as { r: number }).r, (s["rouge-2"] as { r: number }).r, (s["rouge-l"] as { r: number }).r];
}

/**
 * `get_meteor_score`: `single_meteor_score(set(reference), set(hypothesis))`. The value depends on
 * the sets' iteration order, i.e. on the process's PYTHONHASHSEED; `hashSeed` names it (0 = what
 * `PYTHONHASHSEED=0 python automatic_eval.py` gives; unset, the official number varies per run).
 */
export function getMeteorScore(reference: string, hypothesis: string, hashSeed = 0): number {
  return singleMeteorScore(pySetOrder(words(reference), hashSeed), pySetOrder(words(hypothesis), hashSeed));
}

export const BERTSCORE_REFUSAL =
  "BERTScore needs a model that can serve embeddings (roberta-large, as bert_score's lang='en' default); not available, so no value is reported";

/** `get_bertscore`: refused, never approximated. */
export function getBertScore(): never {
  throw new OfficialScorerError("Unavailable", BERTSCORE_REFUSAL);
}

/** A cloze hypothesis after `eval(hypothesis)` + `assert isinstance(hypothesis, dict)`, or null where that raises. */
function clozeDict(hypothesis: string | JsonObject): Extract<PyValue, { kind: "dict" }> | Map<string, unknown> | null {
  if (typeof hypothesis !== "string") return new Map(Object.entries(hypothesis));
  try {
      const v = literalEval(hypothesis, { mode: "eval" });
    return v.kind === "dict" ? v : null;
  } catch (e) {
    if (e instanceof PythonError || e instanceof UnsupportedLiteralError) return null;
    throw e;
  }
}

function lookup(dict: Extract<PyValue, { kind: "dict" }> | Map<string, unknown>, key: string): { found: boolean; value?: PyValue | unknown } {
  if (dict instanceof Map) return dict.has(key) ? { found: true, value: dict.get(key) } : { found: false };
  const v = pyDictGet(dict, key);
  return v === undefined ? { found: false } : { found: true, value: v };
}

const asPyStr = (v: PyValue | unknown): string | undefined =>
  typeof v === "string" ? v : typeof v === "object" && v !== null && (v as PyValue).kind === "str" ? pyStrText(v as { cps: number[] }) : undefined;

/** `get_exact_match`: (masks whose predicted value equals the answer exactly, masks). */
export function getExactMatch(reference: Readonly<Record<string, string>>, hypothesis: string | JsonObject): [number, number] {
  const keys = Object.keys(reference);
  const dict = clozeDict(hypothesis);
  if (dict === null) return [0, keys.length];
  let hits = 0;
  for (const key of keys) {
    const got = lookup(dict, key);
    if (got.found && asPyStr(got.value) === reference[key]) hits++;
  }
  return [hits, keys.length];
}

/** `get_partial_match`: masks whose predicted value shares a whitespace word with the answer. */
export function getPartialMatch(reference: Readonly<Record<string, string>>, hypothesis: string | JsonObject): [number, number] {
  const keys = Object.keys(reference);
  const dict = clozeDict(hypothesis);
  if (dict === null) return [0, keys.length];
  let hits = 0;
  for (const key of keys) {
    const got = lookup(dict, key);
    if (!got.found) continue;
    const value = asPyStr(got.value);
    if (value === undefined) throw new OfficialScorerError("AttributeError", `the predicted value of ${key} is not a str, so .split() fails`);
    const truth = new Set(pySplit(reference[key] as string));
    if (pySplit(value).some((w) => truth.has(w))) hits++;
  }
  return [hits, keys.length];
}

// ---- GPT-4 judge (Evaluation/llm_score.py) --------------------------------------------------

export const JUDGE_QA_SYSTEM =
  "Given one question, there is a groundtruth and a predict_answer. Please decide whether they are the same or not in semantic. Please only output 'True' or 'False' .";
export const JUDGE_SUMMARY_TEMPLATE =
  "There is a groundtruth summary of a arxiv paper and a auto-generated summary .Please Compare generated summary with the goundtruth and evaluate the generated summary from the perspectives of information completeness, consistency, fluency, and grammar by giving a score within the range of 0 to 100. \nGroundtruth = {} \nGenerated = {} \nScore = ";
/** `openai.ChatCompletion.create(model="gpt-4", temperature=0.0, top_p=1, max_tokens=10, ...)`. */
export const JUDGE_SETTINGS = { model: "gpt-4", temperature: 0.0, topP: 1, maxNewTokens: 10 } as const;

export function judgeMessages(task: string, question: string, reference: string, hypothesis: string): { role: "system" | "user"; content: string }[] {
  if (task.includes("qa")) {
    return [
      { role: "system", content: JUDGE_QA_SYSTEM },
      { role: "user", content: "Question: " + question + "\n" + "groudtruth = " + reference + "\n" + "predict_answer = " + hypothesis },
    ];
  }
  // str.format with two positional {} fields, filled in order.
  const parts = JUDGE_SUMMARY_TEMPLATE.split("{}");
  return [{ role: "system", content: (parts[0] as string) + reference + (parts[1] as string) + hypothesis + (parts[2] as string) }];
}

/** One judge call and the official reading of its verdict: the raw reply for QA, `int(reply)` for summaries. */
export async function judgeVerdict(judge: Judge, task: string, question: string, reference: string, hypothesis: string, signal?: AbortSignal): Promise<string | number> {
  const text = await judge.complete(
    { messages: judgeMessages(task, question, reference, hypothesis), maxNewTokens: JUDGE_SETTINGS.maxNewTokens, temperature: JUDGE_SETTINGS.temperature, topP: JUDGE_SETTINGS.topP },
    signal ? { signal } : undefined,
  );
  if (task.includes("qa")) return text;
  try {
    return Number(pyInt(text)); // int(response); a ValueError is not caught
  } catch (e) {
    if (e instanceof PythonError) throw new OfficialScorerError(e.pythonError, e.message);
    throw e;
  }
}

// ---- metric objects -----------------------------------------------------------------------

const ref0 = (input: MetricInput): string => {
  const r = input.references[0];
  if (r === undefined) throw new Error(`${input.task}: the sample has no reference`);
  return r;
};
const hyp = (input: MetricInput): string => officialHypothesis(input.prediction);
const seed = (input: MetricInput): number => (typeof input.scoring?.["pythonHashSeed"] === "number" ? (input.scoring["pythonHashSeed"] as number) : 0);
const clozeAnswer = (input: MetricInput): Record<string, string> => {
  const a = input.scoring?.["answer"];
  if (typeof a !== "object" || a === null || Array.isArray(a)) throw new Error(`${input.task}: the sample has no cloze answer dict`);
  return a as Record<string, string>;
};

export const bleu1 = defineMetric({ id: "bleu1", description: "nltk sentence_bleu, weights (1,0,0,0), no smoothing, whitespace tokens", score: (i) => getBleuScore(ref0(i), hyp(i))[0] });
export const bleu4 = defineMetric({ id: "bleu4", description: "nltk sentence_bleu, weights (0,0,0,1), no smoothing (0-count orders become 2.2e-308)", score: (i) => getBleuScore(ref0(i), hyp(i))[1] });
export const rouge1 = defineMetric({ id: "rouge1", description: "rouge 1.0.1 rouge-1 recall", score: (i) => getRougeScore(ref0(i), hyp(i))[0] });
export const rouge2 = defineMetric({ id: "rouge2", description: "rouge 1.0.1 rouge-2 recall (the README's ROUGE-4)", score: (i) => getRougeScore(ref0(i), hyp(i))[1] });
export const rougeL = defineMetric({ id: "rougeL", description: "rouge 1.0.1 rouge-l (summary level) recall", score: (i) => getRougeScore(ref0(i), hyp(i))[2] });
export const meteor = defineMetric({ id: "meteor", description: "nltk single_meteor_score(set(ref), set(hyp)) with WordNet 3.0, set order of PYTHONHASHSEED (default 0)", score: (i) => getMeteorScore(ref0(i), hyp(i), seed(i)) });
/** Never part of a task: BERTScore is refused (see BERTSCORE_REFUSAL); kept for callers that ask for it by name. */
export const bertscore = defineMetric({ id: "bertscore", description: BERTSCORE_REFUSAL, score: () => getBertScore() });
export const exactMatch = defineMetric({
  id: "exact_match",
  description: "cloze: masks predicted exactly / masks (the official total is round(sum of hits / sum of masks, 4))",
  score: (i) => {
    const [hit, n] = getExactMatch(clozeAnswer(i), hyp(i));
    return n === 0 ? null : hit / n;
  },
});
export const partialMatch = defineMetric({
  id: "partial_match",
  description: "cloze: masks whose prediction shares a word with the answer / masks (the official total is sum over sum)",
  score: (i) => {
    const [hit, n] = getPartialMatch(clozeAnswer(i), hyp(i));
    return n === 0 ? null : hit / n;
  },
});
const judgeOf = (i: MetricInput): Judge => {
  if (!i.judge) throw new Error(`${i.task}: the GPT-4 judge metric needs --judge`);
  return i.judge;
};
const question = (i: MetricInput): string => (typeof i.scoring?.["question"] === "string" ? (i.scoring["question"] as string) : "");
export const gpt4JudgeQa = defineMetric({
  id: "gpt4_judge",
  description: "GPT-4 judge (llm_score.py, QA prompt): 1 for a reply that is exactly 'True', 0 for exactly 'False'; any other reply is left out, as the official accuracy counts only those two",
  judge: "LLM judge",
  binary: true,
  score: async (i) => {
    const v = await judgeVerdict(judgeOf(i), i.task, question(i), ref0(i), i.prediction, i.signal);
    return v === "True" ? 1 : v === "False" ? 0 : null;
  },
});
export const gpt4ScoreSummary = defineMetric({
  id: "gpt4_score",
  description: "GPT-4 judge (llm_score.py, summary prompt): int(reply), a score from 0 to 100; a reply int() cannot read stops the official script and fails the sample here",
  judge: "LLM judge",
  scale: 1,
  score: async (i) => (await judgeVerdict(judgeOf(i), i.task, "", ref0(i), i.prediction, i.signal)) as number,
});

/** LOOM-Scope's names: rouge-2 recall is its "rouge4"; METEOR is "meteor_score" (and, alone, ×100 per sample). */
export const rouge4 = defineMetric({ id: "rouge4", description: "LOOM-Scope's rouge4: rouge 1.0.1 rouge-2 recall", score: (i) => getRougeScore(ref0(i), hyp(i))[1] });
export const meteorScore = defineMetric({ id: "meteor_score", description: "LOOM-Scope's meteor_score: nltk single_meteor_score(set(ref), set(hyp))", score: (i) => getMeteorScore(ref0(i), hyp(i), seed(i)) });
/** LOOM-Scope's automatic_eval.py metrics in its order, BERTScore (needs a model) left out. */
export const LOOM_METRICS: readonly AnyMetric[] = [bleu1, bleu4, rouge1, rouge4, rougeL, meteorScore];

/** The judge metrics, by task (llm_eval.py runs on QA and summaries only). */
export const JUDGE_METRIC_IDS = ["gpt4_judge", "gpt4_score"] as const;

/** BERTScore (`get_bertscore`, part of automatic_sim) is not among them: it needs a model serving embeddings. */
export const METRICS_BY_TASK: Readonly<Record<LoogleTaskId, AnyMetric[]>> = {
  shortdep_qa: [bleu1, bleu4, rouge1, rouge2, rougeL, meteor, gpt4JudgeQa],
  longdep_qa: [bleu1, bleu4, rouge1, rouge2, rougeL, meteor, gpt4JudgeQa],
  longdep_summarization: [bleu1, bleu4, rouge1, rouge2, rougeL, meteor, gpt4ScoreSummary],
  shortdep_cloze: [exactMatch, partialMatch],
};
