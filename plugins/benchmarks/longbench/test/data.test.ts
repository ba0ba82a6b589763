/**
 * The official data format (test/fixtures/data/data/<task>.jsonl, the layout of data.zip) through
 * the record schema and toSample; prompts formatted as pred.py formats them (expected strings in
 * parity.json come from Python's `str.format(**json_obj)`).
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { pyFormat } from "@loomscope/metrics";
import {
  DATASET2PROMPT,
  LongBenchRecordSchema,
  TASK_IDS,
  localCandidates,
  parseTask,
  toSample,
  zipMember,
  type TaskId,
} from "../src/index.js";

const dataDir = fileURLToPath(new URL("./fixtures/data/data/", import.meta.url));
const { prompts } = JSON.parse(readFileSync(new URL("./fixtures/parity.json", import.meta.url), "utf8")) as {
  prompts: { task: string; index: number; prompt: string }[];
};

function rows(task: string): unknown[] {
  return readFileSync(join(dataDir, `${task}.jsonl`), "utf8")
    .split("\n")
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as unknown);
}

describe("LongBenchRecordSchema", () => {
  it("accepts every official-format row of the fixture but the malformed one", () => {
    const results = readdirSync(dataDir).flatMap((name) =>
      rows(name.slice(0, -6)).map((r) => ({ name, ok: LongBenchRecordSchema.safeParse(r).success })),
    );
    expect(results.filter((r) => !r.ok)).toEqual([{ name: "qasper.jsonl", ok: false }]);
    expect(results.length).toBeGreaterThanOrEqual(10);
  });
  it("names what is wrong with the malformed row (answers is a string)", () => {
    const bad = LongBenchRecordSchema.safeParse(rows("qasper")[2]);
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(["answers"]);
  });
  it("keeps unknown fields", () => {
    const r = LongBenchRecordSchema.parse({ ...(rows("lcc")[0] as object), extra: 1 });
    expect((r as Record<string, unknown>)["extra"]).toBe(1);
  });
});

describe("toSample", () => {
  it("builds pred.py's prompt fields, eval.py's references and all_classes", () => {
    const trec = toSample(LongBenchRecordSchema.parse(rows("trec")[0]), { task: "trec", index: 0 });
    expect(trec).toMatchObject({
      id: "trec-0",
      task: "trec",
      references: ["City"],
      scoring: { all_classes: ["Abbreviation", "City", "Individual"], length: 5177 },
      meta: { _id: "t01", length: 5177, language: "en", dataset: "trec" },
    });
    expect(trec.length).toBeUndefined();
    expect(Object.keys(trec.input)).toEqual(["context", "input"]);
  });
  it("gives LongBench-E samples eval.py's bucket of `length` (< 4000, < 8000, else 8k+)", () => {
    const buckets = rows("qasper_e").map(
      (r, index) => toSample(LongBenchRecordSchema.parse(r), { task: "qasper_e", index }).length,
    );
    expect(buckets).toEqual(["0-4k", "4-8k", "8k+"]);
  });
  it("formats every fixture record's prompt exactly as Python's str.format(**json_obj)", () => {
    expect(prompts.length).toBeGreaterThanOrEqual(9);
    for (const p of prompts) {
      const parsed = parseTask(p.task);
      expect(parsed).toBeDefined();
      const sample = toSample(LongBenchRecordSchema.parse(rows(p.task)[p.index]), { task: p.task as TaskId, index: p.index });
      expect(pyFormat(DATASET2PROMPT[parsed!.dataset], sample.input)).toBe(p.prompt);
    }
  });
  it("refuses a task that is not LongBench's", () => {
    expect(() => toSample(LongBenchRecordSchema.parse(rows("lcc")[0]), { task: "lsht_e" as TaskId, index: 0 })).toThrow(/no task/);
  });
});

describe("data layout", () => {
  it("has the 21 datasets and 13 LongBench-E files of data.zip", () => {
    expect(TASK_IDS.length).toBe(34);
    expect(zipMember("repobench-p_e")).toBe("data/repobench-p_e.jsonl");
    expect(localCandidates("qasper")[0]).toBe("data/qasper.jsonl");
    expect(parseTask("lsht_e")).toBeUndefined();
    expect(parseTask("2wikimqa_e")).toEqual({ dataset: "2wikimqa", e: true });
  });
});
