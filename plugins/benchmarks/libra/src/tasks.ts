/**
 * LIBRA's task table: one row per dataset of configs/datasets_config.json (ai-forever/LIBRA @
 * 94dcac0), in file order.
 */
import type { Metric } from "@loomscope/metrics";
import { COMPLEXITY_GROUP, DATASETS_CONFIG } from "./config.js";
import { LIBRA_METRICS, type LibraMetricName } from "./metrics.js";

export interface PromptSpec {
  /** Python str.format placeholders, byte for byte the official instruction. */
  template: string;
  contextKey: string;
  queryKey?: string;
  system?: string;
  assistantPrefix?: string;
  truncation: "middle" | "none";
  /** Whether the official code applies the model's chat template. */
  chat: "model" | "raw";
}

export interface TaskRow {
  id: string;
  language: "en" | "zh" | "ru" | "multi" | "code";
  tags?: string[];
  lengths: string[];
  levels?: { label: string; unit: "tokens" | "words" | "chars" | "items"; value: number }[];
  maxNewTokens: number;
  prompt: PromptSpec;
  metrics: Metric[];
  retrieval?: "suitable" | "unsuitable";
  /** Where LOOM-Scope's LIBRA differs. */
  loom?: { prompt?: Partial<PromptSpec>; maxNewTokens?: number; lengths?: string[] };
}

/** The system prompt every official chat config (configs/*.ini with chat_model = True) sets. */
export const OFFICIAL_SYSTEM_PROMPT = "You are a helpful assistant.";

/**
 * Generation as predict.py runs it. HF engine (answer_generator.py `AnswerGenerator`):
 * `model.generate(max_new_tokens, num_beams=1, do_sample=False, eos_token_id=tokenizer.eos_token_id)`;
 * vLLM engine (`vLLM_AnswerGenerator`): `SamplingParams(temperature=0.0, max_tokens, use_beam_search=False)`.
 * Both greedy, no stop strings beyond EOS. LOOM-Scope (LIBRA.py `LLM_param`): greedy too
 * (`do_sample=False, num_beams=1, temperature=None`), `max_tokens` from the same config.
 */
export const GENERATION = { greedy: true, temperature: 0, stop: [] as string[] } as const;

/**
 * Truncation as the official code does it, which is NOT middle truncation and differs by engine
 * (answer_generator.py): the HF engine tokenises the prompt with `truncation=True,
 * max_length=max_context_length` (the tokenizer's default right side: the END of the prompt, with
 * the question, is cut); the vLLM engine passes `truncate_prompt_tokens=max_context_length` (keeps
 * the LAST tokens: the start is cut). `max_context_length` is per model config (8192 for Llama-3,
 * 32768, 128000, …). The chat template is applied first, then truncation. The kit's row has no
 * "left"/"right" rule yet, so rows say "none" and this constant records the rule.
 * LOOM-Scope (LIBRA.py `process_data`): middle truncation, `tokenizer.encode(prompt)`, keep
 * decode(ids[:half]) + decode(ids[-half:]) with half = int(max_length/2).
 */
export const TRUNCATION = {
  official: { hf: "right (keep the first max_context_length tokens)", vllm: "left (keep the last max_context_length tokens)" },
  loom: "middle (half = int(max_length / 2), skip_special_tokens)",
} as const;

/** configs/template.ini: the context lengths a model config may choose. */
export const LENGTHS = ["4k", "8k", "16k", "32k", "64k", "128k"] as const;

const LEVEL_TOKENS: Record<string, number> = { "4k": 4096, "8k": 8192, "16k": 16384, "32k": 32768, "64k": 65536, "128k": 131072 };

export const TASKS: readonly TaskRow[] = DATASETS_CONFIG.map(([id, maxNewTokens, metric, lengths, instruction]) => ({
  id,
  language: "ru" as const,
  tags: [`group-${COMPLEXITY_GROUP[id] ?? "?"}`],
  lengths: [...lengths],
  // Levels are the dataset's length labels; LIBRA measures them in tokens (README: 4k to 128k tokens).
  levels: lengths.map((label) => ({ label, unit: "tokens" as const, value: LEVEL_TOKENS[label] as number })),
  maxNewTokens,
  prompt: {
    template: instruction,
    contextKey: "context",
    queryKey: "input",
    system: OFFICIAL_SYSTEM_PROMPT,
    truncation: "none" as const,
    chat: "model" as const,
  },
  metrics: [LIBRA_METRICS[metric as LibraMetricName]],
  retrieval: metric === "count_score" ? ("unsuitable" as const) : ("suitable" as const),
  // LOOM-Scope: middle truncation (LIBRA.py process_data). Its chat-template / system-prompt step
  // lives in its model server code, which was not read: not claimed to differ.
  loom: { prompt: { truncation: "middle" as const } },
}));

export const TASK_IDS: readonly string[] = TASKS.map((t) => t.id);

export function taskById(id: string): TaskRow {
  const t = TASKS.find((x) => x.id === id);
  if (!t) throw new RangeError(`unknown LIBRA dataset "${id}"; known: ${TASK_IDS.join(", ")}`);
  return t;
}

/** The official metric name of a dataset ("em" | "count_score" | "f1"). */
export function metricNameOf(dataset: string): LibraMetricName {
  const row = DATASETS_CONFIG.find((r) => r[0] === dataset);
  if (!row) throw new RangeError(`unknown LIBRA dataset "${dataset}"`);
  return row[2] as LibraMetricName;
}

/** configs/datasets_config.json `lengths` of a dataset. */
export function configLengths(dataset: string): readonly string[] {
  const row = DATASETS_CONFIG.find((r) => r[0] === dataset);
  if (!row) throw new RangeError(`unknown LIBRA dataset "${dataset}"`);
  return row[3];
}
