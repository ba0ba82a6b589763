/**
 * LIBRA's task table: one row per dataset of configs/datasets_config.json (ai-forever/LIBRA @
 * 94dcac0), in file order, as kit task rows.
 */
import { defineTasks, tokenLevels } from "@loomscope/benchmark-kit";
import { COMPLEXITY_GROUP, DATASETS_CONFIG } from "./config.js";
import { LIBRA_METRICS, type LibraMetricName } from "./metrics.js";

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
 * the question, is cut: kit `keep-head`); the vLLM engine passes
 * `truncate_prompt_tokens=max_context_length` (keeps the LAST tokens, the start is cut: kit
 * `keep-tail`). The `engine` option chooses; the HF engine is the default, as in predict.py.
 * LOOM-Scope (LIBRA.py `process_data`): middle truncation, `tokenizer.encode(prompt)`, keep
 * decode(ids[:half]) + decode(ids[-half:]) with half = int(max_length/2).
 */
export const TRUNCATION = {
  official: { hf: "keep-head", vllm: "keep-tail" },
  loom: "middle",
} as const;

/** configs/template.ini: the context lengths a model config may choose. */
export const LENGTHS = ["4k", "8k", "16k", "32k", "64k", "128k"] as const;

/**
 * answer_generator.py `create_prompt`: `instruction.replace("{context}", c).replace("{input}", q)`,
 * so an "{input}" inside the context is replaced by the question too (kit `replacements`).
 */
export const PROMPT_REPLACEMENTS = [
  { placeholder: "{context}", key: "context" },
  { placeholder: "{input}", key: "input" },
] as const;

export const TASKS = defineTasks(
  DATASETS_CONFIG.map(([id, maxNewTokens, metric, lengths, instruction]) => ({
    id,
    language: "ru" as const,
    tags: [`group-${COMPLEXITY_GROUP[id] ?? "?"}`],
    // LIBRA measures its levels in tokens (README: 4k to 128k tokens).
    levels: tokenLevels(...lengths),
    maxNewTokens,
    prompt: {
      template: instruction,
      contextKey: "context",
      queryKey: "input",
      replacements: PROMPT_REPLACEMENTS.map((r) => ({ ...r })),
      system: OFFICIAL_SYSTEM_PROMPT,
      truncation: TRUNCATION.official.hf,
      chat: "model" as const,
    },
    metrics: [LIBRA_METRICS[metric as LibraMetricName]],
    retrieval: metric === "count_score" ? ("unsuitable" as const) : ("suitable" as const),
    // LOOM-Scope: middle truncation and no system message (LIBRA.py process_data / create_prompt).
    loom: { prompt: { truncation: TRUNCATION.loom, system: undefined } },
  })),
);

export const TASK_IDS: readonly string[] = TASKS.map((t) => t.id);

export type LibraTask = (typeof TASKS)[number];

export function taskById(id: string): LibraTask {
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
