/**
 * LongBench-Write's task table. Sources (THUDM/LongWriter @ 3fcfdff4):
 * - evaluation/pred.py: the prompt is the record's `prompt` sent as the one user turn
 *   (`model.chat(tokenizer, prompt, history=[])` for GLM; `f"[INST]{prompt}[/INST]"` as raw text for
 *   a model path containing "llama", which is LongWriter-llama3.1's own chat format), never truncated
 *   (`tokenizer(prompt, truncation=False)`), sampled with temperature 0.5 up to 32768 new tokens.
 * - evaluation/eval_length.py and eval_quality.py: the metrics (src/metrics.ts).
 */
import { defineTasks, type TaskRow as KitTaskRow } from "@loomscope/benchmark-kit";
import type { Language as SpecLanguage } from "@loomscope/spec";
import { LONGWRITER_METRICS } from "./metrics.js";

export type Language = SpecLanguage;
export type TaskRow = KitTaskRow;

/** pred.py `__main__` / `get_pred`: the official generation settings. */
export const GENERATION = {
  maxNewTokens: 32768,
  temperature: 0.5,
  doSample: true,
  numBeams: 1,
  /** `seed_everything(42)` */
  seed: 42,
  /** No stop strings; GLM stops at its own end tokens. */
  stop: [] as string[],
} as const;

/** pred.py: `tokenizer(prompt, truncation=False)`: the prompt is never cut. */
export const TRUNCATION = { rule: "none" } as const;

/** pred.py's llama branch: `prompt = f"[INST]{prompt}[/INST]"`, tokenized and generated without a chat template. */
export const LLAMA_INST_TEMPLATE = "[INST]{prompt}[/INST]";

const PROMPT = { template: "{prompt}", contextKey: "prompt", truncation: "none", chat: "model" } as const;

const row = (id: string, language: Language, tags: string[]) =>
  ({
    id,
    language,
    tags,
    lengths: [],
    maxNewTokens: GENERATION.maxNewTokens,
    prompt: { ...PROMPT },
    metrics: LONGWRITER_METRICS,
    retrieval: "unsuitable",
    generation: { temperature: GENERATION.temperature },
  }) satisfies TaskRow;

export const TASKS = defineTasks([
  row("longbench_write", "multi", ["en", "zh"]),
  row("longbench_write_en", "en", ["en"]),
  row("longwrite_ruler", "multi", ["en", "zh", "stress"]),
]);

export const TASK_IDS: readonly string[] = TASKS.map((t) => t.id);
export function taskRow(id: string): TaskRow | undefined {
  return TASKS.find((t) => t.id === id);
}
