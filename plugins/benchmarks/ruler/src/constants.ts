/**
 * RULER's task definitions: scripts/data/synthetic/constants.py (templates, answer prefixes,
 * tokens_to_generate), scripts/synthetic.yaml (the 13 tasks and their arguments),
 * scripts/eval/synthetic/constants.py (metric per task), scripts/config_tasks.sh (task order).
 */
import { RULER_NOISE_SENTENCES } from "@loomscope/benchmark-kit";

export type BaseTask = "niah" | "variable_tracking" | "common_words_extraction" | "freq_words_extraction" | "qa";
export type Metric = "string_match_all" | "string_match_part";

export const BASE_TASKS: Record<BaseTask, { tokensToGenerate: number; template: string; answerPrefix: string; metric: Metric }> = {
  niah: {
    tokensToGenerate: 128,
    template:
      "Some special magic {type_needle_v} are hidden within the following text. Make sure to memorize it. I will quiz you about the {type_needle_v} afterwards.\n{context}\nWhat are all the special magic {type_needle_v} for {query} mentioned in the provided text?",
    answerPrefix: " The special magic {type_needle_v} for {query} mentioned in the provided text are",
    metric: "string_match_all",
  },
  variable_tracking: {
    tokensToGenerate: 30,
    template:
      "Memorize and track the chain(s) of variable assignment hidden in the following text.\n\n{context}\nQuestion: Find all variables that are assigned the value {query} in the text above.",
    answerPrefix:
      " Answer: According to the chain(s) of variable assignment in the text above, {num_v} variables are assigned the value {query}, they are: ",
    metric: "string_match_all",
  },
  common_words_extraction: {
    tokensToGenerate: 120,
    template:
      "Below is a numbered list of words. In these words, some appear more often than others. Memorize the ones that appear most often.\n{context}\nQuestion: What are the 10 most common words in the above list?",
    answerPrefix: " Answer: The top 10 words that appear most often in the list are:",
    metric: "string_match_all",
  },
  freq_words_extraction: {
    tokensToGenerate: 50,
    template:
      "Read the following coded text and track the frequency of each coded word. Find the three most frequently appeared coded words. {context}\nQuestion: Do not provide any explanation. Please ignore the dots '....'. What are the three most frequently appeared words in the above coded text?",
    answerPrefix: " Answer: According to the coded text above, the three most frequently appeared words are:",
    metric: "string_match_all",
  },
  qa: {
    tokensToGenerate: 32,
    template:
      "Answer the question based on the given documents. Only give me the answer and do not output any other words.\n\nThe following are given documents.\n\n{context}\n\nAnswer the question based on the given documents. Only give me the answer and do not output any other words.\n\nQuestion: {query}",
    answerPrefix: " Answer:",
    metric: "string_match_part",
  },
};

export type NeedleType = "numbers" | "words" | "uuids";
export interface NiahArgs {
  type_haystack: "noise" | "essay" | "needle";
  type_needle_k: NeedleType;
  type_needle_v: NeedleType;
  num_needle_k: number;
  num_needle_v: number;
  num_needle_q: number;
}
export type TaskConfig =
  | { task: "niah"; args: NiahArgs }
  | { task: "variable_tracking"; args: { type_haystack: "noise" | "essay"; num_chains: number; num_hops: number } }
  | { task: "common_words_extraction"; args: { freq_cw: number; freq_ucw: number; num_cw: number; num_fewshot: number } }
  | { task: "freq_words_extraction"; args: { alpha: number; coded_wordlen: number; vocab_size: number } }
  | { task: "qa"; args: { dataset: "squad" | "hotpotqa" } };

const niah = (type_haystack: NiahArgs["type_haystack"], k: NeedleType, v: NeedleType, nk = 1, nv = 1, nq = 1): TaskConfig => ({
  task: "niah",
  args: { type_haystack, type_needle_k: k, type_needle_v: v, num_needle_k: nk, num_needle_v: nv, num_needle_q: nq },
});

