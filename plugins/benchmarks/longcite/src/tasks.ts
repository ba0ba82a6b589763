/**
 * LongBench-Cite's task table. One task per dataset of LongBench-Cite.json (eval_cite.py `datasets`,
 * eval_correct.py `dataset2metric`). The prompt is pred_one_shot.py's (for models without citation
 * training): one_shot_prompt.txt with `<<context>>` = the context cut into sentences, each prefixed
 * `<C{i}>`, and `<<question>>` = the query; sent as one user turn with temperature 1 and 1024 new
 * tokens, never truncated. (pred_sft.py calls the LongCite models' own `query_longcite`, whose prompt
 * lives in the model repository, not here: max_input_length 128000, max_new_tokens 1024.)
 */
import { defineTasks, type TaskRow as KitTaskRow } from "@loomscope/benchmark-kit";
import type { Language as SpecLanguage } from "@loomscope/spec";
import { ONE_SHOT_TEMPLATE } from "./prompts.js";
import { LONGCITE_METRICS } from "./metrics.js";

export type Language = SpecLanguage;
export type TaskRow = KitTaskRow;

/** pred_one_shot.py: `query_llm(msg, model=cite_model, temperature=1, max_new_tokens=1024)`. */
export const GENERATION = { maxNewTokens: 1024, temperature: 1, stop: [] as string[] } as const;
/** pred_one_shot.py sends the whole context; pred_sft.py lets `query_longcite` cut at 128000 tokens. */
export const TRUNCATION = { oneShot: "none", sft: { maxInputLength: 128000 } } as const;

/**
 * one_shot_prompt.txt as a `str.format` template: its literal braces doubled, `<<context>>` → `{context}`,
 * `<<question>>` → `{question}`. (The task rows render the official `.replace` chain instead, which
 * also replaces a "<<question>>" written inside the context.)
 */
export const ONE_SHOT_FORMAT = ONE_SHOT_TEMPLATE.replace(/[{}]/g, (b) => b + b)
  .split("<<context>>")
  .join("{context}")
  .split("<<question>>")
  .join("{question}");

/** pred_one_shot.py: `prompt_format.replace('<<context>>', passage).replace('<<question>>', query)`, one user turn. */
const PROMPT = {
  template: ONE_SHOT_TEMPLATE,
  replacements: [
    { placeholder: "<<context>>", key: "context" },
    { placeholder: "<<question>>", key: "question" },
  ],
  contextKey: "context",
  queryKey: "question",
  truncation: "none",
  chat: "model",
} as const;

const row = (id: string, language: Language, tags: string[]) =>
  ({
    id,
    language,
    tags,
    lengths: [],
    maxNewTokens: GENERATION.maxNewTokens,
    prompt: { ...PROMPT, replacements: [...PROMPT.replacements] },
    metrics: LONGCITE_METRICS,
    retrieval: "unsuitable",
    generation: { temperature: GENERATION.temperature },
  }) satisfies TaskRow;

export const TASKS = defineTasks([
  row("longbench-chat", "multi", ["en", "zh", "chat"]),
  row("multifieldqa_en", "en", ["single-doc QA"]),
  row("multifieldqa_zh", "zh", ["single-doc QA"]),
  row("hotpotqa", "en", ["multi-doc QA"]),
  row("dureader", "zh", ["multi-doc QA"]),
  row("gov_report", "en", ["summarization"]),
]);
export const TASK_IDS: readonly string[] = TASKS.map((t) => t.id);
