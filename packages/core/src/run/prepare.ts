/**
 * Prepare: a sample's prompt as the model will see it. Prompt parts from the benchmark → prompt
 * accelerators (RAG) → Python `str.format` → middle truncation to the max input → chat messages or
 * raw text (templated with the model's chat template, or sent raw where the official code does).
 */
import {
  PromptPartsSchema,
  type AcceleratorRecordSchema,
  type BackendCapabilities,
  type ChatMessage,
  type ChatTemplater,
  type GeneratePrompt,
  type PromptBinding,
  type PromptParts,
  type PromptStats,
  type TaskSpec,
  type Tokenizer,
} from "@loomscope/spec";
import type { z } from "zod";
import { pyFormat } from "@loomscope/metrics";
import { LoomError } from "@loomscope/spec";
import { withRetry, type RetryPolicy } from "../retry.js";
import { middleTruncate } from "../text/truncate.js";

export const SNIPPET_CHARS = 2000;

export interface PrepareContext {
  promptBindings: readonly PromptBinding[];
  tokenizer: Tokenizer | undefined;
  templater: ChatTemplater | undefined;
  capabilities: BackendCapabilities;
  /** The max input tokens for a task, or undefined when prompts are not fitted. */
  maxLengthFor(task: TaskSpec): number | undefined;
  systemPrompt: string | undefined;
  logPrompts: "snippet" | "full";
  retry: RetryPolicy;
  signal: AbortSignal;
  /** Called once per run when an official raw prompt must go through a chat-only backend. */
  onRawAsChat(): void;
  /** The model's window and the task's generation budget, when the window is known: a prompt over the difference is never sent. */
  windowFor?(task: TaskSpec, turnMaxNewTokens?: number): { window: number; budget: number } | undefined;
}

export interface PreparedPrompt {
  request: GeneratePrompt;
  stats: PromptStats;
  /** Tokens we counted in what is sent (text and system prompt; the chat template excluded), or null when not counted. */
  countedTokens: number | null;
  accelerators: z.infer<typeof AcceleratorRecordSchema>[];
}

/** Python `str.replace(old, new)`: every non-overlapping occurrence, left to right. */
const pyReplace = (text: string, old: string, value: string): string => text.split(old).join(value);

function formatParts(parts: PromptParts): string {
  if (parts.replacements) {
    let text = parts.template;
    for (const { placeholder, key } of parts.replacements) {
      const value = parts.values[key];
      if (value === undefined) throw new LoomError("PROMPT_TEMPLATE", `replacement ${placeholder} names the value "${key}", which the sample does not have`);
      text = pyReplace(text, placeholder, value);
    }
    return text;
  }
  try {
    return pyFormat(parts.template, parts.values);
  } catch (error) {
    throw new LoomError("PROMPT_TEMPLATE", (error as Error).message, { cause: error });
  }
}

