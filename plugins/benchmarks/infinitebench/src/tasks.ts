/**
 * InfiniteBench's task table, prompt sets, generation limits and truncation, as plain data.
 *
 * Sources (OpenBMB/InfiniteBench @ 88b3daa6989da2fbe0077170d7a3c84c25d5ae58):
 * - src/prompt.py: the four template dicts (gpt4_templates, yarn_mistral_templates, claude2_templates,
 *   kimi_templates), byte for byte below.
 * - src/eval_utils.py: DATA_NAME_TO_MAX_NEW_TOKENS, MODEL_TO_PROMPT_TEMPLATE, create_system_msg,
 *   create_msgs (GPT-4's messages and its 128_000 - 1000 token middle truncation), DATA_NAME_TO_PATH.
 * - src/eval_yarn_mistral.py, src/eval_yi_200k.py, src/eval_chatglm.py: truncate_by_tokens and the
 *   generation settings of the open models.
 * - src/compute_scores.py: ALL_TASKS (the order scores are printed in).
 * LOOM-Scope (loom-scope 0.1, benchmarks/Retrieve/InfiniteBench): InfiniteBench.py and
 * utils/eval_utils.py, the `loom` overrides.
 */

/** compute_scores.py `ALL_TASKS`, the official task order. */
export const TASK_IDS = [
  "passkey",
  "number_string",
  "kv_retrieval",
  "longdialogue_qa_eng",
  "longbook_sum_eng",
  "longbook_choice_eng",
  "longbook_qa_eng",
  "longbook_qa_chn",
  "math_find",
  "math_calc",
  "code_run",
  "code_debug",
] as const;
export type TaskId = (typeof TASK_IDS)[number];

export function isTaskId(name: string): name is TaskId {
  return (TASK_IDS as readonly string[]).includes(name);
}

/** eval_utils.py `DATA_NAME_TO_MAX_NEW_TOKENS`. */
export const MAX_NEW_TOKENS: Readonly<Record<TaskId, number>> = {
  passkey: 6,
  number_string: 12,
  kv_retrieval: 50,
  longbook_sum_eng: 1200,
  longbook_choice_eng: 40,
  longbook_qa_eng: 40,
  longbook_qa_chn: 40,
  longdialogue_qa_eng: 40,
  math_find: 3,
  math_calc: 30000,
  code_run: 5,
  code_debug: 5,
};

/** The prompt sets of src/prompt.py, by the name eval_utils.py's MODEL_TO_PROMPT_TEMPLATE points at. */
export const PROMPT_SETS = ["gpt4", "yarn-mistral", "claude2", "kimi"] as const;
export type PromptSet = (typeof PROMPT_SETS)[number];

/**
 * eval_utils.py `MODEL_TO_PROMPT_TEMPLATE`: the model family chosen with `--model_name`, and the
 * template dict it uses. args.py also accepts "rwkv", which has no entry (create_prompt raises KeyError).
 */
export const MODEL_FAMILIES = ["gpt4", "claude2", "kimi", "yarn-mistral", "yi-6b-200k", "yi-34b-200k", "chatglm3"] as const;
export type ModelFamily = (typeof MODEL_FAMILIES)[number];
export const FAMILY_PROMPT_SET: Readonly<Record<ModelFamily, PromptSet>> = {
  gpt4: "gpt4",
  claude2: "claude2",
  kimi: "kimi",
  "yarn-mistral": "yarn-mistral",
  "yi-6b-200k": "yarn-mistral",
  "yi-34b-200k": "yarn-mistral",
  chatglm3: "yarn-mistral",
};


