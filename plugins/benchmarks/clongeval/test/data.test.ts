import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ClongevalRecordSchema, TASKS, dataPath, formatPrompt, officialPrompt, toSample } from "../src/index.js";
import { fixturePath } from "./helpers.js";

const rows = (p: string): unknown[] => readFileSync(fixturePath(`data/${p}`), "utf8").trim().split("\n").map((l) => JSON.parse(l) as unknown);
const task = (id: string) => TASKS.find((t) => t.id === id)!;

describe("CLongEval data", () => {
  it("reads the official data/<n-m>_<dataset>/<size>.jsonl layout", () => {
    expect(dataPath("long_story_qa", "small")).toBe("1-1_long_story_qa/small.jsonl");
    expect(dataPath("table_querying", "large")).toBe("4-2_table_querying/large.jsonl");
  });

  it("accepts good rows and rejects the malformed one", () => {
    const [good, bad] = rows("1-1_long_story_qa/small.jsonl");
    expect(ClongevalRecordSchema.safeParse(good).success).toBe(true);
    expect(ClongevalRecordSchema.safeParse(bad).success).toBe(false);
  });

  it("fills the prompt as inference.py's prompt.format(context[, query]) does, byte for byte", () => {
    const qa = ClongevalRecordSchema.parse(rows("1-1_long_story_qa/small.jsonl")[0]);
    const s = toSample(qa, { task: "long_story_qa", length: "small", index: 0 });
    expect(s.id).toBe("faa9842d");
    expect(s.references).toEqual(["村北头河西边的高岸上。"]);
    expect(formatPrompt(task("long_story_qa").prompt.template, s)).toBe(officialPrompt(task("long_story_qa").officialPrompt, qa));
    expect(formatPrompt(task("long_story_qa").prompt.template, s)).toContain("\n问题：金斗坪村的龙王庙建在哪里？\n答案：");
    const sum = ClongevalRecordSchema.parse(rows("2-1_long_story_summarization/small.jsonl")[0]);
    const s2 = toSample(sum, { task: "long_story_summarization", length: "small", index: 0 });
    expect(formatPrompt(task("long_story_summarization").prompt.template, s2)).toBe(officialPrompt(task("long_story_summarization").officialPrompt, sum));
  });

  it("raises where inference.py raises: a two-slot prompt with an empty query", () => {
    const qa = ClongevalRecordSchema.parse({ ...(rows("1-1_long_story_qa/small.jsonl")[0] as object), query: "" });
    expect(() => toSample(qa, { task: "long_story_qa", length: "small", index: 0 })).toThrow(/IndexError/);
  });

  it("keeps the shipped prompts and limits", () => {
    expect(task("long_conversation_memory").officialPrompt.endsWith("\n\n{}{}\n答案：")).toBe(true);
    expect(TASKS.map((t) => t.maxNewTokens)).toEqual([100, 100, 400, 800, 800, 400, 50]);
  });
});
