/**
 * `--protocol loom`: LOOM-Scope's L_CiteEval.py `process_data` (the newer version, with
 * `enable_thinking`): a four-message chat instead of the official single turn —
 *   system    = the prompt file's instruction (dialsim's "<<<chatbox>>>" left as it is);
 *   user      = the demonstration's passages (every doc, `doc_prompt`) + `\n"question":` + its question;
 *   assistant = `answer:` + its answer ("\n" + lines for a list answer);
 *   user      = the record's passages, middle-cut to the max length, + ` \n\n ` + instruction +
 *               ` \n\nQuestion:` + the record's question + `\nAnswer:`.
 * The passages are cut as process_data cuts them: `tokenizer.encode(head_prompt)` (special tokens
 * added) and, when longer than max_length, `decode(ids[:half], skip_special_tokens=False) +
 * decode(ids[-half:], skip_special_tokens=False)` with half = int(max_length / 2). LOOM-Scope reads
 * the prompt files from its own `utils/prompt/<task>_default.jsonl` copies (not in the stored
 * package files): we use the official files, whose content they copy.
 */
import type { PromptContext, PromptParts } from "@loomscope/spec";
import { makeDocPrompt, promptFileOf, type Doc } from "./prompt.js";

/** Python's f-string of a JSON value from the data (None for null). */
export const pyFString = (v: unknown): string => (v === null || v === undefined ? "None" : typeof v === "boolean" ? (v ? "True" : "False") : String(v));

/** The final user turn's template; its values are inserted verbatim (instructions hold braces). */
export const LOOM_USER_TEMPLATE = "{context} \n\n {instruction} \n\nQuestion:{question}\nAnswer:";

/** The record's passages as process_data joins them (every doc, no 1500 cap). */
export const loomPassages = (dataset: string, docs: readonly Doc[]): string => {
  const f = promptFileOf(dataset);
  return docs.map((d, i) => makeDocPrompt(d, i, f.doc_prompt)).join("");
};

/** process_data's cut of the passages to `maxLength` tokens, special tokens kept in the decoded text. */
export async function loomCutPassages(head: string, ctx: PromptContext): Promise<string> {
  const { tokenizer, maxLength } = ctx;
  if (!tokenizer || maxLength === undefined) return head;
  const ids = await tokenizer.encode(head, { addSpecialTokens: true });
  if (ids.length <= maxLength) return head;
  const half = Math.trunc(maxLength / 2);
  return (await tokenizer.decode(ids.slice(0, half), { skipSpecialTokens: false })) + (await tokenizer.decode(ids.slice(ids.length - half), { skipSpecialTokens: false }));
}

export async function loomPrompt(dataset: string, docs: readonly Doc[], question: string, ctx: PromptContext): Promise<PromptParts> {
  const f = promptFileOf(dataset);
  const demo = f.demos[0];
  if (!demo) throw new Error(`l-citeeval: the prompt file of ${dataset} has no demonstration`);
  const passage = demo.docs.map((d, i) => makeDocPrompt(d, i, f.doc_prompt)).join("");
  const answer = Array.isArray(demo.answer) ? "\n" + demo.answer.join("\n") : pyFString(demo.answer);
  const head = await loomCutPassages(loomPassages(dataset, docs), ctx);
  return {
    template: LOOM_USER_TEMPLATE,
    values: { context: head, instruction: f.instruction, question },
    contextKey: "context",
    queryKey: "question",
    system: f.instruction,
    history: [
      { role: "user", content: `${passage}\n"question":${pyFString(demo.question)}` },
      { role: "assistant", content: `answer:${answer}` },
    ],
    truncation: "none",
    chat: true,
  };
}