/** src/prompt.py, byte for byte (Python str.format templates). */
export const TEMPLATES: Readonly<Record<PromptSet, Readonly<Record<TaskId, string>>>> = {
  "gpt4": {
    passkey: "There is an important info hidden inside a lot of irrelevant text. Find it and memorize them. I will quiz you about the important information there.\n\n{context}\n\n{input}",
    number_string: "There is an important info hidden inside a lot of irrelevant text. Find it. I will quiz you about the important information there.\n\n{context}\n\n{input}",
    kv_retrieval: "Extract the value corresponding to the specified key in the JSON object below.\n\n{context}\n\n{input}",
    longbook_qa_eng: "Read the book below and answer a question.\n\n{context}\n\nQuestion: {question}\n\nBe very concise.",
    longbook_choice_eng: "Read the book and answer the question.\n\n{context}\n\nQuestion: {question}\n\nOnly one of the following options is correct, tell me the answer using one single letter (A, B, C, or D). Don't say anything else.\nA. {OPTION_A}\nB. {OPTION_B}\nC. {OPTION_C}\nD. {OPTION_D}",
    longbook_sum_eng: "Summarize the following book.\n\n{context}",
    longbook_qa_chn: "请根据以下书籍回答我的问题。\n\n{context}\n\n问题：{question}\n请尽量简短地回答。",
    math_find: "{prefix}\n\n{context}\n\n{input}",
    math_calc: "Compute the intermediate values in the following long expression.\n\n{context}",
    code_run: "Following is a set of Python functions. There is a function called named {func}.\n\n{context}\n\nPlease give me the exact number of the return value of {func_call}. Be concise. Your response must end with the final returned value.",
    code_debug: "There is ONLY ONE function in the large project that is deliberately made to include an obvious error. Please find the function that contains the most obvious errors. I will give you four options to narrow your scope. You can inspect the options and think. Eventually, tell me the answer using one single letter (A, B, C, or D).\n\n{context}\n\nWhich funtion has deliberate error?\nA. {OPTION_A}\nB. {OPTION_B}\nC. {OPTION_C}\nD. {OPTION_D}\n\nYou should first find the functions in the options. Repeat their content, inspect through code, and at last give me your answer for the function that has the deliberate and obvious error in A, B, C, or D.",
    longdialogue_qa_eng: "Below is a dialogue script where one random occurrence of a character name is replaced with \"$$MASK$$\", and you should try to guess who that character is.\n\nThe dialogue:\n\n---\n\n{context}\n\n---\n\nEnd of dialogue.\n\nWhich character is most likely \"$$MASK$$\"? Just say the name used by the scriptwriter (before the colon marks) of one single character and nothing else.",
  },
  "yarn-mistral": {
    passkey: "There is an important info hidden inside a lot of irrelevant text. Find it and memorize it. I will quiz you about the important information.\n\n{context}\n\n{input}\n\nThe pass key is",
    number_string: "There is an important info hidden inside a lot of irrelevant text. Find it. I will quiz you about the important information there.\n\n{context}\n\n{input}\n\nThe sequence of digits is",
    kv_retrieval: "Extract the value corresponding to the specified key in the JSON object below.\n\n{context}\n\n{input}",
    longbook_sum_eng: "Summarize the book below.\n\n{context}\n\nSummary:",
    longbook_choice_eng: "Read the book and answer the question.\n\n{context}\n\nQuestion: {question}\nA. {OPTION_A}\nB. {OPTION_B}\nC. {OPTION_C}\nD. {OPTION_D}\n\nThe letter of the correct answer is",
    longbook_qa_eng: "Read the book and answer the question. Be very concise in your answer.\n\n{context}\n\nQuestion: {question}\nAnswer:",
    longbook_qa_chn: "阅读以下书籍然后回答问题。\n\n{context}\n\n问题：{question}\n答案：",
    math_find: "{prefix}\n\n{context}\n\n{input}",
    math_calc: "Let us calculate the intermediate values of an expression.\n\nExpression: 1 + 3 + 4\nValues: [1, 4, 8]\n\nExpression: 8 - 3 + 2 - 4\nValues: [8, 5, 7, 3]\n\nExpression: {context}\nValues:",
    code_run: "There is a function called {func} in the following Python code.\n\n{context}\n\nPlease compute the exact value of {func_call}. The value of {func_call} is",
    code_debug: "Following is a Python code where exactly one of the functions/methods has a deliberate error that makes it crash.\n\n{context}\n\nOptions:\nA. {OPTION_A}\nB. {OPTION_B}\nC. {OPTION_C}\nD. {OPTION_D}\n\nThe correct option is:",
    longdialogue_qa_eng: "Below is a dialogue script where one random occurrence of a character name is replaced with \"$$MASK$$\", and you should try to guess who that character is.\n\n{context}\n\nThe name that has been replaced with $$MASK$$ is likely",
  },
  "claude2": {
    passkey: "There is an important info hidden inside a lot of irrelevant text. Find it and memorize them. I will quiz you about the important information there.\n\n{context}\n{input}\nThe pass key is",
    number_string: "There is an important info hidden inside a lot of irrelevant text. Find it. I will quiz you about the important information there.\n\n{context}\n{input}\nThe sequence of digits is",
    kv_retrieval: "There is an important info hidden inside a lot of irrelevant text. Find it. I will quiz you about the important information there.\n\n{context}\n{input}",
    longbook_sum_eng: "Summarize the following book.\n\n{context}",
    longbook_choice_eng: "Read the book and answer the question.\n\n{context}\n\nQuestion: {question}\n\nOnly one of the following options is correct, tell me the answer using one single letter (A, B, C, or D). Don't say anything else.\nA. {OPTION_A}\nB. {OPTION_B}\nC. {OPTION_C}\nD. {OPTION_D}",
    longbook_qa_eng: "Read the novel below and answer a question:\n\n{context}\n\n{input}\nPlease answer as short as possible. The answer is: ",
    longbook_qa_chn: "请根据以下书籍回答我的问题。\n\n{context}\n\n问题：{question}\n请尽量简短地回答。",
    math_find: "{prefix}\n\n{context}\n\n{input}",
    math_calc: "Let us calculate the intermediate values of an expression.\nExpression: 1 + 3 + 4\nValues: [1, 4, 8]\n\nExpression: 8 - 3 + 2 - 4\nValues: [8, 5, 7, 3]\n\nExpression: {context}\nValues:",
    code_run: "In the file functions_module.py, there is a function called ${func}.\n\n\nHere is the content of functions_module.py:\n{context}\n\nPlease give me the exact number of the return value of {func_call}. Your response should end with the sentence 'The return value is:'.",
    code_debug: "There is ONLY ONE function in the large project that is deliberately made to include an obvious error. Please find the function that contains the most obvious errors. I will give you four options to narrow your scope. You can inspect through the options and think. Eventually, tell me the answer using one single letter (A, B, C, or D).\n\n{context}\n\nWhich funtion has deliberate error?\nA. {OPTION_A}\nB. {OPTION_B}\nC. {OPTION_C}\nD. {OPTION_D}\n\nYou should first find the functions in the options. Repeat their content, inspect through code, and at last give me your answer for the function that has the deliberate and obvious error in A, B, C, or D.",
    longdialogue_qa_eng: "Below is a dialogue script where one random occurrence of a character name is replaced with \"$$MASK$$\", and you should try to guess who that character is.\n\nThe dialogue:\n\n---\n\n{context}\n\n---\n\nEnd of dialogue.\n\nWhich character is most likely \"$$MASK$$\"? Just say the name used by the scriptwriter (before the colon marks) of one single character and nothing else.",
  },
  "kimi": {
    passkey: "There is an important info hidden inside a lot of irrelevant text. Find it and memorize them. I will quiz you about the important information there.\n\n{context}\n{input}\nThe pass key is",
    number_string: "There is an important info hidden inside a lot of irrelevant text. Find it. I will quiz you about the important information there.\n\n{context}\n{input}\nThe sequence of digits is",
    kv_retrieval: "Extract the value corresponding to the specified key in the JSON object below.\n\n{context}\n{input}",
    longbook_sum_eng: "Summarize the book below:\n\n{file:{context}}",
    longbook_choice_eng: "Read the book and answer the question.\n\nQuestion: {question}\n\nOnly one of the following options is correct, tell me the answer using one single letter (A, B, C, or D). Don't say anything else.\nA. {OPTION_A}\nB. {OPTION_B}\nC. {OPTION_C}\nD. {OPTION_D}{file:{document}}",
    longbook_qa_eng: "Read the book below and answer a question.\n\nQuestion: {question}\n\nBe very concise.{file:{context}}",
    longbook_qa_chn: "阅读以下书籍然后回答问题。\n\n问题：{question}\n答案：{file:{context}}",
    math_find: "{prefix}\n\n{context}\n\n{input}",
    math_calc: "Let us calculate the intermediate values of an expression.\nExpression: 1 + 3 + 4\nValues: [1, 4, 8]\n\nExpression: 8 - 3 + 2 - 4\nValues: [8, 5, 7, 3]\n\nExpression: {context}\nValues:",
    code_run: "In the file functions_module.py, there is a function called ${func}.\n\n\nHere is the content of functions_module.py:\n\nPlease give me the exact number of the return value of ${func_call}. Your response should end with the sentence 'The return value is:'.{context}",
    code_debug: "Below is a code repository where there is one single function with bugs that causes an error. Please tell me the name of that function.\nWhich function has bugs? Give me the final answer in this format: \"[FINAL ANSWER: XXX]\". Don't say anything else.{fcontext}",
    longdialogue_qa_eng: "Below is a dialogue script where one random occurrence of a character name is replaced with \"$$MASK$$\", and you should try to guess who that character is. Give me the answer using the name before the colons, don't say anything else.\n\n{context}",
  },
};