/** Build, fit and template one prompt. */
export async function preparePrompt(input: PromptParts, task: TaskSpec, sampleId: string, ctx: PrepareContext): Promise<PreparedPrompt> {
  let parts = PromptPartsSchema.parse(input);
  const accelerators: PreparedPrompt["accelerators"] = [];
  for (const binding of ctx.promptBindings) {
    const out = await binding.transform(parts, { task, sampleId, ...(ctx.tokenizer ? { tokenizer: ctx.tokenizer } : {}), signal: ctx.signal });
    parts = PromptPartsSchema.parse(out.parts);
    accelerators.push({ accelerator: binding.accelerator, method: binding.method, label: binding.label, params: binding.params, stats: out.stats });
  }
  let text = formatParts(parts);
  const limit = ctx.maxLengthFor(task);
  let stats: PromptStats;
  if (parts.truncation !== "none" && limit !== undefined && ctx.tokenizer) {
    const tokenizer = ctx.tokenizer;
    const source = text;
    const mode = parts.truncation;
    // Server-side tokenizers (vLLM /tokenize) can fail like any request: same retry loop.
    const cut = (await withRetry(() => middleTruncate(source, limit, tokenizer, { mode }), { policy: ctx.retry, signal: ctx.signal })).value;
    if (cut.truncated && cut.text.trim() === "" && limit > 0) {
      // A detokenizer that returns nothing would send an empty prompt and record it as ok.
      throw new LoomError("TOKENIZER", `cutting the prompt to ${limit} tokens with ${tokenizer.id} left no text (its decode returned an empty string)`, {
        hint: "pass a local tokenizer that matches the model: --tokenizer ./tokenizer.json",
      });
    }
    text = cut.text;
    stats = {
      tokens: cut.tokens,
      maxTokens: limit,
      truncated: cut.truncated,
      originalChars: cut.originalChars,
      keptChars: cut.keptChars,
      originalTokens: cut.originalTokens,
      originalTokensExact: cut.originalTokensExact,
      head: "",
      tail: "",
    };
  } else {
    stats = {
      tokens: null,
      maxTokens: limit ?? null,
      truncated: false,
      originalChars: text.length,
      keptChars: text.length,
      originalTokens: null,
      originalTokensExact: false,
      head: "",
      tail: "",
    };
  }
  const system = ctx.systemPrompt ?? parts.system;
  const countedTokens = stats.tokens !== null && ctx.tokenizer ? stats.tokens + (system !== undefined ? await systemTokens(ctx.tokenizer, system) : 0) : null;
  await checkFitsWindow(text, countedTokens, task, parts.maxNewTokens, ctx);
  const messages: ChatMessage[] = [];
  if (system !== undefined) messages.push({ role: "system", content: system });
  for (const turn of parts.history ?? []) messages.push({ role: turn.role, content: turn.content });
  messages.push({ role: parts.role ?? "user", content: text });
  const chatBackend = ctx.capabilities.promptModes.includes("chat");
  const rawBackend = ctx.capabilities.promptModes.includes("raw");
  let request: GeneratePrompt;
  if (parts.chat) {
    if (chatBackend) {
      if (parts.assistantPrefix) messages.push({ role: "assistant", content: parts.assistantPrefix });
      request = { kind: "chat", messages };
      stats.mode = "chat";
    } else {
      const body = ctx.templater ? ctx.templater.apply(messages, { addGenerationPrompt: true }) : text;
      request = { kind: "raw", text: body + (parts.assistantPrefix ?? "") };
      stats.mode = ctx.templater ? "chat-template" : "raw";
    }
  } else if (parts.history?.length) {
    throw new LoomError("PROMPT_MODE", "this prompt has earlier turns (history) and is marked to be sent without a chat template", {
      hint: "a benchmark that keeps turns must apply the model's chat template (chat: model)",
    });
  } else if (rawBackend) {
    // The official code sends this prompt without a chat template.
    request = { kind: "raw", text: (system !== undefined ? `${system}\n\n` : "") + text + (parts.assistantPrefix ?? "") };
    stats.mode = "raw";
  } else {
    ctx.onRawAsChat();
    if (parts.assistantPrefix) messages.push({ role: "assistant", content: parts.assistantPrefix });
    request = { kind: "chat", messages };
    stats.mode = "raw-as-chat";
  }
  const sent = request.kind === "raw" ? request.text : request.messages.map((m) => m.content).join("\n");
  stats.head = sent.slice(0, SNIPPET_CHARS);
  stats.tail = sent.length > SNIPPET_CHARS ? sent.slice(-SNIPPET_CHARS) : "";
  if (ctx.logPrompts === "full") stats.text = sent;
  return { request, stats, accelerators, countedTokens };
}

/** Token counts of system prompts, per tokenizer: a run has few distinct ones, counted once each. */
const systemCounts = new WeakMap<Tokenizer, Map<string, Promise<number>>>();
/**
 * A prompt longer than the model's window leaves for it (the window less the generation budget) is
 * never sent: the sample is recorded as skipped, with by how much it is over. Prompts that were not
 * cut (truncation "none": synthetic benchmarks generate to a length) are counted here.
 */
async function checkFitsWindow(text: string, counted: number | null, task: TaskSpec, turnMaxNewTokens: number | undefined, ctx: PrepareContext): Promise<void> {
  const fit = ctx.windowFor?.(task, turnMaxNewTokens);
  const tokenizer = ctx.tokenizer;
  if (!fit || !tokenizer) return;
  const tokens = counted ?? (await withRetry(() => tokenizer.encode(text), { policy: ctx.retry, signal: ctx.signal })).value.length;
  const room = fit.window - fit.budget;
  if (tokens > room) {
    throw new LoomError("PROMPT_TOO_LONG", `the prompt is ${tokens.toLocaleString("en-US")} tokens, longer than the ${room.toLocaleString("en-US")} the model's ${fit.window.toLocaleString("en-US")}-token window leaves after the ${fit.budget.toLocaleString("en-US")}-token answer`, {
      hint: "use a model with a larger window, or leave this length out with --lengths",
    });
  }
}

function systemTokens(tokenizer: Tokenizer, system: string): Promise<number> {
  let counts = systemCounts.get(tokenizer);
  if (!counts) systemCounts.set(tokenizer, (counts = new Map()));
  let count = counts.get(system);
  if (count === undefined) {
    if (counts.size > 64) counts.clear();
    count = tokenizer.encode(system, { addSpecialTokens: false }).then((ids) => ids.length);
    count.catch(() => counts.delete(system));
    counts.set(system, count);
  }
  return count;
}
