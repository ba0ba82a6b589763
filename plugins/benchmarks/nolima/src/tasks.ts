/**
 * NoLiMa's settings as plain data (adobe-research/NoLiMa @ 7532e4eebf095c5540dc256900a63968da58a9d0):
 * - evaluation/run_tests.py — DEFAULT_TASK_TEMPLATE, how needle-set rows become tests, seeds;
 * - evaluation/run_config/multi_test_config_book_{250,500,1K,2K,4K,8K,16K,32K}.yaml — context
 *   lengths, 26 depths from 0 to 100 %, metric `contains`, `use_default_system_prompt: true`;
 * - evaluation/model_configs/*.json — `max_tokens` 192, temperature 0.0, top_p 1.0;
 * - evaluation/async_api_connector.py — the system prompt ("You are a helpful assistant"), seed 43;
 * - data/download_NoLiMa_data.sh — the needle sets and the five shuffled books.
 */
import { defineTasks, type TaskRow } from "@loomscope/benchmark-kit";
import { nolimaMetric } from "./metrics.js";

export type { TaskRow };

/** The needle sets of data/download_NoLiMa_data.sh; `needle_set` is the main benchmark. */
export const NEEDLE_SETS = [
  "needle_set",
  "needle_set_hard",
  "needle_set_w_CoT",
  "needle_set_MC",
  "needle_set_ONLYDirect",
  "needle_set_w_Distractor",
] as const;
export type NeedleSetName = (typeof NEEDLE_SETS)[number];
export const isNeedleSet = (t: string): t is NeedleSetName => (NEEDLE_SETS as readonly string[]).includes(t);

/** The haystacks (data/download_NoLiMa_data.sh: haystack/rand_shuffle/rand_book_{1..5}.txt). */
export const BOOKS = ["rand_book_1", "rand_book_2", "rand_book_3", "rand_book_4", "rand_book_5"] as const;

/** The run configs' context lengths (tokens of the evaluated model's tokenizer), labelled as their file names. */
export const LENGTHS = ["250", "500", "1K", "2K", "4K", "8K", "16K", "32K"] as const;
export const LENGTH_TOKENS: Readonly<Record<string, number>> = {
  "250": 250, "500": 500, "1K": 1000, "2K": 2000, "4K": 4000, "8K": 8000, "16K": 16000, "32K": 32000,
};

/** evaluation/run_config/*.yaml and run_tests.py's defaults. */
export const RUN_CONFIG = {
  documentDepthPercentMin: 0,
  documentDepthPercentMax: 100,
  documentDepthPercentIntervals: 26,
  metric: "contains",
  useDefaultSystemPrompt: true,
  shift: 0,
  staticDepth: -1,
  baseSeed: 42,
} as const;

/** run_tests.py DEFAULT_TASK_TEMPLATE (a needle-set row may bring its own `task_template`). */
export const DEFAULT_TASK_TEMPLATE =
  "You will answer a question based on the following book snippet:\n\n{haystack}\n\nUse the information provided in the book snippet to answer the question. Your answer should be short and based on either explicitly stated facts or strong, logical inferences.\n\nQuestion: {question}\n\n Return only the final answer with no additional explanation or reasoning.";

/**
 * async_api_connector.py: `generate_response(..., add_default_system_prompt=True)` sends
 * `SYSTEM_PROMPT` ("You are a helpful assistant" for the openai, azure-openai, vllm and gemini
 * providers) whenever it is non-empty, so a needle-set row's own `system_prompt` is never sent
 * (it is only recorded); the AWS provider's SYSTEM_PROMPT is "" for Claude, then the row's is sent.
 */
export const DEFAULT_SYSTEM_PROMPT = "You are a helpful assistant";

/** model_configs/*.json and the chat.completions call: greedy, 192 new tokens, seed 43. */
export const GENERATION = { maxNewTokens: 192, temperature: 0.0, topP: 1.0, seed: 43 } as const;

/**
 * One kit row per needle set. The haystack is built to the length in the run's tokenizer, so nothing
 * is cut (`none`); the filled task template is the user turn after the connector's system prompt;
 * greedy (temperature 0.0, top_p 1.0), 192 new tokens. The request's `seed` 43 has no counterpart.
 * A needle-set row may bring its own `task_template`: the benchmark's prompt hook uses it then.
 */
export const TASK_TABLE: readonly TaskRow[] = defineTasks(
  NEEDLE_SETS.map((id) => ({
    id,
    language: "en",
    tags: id === "needle_set" ? ["main"] : ["variant"],
    levels: LENGTHS.map((label) => ({ label, unit: "tokens" as const, value: LENGTH_TOKENS[label] as number })),
    maxNewTokens: GENERATION.maxNewTokens,
    prompt: {
      template: DEFAULT_TASK_TEMPLATE,
      contextKey: "haystack",
      queryKey: "question",
      system: DEFAULT_SYSTEM_PROMPT,
      truncation: "none",
      chat: "model",
    },
    generation: { temperature: GENERATION.temperature, topP: GENERATION.topP },
    metrics: [nolimaMetric],
    // A needle test: retrieving chunks by lexical overlap is what the benchmark is built to defeat.
    retrieval: "unsuitable",
  }) satisfies TaskRow),
);
