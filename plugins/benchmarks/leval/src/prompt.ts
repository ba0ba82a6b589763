/**
 * The prompts of LEval's baseline scripts, built from a sample and its (already truncated) document.
 * Prompt style "turbo16k" (Baselines/turbo16k-test.py, chat messages) is the default; "llama2-chat"
 * (Baselines/llama2-chat-test.py) is raw text with Llama-2's [INST] markup.
 */
import { PyFormatError, pyFormat, pySplit } from "@loomscope/metrics";
import type { Sample } from "@loomscope/spec";
import {
  LLAMA2,
  LOOM,
  SCI_FI_FACT_SUFFIX,
  SCI_FI_REAL,
  SCI_FI_WORLD,
  TURBO16K_TEMPLATES,
  isClosedTask,
  isJudgeTask,
  systemPromptOf,
  type ClosedTask,
  type OpenTask,
  type PromptStyle,
  type TaskId,
} from "./tasks.js";

export interface ChatTurn {
  role: "system" | "user" | "assistant";
  content: string;
}

/** Prompt parts for a host that formats and truncates: the turbo16k / LOOM chat form. */
export interface LevalPromptParts {
  template: string;
  values: Record<string, string>;
  contextKey: "document";
  queryKey: "inst";
  system: string;
  chat: true;
}

function promptTask(sample: Sample): ClosedTask | OpenTask {
  const task = sample.task as TaskId;
  if (isJudgeTask(task)) return (sample.meta?.["source_task"] ?? "narrative_qa") as OpenTask;
  return task as ClosedTask | OpenTask;
}

function turboTemplate(task: ClosedTask | OpenTask): string {
  if (task === "gsm100" || task === "codeU") return TURBO16K_TEMPLATES.gsm_codeU;
  return isClosedTask(task) ? TURBO16K_TEMPLATES.exam : TURBO16K_TEMPLATES.open;
}

/** turbo16k-test.py (and LOOM-Scope's utils/process.py): system prompt + one templated user message. */
export function promptParts(sample: Sample): LevalPromptParts {
  const task = promptTask(sample);
  return {
    template: turboTemplate(task),
    values: { document: sample.input["document"] ?? "", inst: sample.input["inst"] ?? "", n_words: sample.input["n_words"] ?? "0" },
    contextKey: "document",
    queryKey: "inst",
    system: systemPromptOf(task),
    chat: true,
  };
}

/** The whole prompt for a (truncated) document: chat messages (turbo16k) or raw text (llama2-chat). */
export function renderPrompt(sample: Sample, style: PromptStyle, document: string): { messages: ChatTurn[] } | { text: string } {
  const task = promptTask(sample);
  const inst = sample.input["inst"] ?? "";
  const nWords = sample.input["n_words"] ?? "0";
  const system = systemPromptOf(task);
  if (style === "turbo16k") {
    const user = pyFormat(turboTemplate(task), { document, inst, n_words: nWords });
    return { messages: [{ role: "system", content: system }, { role: "user", content: user }] };
  }
  const head = LLAMA2.B_INST + LLAMA2.B_SYS + system + LLAMA2.E_SYS;
  let message: string;
  if (task === "gsm100" || task === "codeU") message = head + document + "\n\n" + inst;
  else if (task === "topic_retrieval_longchat") message = head + document + "\n\n" + inst + LLAMA2.E_INST;
  else if (isClosedTask(task)) message = head + LLAMA2.exam + LLAMA2.E_INST + LLAMA2.examSuffix;
  else message = head + LLAMA2.open.replace("{n_words}", nWords) + LLAMA2.E_INST;
  // `message.format(document=document, inst=inst)`, falling back to the unformatted message when
  // format raises — for GSM / CodeU / Topic Retrieval the document is already inside `message`, so
  // its braces are read as format fields ("{{" becomes "{"; an unknown field keeps the whole text).
  let text: string;
  try {
    text = pyFormat(message, { document, inst });
  } catch (e) {
    if (!(e instanceof PyFormatError)) throw e;
    text = message;
  }
  return { text };
}

/** Sci-Fi's fact question (the second generation): the turns to send for each style. */
export function sciFiFactPrompt(sample: Sample, style: PromptStyle | "loom", firstTurn?: { messages: ChatTurn[] }): { messages: ChatTurn[] } | { text: string } {
  const inst = sample.input["inst"] ?? "";
  const question = inst.split(SCI_FI_WORLD).join(SCI_FI_REAL);
  if (style === "turbo16k") {
    if (!firstTurn) throw new Error("turbo16k-test.py asks the fact question in the same conversation: pass the first turn's messages");
    return { messages: [...firstTurn.messages, { role: "user", content: question + SCI_FI_FACT_SUFFIX.turbo16k }] };
  }
  if (style === "loom") return { messages: [{ role: "user", content: question + LOOM.factSuffix }] };
  return { text: question + SCI_FI_FACT_SUFFIX["llama2-chat"] };
}

/** The prediction line of Sci-Fi: `answer + " [fact: " + fact + "]"` (turbo16k strips both answers). */
export function sciFiPrediction(answer: string, fact: string): string {
  return `${answer} [fact: ${fact}]`;
}

/** `len(out.split())`, the length instruction of open-ended prompts. */
export function referenceWords(reference: string): number {
  return pySplit(reference).length;
}
