/**
 * The prompt of scripts/run_model_on_babilong.py: `prompt_cfg` from the switches,
 * `get_formatted_input` (babilong/prompts.py), the chat-template rule, and the names of the result
 * files the script writes (`<task>_<length>_<prompt_name>.csv` / `.json`).
 */
import { pyFloat, pyFormat, pyJsonDumps, pyLstrip, pyRstrip, pyStrip, type PyJsonValue } from "@loomscope/metrics";
import type { PromptParts } from "@loomscope/spec";
import { DEFAULT_PROMPTS, DEFAULT_TEMPLATE } from "./prompts.js";
import { DEFAULT_OPTIONS, GENERATION, type BabilongOptions, type BabilongTask } from "./tasks.js";

/** run_model_on_babilong.py `prompt_cfg`, in its key order. */
export interface PromptConfig {
  instruction: string;
  examples: string;
  post_prompt: string;
  template: string;
  chat_template: boolean;
  system_prompt: string;
}

export function promptConfig(task: BabilongTask, options: Partial<BabilongOptions> = {}): PromptConfig {
  const o = { ...DEFAULT_OPTIONS, ...options };
  const p = DEFAULT_PROMPTS[task];
  return {
    instruction: o.useInstruction ? p.instruction : "",
    examples: o.useExamples ? p.examples : "",
    post_prompt: o.usePostPrompt ? p.post_prompt : "",
    template: DEFAULT_TEMPLATE,
    chat_template: o.useChatTemplate,
    system_prompt: o.systemPrompt,
  };
}

/** `get_formatted_input(context, question, examples, instruction, post_prompt, template)`. */
export function formatInput(
  context: string,
  question: string,
  examples: string,
  instruction: string,
  postPrompt: string,
  template: string = DEFAULT_TEMPLATE,
): string {
  return pyStrip(pyFormat(template, { instruction, examples, post_prompt: postPrompt, context: pyStrip(context), question }));
}

const escapeBraces = (text: string): string => text.replace(/\{/g, "{{").replace(/\}/g, "}}");

/**
 * The prompt as parts for the runner, equal after `str.format` to `get_formatted_input`: the
 * instruction, examples and post-prompt are constants of the task and switches, so they are written
 * into the template (leading whitespace stripped, as `.strip()` would); the context is stripped; the
 * question carries the template's separating space so `.strip()`'s trailing cut stays exact even for
 * a blank question. Truncation: none officially, middle under LOOM-Scope.
 */
export function babilongPrompt(
  task: BabilongTask,
  context: string,
  question: string,
  options: Partial<BabilongOptions> = {},
  protocol: "official" | "loom" = "official",
): PromptParts {
  const cfg = promptConfig(task, options);
  const marker = "{context}";
  const at = DEFAULT_TEMPLATE.indexOf(marker);
  const head = pyFormat(DEFAULT_TEMPLATE.slice(0, at), {
    instruction: cfg.instruction,
    examples: cfg.examples,
    post_prompt: cfg.post_prompt,
  });
  const tail = DEFAULT_TEMPLATE.slice(at + marker.length); // "\n</context>\n\nQuestion: {question}"
  const tailHead = tail.slice(0, tail.indexOf(" {question}"));
  const parts: PromptParts = {
    template: `${escapeBraces(pyLstrip(head))}{context}${escapeBraces(tailHead)}{question}`,
    values: { context: pyStrip(context), question: pyRstrip(` ${question}`) },
    contextKey: "context",
    queryKey: "question",
    truncation: protocol === "loom" ? "middle" : "none",
    chat: cfg.chat_template,
  };
  if (cfg.chat_template && cfg.system_prompt !== "") parts.system = cfg.system_prompt;
  return parts;
}

/** `prompt_name`: `<key>_yes|no` for every prompt_cfg key but `template`, joined by `_`. */
export function promptName(cfg: PromptConfig): string {
  const keys = ["instruction", "examples", "post_prompt", "chat_template", "system_prompt"] as const;
  return keys.map((k) => `${k}_${cfg[k] ? "yes" : "no"}`).join("_");
}

/** The stem of the files the script writes under `<results_folder>/<model_name>/`. */
export function resultStem(task: BabilongTask, length: string, options: Partial<BabilongOptions> = {}): string {
  return `${task}_${length}_${promptName(promptConfig(task, options))}`;
}

/**
 * The `<stem>.json` the script writes: `json.dump({'prompt': prompt_cfg, 'generate_kwargs': …}, indent=4)`.
 * `padTokenId` is the tokenizer's pad (or eos) id; `temperature` is null, except that the API path
 * sets it to 0.0 while running the first length, so later lengths' files record 0.0.
 */
export function resultConfigJson(
  task: BabilongTask,
  options: Partial<BabilongOptions>,
  padTokenId: number | null,
  temperature: number | null = null,
): string {
  const cfg = promptConfig(task, options);
  const value: { [key: string]: PyJsonValue } = {
    prompt: { ...cfg },
    generate_kwargs: {
      max_new_tokens: GENERATION.maxNewTokens,
      max_length: null,
      num_beams: GENERATION.numBeams,
      do_sample: GENERATION.doSample,
      temperature: temperature === null ? null : pyFloat(temperature),
      top_p: null,
      top_k: null,
      pad_token_id: padTokenId,
    },
  };
  return pyJsonDumps(value, { indent: 4 });
}
