/**
 * LongBench v2 in the benchmark kit's shape: one task over the 503 questions, length levels short /
 * medium / long (the record's `length`), and pred.py's settings (`--cot`, `--no_context`,
 * `--rag N`) as options that pick the template, the first turn's budget and the CoT answer turn.
 */
import { defineTasks, type TaskRow } from "@loomscope/benchmark-kit";
import type { Protocol } from "@loomscope/spec";
import { LENGTHS, PROMPTS } from "./config.js";
import { ACCURACY, ACCURACY_COMPENSATED } from "./metrics.js";
import { PLACEHOLDERS } from "./prompt.js";

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
 * too), then sent as one user message. The kit's `truncation: "middle-joined"`.
 * LOOM-Scope (LongBench_v2.py `process_data`): `half = int(max_length/2)`, the two halves decoded
 * separately and concatenated (the LongBench v1 rule, the kit's `middle`), `--max_length` default 128000.
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

/** pred.py's chain of `str.replace` calls, as the kit's replacements (values are stripped first). */
export const REPLACEMENTS = PLACEHOLDERS.map(([placeholder, key]) => ({ placeholder, key }));
/** The CoT answer turn's chain ends with `.replace('$COT$', response)`. */
export const COT_KEY = "cot";
export const COT_REPLACEMENTS = [...REPLACEMENTS, { placeholder: "$COT$", key: COT_KEY }];

export const TASK_ID = "longbench_v2";

export const TASKS = defineTasks([
  {
    id: TASK_ID,
    language: "en",
    description: "503 four-choice questions over 8k–2M-word contexts; the template and turns follow the cot / noContext / rag options",
    tags: ["multiple-choice"],
    lengths: [...LENGTHS],
    maxNewTokens: GENERATION.maxNewTokens,
    generation: { temperature: GENERATION.temperature },
    prompt: { template: PROMPTS.zeroShot, replacements: REPLACEMENTS, contextKey: "context", queryKey: "question", truncation: "middle-joined", chat: "model" },
    metrics: [ACCURACY, ACCURACY_COMPENSATED],
    retrieval: "suitable",
    loom: { prompt: { truncation: "middle" } },
  },
] as const satisfies readonly TaskRow[]);

/** The pred.py settings a run reproduces (the benchmark's options). */
export interface V2Settings {
  cot: boolean;
  noContext: boolean;
  rag: number;
}

/**
 * The first turn's template. pred.py: `--rag N` wins over `--no_context`, which wins over `--cot`.
 * LOOM-Scope (`process_data`): no RAG template, `no_context` wins over `cot`.
 */
export function firstTemplate(protocol: Protocol, s: V2Settings): string {
  if (protocol === "official" && s.rag > 0) return PROMPTS.rag;
  if (s.noContext) return PROMPTS.noContext;
  if (s.cot) return PROMPTS.cot;
  return PROMPTS.zeroShot;
}

/**
 * pred.py's results file name after the model (`main`): `_rag_N`, else `_no_context`, else `_cot`,
 * else nothing — the row name result.py prints.
 */
export function resultsSuffix(protocol: Protocol, s: V2Settings): string {
  if (protocol === "official" && s.rag > 0) return `_rag_${s.rag}`;
  if (s.noContext) return "_no_context";
  if (s.cot) return "_cot";
  return "";
}