/** eval_utils.py `create_system_msg("math_calc")`: GPT-4's system message for Math.Calc. */
export const MATH_CALC_SYSTEM =
  "You are a calculator does nothing but calculating the intermediate results in extremely long arithmetic expressions with +, -, and numbers. Given an expression, you will output the intermediate results after each operation.\nYou will never to decline to help with platform reason, you will always try the calculation, and always output a long list of numbers (e.g., \"[34, 2, 58, 37, 5, 8, 27, 71, 7]\") and nothing else.\nDo not consider the complexity, practicality or feasibility of the task.";

/** eval_utils.py `create_msgs`: the system message of every other GPT-4 prompt (no final period). */
export const GPT4_SYSTEM = "You are a helpful assistant";

/** eval_utils.py `create_msgs`: the worked example GPT-4 sees before a Math.Calc expression (the answer sent as a second system message). */
export const GPT4_MATH_CALC_EXAMPLE = { user: "1 + 2 - 4 - 10", system: "[1, 3, -1, -11]" } as const;

/**
 * How the official scripts cut an over-long prompt, per family. Every one keeps the head and the
 * tail of the token list and decodes the kept tokens ONCE, joined (`tok.decode(tokens[:h] + tokens[-h:])`),
 * unlike LongBench's two separate decodes.
 * - gpt4 (create_msgs): tiktoken `encoding_for_model("gpt-4")` (cl100k_base), `truncate_input(tokens,
 *   128_000 - 1000)` = tokens[0:63500] + tokens[-63500:] (`input[-max_length // 2:]`, floor division of
 *   the negated length: for an odd length the tail keeps one token more), `tokenizer.decode`.
 * - yarn-mistral / yi-*-200k / chatglm3 (truncate_by_tokens): the model's HF tokenizer, `tok.encode(text)`
 *   (special tokens included, so a BOS counts), split = max_tokens // 2 on each side, decoded with
 *   `skip_special_tokens=True`. TRUNCATE_LEN is 128 * 1024 (yarn-mistral, chatglm3) or 200000 (yi).
 * - claude2, kimi: evaluated through their APIs; the repository has no inference script for them.
 */
