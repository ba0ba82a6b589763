/**
 * CLongEval's task table (zexuanqiu/CLongEval @ 81ba789): 7 tasks, each in small / medium / large
 * sets, in config/dataset2prompt.json order. Short names as the paper and LOOM-Scope use them.
 */
import { defineTasks } from "@loomscope/benchmark-kit";
import type { LengthLevel } from "@loomscope/spec";
import { DATASET_CONFIG } from "./config.js";
import { CLONGEVAL_METRICS, DATASET_METRIC, type ClongevalDataset } from "./metrics.js";

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
const LEVELS: LengthLevel[] = [
  { label: "small", unit: "tokens", value: 16_000 },
  { label: "medium", unit: "tokens", value: 50_000 },
  { label: "large", unit: "tokens", value: 100_000 },
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
/** inference.py's system message for gpt4-turbo-128k and glm4-128k. */
export const SYSTEM_PROMPT = "你是一个人工智能助手。你会为用户提供有帮助，准确的回答。";
/** inference.py's system message for moonshot-v1. */
export const MOONSHOT_SYSTEM_PROMPT = "你是 Kimi，由 Moonshot AI 提供的人工智能助手，你会为用户提供有帮助，准确的回答。";
/**
 * How inference.py sends the prompt, by model family: `vllm` (the open models: the raw text to
 * `LLM.generate`), `lmdeploy` (InternLM2: lmdeploy's pipeline applies the model's chat template, no
 * system message), `gpt4` / `glm4` (chat with SYSTEM_PROMPT), `moonshot` (chat with its Kimi prompt).
 */
export const PROMPT_STYLES = ["vllm", "lmdeploy", "gpt4", "glm4", "moonshot"] as const;
export type PromptStyle = (typeof PROMPT_STYLES)[number];
export const STYLE_CHAT: Readonly<Record<PromptStyle, { chat: boolean; system?: string }>> = {
  vllm: { chat: false },
  lmdeploy: { chat: true },
  gpt4: { chat: true, system: SYSTEM_PROMPT },
  glm4: { chat: true, system: SYSTEM_PROMPT },
  moonshot: { chat: true, system: MOONSHOT_SYSTEM_PROMPT },
};
export const TRUNCATION = { official: "none", loom: "middle (LOOM-Scope's default process_data; its CLongEval.py was not available to read)" } as const;

/** `{}` → named fields in order: the first is the context, the second the query. */
function named(prompt: string): string {
  let n = 0;
  return prompt.replace(/\{\}/g, () => (n++ === 0 ? "{context}" : "{query}"));
}

export const TASKS = defineTasks(
  DATASET_CONFIG.map(([id, prompt, maxTokens]) => ({
    id,
    language: "zh" as const,
    tags: [SHORT_NAMES[id]],
    levels: LEVELS,
    maxNewTokens: maxTokens,
    prompt: {
      template: named(prompt),
      contextKey: "context",
      ...(prompt.split("{}").length > 2 ? { queryKey: "query" } : {}),
      truncation: "none" as const,
      chat: "raw" as const,
    },
    metrics: [CLONGEVAL_METRICS[DATASET_METRIC[id].name as keyof typeof CLONGEVAL_METRICS]],
    retrieval: id === "long_story_summarization" || id.startsWith("stacked_") ? ("unsuitable" as const) : ("suitable" as const),
    generation: { temperature: GENERATION.temperature, topP: GENERATION.topP, stop: [...GENERATION.stop] },
    // LOOM-Scope's default process_data fits the prompt by middle truncation (its CLongEval.py was not readable).
    loom: { prompt: { truncation: "middle" as const } },
  })),
);

/** The prompt exactly as config/dataset2prompt.json ships it (positional `{}`), per task. */
export const OFFICIAL_PROMPTS: Readonly<Record<ClongevalDataset, string>> = Object.fromEntries(DATASET_CONFIG.map(([id, prompt]) => [id, prompt])) as Record<ClongevalDataset, string>;

export const DATASETS: readonly ClongevalDataset[] = DATASET_CONFIG.map((r) => r[0]);
/** eval.sh's loop order (one eval.py call per dataset, each appending its line). */
export const EVAL_SH_ORDER: readonly ClongevalDataset[] = [
  "long_story_qa", "long_conversation_memory", "long_story_summarization", "stacked_news_labeling",
  "stacked_typo_detection", "key_passage_retrieval", "table_querying",
];
export function isDataset(name: string): name is ClongevalDataset {
  return (DATASETS as readonly string[]).includes(name);
}
