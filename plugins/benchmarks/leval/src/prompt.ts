/**
 * The prompts of LEval's baseline scripts as prompt parts, for a sample whose document is already
 * cut (the official loop cuts the document, not the prompt):
 * - "turbo16k" (Baselines/turbo16k-test.py, the default): system prompt + one user message, in the
 *   model's chat template; LOOM-Scope (utils/process.py) sends the same;
 * - "llama2-chat" (Baselines/llama2-chat-test.py): raw text with Llama-2's [INST] markup.
 * Sci-Fi's second question (the fact check) and its joined prediction are here too.
 */
import { PyFormatError, pyFormat, pyStrip } from "@loomscope/metrics";
import type { PromptParts, PromptTurn, Sample } from "@loomscope/spec";
import { LLAMA2, SCI_FI_FACT_SUFFIX, SCI_FI_REAL, SCI_FI_WORLD, TURBO16K_TEMPLATES, isClosedTask, systemPromptOf, type PromptStyle, type TaskId } from "./tasks.js";

/** The prompt style a run reproduces: an official baseline script, or LOOM-Scope's. */
export type Style = PromptStyle | "loom";

/** turbo16k-test.py's user message template of a task (GSM / CodeU, exam, open-ended). */
export function turboTemplate(task: TaskId): string {
  if (task === "gsm100" || task === "codeU") return TURBO16K_TEMPLATES.gsm_codeU;
  return isClosedTask(task) ? TURBO16K_TEMPLATES.exam : TURBO16K_TEMPLATES.open;
}

/** `message.format(document=…, inst=…)`, or the message as it is where format raises (the scripts' `except:`). */
function formatOrKeep(message: string, values: Record<string, string>): string {
  try {
    return pyFormat(message, values);
  } catch (e) {
    if (!(e instanceof PyFormatError)) throw e;
    return message;
  }
}

/** Python's `str.format` template whose output is `text` exactly. */
const literal = (text: string): string => text.replace(/\{/g, "{{").replace(/\}/g, "}}");

/** The first prompt of a sample, given its (cut) document. */
export function promptParts(sample: Sample, task: TaskId, style: Style, document: string): PromptParts {
  const inst = sample.input["inst"] ?? "";
  const nWords = sample.input["n_words"] ?? "0";
  const system = systemPromptOf(task);
  if (style !== "llama2-chat") {
    return { template: turboTemplate(task), values: { document, inst, n_words: nWords }, contextKey: "document", queryKey: "inst", system, truncation: "none", chat: true };
  }
  const head = LLAMA2.B_INST + LLAMA2.B_SYS + system + LLAMA2.E_SYS;
  if (task === "gsm100" || task === "codeU" || task === "topic_retrieval_longchat") {
    // The document is inside the message before `.format()`: its braces are read as fields ("{{"
    // becomes "{"; an unknown field makes format raise and the message is sent as it is).
    const message = head + document + "\n\n" + inst + (task === "topic_retrieval_longchat" ? LLAMA2.E_INST : "");
    // The document is already in the text: a retriever cannot replace it (these rows say retrieval "unsuitable").
    return { template: literal(formatOrKeep(message, { document, inst })), values: { document }, contextKey: "document", truncation: "none", chat: false };
  }
  const message = isClosedTask(task) ? head + LLAMA2.exam + LLAMA2.E_INST + LLAMA2.examSuffix : head + LLAMA2.open.replace("{n_words}", nWords) + LLAMA2.E_INST;
  return { template: message, values: { document, inst }, contextKey: "document", queryKey: "inst", truncation: "none", chat: false };
}

/** Sci-Fi's fact question: `inst` with the world replaced by real-world knowledge, and the style's suffix (LOOM-Scope: llama2-chat's). */
export function factQuestion(inst: string, style: Style): string {
  return inst.split(SCI_FI_WORLD).join(SCI_FI_REAL) + (style === "turbo16k" ? SCI_FI_FACT_SUFFIX.turbo16k : SCI_FI_FACT_SUFFIX["llama2-chat"]);
}

/**
 * Sci-Fi's second turn: turbo16k-test.py appends the question as a second user message to the same
 * messages (no assistant turn between them); llama2-chat-test.py sends it alone as raw text;
 * LOOM-Scope asks it alone in a new chat.
 */
export function factTurn(sample: Sample, style: Style, first: PromptTurn): PromptParts {
  const question = literal(factQuestion(sample.input["inst"] ?? "", style));
  if (style === "turbo16k") {
    const history = [{ role: "user" as const, content: pyFormat(first.prompt.template, first.prompt.values) }];
    return { template: question, values: {}, ...(first.prompt.system !== undefined ? { system: first.prompt.system } : {}), history, truncation: "none", chat: true };
  }
  return { template: question, values: {}, truncation: "none", chat: style === "loom" };
}

/** The Sci-Fi prediction line: `answer + " [fact: " + fact + "]"` (turbo16k strips both answers, llama2-chat drops "</s>" from the first). */
export function sciFiPrediction(answer: string, fact: string, style: Style): string {
  if (style === "turbo16k") return `${pyStrip(answer)} [fact: ${pyStrip(fact)}]`;
  return `${style === "llama2-chat" ? answer.split("</s>").join("") : answer} [fact: ${fact}]`;
}
