import { LoomError } from "@loomscope/spec";
import { PyFormatError, pyFormat, pyFormatFields } from "@loomscope/metrics";

/**
 * Python `str.format(**values)` for the templates official benchmark repositories ship (the one
 * implementation lives in @loomscope/metrics); errors become PROMPT_TEMPLATE errors.
 */
export function formatTemplate(template: string, values: Readonly<Record<string, string>>): string {
  try {
    return pyFormat(template, values);
  } catch (error) {
    if (error instanceof PyFormatError) {
      const message = error.pythonType === "KeyError" ? `template field {${error.message.slice(1, -1)}} has no value (KeyError: ${error.message})` : error.message;
      throw new LoomError("PROMPT_TEMPLATE", message, { cause: error, ...(/Single '\}'/.test(message) ? { hint: "write '}}' for a literal brace" } : {}) });
    }
    throw error;
  }
}

/** Field names a template uses, in order of first use. */
export const templateFields = pyFormatFields;
