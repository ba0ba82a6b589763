/**
 * The per-task metric of compute_scores.py as metric objects. Each reads the label stored in the
 * sample's `scoring` (as get_answer returned it) and returns what get_score_one returns (0–1).
 */
import { defineMetric, type Metric, type MetricInput } from "@loomscope/metrics";
import { decodeLabel } from "./data.js";
import { scoreOne } from "./score.js";
import { isTaskId, type TaskId } from "./tasks.js";

/** The model name compute_scores.py is run with: only "gpt4" changes a score (Math.Calc drops its first number). */
export function scoringModelName(input: MetricInput): string {
  if (input.protocol === "loom") return "loom"; // LOOM-Scope passes its own model name, never "gpt4"
  const family = input.scoring?.["model_family"];
  return typeof family === "string" ? family : "gpt4";
}

function scorer(task: TaskId) {
  return (input: MetricInput): number => {
    if (!isTaskId(input.task)) throw new Error(`infinitebench has no task "${input.task}"`);
    return scoreOne(input.prediction, decodeLabel(input.scoring?.["label"]), task, scoringModelName(input));
  };
}

const binary = (id: string, task: TaskId, description: string): Metric =>
  defineMetric({ id, description, binary: true, score: scorer(task) });
const graded = (id: string, task: TaskId, description: string): Metric =>
  defineMetric({ id, description, score: scorer(task) });

/** Metric objects by task, first (and only) = headline. */
export const TASK_METRICS: Readonly<Record<TaskId, Metric>> = {
  passkey: binary("first_int_match", "passkey", "the first run of digits in the prediction equals the pass key"),
  number_string: binary("first_int_match", "number_string", "the first run of digits in the prediction equals the number"),
  kv_retrieval: binary("kv_words", "kv_retrieval", "the value is one of the prediction's words (after \\n : \" ' . , ? ! { } became spaces)"),
  longdialogue_qa_eng: binary("dialogue_name", "longdialogue_qa_eng", "the first label name is one of the upper-cased words of the prediction"),
  longbook_sum_eng: graded("rouge_lsum", "longbook_sum_eng", "HF evaluate rouge: rougeLsum F-measure (Google rouge_score, no stemming), best over references"),
  longbook_choice_eng: binary("choice_option", "longbook_choice_eng", "compute_scores.py option extraction (first letter, answer prefix, first A-D word)"),
  longbook_qa_eng: graded("qa_f1", "longbook_qa_eng", "token F1 after normalize_answer, best over labels"),
  longbook_qa_chn: graded("qa_f1_zh_chars", "longbook_qa_chn", "character F1 after normalize_zh_answer, best over labels"),
  math_find: binary("math_find_first_number", "math_find", "the first number of the prediction equals the answer"),
  math_calc: graded("math_calc_prefix", "math_calc", "share of the leading intermediate values reproduced in order (GPT-4: first number dropped)"),
  code_run: binary("code_run_last_int", "code_run", "the last word of the prediction, read with int(), equals the return value"),
  code_debug: binary("code_debug_option", "code_debug", "compute_scores.py option extraction (letter or function name after an answer prefix)"),
};
