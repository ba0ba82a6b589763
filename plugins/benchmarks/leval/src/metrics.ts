/**
 * Per-sample metric objects. Each returns one sample's contribution exactly as auto_eval.py
 * computes it before averaging (so the aggregate reproduces the printed numbers):
 * - exam tasks: `exact_match_score` of the processed answer (1, 0.25 or 0), Topic Retrieval on the
 *   raw answer; Sci-Fi: the loyalty and the fact half separately;
 * - f1 tasks: `f1_score`; rouge tasks: rouge_score's fmeasure per type after sent_tokenize;
 * - judged evaluations of the open-ended tasks: the two pairwise judgments against the battle
 *   model's answer (a question the battle file does not answer is left out, as llm_eval.py skips it).
 * The prediction is first made what the baseline script writes: turbo16k-test.py `.strip()`s it,
 * llama2-chat-test.py drops "</s>" (`scoring.prediction_rule`).
 */
import { OfficialScorerError, defineMetric, pyLower, pyStrip, type Metric, type MetricInput } from "@loomscope/metrics";
import { fileKind, processPair } from "./autoeval.js";
import { judgePair, type PairOutcome } from "./judge.js";
import { exactMatchScore, f1Score, processGtJudge, processOutputJudge, rougeFmeasures } from "./process.js";
import { TASK_CONFIG, isClosedTask, type ClosedTask, type OpenEval, type TaskId } from "./tasks.js";

/** The prediction line the baseline script writes for this output. */
export function officialPrediction(input: MetricInput): string {
  const rule = input.scoring?.["prediction_rule"];
  if (rule === "strip") return pyStrip(input.prediction);
  if (rule === "drop-eos") return input.prediction.split("</s>").join("");
  return input.prediction;
}

function reference(input: MetricInput): string {
  const ref = input.references[0];
  if (ref === undefined) throw new Error("the sample has no reference answer");
  return ref;
}

const examEm = defineMetric({
  id: "exact_match",
  description: "em.py exact_match_score after auto_eval.py's answer processing (1, 0.25 for a subset of the correct options, 0)",
  score: (input) => {
    const task = input.task as ClosedTask;
    // auto_eval.py reads the task from the file name: Topic Retrieval raw, the others processed.
    const [p, r] = processPair(fileKind(task), officialPrediction(input), reference(input), task === "coursera");
    return exactMatchScore(p, r);
  },
});

/**
 * Sci-Fi's halves. A line without "[fact:" makes auto_eval.py raise (process_output_judge indexes the
 * split): here, where the run always writes the fact answer, such a prediction is left out (null).
 */
const sciFiHalf = (id: string, half: 0 | 1) =>
  defineMetric<number | null>({
    id,
    description: `Sci-Fi: the answer ${half === 0 ? "before" : "after"} "[fact:" read as true/false against the reference's`,
    binary: true,
    score: (input) => {
      const prediction = officialPrediction(input);
      if (!pyLower(prediction).includes("[fact:")) return null;
      return exactMatchScore(processOutputJudge(prediction)[half], processGtJudge(reference(input))[half]);
    },
  });
const loyaltyEm = sciFiHalf("loyalty_exact_match", 0);
const factEm = sciFiHalf("fact_exact_match", 1);

const f1 = defineMetric({ id: "f1", description: "f1.py f1_score (token F1 after normalize_answer)", score: (input) => f1Score(officialPrediction(input), reference(input)) });

const rouge = (type: "rouge1" | "rouge2" | "rougeL" | "rougeLsum"): Metric =>
  defineMetric({
    id: type,
    description: `Google rouge_score ${type} F-measure after "\\n".join(nltk.sent_tokenize(text)) on both sides`,
    score: (input) => rougeFmeasures(officialPrediction(input), reference(input))[type],
  });

function needJudge(input: MetricInput) {
  if (!input.judge) throw new OfficialScorerError("JudgeMissing", "LEval's llm_eval.py needs a judge (--judge)");
  return input.judge;
}

/** Both judge metrics of a sample read one pair of judgments: the second finds the first's. */
const pairs = new Map<string, Promise<PairOutcome>>();
function judged(input: MetricInput): Promise<PairOutcome> | null {
  const battle = input.scoring?.["battle_answer"];
  if (typeof battle !== "string") return null; // construct_pairs: `if query+gt not in battle_key2pred: continue`
  const query = String(input.scoring?.["query"] ?? "");
  const prediction = officialPrediction(input);
  const key = JSON.stringify([input.judge?.id, query, prediction, battle, reference(input)]);
  let pair = pairs.get(key);
  if (!pair) {
    if (pairs.size > 256) pairs.clear();
    pair = judgePair(needJudge(input), query, prediction, battle, reference(input), input.signal);
    pair.catch(() => pairs.delete(key));
    pairs.set(key, pair);
  }
  return pair;
}

/** Judgments won (a tie counts 0.5), 0-2 per sample. */
const judgePoints = defineMetric<number | null>({
  id: "llm_judge_points",
  description: "llm_eval.py pairwise judgments against turbo-16k-0613: wins + 0.5 × ties over the two orders (0-2)",
  judge: "LLM judge",
  scale: 50,
  score: async (input) => {
    const o = await judged(input);
    return o === null ? null : o.wins + 0.5 * o.ties;
  },
});

/** Judgments that produced a verdict (0-2 per sample): the denominator of the win rate. */
const judgeValid = defineMetric<number | null>({
  id: "llm_judge_valid",
  description: "llm_eval.py judgments with a [[A]]/[[B]]/[[C]] verdict (0-2); errors are dropped from the win rate",
  judge: "LLM judge",
  scale: 50,
  score: async (input) => {
    const o = await judged(input);
    return o === null ? null : 2 - o.errors;
  },
});

export const ROUGE_METRICS = [rouge("rouge1"), rouge("rouge2"), rouge("rougeL"), rouge("rougeLsum")] as const;
export const JUDGE_METRICS = [judgePoints, judgeValid] as const;

/** Metric objects of a task under the open-ended evaluation chosen, headline first. */
export function taskMetrics(task: TaskId, openEval: OpenEval = "ngram_eval"): readonly Metric[] {
  if (task === "sci_fi") return [loyaltyEm, factEm];
  if (isClosedTask(task)) return [examEm];
  if (openEval !== "ngram_eval") return JUDGE_METRICS;
  return TASK_CONFIG[task] === "f1" ? [f1] : ROUGE_METRICS;
}
