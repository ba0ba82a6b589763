/**
 * The BABILong task table as plain data: bAbI qa1–qa20 hidden in PG-19 text, which lengths each of
 * the two evaluation datasets publishes, the official prompt switches and generation settings.
 *
 * Sources (booydar/babilong @ 7a6efee29f5cac03c3c410e6799c80fd2ffe3610):
 * - babilong/prompts.py — DEFAULT_TEMPLATE, DEFAULT_PROMPTS (src/prompts.ts, generated)
 * - scripts/run_model_on_babilong.py — prompt_cfg switches, generate_kwargs, result file names
 * - babilong/collect_results.py — TASKS, LENGTHS of the collected table
 * - data/create_tasks.py — length levels (GPT-2 tokens, 300 of them left for the prompt)
 * LOOM-Scope (loom-scope 0.1, benchmarks/Reasoning/babilong/babilong.py): same template and
 * prompts, `max_tokens` 20, the whole prompt cut in the middle to the model's max length.
 */
import { defineTasks, type TaskRow } from "@loomscope/benchmark-kit";
import { DEFAULT_TEMPLATE } from "./prompts.js";
import { babilongAccuracy } from "./metrics.js";

export const TASKS = [
  "qa1", "qa2", "qa3", "qa4", "qa5", "qa6", "qa7", "qa8", "qa9", "qa10",
  "qa11", "qa12", "qa13", "qa14", "qa15", "qa16", "qa17", "qa18", "qa19", "qa20",
] as const;
export type BabilongTask = (typeof TASKS)[number];
export const isTask = (t: string): t is BabilongTask => (TASKS as readonly string[]).includes(t);

/** bAbI task names (data/README.md, create_tasks.py), used as tags. */
export const BABI_NAMES: Readonly<Record<BabilongTask, string>> = {
  qa1: "single-supporting-fact",
  qa2: "two-supporting-facts",
  qa3: "three-supporting-facts",
  qa4: "two-arg-relations",
  qa5: "three-arg-relations",
  qa6: "yes-no-questions",
  qa7: "counting",
  qa8: "lists-sets",
  qa9: "simple-negation",
  qa10: "indefinite-knowledge",
  qa11: "basic-coreference",
  qa12: "conjunction",
  qa13: "compound-coreference",
  qa14: "time-reasoning",
  qa15: "basic-deduction",
  qa16: "basic-induction",
  qa17: "positional-reasoning",
  qa18: "size-reasoning",
  qa19: "path-finding",
  qa20: "agents-motivations",
};

/** collect_results.py `LENGTHS`: the column order of the collected table (2M is in no dataset). */
export const COLLECT_LENGTHS = ["0k", "1k", "2k", "4k", "8k", "16k", "32k", "64k", "128k", "256k", "512k", "1M", "2M", "10M"] as const;
/** collect_results.py `TASKS`: the rows it collects when no `--tasks` are given (qa1–qa10 only). */
export const COLLECT_TASKS: readonly BabilongTask[] = ["qa1", "qa2", "qa3", "qa4", "qa5", "qa6", "qa7", "qa8", "qa9", "qa10"];

/**
 * A length level: `value` total tokens of the GPT-2 tokenizer (create_tasks.py `message_lengths`;
 * the haystack itself is `value - 300` tokens, "take prompt length into account"; 0k has no haystack).
 */
export interface LengthLevel {
  label: string;
  unit: "tokens";
  value: number;
}
export type { TaskRow };
const LEVEL_VALUES: Readonly<Record<string, number>> = {
  "0k": 0, "1k": 1000, "2k": 2000, "4k": 4000, "8k": 8000, "16k": 16000, "32k": 32000, "64k": 64000,
  "128k": 128000, "256k": 256000, "512k": 512000, "1M": 1_000_000, "10M": 10_000_000,
};
export const levelOf = (label: string): LengthLevel => ({ label, unit: "tokens", value: LEVEL_VALUES[label] ?? NaN });
export const PROMPT_TOKEN_ALLOWANCE = 300;

/** The two evaluation datasets on Hugging Face. */
export type DatasetId = "babilong" | "babilong-1k-samples";
export interface DatasetInfo {
  repo: string;
  /** Samples per task and length (README: "100 samples" / "1000 samples"; exact counts in data.ts). */
  nominalSamples: number;
  /** Which lengths each task has. */
  lengths: Readonly<Record<BabilongTask, readonly string[]>>;
}

const upTo1M = ["0k", "1k", "2k", "4k", "8k", "16k", "32k", "64k", "128k", "256k", "512k", "1M"] as const;
const upTo128k = ["0k", "1k", "2k", "4k", "8k", "16k", "32k", "64k", "128k"] as const;
function byTask(f: (n: number) => readonly string[]): Record<BabilongTask, readonly string[]> {
  return Object.fromEntries(TASKS.map((t) => [t, f(Number(t.slice(2)))])) as Record<BabilongTask, readonly string[]>;
}

/**
 * RMT-team/babilong: `data/<task>/<length>.json` (its README's configs): qa1–qa10 at 0k–1M, 10M for
 * qa1–qa5 (the 4 GB `data/qa<n>/10M.json` files), qa11–qa20 at 0k only.
 * RMT-team/babilong-1k-samples: parquet `<length>/<task>-00000-of-00001.parquet`: qa1–qa5 at 0k–128k,
 * qa6–qa20 at 0k only (its README's dataset_info).
 */
