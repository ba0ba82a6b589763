import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DATA_FILES, LongWriterRecordSchema, TASKS, remoteFile, toSample } from "../src/index.js";
import { fixturePath } from "./helpers.js";

const rows = readFileSync(fixturePath("data/longbench_write.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as unknown);

describe("LongBench-Write data", () => {
  it("accepts the official rows and rejects a row whose length is not an integer", () => {
    const results = rows.map((r) => LongWriterRecordSchema.safeParse(r).success);
    expect(results).toEqual([true, true, true, true, false]);
  });

  it("builds the prompt field, scoring inputs and a stable id from a row", () => {
    const record = LongWriterRecordSchema.parse(rows[2]);
    const sample = toSample(record, { task: "longbench_write", index: 2 });
    expect(sample).toEqual({
      id: "longbench_write-2",
      task: "longbench_write",
      input: { prompt: "对于雷锋精神的推文，200字以内" },
      references: [],
      scoring: { length: 200, prompt: "对于雷锋精神的推文，200字以内" },
      meta: { type: "Community Forum", length: 200 },
    });
  });

  it("pins every task's file to the commit, with its checksum and official count", () => {
    for (const task of TASKS) {
      const file = remoteFile(task.id);
      expect(file.source).toBe("url");
      expect(file).toMatchObject({ sha256: DATA_FILES[task.id]?.sha256 });
      if (file.source === "url") expect(file.url).toContain("/3fcfdff43deceb49f7936c6bf25ad88d61df0bfa/evaluation/");
    }
    expect(Object.values(DATA_FILES).map((f) => f.count)).toEqual([120, 60, 48]);
    expect(() => remoteFile("nope")).toThrow(/no task/);
  });

  it("declares the official prompt and generation settings on every task", () => {
    for (const t of TASKS) {
      expect(t.prompt).toEqual({ template: "{prompt}", contextKey: "prompt", truncation: "none", chat: "model" });
      expect(t.maxNewTokens).toBe(32768);
      expect(t.metrics[0]?.id).toBe("length_score");
    }
  });
});
