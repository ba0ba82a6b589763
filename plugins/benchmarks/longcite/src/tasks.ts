/**
 * LongBench-Cite's task table. One task per dataset of LongBench-Cite.json (eval_cite.py `datasets`,
 * eval_correct.py `dataset2metric`). The prompt is pred_one_shot.py's (for models without citation
 * training): one_shot_prompt.txt with `<<context>>` = the context cut into sentences, each prefixed
 * `<C{i}>`, and `<<question>>` = the query; sent as one user turn with temperature 1 and 1024 new
 * tokens, never truncated. (pred_sft.py calls the LongCite models' own `query_longcite`, whose prompt
 * lives in the model repository, not here: max_input_length 128000, max_new_tokens 1024.)
 */
import type { Metric } from "@loomscope/metrics";
import { ONE_SHOT_TEMPLATE } from "./prompts.js";
import { LONGCITE_METRICS } from "./metrics.js";

export type Language = "en" | "zh" | "ru" | "multi" | "code";

export interface TaskRow {
  id: string;
  language: Language;
  tags?: string[];
  lengths: string[];
  maxNewTokens: number;
  prompt: {
    template: string;
    contextKey: string;
    queryKey?: string;
    system?: string;
    assistantPrefix?: string;
    truncation: "middle" | "none";
    chat: "model" | "raw";
  };
  metrics: readonly Metric[];
  retrieval?: "suitable" | "unsuitable";
}

/** pred_one_shot.py: `query_llm(msg, model=cite_model, temperature=1, max_new_tokens=1024)`. */
export const GENERATION = { maxNewTokens: 1024, temperature: 1, stop: [] as string[] } as const;
/** pred_one_shot.py sends the whole context; pred_sft.py lets `query_longcite` cut at 128000 tokens. */
export const TRUNCATION = { oneShot: "none", sft: { maxInputLength: 128000 } } as const;

/**
 * one_shot_prompt.txt as a `str.format` template: its literal braces doubled, `<<context>>` → `{context}`,
 * `<<question>>` → `{question}`. (The official `.replace` chain would also replace a "<<question>>"
 * written inside the context; the template cannot.)
 */
export const ONE_SHOT_FORMAT = ONE_SHOT_TEMPLATE.replace(/[{}]/g, (b) => b + b)
  .split("<<context>>")
  .join("{context}")
  .split("<<question>>")
  .join("{question}");

const PROMPT = { template: ONE_SHOT_FORMAT, contextKey: "context", queryKey: "question", truncation: "none", chat: "model" } as const;

const row = (id: string, language: Language, tags: string[]): TaskRow => ({
  id,
  language,
  tags,
  lengths: [],
  maxNewTokens: GENERATION.maxNewTokens,
  prompt: { ...PROMPT },
  metrics: LONGCITE_METRICS,
  retrieval: "unsuitable",
});

export const TASKS: readonly TaskRow[] = [
  row("longbench-chat", "multi", ["en", "zh", "chat"]),
  row("multifieldqa_en", "en", ["single-doc QA"]),
  row("multifieldqa_zh", "zh", ["single-doc QA"]),
  row("hotpotqa", "en", ["multi-doc QA"]),
  row("dureader", "zh", ["multi-doc QA"]),
  row("gov_report", "en", ["summarization"]),
];
export const TASK_IDS = TASKS.map((t) => t.id);
