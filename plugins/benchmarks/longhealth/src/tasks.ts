/**
 * LongHealth's task table. Official: kbressem/LongHealth (utils.py and the task scripts, read
 * through copies: the repository was not reachable here). LOOM-Scope: loom-scope 0.1,
 * benchmarks/Specialization/LongHealth/LongHealth.py.
 */
import type { Metric } from "@loomscope/metrics";
import { longhealthAccuracy, longhealthLetter } from "./metrics.js";
import { SYSTEM_PROMPT } from "./prompts.js";
import type { LongHealthTask } from "./build.js";

/**
 * Generation. Official: SYSTEM_PROMPT as the system message and the built prompt as the user
 * message of a chat completion (`query_model(prompt, system_prompt=SYSTEM_PROMPT, ...)`); its
 * generation limit is not visible in the copies (CLUE's copy sets 50 new tokens for its own runs).
 * LOOM-Scope (`LLM_param`): max_tokens 512, the same two messages.
 * Budget: documents are chosen to fit `max_len - len(encode(SYSTEM_PROMPT))` (utils.py default
 * max_len 16 000; LOOM-Scope's config key `propmt_max_len`) with the model's tokenizer.
 */
export const GENERATION = {
  official: { maxNewTokens: null as number | null, system: SYSTEM_PROMPT, defaultMaxLen: 16_000 },
  loom: { maxNewTokens: 512, system: SYSTEM_PROMPT },
};

/**
 * Truncation. Official: none beyond the placement budget. LOOM-Scope (`process_data`): middle
 * truncation of the built prompt to `max_length` (`decode(ids[:half]) + decode(ids[-half:])`,
 * special tokens skipped), then the system and user messages.
 */
export const TRUNCATION = {
  official: { kind: "none" as const },
  loom: { kind: "middle" as const, tokenizer: "model", of: "user prompt", reserve: 0 },
};

export interface TaskRow {
  id: LongHealthTask;
  name: string;
  language: "en";
  tags: string[];
  lengths: readonly string[];
  maxNewTokens: number;
  repeats: number;
  prompt: { template: string; contextKey: string; system: string; truncation: "middle" | "none"; chat: "model" | "raw" };
  metrics: Metric[];
  retrieval: "unsuitable";
  loom: { maxNewTokens: number; prompt: { truncation: "middle" | "none" } };
}

const row = (id: LongHealthTask, name: string, tags: string[], repeats: number): TaskRow => ({
  id,
  name,
  language: "en",
  tags: ["medical", ...tags],
  lengths: [],
  // The official limit is not known (see GENERATION); LOOM-Scope's 512 is used for both.
  maxNewTokens: GENERATION.loom.maxNewTokens,
  repeats,
  prompt: { template: "{prompt}", contextKey: "prompt", system: SYSTEM_PROMPT, truncation: "none", chat: "model" },
  metrics: [longhealthAccuracy, longhealthLetter],
  retrieval: "unsuitable",
  loom: { maxNewTokens: GENERATION.loom.maxNewTokens, prompt: { truncation: "middle" } },
});

export const TASKS: readonly TaskRow[] = [
  row("task1", "Information extraction", ["extraction", "options A-E"], 5),
  row("task2", "Identification with distractors", ["identification", "options A-F"], 5),
  row("task3", "Negation (unanswerable)", ["negation", "options A-F"], 5),
];
