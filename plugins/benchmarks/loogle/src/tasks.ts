/**
 * LooGLE's four tasks as a task table: prompts (config/task2prompt.json) and generation budgets
 * (config/task2maxlen.json) of bigai-nlco/LooGLE @ 6734382215bea3a63f055ffd7873b2967b6a2477, the
 * truncation and chat rule of Prediction/pred_opensource_models.py, and the metrics of
 * Evaluation/automatic_eval.py and llm_eval.py. LOOM-Scope's LooGLE (`--protocol loom`) runs only
 * longdep_qa and longdep_summarization, with its own prompts and metric names.
 */
import { defineTasks } from "@loomscope/benchmark-kit";
import { LOOM_METRICS, METRICS_BY_TASK } from "./metrics.js";

export type LoogleTaskId = "shortdep_qa" | "longdep_qa" | "longdep_summarization" | "shortdep_cloze";

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
 * half = int(max_length / 2), special tokens skipped: the kit's `middle` rule. Nothing is reserved
 * for the answer. The open-source path then tokenizes the result again with `truncation=True` (the
 * tokenizer's own model_max_length). `--max_length` has no default (the README passes 500).
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

/**
 * LOOM-Scope's LooGLE.py `transform`: its own prompts, literal " + " pieces included, filled with
 * str.format(input=passage, question=question). Its summaries drop the trailing space.
 */
export const LOOM_PROMPTS = {
  longdep_qa: "Please answer the question based on the long texts below. If it is a multiple choice question, only the options are output\n + {input} + \nQuestion:  {question} + \nAnswer: ",
  longdep_summarization: "Please generate a summary of the below paper. \n{input}\n Summarization:",
} as const;

const dependency = (id: LoogleTaskId) => (id.startsWith("short") ? "short-dependency" : "long-dependency");

export const TASKS = defineTasks(
  (["shortdep_qa", "longdep_qa", "longdep_summarization", "shortdep_cloze"] as const).map((id) => {
    const loom = id === "longdep_qa" || id === "longdep_summarization";
    return {
      id,
      language: "en" as const,
      tags: [dependency(id)],
      maxNewTokens: MAX_NEW_TOKENS[id],
      prompt: { template: PROMPTS[id], contextKey: "input", ...(id === "longdep_summarization" ? {} : { queryKey: "Q" }), truncation: "middle" as const, chat: "raw" as const },
      metrics: METRICS_BY_TASK[id],
      retrieval: "suitable" as const,
      // LOOM-Scope's LooGLE has only the long-dependency QA and summaries; 500 new tokens for both.
      protocols: loom ? (["official", "loom"] as const) : (["official"] as const),
      ...(loom ? { loom: { maxNewTokens: 500, prompt: { template: LOOM_PROMPTS[id], ...(id === "longdep_qa" ? { queryKey: "question" } : {}) }, metrics: LOOM_METRICS } } : {}),
    };
  }),
);

export const TASK_IDS: readonly LoogleTaskId[] = TASKS.map((t) => t.id);
export const isTask = (x: string): x is LoogleTaskId => (TASK_IDS as readonly string[]).includes(x);
