/**
 * LooGLE's four tasks as data: prompts (config/task2prompt.json) and generation budgets
 * (config/task2maxlen.json) of bigai-nlco/LooGLE @ 6734382215bea3a63f055ffd7873b2967b6a2477.
 */
import type { Metric } from "@loomscope/metrics";
import { METRICS_BY_TASK } from "./metrics.js";

export type LoogleTaskId = "shortdep_qa" | "longdep_qa" | "longdep_summarization" | "shortdep_cloze";

export interface TaskRow {
  id: LoogleTaskId;
  language: "en";
  tags?: string[];
  lengths: string[];
  maxNewTokens: number;
  prompt: {
    template: string;
    contextKey: string;
    queryKey?: string;
    truncation: "middle" | "none";
    chat: "model" | "raw";
  };
  metrics: Metric[];
  /** Where LOOM-Scope differs (its LooGLE covers only these two tasks). */
  loom?: { maxNewTokens?: number; template?: string; metrics?: string[] };
}

// config/task2prompt.json, byte for byte (Python str.format placeholders; {{ }} are literal braces).
export const PROMPTS: Readonly<Record<LoogleTaskId, string>> = {
  shortdep_qa: "Please answer the question based on the long texts below. \n{input}\nQuestion: {Q}\nAnswer: ",
  longdep_qa: "Please answer the question based on the long texts below. \n{input}\nQuestion: {Q}\nAnswer: ",
  longdep_summarization: "Please generate a summary of the below paper. \n{input}\n Summarization: ",
  shortdep_cloze:
    "Please fill in the clozes based on the given long texts below. Each of the placeholder '<mask-n>' in the question could be an entity of Person, Location or Organiocation. The same masks represent the same entity. Output a json format answer, for example: {{'<mask-0>': 'Bob', '<mask-1>': 'Gorrosion Magazine','<mask-2>': 'Bethel Horizon'}}\n{input}\n Question: {Q} What are the masked entities? \nAnswer:",
};

// config/task2maxlen.json.
export const MAX_NEW_TOKENS: Readonly<Record<LoogleTaskId, number>> = {
  shortdep_qa: 300,
  longdep_qa: 500,
  longdep_summarization: 500,
  shortdep_cloze: 50,
};

/**
 * Truncation (Prediction/pred_opensource_models.py `get_pred`, pred_gpt_models.py the same with
 * tiktoken cl100k_base): the formatted prompt is tokenized (special tokens included); when longer
 * than `--max_length` it becomes decode(ids[:half]) + decode(ids[-half:]) with
 * half = int(max_length / 2), special tokens skipped. Nothing is reserved for the answer. The
 * open-source path then tokenizes the result again with `truncation=True` (the tokenizer's own
 * model_max_length). The README's examples pass `--max_length 500`; there is no default.
 */
export const TRUNCATION = { where: "middle", half: "int(max_length / 2)", tokenizer: "the model's (tiktoken cl100k_base for GPT models)", reserve: 0 } as const;

/**
 * Generation. Open-source models (pred_opensource_models.py): the raw prompt, no chat template,
 * `model.generate(max_new_tokens=max_gen, temperature=1.0, num_beams=1, do_sample=False,
 * repetition_penalty=2.0)`. GPT models (pred_gpt_models.py): the prompt as one *system* message,
 * temperature 0.0, top_p 1, max_tokens=max_gen, frequency/presence penalty 0.
 */
export const GENERATION = {
  openSource: { doSample: false, numBeams: 1, temperature: 1.0, repetitionPenalty: 2.0, chatTemplate: false },
  gpt: { role: "system", temperature: 0.0, topP: 1, frequencyPenalty: 0, presencePenalty: 0 },
} as const;

// LOOM-Scope's LooGLE (older GitHub LooGLE.py; the PyPI 0.1 LooGLE.py is not readable): its own prompt.
const LOOM_QA_PROMPT =
  "Please answer the question based on the long texts below. If it is a multiple choice question, only the options are output\n + {input} + \nQuestion:  {question} + \nAnswer: ";
const LOOM_SUMMARY_PROMPT = "Please generate a summary of the below paper. \n{input}\n Summarization:";
const LOOM_METRICS = ["bleu1", "bleu4", "rouge1", "rouge4", "rougeL", "meteor_score", "bertscore"];

const row = (id: LoogleTaskId, queryKey: string | undefined, loom?: TaskRow["loom"]): TaskRow => ({
  id,
  language: "en",
  tags: [id.startsWith("short") ? "short-dependency" : "long-dependency"],
  lengths: [],
  maxNewTokens: MAX_NEW_TOKENS[id],
  prompt: { template: PROMPTS[id], contextKey: "input", ...(queryKey ? { queryKey } : {}), truncation: "middle", chat: "raw" },
  metrics: METRICS_BY_TASK[id],
  ...(loom ? { loom } : {}),
});

export const TASKS: readonly TaskRow[] = [
  row("shortdep_qa", "Q"),
  row("longdep_qa", "Q", { maxNewTokens: 500, template: LOOM_QA_PROMPT, metrics: LOOM_METRICS }),
  row("longdep_summarization", undefined, { maxNewTokens: 500, template: LOOM_SUMMARY_PROMPT, metrics: LOOM_METRICS }),
  row("shortdep_cloze", "Q"),
];

export const TASK_IDS: readonly LoogleTaskId[] = TASKS.map((t) => t.id);
export const isTask = (x: string): x is LoogleTaskId => (TASK_IDS as readonly string[]).includes(x);
