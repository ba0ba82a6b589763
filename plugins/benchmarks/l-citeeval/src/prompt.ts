/**
 * L-CiteEval's prompt, as script/inference_1shot_vllm.py builds it: the task's one demonstration
 * (`make_demo(prompt['demos'][0], …)`, its answer appended), `demo_sep`, then the test item
 * (`make_demo(sample, …, test=True)`), all docs (`ndoc=1500`) as `doc_prompt` lines; the whole
 * string is one user turn through the model's chat template (raw when the tokenizer has none).
 */
import { pyRstrip, pyStripChars } from "@loomscope/metrics";
import { PROMPT_FILES, type PromptFile } from "./prompt-files.js";

export type Doc = string | { title?: string; text: string; [k: string]: unknown };

/** `ndoc=1500` in get_instruction_template. */
export const NDOC = 1500;

/** `make_doc_prompt`: a str doc as is; a dict's text with "\n" stripped and its title line dropped. */
export function makeDocPrompt(doc: Doc, docId: number, docPrompt: string): string {
  let text: string;
  if (typeof doc === "string") text = doc;
  else {
    text = pyStripChars(doc.text, "\n");
    if (typeof doc.title === "string") {
      const title = doc.title;
      if (text.slice(0, title.length + 1) === title + "\n") text = text.slice(title.length + 1);
    }
  }
  return docPrompt.split("{P}").join(text).split("{ID}").join(String(docId + 1));
}


const replaceAll = (s: string, a: string, b: string): string => s.split(a).join(b);

export interface DemoItem {
  question?: string | null;
  answer?: unknown;
  docs: readonly Doc[];
}

/** `make_demo(item, prompt, ndoc, doc_prompt, instruction, test)`. */
export function makeDemo(item: DemoItem, prompt: string, docPrompt: string, instruction: string, test: boolean, ndoc = NDOC): string {
  let p = prompt;
  if (p.includes("{Q}")) p = replaceAll(replaceAll(p, "{INST}", instruction), "{Q}", String(item.question));
  else p = replaceAll(p, "{INST}", instruction);
  if (p.includes("{D}")) {
    if (ndoc === 0) p = replaceAll(p, "{D}\n", "");
    else p = replaceAll(p, "{D}", item.docs.slice(0, ndoc).map((d, i) => makeDocPrompt(d, i, docPrompt)).join(""));
  }
  p = pyRstrip(replaceAll(p, "{A}", ""));
  if (!test) {
    const a = item.answer;
    p += Array.isArray(a) ? "\n" + a.map(String).join("\n") : String(a);
  }
  return p;
}

/** The prompt file of a task (config/*.yaml `prompt_file`). */
export function promptFileOf(task: string): PromptFile {
  const name = task === "2wikimultihopqa" ? "2WikiMultihopQA_default.json" : `${task}_default.json`;
  const file = PROMPT_FILES[name];
  if (!file) throw new RangeError(`l-citeeval has no prompt file for "${task}"`);
  return file;
}

/** `get_instruction_template(task, prompt, sample, tokenizer)` before the chat template: the user turn. */
export function officialPrompt(task: string, sample: DemoItem & { role?: string }): string {
  const f = promptFileOf(task);
  const dialsim = task === "dialsim";
  const demoInst = dialsim ? replaceAll(f.instruction, "<<<chatbox>>>", f.demo_role ?? "") : f.instruction;
  const testInst = dialsim ? replaceAll(f.instruction, "<<<chatbox>>>", String(sample.role)) : f.instruction;
  return (
    makeDemo(f.demos[0] as DemoItem, f.demo_prompt, f.doc_prompt, demoInst, false) +
    f.demo_sep +
    makeDemo(sample, f.demo_prompt, f.doc_prompt, testInst, true)
  );
}

const escapeBraces = (s: string): string => s.replace(/[{}]/g, (b) => b + b);

/**
 * The same prompt as a Python `str.format` template over `{context}` (the docs text), `{question}`
 * and, for dialsim, `{role}`: the demonstration and the constant text are literal (braces doubled).
 * With the values of `templateValues` it formats to exactly `officialPrompt`.
 */
export function promptTemplate(task: string): string {
  const f = promptFileOf(task);
  const demoInst = task === "dialsim" ? replaceAll(f.instruction, "<<<chatbox>>>", f.demo_role ?? "") : f.instruction;
  const demo = makeDemo(f.demos[0] as DemoItem, f.demo_prompt, f.doc_prompt, demoInst, false);
  const inst = task === "dialsim" ? f.instruction.split("<<<chatbox>>>").map(escapeBraces).join("{role}") : escapeBraces(f.instruction);
  // The test part: INST, then Q, then D, then {A} removed, then rstrip (its tail is constant text).
  const parts = f.demo_prompt.split(/(\{INST\}|\{Q\}|\{D\}|\{A\})/);
  let test = parts
    .map((p) => (p === "{INST}" ? inst : p === "{Q}" ? "{question}" : p === "{D}" ? "{context}" : p === "{A}" ? "" : escapeBraces(p)))
    .join("");
  test = pyRstrip(test);
  return escapeBraces(demo) + escapeBraces(f.demo_sep) + test;
}

/** Template values for one record: the docs text and the question as the official replace chain leaves them. */
export function templateValues(task: string, sample: DemoItem & { role?: string }): Record<string, string> {
  const f = promptFileOf(task);
  const docsText = sample.docs.slice(0, NDOC).map((d, i) => makeDocPrompt(d, i, f.doc_prompt)).join("");
  const values: Record<string, string> = { context: replaceAll(docsText, "{A}", "") };
  if (f.demo_prompt.includes("{Q}")) values["question"] = replaceAll(replaceAll(String(sample.question), "{D}", docsText), "{A}", "");
  if (task === "dialsim") values["role"] = replaceAll(String(sample.role), "{A}", "");
  return values;
}