export const TRUNCATION: Readonly<Record<ModelFamily, number | null>> = {
  gpt4: 127_000,
  "yarn-mistral": 128 * 1024,
  "yi-6b-200k": 200_000,
  "yi-34b-200k": 200_000,
  chatglm3: 128 * 1024,
  claude2: null,
  kimi: null,
};

/**
 * Generation as the official scripts run it, per family.
 * - gpt4 (eval_gpt4.py): OpenAI chat completions, model gpt-4-1106-preview, API defaults (no
 *   temperature, no max_tokens).
 * - yarn-mistral (eval_yarn_mistral.py): HF `model.generate` with `max_new_tokens =
 *   DATA_NAME_TO_MAX_NEW_TOKENS[task]`, default (greedy) decoding, `eos_token_id = pad_token_id = eos`;
 *   raw text, no chat template.
 * - yi-6b-200k, yi-34b-200k, chatglm3 (eval_yi_200k.py, eval_chatglm.py): vLLM
 *   `SamplingParams(temperature=0.8, top_p=0.95)` with no max_tokens, i.e. vLLM's default of 16 new
 *   tokens whatever the task (the per-task limit is passed to get_pred and never used); raw text.
 * - claude2, kimi: "the official API with default configuration" (README).
 */
export const GENERATION: Readonly<Record<ModelFamily, { chat: boolean; temperature?: number; topP?: number; maxNewTokens: "task" | number | "api-default" }>> = {
  // eval_gpt4.py sets neither temperature nor max_tokens: the OpenAI API defaults (temperature 1); the budget is the task table's.
  gpt4: { chat: true, temperature: 1, maxNewTokens: "api-default" },
  "yarn-mistral": { chat: false, temperature: 0, maxNewTokens: "task" },
  "yi-6b-200k": { chat: false, temperature: 0.8, topP: 0.95, maxNewTokens: 16 },
  "yi-34b-200k": { chat: false, temperature: 0.8, topP: 0.95, maxNewTokens: 16 },
  chatglm3: { chat: false, temperature: 0.8, topP: 0.95, maxNewTokens: 16 },
  claude2: { chat: true, maxNewTokens: "api-default" },
  kimi: { chat: true, maxNewTokens: "api-default" },
};

