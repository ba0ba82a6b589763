/**
 * The LongBench task table as data: one row per task (the 21 datasets and the 13 LongBench-E
 * datasets as `<dataset>_e`), with the official prompt, generation budget, truncation and chat
 * rule (LongBench/pred.py) and metric (LongBench/eval.py), and LOOM-Scope's differences.
 */
import type { Metric } from "@loomscope/metrics";
import {
  DATASET2MAXLEN,
  DATASET2METRIC,
  DATASET2PROMPT,
  DATASET_CATEGORY,
  DATASET_LANGUAGE,
  E_BUCKETS,
  E_DATASETS,
  NO_CHAT_DATASETS,
  RETRIEVAL_UNSUITABLE,
  DATASETS,
  type Dataset,
} from "./config.js";
import { LONGBENCH_METRICS } from "./metrics.js";
import type { TaskId } from "./data.js";

export interface PromptSpec {
  /** Python `str.format` template, byte for byte the official one. */
  template: string;
  contextKey: string;
  queryKey?: string;
  truncation: "middle" | "none";
  /** `model`: the model's chat template is applied (pred.py `build_chat`); `raw`: the text goes as is. */
  chat: "model" | "raw";
}

export interface GenerationSpec {
  /** Strings that end generation (samsum: the newline token is a second eos). */
  stop?: string[];
  /** At least this many new tokens (samsum: `min_length=context_length+1`). */
  minNewTokens?: number;
}

export interface TaskRow {
  id: TaskId;
  dataset: Dataset;
  language: "en" | "zh" | "code";
  tags: string[];
  /** LongBench-E: eval.py's length buckets of the record's `length`; v1 tasks have none. */
  lengths: string[];
  maxNewTokens: number;
  prompt: PromptSpec;
  generation?: GenerationSpec;
  metrics: Metric[];
  retrieval: "suitable" | "unsuitable";
  /** Where LOOM-Scope (loom_scope 0.1) differs from the official code. */
  loom?: Partial<Pick<TaskRow, "maxNewTokens" | "prompt" | "generation">> & { note?: string };
}

/**
 * pred.py `get_pred` / `model.generate`: greedy decoding (`num_beams=1, do_sample=False,
 * temperature=1.0`), `max_new_tokens=dataset2maxlen[dataset]`; for samsum also
 * `min_length=context_length+1` and `eos_token_id=[eos, the "\n" token]` ("prevent illegal output
 * on samsum"). The prediction is the decoded continuation with special tokens skipped.
 * LOOM-Scope (benchmarks/General/LongBench/LongBench.py `get_params`): the same, samsum with
 * `stop: ["\n"]` and `min_length`.
 */
export const GENERATION = {
  greedy: true,
  numBeams: 1,
  doSample: false,
  temperature: 1.0,
  samsum: { stopOnNewline: true, minNewTokens: 1 },
} as const;

/**
 * pred.py: `prompt = prompt_format.format(**json_obj)`; tokenized with the model's tokenizer
 * (special tokens added; chatglm3 without); when longer than `max_length` tokens it becomes
 * `decode(ids[:half], skip_special_tokens=True) + decode(ids[-half:], skip_special_tokens=True)`
 * with `half = int(max_length/2)`; the chat template is applied after truncation. `max_length` is
 * per model (config/model2maxlen.json, `MODEL2MAXLEN`); loomscope takes it from `--max-length`.
 * LOOM-Scope (LongBench.py `process_data`): the same rule with `tokenizer.encode(prompt)` for
 * every model and `--max_length` (default 128000).
 */
export const TRUNCATION = {
  where: "middle",
  half: "int(max_length / 2) tokens from each end",
  addSpecialTokens: true,
  skipSpecialTokensOnDecode: true,
  beforeChatTemplate: true,
  maxLength: "user-given; official per-model defaults in MODEL2MAXLEN",
  loomDefaultMaxLength: 128000,
} as const;

function row(dataset: Dataset, e: boolean): TaskRow {
  const template = DATASET2PROMPT[dataset];
  const prompt: PromptSpec = {
    template,
    contextKey: "context",
    truncation: "middle",
    chat: NO_CHAT_DATASETS.includes(dataset) ? "raw" : "model",
  };
  if (template.includes("{input}")) prompt.queryKey = "input";
  const out: TaskRow = {
    id: e ? (`${dataset}_e` as TaskId) : dataset,
    dataset,
    language: DATASET_LANGUAGE[dataset],
    tags: [DATASET_CATEGORY[dataset], ...(e ? ["LongBench-E"] : [])],
    lengths: e ? [...E_BUCKETS] : [],
    maxNewTokens: DATASET2MAXLEN[dataset],
    prompt,
    metrics: [LONGBENCH_METRICS[DATASET2METRIC[dataset]]],
    retrieval: RETRIEVAL_UNSUITABLE.includes(dataset) ? "unsuitable" : "suitable",
  };
  if (dataset === "samsum") out.generation = { stop: ["\n"], minNewTokens: 1 };
  if (e) {
    out.loom = {
      note: "LOOM-Scope strips `_e` for the prompt and budget, but its eval.py looks the metric up by the file's name (`qasper_e`) and raises KeyError: it cannot score LongBench-E.",
    };
  }
  return out;
}

/** The 21 LongBench tasks, then the 13 LongBench-E tasks. */
export const TASKS: readonly TaskRow[] = [
  ...DATASETS.map((d) => row(d, false)),
  ...E_DATASETS.map((d) => row(d, true)),
];

export function taskRow(id: string): TaskRow | undefined {
  return TASKS.find((t) => t.id === id);
}
