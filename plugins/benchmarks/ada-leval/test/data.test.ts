/** Records, sample ids and prompts against dataset.py's build_prompt (test/fixtures/prompts.json). */
import { describe, expect, it } from "vitest";
import { pyFormat } from "@loomscope/metrics";
import { StackSelectRecordSchema, TASKS, TextSortRecordSchema, sampleCount, toSample, type StackSelectRecord, type TextSortRecord } from "../src/index.js";
import { fixture } from "./helpers.js";

const { records, prompts } = fixture<{
  records: { stackselect: StackSelectRecord; textsort: TextSortRecord };
  prompts: { stackselect: string; textsort: string };
}>("prompts.json");

describe("Ada-LEval prompts and records", () => {
  it("equal StackSelect.build_prompt and TextSort.build_prompt byte for byte", () => {
    for (const task of ["stackselect", "textsort"] as const) {
      const sample = toSample(records[task], { task, length: "1k", index: 0, protocol: "official" });
      const row = TASKS.find((t) => t.id === task)!;
      expect(pyFormat(row.prompt.template, sample.input)).toBe(prompts[task]);
    }
  });

  it("keys samples by run.py's index and keeps what the scorer needs", () => {
    const s = toSample(records.stackselect, { task: "stackselect", length: "1k", index: 0, protocol: "official" });
    expect(s).toMatchObject({ id: "stackselect_1k-1_A2", references: ["A2"], scoring: { answer: "A2", num_choice: 3 } });
    const t = toSample(records.textsort, { task: "textsort", length: "1k", index: 0, protocol: "official" });
    expect(t).toMatchObject({ id: "textsort_1k-9_3_1_2_0", input: { prompt: records.textsort.prompt }, scoring: { answer: [2, 1, 4, 3] } });
  });

  it("accepts official-format records and rejects a malformed one", () => {
    expect(StackSelectRecordSchema.safeParse(records.stackselect).success).toBe(true);
    expect(TextSortRecordSchema.safeParse(records.textsort).success).toBe(true);
    expect(StackSelectRecordSchema.safeParse({ question_id: 1, question: "q", answer: "A1", all_answers: [] }).success).toBe(false);
    expect(TextSortRecordSchema.safeParse({ book_id: 1, para_offset: "3", answer: [1], prompt: "p" }).success).toBe(false);
  });

  it("uses dataset.py's sample counts", () => {
    expect([sampleCount("16k", "normal"), sampleCount("32k", "normal"), sampleCount("12k", "less"), sampleCount("128k", "less")]).toEqual([1000, 200, 200, 50]);
  });
});
