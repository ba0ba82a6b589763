/** The record schema and toSamples on rows in the official format (fixtures/data, from LooGLE-testdata). */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { LoogleRecordSchema, PROMPTS, TASKS, toSamples, type LoogleTaskId } from "../src/index.js";
import { pyFormat } from "@loomscope/metrics";

const rows = (task: string): unknown[] =>
  readFileSync(new URL(`./fixtures/data/${task}.json`, import.meta.url), "utf8").trim().split("\n").map((l) => JSON.parse(l));

describe("LooGLE data", () => {
  it("accepts the official rows and rejects the malformed one", () => {
    const qa = rows("shortdep_qa");
    expect(qa.slice(0, 2).every((r) => LoogleRecordSchema.safeParse(r).success)).toBe(true);
    expect(LoogleRecordSchema.safeParse(qa[2]).success).toBe(false);
  });
  it("one sample per QA pair, with the fields the prompt uses and the answer as reference", () => {
    const s = toSamples(rows("shortdep_qa")[0], { task: "shortdep_qa", index: 0, protocol: "official" });
    expect(s.length).toBe(3);
    expect(s[0]?.id).toBe("shortdep_qa-0-0");
    expect(s[0]?.input["Q"]).toBe("Where was José Luis Picardo born and raised?");
    expect(s[0]?.references[0]).toMatch(/^He was born in Jerez de la Frontera/);
    const prompt = pyFormat(PROMPTS.shortdep_qa, s[0]?.input as Record<string, string>);
    expect(prompt.startsWith("Please answer the question based on the long texts below. \n Early life.")).toBe(true);
    expect(prompt.endsWith("\nQuestion: Where was José Luis Picardo born and raised?\nAnswer: ")).toBe(true);
  });
  it("cloze answers are dicts kept for the match metrics; the prompt's literal braces survive format", () => {
    const s = toSamples(rows("shortdep_cloze")[0], { task: "shortdep_cloze", index: 0, protocol: "official" });
    expect(s[0]?.scoring?.["answer"]).toEqual({ "<mask-0>": "Justin Timberlake", "<mask-1>": "Cerina Aragones", "<mask-2>": "Kentwood" });
    expect(pyFormat(PROMPTS.shortdep_cloze, s[0]?.input as Record<string, string>)).toContain("for example: {'<mask-0>': 'Bob', '<mask-1>': 'Gorrosion Magazine','<mask-2>': 'Bethel Horizon'}\n");
  });
  it("a summarization record is one sample whose reference is the abstract", () => {
    const s = toSamples(rows("longdep_summarization")[0], { task: "longdep_summarization", index: 4, protocol: "official" });
    expect(s.map((x) => x.id)).toEqual(["longdep_summarization-4"]);
    expect(s[0]?.references[0]?.startsWith("In this article, we study Prasad's conjecture")).toBe(true);
  });
  it("task table: official budgets", () => {
    expect(Object.fromEntries(TASKS.map((t) => [t.id, t.maxNewTokens]))).toEqual({ shortdep_qa: 300, longdep_qa: 500, longdep_summarization: 500, shortdep_cloze: 50 } satisfies Record<LoogleTaskId, number>);
  });
});