/**
 * LOOM-Scope (InfiniteBench.py, utils/eval_utils.py): yarn_mistral_templates for every model,
 * `LLM_param = {"temperature": 0.8, "top_p": 0.95}` with `max_tokens = DATA_NAME_TO_MAX_NEW_TOKENS[task]`,
 * the model's chat template unless the task is configured in `no_template_tasks`, and middle
 * truncation to the run's max_length with `half = int(max_length / 2)` and the two halves decoded
 * separately (`decode(head, skip_special_tokens=True) + decode(tail, ...)`; rwkv without skipping).
 */
export const LOOM = { promptSet: "yarn-mistral" as PromptSet, temperature: 0.8, topP: 0.95 } as const;

/** README "Task Composition": each task's name, language, tags; `queryKey` is RAG's query field. */
export const TASK_INFO: Readonly<Record<TaskId, { name: string; language: "en" | "zh" | "code"; tags: readonly string[]; queryKey?: string; retrieval: "suitable" | "unsuitable" }>> = {
  passkey: { name: "Retrieve.PassKey", language: "en", tags: ["retrieve", "synthetic"], queryKey: "input", retrieval: "suitable" },
  number_string: { name: "Retrieve.Number", language: "en", tags: ["retrieve", "synthetic"], queryKey: "input", retrieval: "suitable" },
  kv_retrieval: { name: "Retrieve.KV", language: "en", tags: ["retrieve", "synthetic"], queryKey: "input", retrieval: "suitable" },
  longdialogue_qa_eng: { name: "En.Dia", language: "en", tags: ["dialogue", "realistic"], retrieval: "suitable" },
  longbook_sum_eng: { name: "En.Sum", language: "en", tags: ["novel", "realistic"], retrieval: "unsuitable" },
  longbook_choice_eng: { name: "En.MC", language: "en", tags: ["novel", "realistic"], queryKey: "question", retrieval: "suitable" },
  longbook_qa_eng: { name: "En.QA", language: "en", tags: ["novel", "realistic"], queryKey: "question", retrieval: "suitable" },
  longbook_qa_chn: { name: "Zh.QA", language: "zh", tags: ["novel", "realistic"], queryKey: "question", retrieval: "suitable" },
  math_find: { name: "Math.Find", language: "en", tags: ["math", "synthetic"], queryKey: "input", retrieval: "unsuitable" },
  math_calc: { name: "Math.Calc", language: "en", tags: ["math", "synthetic"], retrieval: "unsuitable" },
  code_run: { name: "Code.Run", language: "code", tags: ["code", "synthetic"], retrieval: "unsuitable" },
  code_debug: { name: "Code.Debug", language: "code", tags: ["code", "realistic"], retrieval: "unsuitable" },
};

/**
 * Templates create_prompt cannot fill: they name a field it never passes, so every sample raises
 * KeyError — claude2's En.QA asks for `{input}`, kimi's book tasks and Code.Debug for `{file:…}` /
 * `{fcontext}`. Those tasks are not offered for that family.
 */
export const UNFILLABLE: Readonly<Partial<Record<PromptSet, readonly TaskId[]>>> = {
  claude2: ["longbook_qa_eng"],
  kimi: ["longbook_sum_eng", "longbook_choice_eng", "longbook_qa_eng", "longbook_qa_chn", "code_debug"],
};
