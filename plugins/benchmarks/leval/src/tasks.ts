/**
 * LEval's tasks, system prompts, templates, generation limit and truncation, as plain data.
 *
 * Sources (OpenLMLab/LEval @ cd34b050269148aed75acbbe4a599873ad0f37e9):
 * - Baselines/LEval_config.py: datasets_closed_ended, datasets_open_ended, with_option_tasks,
 *   max_new_tokens = 512, k_to_number, get_sys_prompt (byte for byte below), build_key_data_pairs
 *   (which documents each evaluation reads).
 * - Baselines/turbo16k-test.py: the chat prompt (system message + one user message), used for the
 *   OpenAI/Claude-style chat baselines — prompt style "turbo16k" (the default here).
 * - Baselines/llama2-chat-test.py: the raw-text [INST] prompt of the open models — prompt style "llama2-chat".
 * - Evaluation/llm_eval.py: the pairwise GPT-4 / GPT-3.5 judge (see judge.ts).
 * LOOM-Scope (loom-scope 0.1, benchmarks/General/LEval): LEval.py and utils/process.py, the `loom` overrides.
 */

export const CLOSED_TASKS = ["coursera", "quality", "topic_retrieval_longchat", "tpo", "gsm100", "codeU", "sci_fi"] as const;
export const OPEN_TASKS = [
  "financial_qa",
  "gov_report_summ",
  "legal_contract_qa",
  "meeting_summ",
  "multidoc_qa",
  "narrative_qa",
  "natural_question",
  "news_summ",
  "paper_assistant",
  "patent_summ",
  "review_summ",
  "scientific_qa",
  "tv_show_summ",
] as const;
/**
 * build_key_data_pairs's evaluations of the open-ended tasks: `ngram_eval` (auto_eval.py's F1 /
 * ROUGE over the documents marked f1/rouge) or one of llm_eval.py's judged evaluations
 * (`llm_gpt4_eval`: documents marked "LLM"; `llm_turbo_eval`: "human" or "LLM"). Closed-ended tasks
 * are always `exam_eval`.
 */
export const OPEN_EVALS = ["ngram_eval", "llm_gpt4_eval", "llm_turbo_eval"] as const;
export type OpenEval = (typeof OPEN_EVALS)[number];

export type ClosedTask = (typeof CLOSED_TASKS)[number];
export type OpenTask = (typeof OPEN_TASKS)[number];
export type TaskId = ClosedTask | OpenTask;
export const TASK_IDS: readonly TaskId[] = [...CLOSED_TASKS, ...OPEN_TASKS];

export function isTaskId(name: string): name is TaskId {
  return (TASK_IDS as readonly string[]).includes(name);
}
export const isClosedTask = (t: string): t is ClosedTask => (CLOSED_TASKS as readonly string[]).includes(t);

/** LEval_config.py `max_new_tokens`: every task, every baseline script. */
export const MAX_NEW_TOKENS = 512;

/** get_sys_prompt(args, file_name), byte for byte, by the branch it takes. */
export const SYSTEM_PROMPTS = {
  gsm: "Given several question answer pairs, you need to follow a similar format to answer the last question. Make sure the response is end with The answer is _ . ",
  topic:
    "Below is a record of our previous conversation on many different topics. You are the ASSISTANT, and I am the USER. At the beginning of each topic, the USER will say 'I would like to discuss the topic of <TOPIC>'. Memorize each <TOPIC>. At the end of the record, I will ask you to retrieve the first/second/third topic names. Now the record start. ",
  coursera:
    "Now you are given a very long document. Please follow the instruction based on this document. For multi-choice questions, there could be a sinlge correct option or multiple correct options. Please only provide the letter corresponding to the answer (like A or AB) when answering. ",
  codeU:
    "Now you are given a code base consisting of a large amount of functions and the corresponding comments. In the end, I will call some functions defined in the code base. Please carefully read these codes and comments and answer the question.",
  sci_fi:
    'Now you are given a scientific fiction. I will ask you some questions and the answer should be "True" or "False". Notice that you should answer the question based on the evidence in the document instead of your background knowledge.',
  exam: "Now you are given a very long document. Please follow the instruction based on this document. For multi-choice questions, there is only a sinlge correct option. Please only provide the letter corresponding to the answer (like A or B) when answering. For other questions, please directly give the concise and accurate answer. ",
  open: "Now you are given a very long document. Please follow the instruction after this document. These instructions may include summarizing a document, answering questions based on the document, or writing a required paragraph. ",
} as const;

/** get_sys_prompt's branch for a task (the official tests substrings of the output file path; the task name decides here). */
export function systemPromptOf(task: TaskId): string {
  if (task === "gsm100") return SYSTEM_PROMPTS.gsm;
  if (task === "topic_retrieval_longchat") return SYSTEM_PROMPTS.topic;
  if (task === "coursera") return SYSTEM_PROMPTS.coursera;
  if (task === "codeU") return SYSTEM_PROMPTS.codeU;
  if (task === "sci_fi") return SYSTEM_PROMPTS.sci_fi;
  return isClosedTask(task) ? SYSTEM_PROMPTS.exam : SYSTEM_PROMPTS.open;
}

