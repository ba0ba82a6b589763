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

describe("Ada-LEval data files", () => {
  it("accepts the official-format rows, rejects the malformed one, and keys them as run.py does", async () => {
    const { readFileSync } = await import("node:fs");
    const { fixturePath } = await import("./helpers.js");
    const { officialIndex } = await import("../src/index.js");
    const ss = JSON.parse(readFileSync(fixturePath("data/stackselect_1k.json"), "utf8")) as Record<string, unknown>[];
    expect(ss.map((r) => StackSelectRecordSchema.safeParse(r).success)).toEqual([true, true, true, false]);
    expect(ss.slice(0, 3).map((r) => officialIndex("stackselect", r as never))).toEqual(["4711_A2", "q-17_A1", "9_A12"]);
    const ts = JSON.parse(readFileSync(fixturePath("data/textsort_2k.json"), "utf8")) as Record<string, unknown>[];
    expect(ts.map((r) => TextSortRecordSchema.safeParse(r).success)).toEqual([true, true, false]);
    const s = toSample(ts[1] as TextSortRecord, { task: "textsort", length: "2k", index: 1, protocol: "official" });
    expect([s.id, s.references, s.scoring]).toEqual(["textsort_2k-13_7_5_6_4", ["[4, 2, 3, 1]"], { answer: "[4, 2, 3, 1]" }]);
  });
});
