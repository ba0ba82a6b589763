/**
 * Per-sample metric objects. Each returns one sample's contribution exactly as auto_eval.py
 * computes it before averaging (so the aggregate reproduces the printed numbers):
 * - exam tasks: `exact_match_score` of the processed answer (1, 0.25 or 0), Topic Retrieval on the
 *   raw answer; Sci-Fi: the loyalty and the fact half separately;
 * - f1 tasks: `f1_score`; rouge tasks: rouge_score's fmeasure per type after sent_tokenize;
 * - judge tasks: the two pairwise judgments against the battle model's answer.
 */
import { OfficialScorerError, defineMetric, type Metric, type MetricInput } from "@loomscope/metrics";
import { WITH_OPTION_TASKS } from "./autoeval.js";
import { judgePair } from "./judge.js";
import {
  exactMatchScore,
  f1Score,
  processGtCode,
  processGtJudge,
  processGtMc,
  processMath,
  processOutputCode,
  processOutputJudge,
  processOutputMc,
  rougeFmeasures,
} from "./process.js";
import { TASK_CONFIG, isClosedTask, isJudgeTask, isOpenTask, type ClosedTask, type TaskId } from "./tasks.js";

function reference(input: MetricInput): string {
  const ref = input.references[0];
  if (ref === undefined) throw new Error("the sample has no reference answer");
  return ref;
}

/** The processed (prediction, reference) auto_eval.py compares for an exam task other than Topic Retrieval and Sci-Fi. */
export function examPair(task: ClosedTask, prediction: string, gt: string): [string, string] {
  if ((WITH_OPTION_TASKS as readonly string[]).includes(task)) return [processOutputMc(prediction, task === "coursera"), processGtMc(gt)];
  if (task === "gsm100") return [processMath(prediction), processMath(gt)];
  if (task === "codeU") return [processOutputCode(prediction, gt), processGtCode(gt)];
  return [prediction, gt];
}

const examEm = defineMetric({
  id: "exact_match",
  description: "em.py exact_match_score after auto_eval.py's answer processing (1, 0.25 for a subset of the correct options, 0)",
  score: (input) => {
    const task = input.task as ClosedTask;
    const [p, r] = examPair(task, input.prediction, reference(input));
    return exactMatchScore(p, r);
  },
});

const loyaltyEm = defineMetric({
  id: "loyalty_exact_match",
  description: "Sci-Fi: the answer before \"[fact:\" read as true/false against the reference's",
  binary: true,
  score: (input) => exactMatchScore(processOutputJudge(input.prediction)[0], processGtJudge(reference(input))[0]),
});

const factEm = defineMetric({
  id: "fact_exact_match",
  description: "Sci-Fi: the answer after \"[fact:\" read as true/false against the reference's",
  binary: true,
  score: (input) => exactMatchScore(processOutputJudge(input.prediction)[1], processGtJudge(reference(input))[1]),
});

const f1 = defineMetric({ id: "f1", description: "f1.py f1_score (token F1 after normalize_answer)", score: (input) => f1Score(input.prediction, reference(input)) });

const rouge = (type: "rouge1" | "rouge2" | "rougeL" | "rougeLsum"): Metric =>
  defineMetric({
    id: type,
    description: `Google rouge_score ${type} F-measure after "\\n".join(nltk.sent_tokenize(text)) on both sides`,
    score: (input) => rougeFmeasures(input.prediction, reference(input))[type],
  });

function battle(input: MetricInput): string {
  const b = input.scoring?.["battle_answer"];
  if (typeof b !== "string") throw new Error("the sample has no battle answer (llm_eval.py only judges questions the battle file answers)");
  return b;
}

function needJudge(input: MetricInput) {
  if (!input.judge) throw new OfficialScorerError("JudgeMissing", "LEval's llm_eval.py needs a judge (--judge)");
  return input.judge;
}

/** Judgments won (a tie counts 0.5), 0-2 per sample. */
const judgePoints = defineMetric({
  id: "llm_judge_points",
  description: "llm_eval.py pairwise judgments against turbo-16k-0613: wins + 0.5 × ties over the two orders (0-2)",
  judge: "LLM judge",
  scale: 50,
  score: async (input) => {
    const o = await judgePair(needJudge(input), input.scoring?.["query"] as string ?? "", input.prediction, battle(input), reference(input), input.signal);
    return o.wins + 0.5 * o.ties;
  },
});

/** Judgments that produced a verdict (0-2 per sample): the denominator of the win rate. */
const judgeValid = defineMetric({
  id: "llm_judge_valid",
  description: "llm_eval.py judgments with a [[A]]/[[B]]/[[C]] verdict (0-2); errors are dropped from the win rate",
  judge: "LLM judge",
  scale: 50,
  score: async (input) => {
    const o = await judgePair(needJudge(input), input.scoring?.["query"] as string ?? "", input.prediction, battle(input), reference(input), input.signal);
    return 2 - o.errors;
  },
});

export const ROUGE_METRICS = [rouge("rouge1"), rouge("rouge2"), rouge("rougeL"), rouge("rougeLsum")] as const;

/** Metric objects of a task, headline first. */
export function taskMetrics(task: TaskId): readonly Metric[] {
  if (isJudgeTask(task)) return [judgePoints, judgeValid];
  if (task === "sci_fi") return [loyaltyEm, factEm];
  if (isClosedTask(task)) return [examEm];
  if (isOpenTask(task)) return TASK_CONFIG[task] === "f1" ? [f1] : ROUGE_METRICS;
  throw new Error(`leval has no task "${String(task)}"`);
}
