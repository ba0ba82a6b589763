import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createTestBenchmarkContext } from "@loomscope/testkit";
import type { Benchmark, PromptParts, Sample, SampleRequest } from "@loomscope/spec";
import { pyFormat } from "@loomscope/metrics";
import clongeval, { ClongevalRecordSchema, OFFICIAL_PROMPTS, TASKS, dataPath, officialPrompt, toSample, typoAnswerRewrite } from "../src/index.js";
import { fixturePath } from "./helpers.js";

const rows = (p: string): unknown[] => readFileSync(fixturePath(`data/${p}`), "utf8").trim().split("\n").map((l) => JSON.parse(l) as unknown);
const taskSpec = (id: string) => clongeval.tasks.find((t) => t.id === id)!;

async function collect(b: Benchmark, request: SampleRequest) {
  const ctx = createTestBenchmarkContext({ dataDir: fixturePath("data") });
  const out: Sample[] = [];
  for await (const s of b.samples(request, ctx)) out.push(s);
  return { samples: out, ctx };
}

describe("CLongEval data", () => {
  it("reads the official data/<n-m>_<dataset>/<size>.jsonl layout", () => {
    expect(dataPath("long_story_qa", "small")).toBe("1-1_long_story_qa/small.jsonl");
    expect(dataPath("table_querying", "large")).toBe("4-2_table_querying/large.jsonl");
  });

  it("streams records with their own ids and reports the malformed line by file:line", async () => {
    const { samples, ctx } = await collect(clongeval, { task: "long_story_qa", length: "small" });
    expect(samples.map((s) => [s.id, s.references])).toEqual([
      ["qa-001", ["村口的小河边。"]],
      ["qa-002", ["镇东头"]],
    ]);
    expect(ctx.issues.map((i) => `${i.file.split("/").slice(-2).join("/")}:${i.line}`)).toEqual(["1-1_long_story_qa/small.jsonl:3"]);
  });

  it("fills the prompt as inference.py's prompt.format(context[, query]) does, byte for byte", async () => {
    for (const [task, expected] of [
      ["long_story_qa", "\n问题：石桥村的老槐树长在哪里？\n答案："],
      ["long_conversation_memory", "你：这本书很好看。\n\n问题：我四月一日在读什么书？\n答案："],
      ["long_story_summarization", "百姓夹道欢迎。\n\n摘要："],
      ["key_passage_retrieval", "\n\n键：c3d4\n值："],
    ] as const) {
      const { samples } = await collect(clongeval, { task, length: "small", limit: 1 });
      const parts = clongeval.prompt(samples[0]!, taskSpec(task)) as PromptParts;
      const record = ClongevalRecordSchema.parse(rows(`${dataPath(task, "small")}`)[0]);
      expect(pyFormat(parts.template, parts.values)).toBe(officialPrompt(OFFICIAL_PROMPTS[task], record));
      expect(pyFormat(parts.template, parts.values)).toContain(expected);
      expect(parts).toMatchObject({ truncation: "none", chat: false });
      expect(parts.system).toBeUndefined();
    }
  });

  it("sends the API models' system messages with the gpt4 / moonshot styles", async () => {
    const { samples } = await collect(clongeval, { task: "table_querying", length: "small", limit: 1 });
    const gpt4 = clongeval.configure!({ protocol: "official", options: { promptStyle: "gpt4", typoAnswerRewrite: true } });
    expect(gpt4.prompt(samples[0]!, taskSpec("table_querying"))).toMatchObject({ chat: true, system: "你是一个人工智能助手。你会为用户提供有帮助，准确的回答。" });
    const lmdeploy = clongeval.configure!({ protocol: "official", options: { promptStyle: "lmdeploy", typoAnswerRewrite: true } });
    expect(lmdeploy.prompt(samples[0]!, taskSpec("table_querying"))).toMatchObject({ chat: true });
    expect((lmdeploy.prompt(samples[0]!, taskSpec("table_querying")) as PromptParts).system).toBeUndefined();
    const kimi = clongeval.configure!({ protocol: "official", options: { promptStyle: "moonshot", typoAnswerRewrite: true } });
    expect(kimi.prompt(samples[0]!, taskSpec("table_querying"))).toMatchObject({ chat: true, system: "你是 Kimi，由 Moonshot AI 提供的人工智能助手，你会为用户提供有帮助，准确的回答。" });
  });

  it("rewrites the typo answers as eval.py does for non-GPT-4 models, unless told not to, and never under loom", async () => {
    expect(typoAnswerRewrite("0，依，衣\n2，渡，度")).toBe("0，衣\n2，0");
    expect(() => typoAnswerRewrite("0，依")).toThrow(/IndexError/);
    const req = { task: "stacked_typo_detection", length: "small" } as const;
    expect((await collect(clongeval, req)).samples.map((s) => s.references[0])).toEqual(["1，园，1", "0，衣\n2，0"]);
    const asWritten = clongeval.configure!({ protocol: "official", options: { promptStyle: "vllm", typoAnswerRewrite: false } });
    expect((await collect(asWritten, req)).samples.map((s) => s.references[0])).toEqual(["1，圆，园", "0，依，衣\n2，渡，度"]);
    const loom = clongeval.configure!({ protocol: "loom", options: { promptStyle: "vllm", typoAnswerRewrite: true } });
    expect((await collect(loom, req)).samples.map((s) => s.references[0])).toEqual(["1，圆，园", "0，依，衣\n2，渡，度"]);
  });

  it("leaves an HTTP_ERROR / UNKNOW_ERROR response out of the metric under official (null), scores it under loom", async () => {
    const input = { task: "table_querying", references: ["North Park"], prediction: "HTTP_ERROR 500" };
    expect(await clongeval.score({ ...input, protocol: "official" })).toEqual({ table_querying_match_score: null });
    expect(await clongeval.score({ ...input, protocol: "loom" })).toEqual({ table_querying_match_score: 0 });
    expect(await clongeval.score({ ...input, prediction: "在 North Park。", protocol: "official" })).toEqual({ table_querying_match_score: 1 });
  });

  it("raises where inference.py raises: a two-slot prompt with an empty query", () => {
    const qa = ClongevalRecordSchema.parse({ ...(rows("1-1_long_story_qa/small.jsonl")[0] as object), query: "" });
    expect(() => toSample(qa, { task: "long_story_qa" })).toThrow(/IndexError/);
  });

  it("keeps the shipped prompts and limits", () => {
    expect(OFFICIAL_PROMPTS.long_conversation_memory.endsWith("\n\n{}{}\n答案：")).toBe(true);
    expect(TASKS.map((t) => t.maxNewTokens)).toEqual([100, 100, 400, 800, 800, 400, 50]);
    expect(TASKS[0]!.generation).toEqual({ temperature: 0.01, topP: 1, stop: ["<|im_end|>", "<|endoftext|>", "<|im_start|>, </s>"] });
  });
});