export const PROMPT_STYLES = ["turbo16k", "llama2-chat"] as const;
export type PromptStyle = (typeof PROMPT_STYLES)[number];

/**
 * Baselines/turbo16k-test.py user messages (Python str.format templates; the official uses
 * positional `{}` filled with (document, inst), the same text). `{n_words}` is `len(out.split())`
 * of the reference answer: the length instruction of open-ended tasks.
 */
export const TURBO16K_TEMPLATES = {
  gsm_codeU: "{document}\n\n{inst}",
  exam: "Document is as follows. {document} Question: {inst} \nPlease directly give answer without any additional output or explanation\n Answer: ",
  open: "Document is as follows. {document} Instruction: {inst} The suggested output length is around {n_words} words. Output: ",
} as const;

/** Baselines/llama2-chat-test.py: B_INST, E_INST, B_SYS, E_SYS and the three contexts. */
export const LLAMA2 = {
  B_INST: "[INST]",
  E_INST: "[/INST]",
  B_SYS: "<<SYS>>\n",
  E_SYS: "\n<</SYS>>\n\n",
  exam: "Document is as follows. {document} \nQuestion: {inst}.  Please directly give the answer without any additional output or explanation ",
  open: "Document is as follows. {document} Instruction: {inst} \nAnswer this question with {n_words} words.",
  examSuffix: "\nAnswer:",
} as const;

/**
 * Sci-Fi's second question, the fact check without the document (the prediction becomes
 * `answer + " [fact: " + fact_answer + "]"`, which auto_eval.py splits again):
 * - turbo16k-test.py appends it as a second user message to the same conversation (system, user
 *   with the document, user with this), `ret.strip()`ed;
 * - llama2-chat-test.py sends it alone as raw text, no [INST] and no system prompt.
 * The question is `inst.replace(SCI_FI_WORLD, SCI_FI_REAL)` plus the style's suffix.
 */
export const SCI_FI_WORLD = "based on the world described in the document.";
export const SCI_FI_REAL = "based on the real-world knowledge and facts up until your last training";
export const SCI_FI_FACT_SUFFIX = {
  turbo16k: "\nPlease directly give answer without any additional output or explanation \nAnswer:",
  "llama2-chat": "Please directly answer without any additional output or explanation. \nAnswer:",
} as const;

/**
 * The official truncation (every Baselines/*-test.py): the DOCUMENT alone is cut, by words, until
 * its token count is at most `max_length = k_to_number(--max_length) - max_new_tokens`:
 *   while num_tokens(document) > max_length:
 *       document = " ".join(document.split(" ")[:max_length - cnt])   # from the right
 *       (codeU: " ".join(document.split(" ")[cnt - max_length:]), from the left)
 *       cnt += 250
 * Tokens are counted with the model's tokenizer (`tokenizer(string)`, BOS included) or tiktoken for
 * gpt-3.5-turbo. The "from the left" branch is taken when "code" is in the output file's path.
 * Defaults: --max_length 4k (llama2-chat-test.py), 16k (turbo16k-test.py).
 */
export const TRUNCATION = { unit: "words split on ' '", step: 250, reserve: MAX_NEW_TOKENS, fromLeftTasks: ["codeU"] } as const;

/**
 * Generation: turbo16k-test.py `temperature=0.0001, max_tokens=512` (gpt-3.5-turbo-16k-0613), the
 * answer `.strip()`ed; llama2-chat-test.py greedy `do_sample=False, max_new_tokens=512`, "</s>" removed.
 */
export const GENERATION = {
  turbo16k: { temperature: 0.0001, maxNewTokens: MAX_NEW_TOKENS, strip: true },
  "llama2-chat": { temperature: 0, maxNewTokens: MAX_NEW_TOKENS, strip: false },
} as const;

// LOOM-Scope (LEval.py, utils/process.py): turbo16k's templates in the model's chat template,
// greedy, 512 new tokens, the same cut against max_length with no reserve, Sci-Fi's fact question
// alone in a new chat with llama2-chat's wording (plugin.ts, prompt.ts).

/** The open-ended tasks whose documents are marked `evaluation: "f1"`; the others are "rouge". */
export const F1_TASKS: readonly OpenTask[] = ["financial_qa", "legal_contract_qa", "multidoc_qa", "narrative_qa", "natural_question", "scientific_qa"];

/** The auto_eval.py configuration each task is scored with (the `evaluation` field of its lines). */
export const TASK_CONFIG: Readonly<Record<TaskId, "exam" | "f1" | "rouge">> = Object.fromEntries(
  TASK_IDS.map((t) => [t, isClosedTask(t) ? "exam" : F1_TASKS.includes(t as OpenTask) ? "f1" : "rouge"]),
) as Record<TaskId, "exam" | "f1" | "rouge">;
