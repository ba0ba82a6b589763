/**
 * The LongBench v2 task table: one task per pred.py setting (no flag, `--cot`, `--no_context`,
 * `--rag N`), each over the 503 questions, length levels short / medium / long.
 */
import type { Metric } from "@loomscope/metrics";
import { LENGTHS, PROMPTS } from "./config.js";
import { ACCURACY } from "./metrics.js";
import { PLACEHOLDERS } from "./prompt.js";

/**
 * A prompt in pred.py's own syntax: the template file's text, filled by chained `str.replace`
 * of each placeholder with the stripped field (`renderPrompt`), not `str.format`.
 */
export interface V2PromptSpec {
  template: string;
  syntax: "chained-replace";
  /** [placeholder, sample.input key] in replace order. */
  placeholders: ReadonlyArray<readonly [string, string]>;
  contextKey: "context";
  queryKey: "question";
  /** pred.py's middle cut (see `TRUNCATION`): ids[:n//2] + ids[-n//2:], decoded once. */
  truncation: "middle-single-decode" | "none";
  /** Always a single user message to an OpenAI-compatible chat endpoint (the server applies the chat template). */
  chat: "model";
}

/**
 * The CoT answer turn: a second, independent request (not a continuation of the first chat) whose
 * prompt is prompts/0shot_cot_ans.txt filled like the first, then `$COT$` replaced by the first
 * response, stripped. The second response is what is scored. pred.py drops the sample when either
 * response is ''.
 */
export interface V2FollowUp {
  template: string;
  placeholders: ReadonlyArray<readonly [string, string]>;
  /** The placeholder that receives `firstResponse.strip()`. */
  previousResponse: "$COT$";
  maxNewTokens: number;
  temperature: number;
}

export interface V2TaskRow {
  id: "longbench_v2" | "longbench_v2_cot" | "longbench_v2_no_context" | "longbench_v2_rag";
  /** The pred.py flag this reproduces and the results file name it writes. */
  flag: string;
  resultsFile: string;
  language: "en";
  tags: string[];
  lengths: string[];
  maxNewTokens: number;
  temperature: number;
  prompt: V2PromptSpec;
  followUp?: V2FollowUp;
  metrics: Metric[];
  retrieval: "suitable" | "unsuitable";
  /** pred.py `--rag N` needs `retrieved_context` in each record (LongCite's retrieve.py); data.json has none. */
  needs?: string;
  loom?: { maxNewTokens?: number; truncation?: string; note: string };
}

/**
 * pred.py `query_llm`: `client.chat.completions.create(model, messages=[{"role": "user", "content":
 * prompt}], temperature=0.1, max_tokens=128)` (1024 for the first CoT turn) — sampling at
 * temperature 0.1, no stop strings, up to 5 tries; after 5 failures the output is '' and the
 * sample is not written (result.py never sees it).
 */
export const GENERATION = {
  temperature: 0.1,
  maxNewTokens: 128,
  cotMaxNewTokens: 1024,
  tries: 5,
  emptyOutput: "sample skipped (not written to the results file)",
} as const;

/**
 * pred.py `query_llm`: `max_len = maxlen_map[model]` (config/model2maxlen.json: 120000, Claude
 * 200000); HF models: `ids = tokenizer.encode(prompt)` (special tokens added); if `len(ids) >
 * max_len`: `ids[:max_len//2] + ids[-max_len//2:]` decoded once with skip_special_tokens (for odd
 * max_len Python's `-max_len//2` keeps one token more at the end); OpenAI models: tiktoken
 * `encode(prompt, disallowed_special=())`, plain decode. The whole prompt is cut (the CoT answer turn
 * too), then sent as one user message.
 * LOOM-Scope (LongBench_v2.py `process_data`): `half = int(max_length/2)`, the two halves decoded
 * separately and concatenated (the LongBench v1 rule), `--max_length` default 128000.
 */
