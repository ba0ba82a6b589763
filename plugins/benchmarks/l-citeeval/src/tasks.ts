/**
 * L-CiteEval's task table (ZetangForward/L-CITEEVAL @ 6e493267):
 * - L-CiteEval (HF folder L-CiteEval-Data): 11 datasets in 5 categories, each record's `length`
 *   bucketed into 8k…48k as the eval scripts do;
 * - L-CiteEval-Length (5 datasets, buckets 8k/16k/32k) and L-CiteEval-Hardness (5 datasets, levels
 *   easy/medium/hard; the official scripts cannot score this one: they raise NameError on `argx`).
 * Generation (script/inference_1shot_vllm.py): greedy (temperature 0, top_p 1), max new tokens 200
 * for the QA and dialogue tasks, 128 for niah and counting_stars, 800 otherwise — and, because the
 * list spells "narrtiveqa", 800 for narrativeqa; stop at "\n" (plus EOS) when the model config's
 * `eos_token_id` is a list (its precedence makes "\n" disappear when it is an int); no truncation.
 */
import { defineTasks, type TaskRow as KitTaskRow } from "@loomscope/benchmark-kit";
import type { Language as SpecLanguage, LengthLevel } from "@loomscope/spec";
import { promptTemplate } from "./prompt.js";
import { CITATION_METRICS, CORRECTNESS_METRICS, LLM_CITATION_METRICS, LOOM_METRICS } from "./metrics.js";

export type Language = SpecLanguage;
export type Experiment = "l-citeeval" | "l-citeeval-length" | "l-citeeval-hardness";

/** A task row with the experiment and dataset it reads. */
export interface TaskRow extends KitTaskRow {
  dataset: string;
  experiment: Experiment;
  category: string;
}

export const CATEGORY: Readonly<Record<string, string>> = {
  narrativeqa: "single-document_qa",
  natural_questions: "single-document_qa",
  hotpotqa: "multi-document_qa",
  "2wikimultihopqa": "multi-document_qa",
  multi_news: "summarization",
  gov_report: "summarization",
  qmsum: "summarization",
  locomo: "dialogue_understanding",
  dialsim: "dialogue_understanding",
  niah: "niah",
  counting_stars: "counting_stars",
};
export const DATASETS = Object.keys(CATEGORY);
export const VARIANT_DATASETS = ["narrativeqa", "hotpotqa", "gov_report", "locomo", "counting_stars"];

/** inference_1shot_vllm.py `main`: max_gen_len, with its "narrtiveqa" typo kept. */
export function maxGenLen(dataset: string): number {
  if (["narrtiveqa", "natural_questions", "hotpotqa", "2wikimultihopqa", "locomo", "dialsim"].includes(dataset)) return 200;
  if (["niah", "counting_stars"].includes(dataset)) return 128;
  return 800;
}

/**
 * The official generation: greedy (temperature 0, top_p 1). "\n" stops only when the model
 * config's `eos_token_id` is a list (option `newlineStop`).
 */
export const GENERATION = {
  temperature: 0,
  topP: 1,
  /** "\n" is a stop only when config.eos_token_id is a list (e.g. Llama 3.1); otherwise only EOS. */
  stopNewlineWhenEosIsList: true,
} as const;

/**
 * LOOM-Scope's newer L_CiteEval.py `get_params(task_name)` tests `task_name in ["narrtiveqa", …]`, but
 * the task names it is called with carry the experiment (`L-CiteEval-Data_hotpotqa`, which its
 * process_data splits off): no name matches, so every task gets 800 new tokens; no stop strings.
 */
export const LOOM_MAX_NEW_TOKENS = 800;
export const TRUNCATION = { rule: "none", note: "vLLM --max-model-len 70000 in script/inference.sh" } as const;

/** Length buckets: upper bounds of `lower <= length < upper` (eval_citation.py). */
export const LENGTH_BUCKETS: Readonly<Record<Experiment, readonly (number | string)[]>> = {
  "l-citeeval": [8000, 16000, 24000, 32000, 40000, 48000],
  "l-citeeval-length": [8000, 16000, 32000],
  "l-citeeval-hardness": ["easy", "medium", "hard"],
};
const label = (b: number | string): string => (typeof b === "number" ? `${b / 1000}k` : b);