export const DATASETS: Readonly<Record<DatasetId, DatasetInfo>> = {
  babilong: {
    repo: "RMT-team/babilong",
    nominalSamples: 100,
    lengths: byTask((n) => (n <= 5 ? [...upTo1M, "10M"] : n <= 10 ? upTo1M : ["0k"])),
  },
  "babilong-1k-samples": {
    repo: "RMT-team/babilong-1k-samples",
    nominalSamples: 1000,
    lengths: byTask((n) => (n <= 5 ? upTo128k : ["0k"])),
  },
};

/**
 * The prompt switches of run_model_on_babilong.py (`--use_instruction`, `--use_examples`,
 * `--use_post_prompt`, `--use_chat_template`, `--system_prompt`) and the dataset (`--dataset_name`),
 * as declared options (`--benchmark-opt babilong.useExamples=false`), recorded with the run.
 * Defaults: the setting most of the repository's run scripts use (scripts/run_*.sh: instruction,
 * examples, post-prompt and chat template on, no system prompt), on RMT-team/babilong, the one
 * dataset with every length (45 of the scripts take RMT-team/babilong-1k-samples for 0k–32k).
 */
export const BABILONG_OPTIONS = {
  dataset: {
    type: "string",
    values: ["babilong", "babilong-1k-samples"],
    default: "babilong",
    description: "--dataset_name: RMT-team/babilong (100 samples per task and length, 0k-10M) or RMT-team/babilong-1k-samples (1000, 0k-128k)",
  },
  useInstruction: { type: "boolean", default: true, description: "--use_instruction: put the task's instruction in the prompt" },
  useExamples: { type: "boolean", default: true, description: "--use_examples: put the task's worked examples in the prompt" },
  usePostPrompt: { type: "boolean", default: true, description: "--use_post_prompt: put the task's answer-format post-prompt in the prompt" },
  useChatTemplate: { type: "boolean", default: true, description: "--use_chat_template: apply the model's chat template (off: the prompt is sent as raw text)" },
  systemPrompt: {
    type: "string",
    default: "",
    description: "--system_prompt: sent as a system message, only with the chat template (the script's API path); named in the result files either way",
  },
} as const;

/** The switches as plain values (the options core validated, or a subset for the helpers). */
export interface BabilongOptions {
  dataset: DatasetId;
  useInstruction: boolean;
  useExamples: boolean;
  usePostPrompt: boolean;
  useChatTemplate: boolean;
  systemPrompt: string;
}
export const DEFAULT_OPTIONS: BabilongOptions = {
  dataset: BABILONG_OPTIONS.dataset.default,
  useInstruction: BABILONG_OPTIONS.useInstruction.default,
  useExamples: BABILONG_OPTIONS.useExamples.default,
  usePostPrompt: BABILONG_OPTIONS.usePostPrompt.default,
  useChatTemplate: BABILONG_OPTIONS.useChatTemplate.default,
  systemPrompt: BABILONG_OPTIONS.systemPrompt.default,
};

/**
 * Official generation (scripts/run_model_on_babilong.py, `generate_kwargs`): greedy, 20 new tokens,
 * no sampling parameters. Through `--api_url` (vLLM / llama.cpp) the script sends only
 * `{prompt: token ids, temperature: 0.0, model}` — no `max_tokens`, so the server's default applies
 * (vLLM's completions API: 16; llama.cpp's /completion: unlimited) — and strips the returned text.
 * The local transformers path decodes the new tokens with `skip_special_tokens=True` and strips.
 */
export const GENERATION = {
  maxNewTokens: 20,
  numBeams: 1,
  doSample: false,
  temperature: null,
  topP: null,
  topK: null,
  apiTemperature: 0.0,
  stripOutput: true,
} as const;

/**
 * Official truncation: none. run_model_on_babilong.py feeds the whole prompt; models are run only at
 * lengths they take. LOOM-Scope (babilong.py `process_data`): `tokenizer.encode(prompt)`, and when
 * longer than `max_length`, `decode(ids[:half], skip_special_tokens=True) + decode(ids[-half:], …)`
 * with `half = int(max_length / 2)`.
 */
export const TRUNCATION = { official: "none", loom: "middle" } as const;

/**
 * One kit task row per task; lengths are those of `dataset` (default RMT-team/babilong). The row's
 * template is DEFAULT_TEMPLATE as the official code holds it; the prompt a run sends comes from the
 * benchmark's prompt hook (`babilongPrompt`), because get_formatted_input strips the formatted
 * prompt, which a template alone cannot say.
 */
export function taskTable(dataset: DatasetId = DEFAULT_OPTIONS.dataset, useChatTemplate = DEFAULT_OPTIONS.useChatTemplate): TaskRow[] {
  return TASKS.map((id) => {
    const lengths = [...DATASETS[dataset].lengths[id]];
    const n = Number(id.slice(2));
    return {
      id,
      language: "en",
      tags: [BABI_NAMES[id], n <= 5 ? "qa1-qa5" : n <= 10 ? "qa6-qa10" : "qa11-qa20"],
      levels: lengths.map(levelOf),
      maxNewTokens: GENERATION.maxNewTokens,
      prompt: { template: DEFAULT_TEMPLATE, contextKey: "context", queryKey: "question", truncation: "none", chat: useChatTemplate ? "model" : "raw" },
      metrics: [babilongAccuracy],
      retrieval: "suitable",
      // LOOM-Scope's babilong.py process_data cuts the whole prompt in the middle to max_length.
      loom: { prompt: { truncation: "middle" } },
    } satisfies TaskRow;
  });
}

export const TASK_TABLE: readonly TaskRow[] = defineTasks(taskTable());
