/**
 * The data: records in the official format (test/fixtures/data: create_tasks.py's JSON array with
 * ASCII escapes, one malformed record per file; a JSON Lines file), the record schema, the streaming
 * reader, toSample, the task table and the dataset catalogue.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  BabilongRecordSchema,
  DATASETS,
  GENERATION,
  TASKS,
  TASK_TABLE,
  localCandidates,
  officialCount,
  parseSampleId,
  readRecords,
  remoteFile,
  toSample,
  type BabilongRecord,
} from "../src/index.js";
import { FIXTURES } from "./helpers.js";

async function collect(path: string): Promise<{ records: { index: number; record: BabilongRecord }[]; issues: string[] }> {
  const records: { index: number; record: BabilongRecord }[] = [];
  const issues: string[] = [];
  for await (const r of readRecords(path, (i, m) => issues.push(`${i}: ${m}`))) records.push(r);
  return { records, issues };
}


describe("BABILong data", () => {
  it("reads the official JSON array record by record, reporting the malformed one", async () => {
    const { records, issues } = await collect(join(FIXTURES, "data", "data", "qa1", "0k.json"));
    expect(records.map((r) => r.index)).toEqual([0, 1, 3]);
    expect(issues).toEqual(["2: target: Invalid input: expected string, received undefined"]);
    expect(records[0]!.record.input).toContain("\u2014 \u201cvery cold\u201d");
    expect(records[2]!.record["extra"]).toEqual({ source: "pg19" });
    const qa8 = await collect(join(FIXTURES, "data", "data", "qa8", "1k.json"));
    expect(qa8.records.map((r) => r.record.target)).toEqual(["apple,milk", "nothing"]);
    expect(qa8.issues).toHaveLength(1);
  });

  it("reads JSON Lines too", async () => {
    const { records, issues } = await collect(join(FIXTURES, "data", "generated_tasks", "qa19", "0k.json"));
    expect(records.map((r) => r.record.target)).toEqual(["s,w", "w"]);
    expect(issues).toEqual([]);
  });

  it("accepts good records and rejects bad ones", () => {
    expect(BabilongRecordSchema.safeParse({ input: "", question: "q", target: "t" }).success).toBe(true);
    expect(BabilongRecordSchema.safeParse({ input: 1, question: "q", target: "t" }).success).toBe(false);
    expect(BabilongRecordSchema.safeParse({ input: "x", question: "q" }).success).toBe(false);
  });

  it("builds samples with the template fields, the target and the question", () => {
    const record = { input: "  John travelled to the kitchen.\n\n", question: "Where is John? ", target: "kitchen" };
    const s = toSample(record, { task: "qa1", length: "4k", index: 7 });
    expect(s.id).toBe("qa1_4k-7");
    expect(s.input["context"]).toBe("John travelled to the kitchen.");
    expect(s.input["question"]).toBe("Where is John? ");
    expect(s.input["instruction"]).toContain("positions of different persons");
    expect(s.references).toEqual(["kitchen"]);
    expect(s.scoring).toEqual({ question: "Where is John? " });
    const bare = toSample(record, { task: "qa1", length: "4k", index: 7, options: { useInstruction: false, useExamples: false } });
    expect(bare.input["instruction"]).toBe("");
    expect(bare.input["examples"]).toBe("");
    expect(bare.input["post_prompt"]).not.toBe("");
    expect(parseSampleId("qa19_10M-99")).toEqual({ task: "qa19", length: "10M", index: 99 });
    expect(() => parseSampleId("qa21_1k-0")).toThrow();
  });

  it("knows where each task and length lives", () => {
    expect(remoteFile("babilong", "qa3", "10M")).toMatchObject({ repo: "RMT-team/babilong", path: "data/qa3/10M.json" });
    expect(remoteFile("babilong-1k-samples", "qa2", "64k")).toMatchObject({
      repo: "RMT-team/babilong-1k-samples",
      path: "64k/qa2-00000-of-00001.parquet",
    });
    expect(localCandidates("qa1", "0k")).toEqual(["data/qa1/0k.json", "RMT-team/babilong/data/qa1/0k.json", "generated_tasks/qa1/0k.json", "qa1/0k.json"]);
    expect(DATASETS.babilong.lengths.qa1).toContain("10M");
    expect(DATASETS.babilong.lengths.qa6).not.toContain("10M");
    expect(DATASETS.babilong.lengths.qa11).toEqual(["0k"]);
    expect(DATASETS["babilong-1k-samples"].lengths.qa5.at(-1)).toBe("128k");
    expect(officialCount("babilong", "qa9", "512k")).toBe(100);
    expect(officialCount("babilong", "qa9", "10M")).toBeUndefined();
    expect(officialCount("babilong-1k-samples", "qa1", "0k")).toBe(1000);
    expect(officialCount("babilong-1k-samples", "qa12", "0k")).toBe(999);
  });

  it("has one task row per task with the official generation budget", () => {
    expect(TASK_TABLE.map((r) => r.id)).toEqual([...TASKS]);
    for (const row of TASK_TABLE) {
      expect(row.maxNewTokens).toBe(GENERATION.maxNewTokens);
      expect(row.metrics[0]!.id).toBe("babilong_accuracy");
      expect(row.levels.map((l) => l.label)).toEqual(row.lengths);
      expect(row.prompt.truncation).toBe("none");
      expect(row.loom?.prompt.truncation).toBe("middle");
    }
    expect(TASK_TABLE[0]!.levels.at(-1)).toEqual({ label: "10M", unit: "tokens", value: 10_000_000 });
  });
});