/** scripts/synthetic.yaml, in scripts/config_tasks.sh order. */
export const RULER_TASKS = {
  niah_single_1: niah("noise", "words", "numbers"),
  niah_single_2: niah("essay", "words", "numbers"),
  niah_single_3: niah("essay", "words", "uuids"),
  niah_multikey_1: niah("essay", "words", "numbers", 4),
  niah_multikey_2: niah("needle", "words", "numbers"),
  niah_multikey_3: niah("needle", "uuids", "uuids"),
  niah_multivalue: niah("essay", "words", "numbers", 1, 4),
  niah_multiquery: niah("essay", "words", "numbers", 1, 1, 4),
  vt: { task: "variable_tracking", args: { type_haystack: "noise", num_chains: 1, num_hops: 4 } },
  cwe: { task: "common_words_extraction", args: { freq_cw: 30, freq_ucw: 3, num_cw: 10, num_fewshot: 1 } },
  fwe: { task: "freq_words_extraction", args: { alpha: 2.0, coded_wordlen: 6, vocab_size: -1 } },
  qa_1: { task: "qa", args: { dataset: "squad" } },
  qa_2: { task: "qa", args: { dataset: "hotpotqa" } },
} as const satisfies Record<string, TaskConfig>;
export type RulerTaskId = keyof typeof RULER_TASKS;
export const RULER_TASK_IDS = Object.keys(RULER_TASKS) as RulerTaskId[];
export const isRulerTask = (id: string): id is RulerTaskId => Object.hasOwn(RULER_TASKS, id);

/** scripts/run.sh SEQ_LENGTHS, named as levels. */
export const LENGTH_LEVELS = ["4k", "8k", "16k", "32k", "64k", "128k"] as const;
export const LENGTH_TOKENS: Record<string, number> = { "4k": 4096, "8k": 8192, "16k": 16384, "32k": 32768, "64k": 65536, "128k": 131072 };
/** scripts/config_tasks.sh NUM_SAMPLES. */
export const NUM_SAMPLES = 500;

/** Parse a length level ("4k", "6k", "4096") into tokens. */
export function lengthTokens(level: string): number {
  const known = LENGTH_TOKENS[level];
  if (known !== undefined) return known;
  const m = /^(\d+)(k?)$/i.exec(level);
  if (!m) throw new Error(`not a length level: ${level}`);
  return Number(m[1]) * (m[2] ? 1024 : 1);
}

/** niah.py / variable_tracking.py `haystack` (one copy for every plugin, in the kit). */
export const NOISE_HAYSTACK = RULER_NOISE_SENTENCES;
export const NIAH_NEEDLE = "One of the special magic {type_needle_v} for {key} is: {value}.";
export const QA_DOCUMENT_PROMPT = "Document {i}:\n{document}";

/**
 * scripts/data/template.py: RULER's own prompt template per model family. `prepare.py` formats the
 * task template into it and appends the answer prefix before the generator counts tokens, so these
 * templates are inside the length budget.
 */
export const RULER_TEMPLATES = {
  base: "{task_template}",
  "meta-chat": "[INST] {task_template} [/INST]",
  "vicuna-chat":
    "A chat between a curious user and an artificial intelligence assistant. The assistant gives helpful, detailed, and polite answers to the user's questions. USER: {task_template} ASSISTANT:",
  "lwm-chat": "You are a helpful assistant. USER: {task_template} ASSISTANT: ",
  "command-r-chat": "<BOS_TOKEN><|START_OF_TURN_TOKEN|><|USER_TOKEN|>{task_template}<|END_OF_TURN_TOKEN|><|START_OF_TURN_TOKEN|><|CHATBOT_TOKEN|>",
  "chatglm-chat": "[gMASK]sop<|user|> \n {task_template}<|assistant|> \n ",
  RWKV: "User: hi\n\nAssistant: Hi. I am your assistant and I will provide expert full response in full details. Please feel free to ask any question and I will always answer it\n\nUser: {task_template}\n\nAssistant:",
  Phi3: "<|user|>\n{task_template}<|end|>\n<|assistant|>\n",
  "meta-llama3": "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\n{task_template}<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n",
  jamba: "<|startoftext|><|bom|><|system|> <|eom|><|bom|><|user|> {task_template}<|eom|><|bom|><|assistant|>",
  "nemotron5-instruct": "<SPECIAL_10>System\n\n<SPECIAL_11>User\n{task_template}\n<SPECIAL_11>Assistant\n",
} as const;
export type RulerTemplate = keyof typeof RULER_TEMPLATES;
export const RULER_TEMPLATE_NAMES = Object.keys(RULER_TEMPLATES) as RulerTemplate[];

/** scripts/config_tasks.sh: the default `--random_seed` of prepare.py. */
export const RULER_RANDOM_SEED = 42;
/** The NVIDIA/RULER commit every generator, template and scorer here follows. */
export const RULER_COMMIT = "c3f5e3b4f87f97e048793bb510a3a6b19a46bf3a";
