/**
 * eval_utils.py `create_prompt(eg, data_name, model_name)`: what it computes from a record before
 * formatting the template (Code.Run's function call, Math.Find's question prefix, the four options).
 * The templates themselves are task-table rows (plugin.ts); core formats and fits them.
 */
import { pyLower } from "@loomscope/metrics";
import type { TaskId } from "./tasks.js";

/** The fields of one InfiniteBench record that create_prompt reads. */
export interface PromptRecord {
  context: string;
  input: string;
  options?: readonly string[];
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

const FUNC_CALL = /func_[0-9]+\(-?[0-9]+\)/;
/** `re.findall(r"The .+ of", prompt)[0]`: Python's `.` stops only at "\n". */
const TARGET_NUMBER = /The [^\n]+ of/;

/** The values create_prompt formats the template with, for one task; throws where create_prompt raises. */
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
      return { func: call[0].split("(")[0] as string, func_call: call[0], context: record.context };
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
