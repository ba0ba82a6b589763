/**
 * The official LongBench v2 configuration, as facts: THUDM/LongBench @ 2e00731f8d0bff23dc4325161044d0ed8af94c1e
 * (repository root: prompts/*.txt, config/model2maxlen.json, pred.py, result.py).
 */

/**
 * The prompt files, byte for byte (read by pred.py with `open(..., encoding='utf-8').read()`; no
 * trailing newline). Placeholders are `$DOC$`, `$Q$`, `$C_A$` … `$C_D$` and, in the CoT answer
 * turn, `$COT$`; pred.py fills them with chained `str.replace` (see `renderPrompt`).
 */
export const PROMPTS = {
  /** prompts/0shot.txt */
  zeroShot:
    "Please read the following text and answer the question below.\n\n<text>\n$DOC$\n</text>\n\nWhat is the correct answer to this question: $Q$\nChoices:\n(A) $C_A$\n(B) $C_B$\n(C) $C_C$\n(D) $C_D$\n\nFormat your response as follows: \"The correct answer is (insert answer here)\".",
  /** prompts/0shot_cot.txt */
  cot:
    "Please read the following text and answer the questions below.\n\n<text>\n$DOC$\n</text>\n\nWhat is the correct answer to this question: $Q$\nChoices:\n(A) $C_A$\n(B) $C_B$\n(C) $C_C$\n(D) $C_D$\n\nLet’s think step by step:",
  /** prompts/0shot_cot_ans.txt */
  cotAnswer:
    "Please read the following text and answer the questions below.\n\nThe text is too long and omitted here.\n\nWhat is the correct answer to this question: $Q$\nChoices:\n(A) $C_A$\n(B) $C_B$\n(C) $C_C$\n(D) $C_D$\n\nLet’s think step by step: $COT$\n\nBased on the above, what is the single, most likely answer choice? Format your response as follows: \"The correct answer is (insert answer here)\".",
  /** prompts/0shot_no_context.txt */
  noContext:
    "What is the correct answer to this question: $Q$\nChoices:\n(A) $C_A$\n(B) $C_B$\n(C) $C_C$\n(D) $C_D$\n\nWhat is the single, most likely answer choice? Format your response as follows: \"The correct answer is (insert answer here)\".",
  /** prompts/0shot_rag.txt */
  rag:
    "Please read the following retrieved text chunks and answer the question below.\n\n<text>\n$DOC$\n</text>\n\nWhat is the correct answer to this question: $Q$\nChoices:\n(A) $C_A$\n(B) $C_B$\n(C) $C_C$\n(D) $C_D$\n\nFormat your response as follows: \"The correct answer is (insert answer here)\".",
} as const;
export type PromptName = keyof typeof PROMPTS;

/** The prompt file of each name, as pred.py opens them. */
export const PROMPT_FILES: Readonly<Record<PromptName, string>> = {
  zeroShot: "prompts/0shot.txt",
  cot: "prompts/0shot_cot.txt",
  cotAnswer: "prompts/0shot_cot_ans.txt",
  noContext: "prompts/0shot_no_context.txt",
  rag: "prompts/0shot_rag.txt",
};

/**
 * config/model2maxlen.json: pred.py's prompt budget (tokens) per model; a model it does not list is
 * a KeyError there. loomscope takes the budget from `--max-length`; these are the official values.
 */
export const MODEL2MAXLEN: Readonly<Record<string, number>> = {
  "GLM-4-9B-Chat": 120000,
  "Llama-3.1-8B-Instruct": 120000,
  "Llama-3.1-70B-Instruct": 120000,
  "Llama-3.3-70B-Instruct": 120000,
  "Llama-3.1-Nemotron-70B-Instruct": 120000,
  "Qwen2.5-7B-Instruct": 120000,
  "Qwen2.5-72B-Instruct": 120000,
  "Mistral-Large-Instruct-2407": 120000,
  "Mistral-Large-Instruct-2411": 120000,
  "c4ai-command-r-plus-08-2024": 120000,
  "glm-4-plus": 120000,
  "gpt-4o-2024-08-06": 120000,
  "gpt-4o-mini-2024-07-18": 120000,
  "o1-mini-2024-09-12": 120000,
  "o1-preview-2024-09-12": 120000,
  "claude-3.5-sonnet-20241022": 200000,
};

/** The answer letters. */
export const CHOICES = ["A", "B", "C", "D"] as const;
export type Choice = (typeof CHOICES)[number];

/** result.py's columns after "Model". */
export const RESULT_COLUMNS = ["Overall", "Easy", "Hard", "Short", "Medium", "Long"] as const;

/** The `length` categories of the data (README "Data Format"). */
export const LENGTHS = ["short", "medium", "long"] as const;
export const DIFFICULTIES = ["easy", "hard"] as const;
