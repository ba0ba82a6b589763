/**
 * LongBench-Write's task table as plain data. Sources (THUDM/LongWriter @ 3fcfdff4):
 * - evaluation/pred.py: the prompt is the record's `prompt` sent as the one user turn
 *   (`model.chat(tokenizer, prompt, history=[])` for GLM; `f"[INST]{prompt}[/INST]"` as raw text for
 *   Llama, which is LongWriter-llama3.1's own chat format), never truncated
 *   (`tokenizer(prompt, truncation=False)`), sampled with temperature 0.5 up to 32768 new tokens.
 * - evaluation/eval_length.py and eval_quality.py: the metrics (src/metrics.ts).
 */
import type { Metric } from "@loomscope/metrics";
import { LONGWRITER_METRICS } from "./metrics.js";

export type Language = "en" | "zh" | "ru" | "multi" | "code";

export interface TaskRow {
  id: string;
  language: Language;
  tags?: string[];
  /** Length levels ([] when length is not a dimension, as here: each prompt asks for its own length). */
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
  /** Where LOOM-Scope's LongWriter differs (none of these fields does; see README). */
  loom?: Partial<Omit<TaskRow, "id" | "loom">>;
}

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

const PROMPT = { template: "{prompt}", contextKey: "prompt", truncation: "none", chat: "model" } as const;

export const TASKS: readonly TaskRow[] = [
  {
    id: "longbench_write",
    language: "multi",
    tags: ["en", "zh"],
    lengths: [],
    maxNewTokens: GENERATION.maxNewTokens,
    prompt: { ...PROMPT },
    metrics: LONGWRITER_METRICS,
    retrieval: "unsuitable",
  },
  {
    id: "longbench_write_en",
    language: "en",
    tags: ["en"],
    lengths: [],
    maxNewTokens: GENERATION.maxNewTokens,
    prompt: { ...PROMPT },
    metrics: LONGWRITER_METRICS,
    retrieval: "unsuitable",
  },
  {
    id: "longwrite_ruler",
    language: "multi",
    tags: ["en", "zh", "stress"],
    lengths: [],
    maxNewTokens: GENERATION.maxNewTokens,
    prompt: { ...PROMPT },
    metrics: LONGWRITER_METRICS,
    retrieval: "unsuitable",
  },
];

export const TASK_IDS = TASKS.map((t) => t.id);
export function taskRow(id: string): TaskRow | undefined {
  return TASKS.find((t) => t.id === id);
}
