/**
 * CLongEval's task table (zexuanqiu/CLongEval @ 81ba789): 7 tasks, each in small / medium / large
 * sets, in config/dataset2prompt.json order. Short names as the paper and LOOM-Scope use them.
 */
import type { Metric } from "@loomscope/metrics";
import { DATASET_CONFIG } from "./config.js";
import { CLONGEVAL_METRICS, DATASET_METRIC, type ClongevalDataset } from "./metrics.js";

export interface PromptSpec {
  template: string;
  contextKey: string;
  queryKey?: string;
  system?: string;
  assistantPrefix?: string;
  truncation: "middle" | "none";
  chat: "model" | "raw";
}
export interface TaskRow {
  id: string;
  /** The paper's / LOOM-Scope's short name (LOOM-Scope's files are `<short>_<size>.jsonl`). */
  shortName: string;
  language: "en" | "zh" | "ru" | "multi" | "code";
  tags?: string[];
  lengths: string[];
  levels?: { label: string; unit: "tokens" | "words" | "chars" | "items"; value: number }[];
  maxNewTokens: number;
  prompt: PromptSpec;
  /** The prompt exactly as config/dataset2prompt.json ships it (positional `{}`). */
  officialPrompt: string;
  metrics: Metric[];
  retrieval?: "suitable" | "unsuitable";
  loom?: { prompt?: Partial<PromptSpec>; maxNewTokens?: number };
}

export const SHORT_NAMES: Readonly<Record<ClongevalDataset, string>> = {
  long_story_qa: "LStQA",
  long_conversation_memory: "LCvMem",
  long_story_summarization: "LStSum",
  stacked_news_labeling: "StNLab",
  stacked_typo_detection: "StTDet",
  key_passage_retrieval: "KpRet",
  table_querying: "TblQry",
};

/** The sets: README "small 1K–16K tokens, medium 16K–50K, large 50K–100K" (upper bounds). */
export const SIZES = ["small", "medium", "large"] as const;
const LEVELS = [
  { label: "small", unit: "tokens" as const, value: 16_000 },
  { label: "medium", unit: "tokens" as const, value: 50_000 },
  { label: "large", unit: "tokens" as const, value: 100_000 },
];

/**
 * Generation as inference.py runs it: vLLM `SamplingParams(temperature=0.01, max_tokens=dataset2maxlen,
 * stop=["<|im_end|>", "<|endoftext|>", "<|im_start|>, </s>"])` — the third stop string is one
 * string with a comma in it, as written. The raw prompt string is passed to `LLM.generate` (no
 * chat template) for vLLM models; lmdeploy (InternLM2: top_p=1.0, top_k=1, temperature=0.01) applies
 * its own chat template; the API models (gpt4-turbo-128k, glm4) get a system message
 * `SYSTEM_PROMPT` (moonshot: its own Kimi system prompt), temperature 0.01, top_p 1. No truncation
 * anywhere: a prompt longer than the model's window fails in the engine.
 */
export const GENERATION = {
  temperature: 0.01,
  topP: 1.0,
  stop: ["<|im_end|>", "<|endoftext|>", "<|im_start|>, </s>"],
} as const;
export const SYSTEM_PROMPT = "你是一个人工智能助手。你会为用户提供有帮助，准确的回答。";
export const TRUNCATION = { official: "none", loom: "middle (LOOM-Scope's default process_data; its CLongEval.py was not available to read)" } as const;

/** `{}` → named fields in order: the first is the context, the second the query. */
function named(prompt: string): string {
  let n = 0;
  return prompt.replace(/\{\}/g, () => (n++ === 0 ? "{context}" : "{query}"));
}

export const TASKS: readonly TaskRow[] = DATASET_CONFIG.map(([id, prompt, maxTokens]) => ({
  id,
  shortName: SHORT_NAMES[id],
  language: "zh" as const,
  tags: [SHORT_NAMES[id]],
  lengths: [...SIZES],
  levels: LEVELS,
  maxNewTokens: maxTokens,
  prompt: {
    template: named(prompt),
    contextKey: "context",
    ...(prompt.split("{}").length > 2 ? { queryKey: "query" } : {}),
    truncation: "none" as const,
    chat: "raw" as const,
  },
  officialPrompt: prompt,
  metrics: [CLONGEVAL_METRICS[DATASET_METRIC[id].name as keyof typeof CLONGEVAL_METRICS]],
  retrieval: id === "long_story_summarization" || id.startsWith("stacked_") ? ("unsuitable" as const) : ("suitable" as const),
}));

export const DATASETS: readonly ClongevalDataset[] = DATASET_CONFIG.map((r) => r[0]);
/** eval.sh's loop order (one eval.py call per dataset, each appending its line). */
export const EVAL_SH_ORDER: readonly ClongevalDataset[] = [
  "long_story_qa", "long_conversation_memory", "long_story_summarization", "stacked_news_labeling",
  "stacked_typo_detection", "key_passage_retrieval", "table_querying",
];
export function isDataset(name: string): name is ClongevalDataset {
  return (DATASETS as readonly string[]).includes(name);
}
