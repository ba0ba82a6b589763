/**
 * Records in the official format (test/fixtures/data: fields of the dataset card, a malformed row),
 * the record schema, toSample and the task table.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  DATA_NAMES,
  GENERATION,
  NThreadRecordSchema,
  PROMPT_TEMPLATE,
  TASKS,
  TASK_TABLE,
  localCandidates,
  readRecords,
  taskFromName,
  toSample,
  zipMember,
  type NThreadRecord,
} from "../src/index.js";
import { pyFormat } from "@loomscope/metrics";
import { FIXTURES } from "./helpers.js";

describe("Needle Threading data", () => {
  it("reads records and reports the malformed one", async () => {
    const records: NThreadRecord[] = [];
    const issues: string[] = [];
    for await (const r of readRecords(join(FIXTURES, "data", "json_data", "Single_Needle.json"), (i, m) => issues.push(`${i}: ${m}`))) {
      records.push(r.record);
    }
    expect(records.map((r) => r.id)).toEqual([5, 6]);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(/^1: /);
  });

  it("builds the README prompt and keys samples by id", async () => {
    const records: NThreadRecord[] = [];
    for await (const r of readRecords(join(FIXTURES, "data", "json_data", "Multiple_Needles.json"), () => {})) records.push(r.record);
    const s = toSample(records[0]!, { task: "Multi_Needle" });
    expect(s.id).toBe("Multi_Needle-12");
    expect(s.length).toBe("2000");
    expect(s.references).toEqual([records[0]!.values]);
    expect(pyFormat(PROMPT_TEMPLATE, s.input)).toBe(records[0]!.haystack + "\n" + records[0]!.question);
    expect(s.meta).toMatchObject({ needle_depth: "50", num_needles: 2, needle_placement: "clustered" });
  });

  it("knows both spellings of the task names", () => {
    expect(taskFromName("Multiple_Needles.jsonl")).toBe("Multi_Needle");
    expect(taskFromName("Multi_Needle")).toBe("Multi_Needle");
    expect(taskFromName("Single_Threads.json")).toBe("Single_Thread");
    expect(taskFromName("Other")).toBeUndefined();
    expect(zipMember("Conditional_Needle")).toBe("json_data/Conditional_Needles.json");
    expect(localCandidates("Single_Needle")[0]).toBe("data/json_data/Single_Needle.json");
    expect(Object.keys(DATA_NAMES)).toEqual([...TASKS]);
  });

  it("validates records", () => {
    const good = { id: 1, haystack: "{}", keys: "k", values: "v", question: "q", context_length: 1000 };
    expect(NThreadRecordSchema.safeParse(good).success).toBe(true);
    expect(NThreadRecordSchema.safeParse({ ...good, values: ["v"] }).success).toBe(false);
    expect(NThreadRecordSchema.safeParse({ ...good, id: "1" }).success).toBe(false);
  });

  it("has one row per task with the README generation settings", () => {
    expect(TASK_TABLE.map((r) => r.id)).toEqual([...TASKS]);
    for (const r of TASK_TABLE) {
      expect(r.maxNewTokens).toBe(GENERATION.maxNewTokens);
      expect(r.prompt.template).toBe("{haystack}\n{question}");
      expect(r.metrics[0]!.id).toBe("nthread_accuracy");
    }
  });
});
