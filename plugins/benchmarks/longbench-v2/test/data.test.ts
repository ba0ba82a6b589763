/** data.json's format (test/fixtures/data/data.json: a JSON array, one malformed record) through the schema and toSample (the kit streams the array: test/plugin.test.ts). */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { LongBenchV2RecordSchema, toSample } from "../src/index.js";

const path = new URL("./fixtures/data/data.json", import.meta.url);

describe("LongBenchV2RecordSchema and toSample", () => {
  const records = JSON.parse(readFileSync(path, "utf8")) as unknown[];
  it("accepts the official records and rejects the malformed one (answer E)", () => {
    const results = records.map((r) => LongBenchV2RecordSchema.safeParse(r));
    expect(results.map((r) => r.success)).toEqual([true, true, true, false]);
    expect(results[3]?.error?.issues[0]?.path).toEqual(["answer"]);
  });
  it("keys samples by _id, levels them by length, keeps difficulty for result.py's columns", () => {
    const sample = toSample(LongBenchV2RecordSchema.parse(records[2]), { task: "longbench_v2", index: 2 });
    expect(sample).toMatchObject({
      id: "6713495ebb02136c067d4c5a",
      task: "longbench_v2",
      length: "medium",
      references: ["C"],
      scoring: { answer: "C", difficulty: "hard" },
      meta: { difficulty: "hard", domain: "Long-dialogue History Understanding", index: 2 },
    });
    expect(sample.input["question"]).toBe("第三轮对话中用户问了什么？");
    expect(Object.keys(sample.input)).toEqual(["context", "question", "choice_A", "choice_B", "choice_C", "choice_D"]);
  });
});