export const TRUNCATION = {
  where: "middle",
  head: "max_len // 2 tokens",
  tail: "-(max_len) // 2 tokens (Python floor division)",
  decode: "once, over head + tail, skip_special_tokens=True",
  addSpecialTokens: true,
  officialMaxLen: 120000,
  loom: { half: "int(max_length / 2)", decode: "each half separately", defaultMaxLength: 128000 },
} as const;

const PLACEHOLDER_LIST: ReadonlyArray<readonly [string, string]> = PLACEHOLDERS.map(([p, k]) => [p, k] as const);

function prompt(template: string): V2PromptSpec {
  return {
    template,
    syntax: "chained-replace",
    placeholders: PLACEHOLDER_LIST,
    contextKey: "context",
    queryKey: "question",
    truncation: "middle-single-decode",
    chat: "model",
  };
}

const LOOM_TRUNCATION = "halves decoded separately, int(max_length/2) each, --max_length (default 128000)";

export const TASKS: readonly V2TaskRow[] = [
  {
    id: "longbench_v2",
    flag: "(none)",
    resultsFile: "<model>.jsonl",
    language: "en",
    tags: ["multiple-choice"],
    lengths: [...LENGTHS],
    maxNewTokens: GENERATION.maxNewTokens,
    temperature: GENERATION.temperature,
    prompt: prompt(PROMPTS.zeroShot),
    metrics: [ACCURACY],
    retrieval: "suitable",
    loom: {
      truncation: LOOM_TRUNCATION,
      note: "LOOM-Scope keeps samples whose response is '' (scored as no answer); pred.py drops them.",
    },
  },
  {
    id: "longbench_v2_cot",
    flag: "--cot",
    resultsFile: "<model>_cot.jsonl",
    language: "en",
    tags: ["multiple-choice", "chain-of-thought"],
    lengths: [...LENGTHS],
    maxNewTokens: GENERATION.cotMaxNewTokens,
    temperature: GENERATION.temperature,
    prompt: prompt(PROMPTS.cot),
    followUp: {
      template: PROMPTS.cotAnswer,
      placeholders: PLACEHOLDER_LIST,
      previousResponse: "$COT$",
      maxNewTokens: GENERATION.maxNewTokens,
      temperature: GENERATION.temperature,
    },
    metrics: [ACCURACY],
    retrieval: "suitable",
    loom: {
      truncation: LOOM_TRUNCATION,
      note: "LOOM-Scope builds the answer turn the same way, with its own chat template (config template / no_template_tasks) and keeps '' responses.",
    },
  },
  {
    id: "longbench_v2_no_context",
    flag: "--no_context",
    resultsFile: "<model>_no_context.jsonl",
    language: "en",
    tags: ["multiple-choice", "no-context"],
    lengths: [...LENGTHS],
    maxNewTokens: GENERATION.maxNewTokens,
    temperature: GENERATION.temperature,
    prompt: prompt(PROMPTS.noContext),
    metrics: [ACCURACY],
    retrieval: "unsuitable",
    loom: { truncation: LOOM_TRUNCATION, note: "LOOM-Scope's no_context config switch selects the same template." },
  },
  {
    id: "longbench_v2_rag",
    flag: "--rag N",
    resultsFile: "<model>_rag_<N>.jsonl",
    language: "en",
    tags: ["multiple-choice", "rag"],
    lengths: [...LENGTHS],
    maxNewTokens: GENERATION.maxNewTokens,
    temperature: GENERATION.temperature,
    prompt: prompt(PROMPTS.rag),
    metrics: [ACCURACY],
    retrieval: "unsuitable",
    needs:
      "records with `retrieved_context` ([{c_idx, content}], from LongCite's retrieve.py); $DOC$ is ragContext(retrieved_context, N). data.json has no such field, and pred.py's own loader drops it (KeyError).",
    loom: {
      note: "LOOM-Scope has no RAG template: its retrievers replace the context with ' '.join(chunks) in the 0-shot prompt.",
    },
  },
];

export function taskRow(id: string): V2TaskRow | undefined {
  return TASKS.find((t) => t.id === id);
}