/**
 * The bucket of a record as eval_citation.py assigns it: the first upper bound with
 * `lower <= length < upper`; multi_news of L-CiteEval above 40000 goes to 40000; null when none
 * (such records are left out of every citation number). Hardness: the record's `hardness`.
 */
export function bucketOf(experiment: Experiment, dataset: string, length: number, hardness?: string): string | null {
  if (experiment === "l-citeeval-hardness") return hardness ?? null;
  const bounds = LENGTH_BUCKETS[experiment] as number[];
  for (let i = 0; i < bounds.length; i++) {
    if (experiment === "l-citeeval" && dataset === "multi_news" && length > 40000) return "40k";
    const lower = i > 0 ? (bounds[i - 1] as number) : 0;
    if (lower <= length && length < (bounds[i] as number)) return label(bounds[i] as number);
  }
  return null;
}

/** Each level's bound, as the record's `length` is bucketed (`lower <= length < upper`); hardness levels are labels. */
function levelsOf(experiment: Experiment): { lengths: string[]; levels?: LengthLevel[] } {
  const bounds = LENGTH_BUCKETS[experiment];
  if (experiment === "l-citeeval-hardness") return { lengths: bounds.map(label) };
  return { lengths: bounds.map(label), levels: bounds.map((b) => ({ label: label(b), unit: "tokens" as const, value: b as number })) };
}

export const taskId = (dataset: string, experiment: Experiment): string =>
  (experiment === "l-citeeval" ? "" : experiment === "l-citeeval-length" ? "length_" : "hardness_") + dataset;

/** Which citation metrics: the NLI model's (official), or the LLM substitute under their own ids. */
export type CitationJudgeKind = "nli" | "llm";

function row(dataset: string, experiment: Experiment, citationJudge: CitationJudgeKind = "nli"): TaskRow {
  const template = promptTemplate(dataset);
  return {
    id: taskId(dataset, experiment),
    dataset,
    experiment,
    category: CATEGORY[dataset] as string,
    language: "en",
    tags: [CATEGORY[dataset] as string, experiment],
    ...levelsOf(experiment),
    maxNewTokens: maxGenLen(dataset),
    prompt: { template, contextKey: "context", ...(template.includes("{question}") ? { queryKey: "question" } : {}), truncation: "none", chat: "model" },
    metrics: [...(citationJudge === "llm" ? LLM_CITATION_METRICS(dataset) : CITATION_METRICS(dataset)), ...CORRECTNESS_METRICS(dataset)],
    retrieval: "unsuitable",
    generation: { temperature: GENERATION.temperature, topP: GENERATION.topP },
    // LOOM-Scope: its own prompt (the benchmark's prompt hook), 800 tokens, what its scorer reports.
    loom: { maxNewTokens: LOOM_MAX_NEW_TOKENS, metrics: LOOM_METRICS(dataset), generation: { temperature: GENERATION.temperature, topP: GENERATION.topP } },
  };
}

/** The task table under the options: `newlineStop` adds the "\n" stop, `citationJudge` picks the citation metrics. */
export function taskTable(options: { newlineStop?: boolean; citationJudge?: CitationJudgeKind } = {}): readonly TaskRow[] {
  const rows = [
    ...DATASETS.map((d) => row(d, "l-citeeval", options.citationJudge)),
    ...VARIANT_DATASETS.map((d) => row(d, "l-citeeval-length", options.citationJudge)),
    ...VARIANT_DATASETS.map((d) => row(d, "l-citeeval-hardness", options.citationJudge)),
  ].map((r) => (options.newlineStop ? { ...r, generation: { ...r.generation, stop: ["\n"] } } : r));
  return defineTasks(rows);
}

export const TASKS: readonly TaskRow[] = taskTable();
export const TASK_IDS = TASKS.map((t) => t.id);
const BY_ID = new Map(TASKS.map((t) => [t.id, t]));
/** The experiment and dataset of a task id. */
export function taskInfo(id: string): TaskRow {
  const t = BY_ID.get(id);
  if (!t) throw new RangeError(`l-citeeval has no task "${id}"`);
  return t;
}
