/**
 * eval_utils.py `create_prompt(eg, data_name, model_name)` and GPT-4's `create_msgs`, as prompt parts:
 * the template of the chosen prompt set and the values it is formatted with. Formatting
 * (`str.format`) and truncation are the host's; what the official code computes before formatting
 * (Code.Run's function call, Math.Find's question prefix, the four options) is done here.
 */
import { pyLower } from "@loomscope/metrics";
import {
  FAMILY_PROMPT_SET,
  GENERATION,
  GPT4_MATH_CALC_EXAMPLE,
  GPT4_SYSTEM,
  LOOM,
  MATH_CALC_SYSTEM,
  TEMPLATES,
  taskRow,
  type ModelFamily,
  type PromptSet,
  type TaskId,
} from "./tasks.js";

/** The fields of one InfiniteBench record that create_prompt reads. */
export interface PromptRecord {
  context: string;
  input: string;
  options?: readonly string[];
}

/** A chat turn placed before the templated user message (GPT-4's Math.Calc worked example). */
export interface PromptTurn {
  role: "system" | "user" | "assistant";
  content: string;
}

export interface InfiniteBenchPrompt {
  /** Python str.format template, byte for byte from src/prompt.py. */
  template: string;
  values: Record<string, string>;
  contextKey: "context";
  queryKey?: string;
  /** System message (GPT-4 only: create_msgs). */
  system?: string;
  /** Turns between the system message and the templated prompt (GPT-4 Math.Calc). */
  history?: PromptTurn[];
  /** Whether the official code sends chat messages (GPT-4) or raw text (open models). */
  chat: boolean;
}

/** The error create_prompt raises, with Python's exception type. */
export class CreatePromptError extends Error {
  constructor(
    message: string,
    readonly pythonType: "KeyError" | "IndexError" | "AssertionError",
  ) {
    super(`${pythonType}: ${message}`);
    this.name = "CreatePromptError";
  }
}

/**
 * Top-level replacement fields of a template in the order `str.format` looks them up: the name
 * before any `!conversion` or `:spec` ("{file:{context}}" looks up "file").
 */
export function lookupOrder(template: string): string[] {
  const names: string[] = [];
  let i = 0;
  while (i < template.length) {
    const ch = template[i];
    if (ch === "{") {
      if (template[i + 1] === "{") {
        i += 2;
        continue;
      }
      let depth = 1;
      let j = i + 1;
      while (j < template.length && depth > 0) {
        if (template[j] === "{") depth++;
        else if (template[j] === "}") depth--;
        j++;
      }
      const field = template.slice(i + 1, j - 1);
      names.push(field.split(/[:!]/)[0] as string);
      i = j;
    } else if (ch === "}" && template[i + 1] === "}") {
      i += 2;
    } else {
      i++;
    }
  }
  return names;
}

const FUNC_CALL = /func_[0-9]+\(-?[0-9]+\)/;
/** `re.findall(r"The .+ of", prompt)[0]`: Python's `.` stops only at "\n". */
const TARGET_NUMBER = /The [^\n]+ of/;

/** The values create_prompt formats the template with, for one task. */
export function promptValues(record: PromptRecord, task: TaskId): Record<string, string> {
  const option = (i: number): string => {
    const value = record.options?.[i];
    if (value === undefined) throw new CreatePromptError("list index out of range (eg['options'])", "IndexError");
    return value;
  };
  switch (task) {
    case "code_run": {
      const call = FUNC_CALL.exec(record.input);
      if (!call) throw new CreatePromptError("list index out of range (no func_N(x) call in the input)", "IndexError");
      const funcCall = call[0];
      return { func: funcCall.split("(")[0] as string, func_call: funcCall, context: record.context };
    }
    case "code_debug":
      return { context: record.context, OPTION_A: option(0), OPTION_B: option(1), OPTION_C: option(2), OPTION_D: option(3) };
    case "longdialogue_qa_eng":
    case "longbook_sum_eng":
    case "math_calc":
      return { context: record.context };
    case "longbook_choice_eng":
      return { question: record.input, context: record.context, OPTION_A: option(0), OPTION_B: option(1), OPTION_C: option(2), OPTION_D: option(3) };
    case "longbook_qa_eng":
    case "longbook_qa_chn":
      return { question: record.input, context: record.context };
    case "math_find": {
      const found = TARGET_NUMBER.exec(record.input);
      if (!found) throw new CreatePromptError(`Cannot find the target number in ${record.input}`, "AssertionError");
      const target = Array.from(pyLower(found[0])).slice(0, -3).join("");
      return { prefix: `What is ${target} in the following list?`, context: record.context, input: record.input };
    }
    default:
      return { context: record.context, input: record.input };
  }
}

/**
 * `create_prompt` (and for GPT-4 `create_msgs`) for the model family chosen as a benchmark option.
 * Throws where the official code raises: claude2's longbook_qa_eng template asks for {input}, kimi's
 * book and code_debug templates for {file}/{fcontext}, fields create_prompt never passes (KeyError).
 */
export function buildPrompt(record: PromptRecord, task: TaskId, family: ModelFamily): InfiniteBenchPrompt {
  const set: PromptSet = FAMILY_PROMPT_SET[family];
  const queryKey = taskRow(task).queryKey;
  if (family === "gpt4" && task === "math_calc") {
    // create_prompt returns eg["context"] itself; create_msgs wraps it in the worked example.
    return {
      template: "{context}",
      values: { context: record.context },
      contextKey: "context",
      system: MATH_CALC_SYSTEM,
      history: [
        { role: "user", content: GPT4_MATH_CALC_EXAMPLE.user },
        { role: "system", content: GPT4_MATH_CALC_EXAMPLE.system },
      ],
      chat: true,
    };
  }
  const template = TEMPLATES[set][task];
  const values = promptValues(record, task);
  for (const name of lookupOrder(template)) {
    if (!(name in values)) throw new CreatePromptError(`'${name}' (${set} template of ${task})`, "KeyError");
  }
  const prompt: InfiniteBenchPrompt = { template, values, contextKey: "context", chat: GENERATION[family].chat };
  if (queryKey !== undefined && queryKey in values) prompt.queryKey = queryKey;
  if (family === "gpt4") prompt.system = GPT4_SYSTEM;
  return prompt;
}

/** LOOM-Scope's create_prompt: yarn_mistral_templates whatever the model, chat template applied by the host. */
export function buildLoomPrompt(record: PromptRecord, task: TaskId): InfiniteBenchPrompt {
  const template = TEMPLATES[LOOM.promptSet][task];
  const values = promptValues(record, task);
  const prompt: InfiniteBenchPrompt = { template, values, contextKey: "context", chat: LOOM.chat };
  const queryKey = taskRow(task).queryKey;
  if (queryKey !== undefined && queryKey in values) prompt.queryKey = queryKey;
  return prompt;
}
