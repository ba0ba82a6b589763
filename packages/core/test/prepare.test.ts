import { describe, expect, it } from "vitest";
import type { TaskSpec } from "@loomscope/spec";
import { preparePrompt, type PrepareContext } from "../src/run/prepare.js";
import { DEFAULT_RETRY_POLICY } from "../src/retry.js";

const task: TaskSpec = { id: "t", language: "en", lengths: [], maxNewTokens: 8, metrics: ["m"] };
const context = (promptModes: ("chat" | "raw")[]): PrepareContext => ({
  promptBindings: [],
  tokenizer: undefined,
  templater: undefined,
  capabilities: { promptModes, exactTokenizer: false, features: [] },
  maxLengthFor: () => undefined,
  systemPrompt: undefined,
  logPrompts: "snippet",
  retry: DEFAULT_RETRY_POLICY,
  signal: new AbortController().signal,
  onRawAsChat: () => undefined,
});

describe("preparePrompt", () => {
  it("sends the formatted prompt in the role the parts name (LooGLE's GPT script: one system message)", async () => {
    const parts = { template: "Read {context}", values: { context: "this" } };
    const asSystem = await preparePrompt({ ...parts, role: "system" }, task, "s", context(["chat"]));
    expect(asSystem.request).toEqual({ kind: "chat", messages: [{ role: "system", content: "Read this" }] });
    const asUser = await preparePrompt(parts, task, "s", context(["chat"]));
    expect(asUser.request).toEqual({ kind: "chat", messages: [{ role: "user", content: "Read this" }] });
    const raw = await preparePrompt({ ...parts, role: "system", chat: false }, task, "s", context(["raw"]));
    expect(raw.request).toEqual({ kind: "raw", text: "Read this" });
  });
});
