/**
 * The LongBench task table, in the benchmark kit's shape: one row per task (the 21 datasets and the
 * 13 LongBench-E datasets as `<dataset>_e`), with the official prompt, generation budget, truncation
 * and chat rule (LongBench/pred.py) and metric (LongBench/eval.py), and LOOM-Scope's differences.
 */
import { defineTasks, type TaskPrompt, type TaskRow } from "@loomscope/benchmark-kit";
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

/** A LongBench task row: the kit's row plus the dataset it reads and scores as. */
export interface LongBenchTaskRow extends TaskRow {
  id: TaskId;
  dataset: Dataset;
  language: "en" | "zh" | "code";
  tags: string[];
  /** LongBench-E: eval.py's length buckets of the record's `length`; v1 tasks have none. */
  lengths: readonly string[];
  prompt: TaskPrompt & { contextKey: "context"; truncation: "middle"; chat: "model" | "raw" };
  retrieval: "suitable" | "unsuitable";
}

/**
 * LOOM-Scope's retrieval query for the datasets whose template has no `{input}`
 * (LongBench.py `extract_contextAndquestion`, matched by substring of the task name, so the
 * LongBench-E files too); every other task is queried with the record's `input`.
 */
export const LOOM_RAG_QUERY: Readonly<Partial<Record<Dataset, string>>> = {
  gov_report: "Write a one-page summary of the report.",
  vcsum: "总结会议的内容",
  passage_count: "how many non-repeating paragraphs are there in total?",
  lcc: "Please complete the code given below",
  multi_news: "Write a one-page summary of all news.",
};

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

function row(dataset: Dataset, e: boolean): LongBenchTaskRow {
  const template = DATASET2PROMPT[dataset];
  const out: LongBenchTaskRow = {
    id: e ? (`${dataset}_e` as TaskId) : dataset,
    dataset,
    language: DATASET_LANGUAGE[dataset],
    tags: [DATASET_CATEGORY[dataset], ...(e ? ["LongBench-E"] : [])],
    lengths: e ? [...E_BUCKETS] : [],
    maxNewTokens: DATASET2MAXLEN[dataset],
    prompt: {
      template,
      contextKey: "context",
      ...(template.includes("{input}") ? { queryKey: "input" } : {}),
      truncation: "middle",
      chat: NO_CHAT_DATASETS.includes(dataset) ? "raw" : "model",
    },
    metrics: [LONGBENCH_METRICS[DATASET2METRIC[dataset]]],
    retrieval: RETRIEVAL_UNSUITABLE.includes(dataset) ? "unsuitable" : "suitable",
  };
  if (dataset === "samsum") out.generation = { stop: ["\n"], minNewTokens: 1 };
  if (LOOM_RAG_QUERY[dataset] !== undefined) out.loom = { prompt: { queryKey: LOOM_QUERY_KEY } };
  // LOOM-Scope strips `_e` for the prompt and budget, but its eval.py looks the metric up by the
  // file's name (`qasper_e`) and raises KeyError: it cannot score LongBench-E, so under
  // --protocol loom these tasks are not there.
  if (e) out.protocols = ["official"];
  return out;
}

/** The sample field holding LOOM-Scope's retrieval query, where it is not the record's `input`. */
export const LOOM_QUERY_KEY = "loom_query";

/** The 21 LongBench tasks, then the 13 LongBench-E tasks. */
export const TASKS: readonly LongBenchTaskRow[] = defineTasks([
  ...DATASETS.map((d) => row(d, false)),
  ...E_DATASETS.map((d) => row(d, true)),
]);

export function taskRow(id: string): LongBenchTaskRow | undefined {
  return TASKS.find((t) => t.id === id);
}
