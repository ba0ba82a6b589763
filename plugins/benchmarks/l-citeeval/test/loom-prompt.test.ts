/**
 * `--protocol loom` prompt parity: test/fixtures/parity-loom-prompts.json holds the four messages
 * LOOM-Scope's own L_CiteEval.py `process_data` built (scripts/make-loom-prompt-fixture.py, with a
 * stand-in tokenizer: one id per code point, BOS -1 added by encode, "<s>" when decoded with special
 * tokens kept) and what its `get_params` returned.
 */
import { describe, expect, it } from "vitest";
import type { ChatMessage, Sample, Tokenizer } from "@loomscope/spec";
import { pyFormat } from "@loomscope/metrics";
import lciteeval, { LOOM_MAX_NEW_TOKENS, loomPrompt, pyFString, type Doc } from "../src/index.js";
import { fixture } from "./helpers.js";

interface Fx {
  demos: Record<string, [string, string][]>;
  cases: { task: string; task_name: string; max_length: number; record: { docs: Doc[]; question: string | null }; user: string }[];
  params: { task_name: string; max_tokens: number; temperature: number | null; top_p: number; stop: string | null }[];
}
const fx = fixture<Fx>("parity-loom-prompts.json");

const BOS = -1;
const standIn: Tokenizer = {
  id: "stand-in",
  encode: async (text, options) => [...(options?.addSpecialTokens === false ? [] : [BOS]), ...Array.from(text, (c) => c.codePointAt(0) as number)],
  decode: async (ids, options) => ids.map((i) => (i === BOS ? (options?.skipSpecialTokens ? "" : "<s>") : String.fromCodePoint(i))).join(""),
};

/** The messages a chat backend receives for these parts (core: system, history, then the formatted user turn). */
function messagesOf(parts: Awaited<ReturnType<typeof loomPrompt>>): ChatMessage[] {
  return [
    ...(parts.system !== undefined ? [{ role: "system" as const, content: parts.system }] : []),
    ...(parts.history ?? []),
    { role: "user", content: pyFormat(parts.template, parts.values) },
  ];
}

describe("LOOM-Scope's four-message prompt (L_CiteEval.py process_data)", () => {
  it("builds every message byte for byte, the passages cut as process_data cuts them", async () => {
    expect(fx.cases.length).toBeGreaterThanOrEqual(80);
    expect(new Set(fx.cases.map((c) => c.task)).size).toBe(11);
    expect(fx.cases.some((c) => c.user.startsWith("<s>"))).toBe(true);
    for (const c of fx.cases) {
      const parts = await loomPrompt(c.task, c.record.docs, pyFString(c.record.question), { tokenizer: standIn, maxLength: c.max_length });
      const got = messagesOf(parts).map((m) => [m.role, m.content]);
      const demo = fx.demos[c.task] as [string, string][];
      expect({ name: c.task_name, max: c.max_length, got }).toEqual({ name: c.task_name, max: c.max_length, got: [...demo, ["user", c.user]] });
    }
  });

  it("is the prompt of the configured benchmark under --protocol loom, from the sample's raw docs and question", async () => {
    const c = fx.cases.find((x) => x.task === "hotpotqa" && x.record.question !== null) as Fx["cases"][number];
    const loom = lciteeval.configure!({ protocol: "loom", options: { newlineStop: false, citationJudge: "nli" } });
    const task = loom.tasks.find((t) => t.id === "hotpotqa")!;
    const sample: Sample = { id: "hotpotqa-1", task: "hotpotqa", length: "8k", input: { context: "official docs text", question: "official question" }, references: ["a"], scoring: { id: 1, answer: "a", docs: c.record.docs as never, question: c.record.question } };
    const parts = await loom.prompt(sample, task, { tokenizer: standIn, maxLength: c.max_length });
    expect(pyFormat(parts.template, parts.values)).toBe(c.user);
    expect(parts).toMatchObject({ truncation: "none", chat: true, contextKey: "context", queryKey: "question" });
    // The official protocol keeps the official single turn.
    const official = await lciteeval.prompt(sample, lciteeval.tasks.find((t) => t.id === "hotpotqa")!);
    expect(official.history).toBeUndefined();
    expect(pyFormat(official.template, official.values)).toContain("official docs text");
  });

  it("generates as get_params says for the task names LOOM-Scope passes: 800 tokens everywhere, greedy, no stop", () => {
    const called = fx.params.filter((p) => p.task_name.startsWith("L-CiteEval-"));
    expect(called.length).toBe(22);
    expect(new Set(called.map((p) => p.max_tokens))).toEqual(new Set([LOOM_MAX_NEW_TOKENS]));
    expect(called.every((p) => p.stop === null && p.top_p === 1 && p.temperature === null)).toBe(true);
    // Called with a bare name its table (typo included) would apply; LOOM-Scope never calls it so.
    expect(fx.params.find((p) => p.task_name === "hotpotqa")?.max_tokens).toBe(200);
    expect(fx.params.find((p) => p.task_name === "narrativeqa")?.max_tokens).toBe(800);
    const loom = lciteeval.configure!({ protocol: "loom", options: { newlineStop: true, citationJudge: "nli" } });
    for (const t of loom.tasks) {
      expect(t.maxNewTokens).toBe(LOOM_MAX_NEW_TOKENS);
      expect(t.generation?.stop).toBeUndefined();
    }
  });
});
