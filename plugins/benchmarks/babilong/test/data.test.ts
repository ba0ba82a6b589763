/**
 * The data through the kit: records in the official formats (test/fixtures/data: create_tasks.py's
 * JSON array with ASCII escapes and one malformed record per file; a JSON Lines file;
 * test/fixtures/data-1k: a babilong-1k-samples parquet file in two row groups with one malformed
 * row), the record schema, toSample, the task table and the dataset catalogue.
 */
import { describe, expect, it } from "vitest";
import { optionDefaults, type KitBenchmark } from "@loomscope/benchmark-kit";
import { createTestBenchmarkContext } from "@loomscope/testkit";
import type { DataIssue, JsonObject, Sample } from "@loomscope/spec";
import babilong, {
  BABILONG_OPTIONS,
  BabilongRecordSchema,
  DATASETS,
  GENERATION,
  TASKS,
  TASK_TABLE,
  localCandidates,
  officialCount,
  parseSampleId,
  remoteFile,
  toSample,
} from "../src/index.js";
import { FIXTURES } from "./helpers.js";
import { join } from "node:path";

const configured = (options: JsonObject = {}, protocol: "official" | "loom" = "official") =>
  babilong.configure!({ protocol, options: { ...optionDefaults(BABILONG_OPTIONS), ...options } }) as KitBenchmark;

async function read(b: KitBenchmark, task: string, length: string, dataDir: string): Promise<{ samples: Sample[]; issues: DataIssue[] }> {
  const ctx = createTestBenchmarkContext({ dataDir });
  const samples: Sample[] = [];
  for await (const s of b.samples({ task, length }, ctx)) samples.push(s);
  return { samples, issues: ctx.issues };
}

describe("BABILong data", () => {
  it("reads the official JSON array record by record, reporting the malformed one with file:line", async () => {
    const { samples, issues } = await read(configured(), "qa1", "0k", join(FIXTURES, "data"));
    expect(samples.map((s) => s.id)).toEqual(["qa1_0k-0", "qa1_0k-1", "qa1_0k-3"]);
    expect(issues).toEqual([{ file: expect.stringMatching(/data\/qa1\/0k\.json$/), line: 1, message: "target: Invalid input: expected string, received undefined" }]);
    expect(samples[0]!.input["context"]).toContain("\u2014 \u201cvery cold\u201d");
    expect(samples[2]!.input["context"]).toBe("John travelled to the kitchen.\n\nThe rest is noise.");
    expect(samples[2]).toMatchObject({ task: "qa1", length: "0k", references: ["kitchen"], scoring: { question: "Where is John?" }, meta: { dataset: "RMT-team/babilong", index: 3 } });
    const qa8 = await read(configured(), "qa8", "1k", join(FIXTURES, "data"));
    expect(qa8.samples.map((s) => s.references[0])).toEqual(["apple,milk", "nothing"]);
    expect(qa8.issues).toHaveLength(1);
  });

  it("reads create_tasks.py's folder and JSON Lines too", async () => {
    const { samples, issues } = await read(configured(), "qa19", "0k", join(FIXTURES, "data"));
    expect(samples.map((s) => s.references[0])).toEqual(["s,w", "w"]);
    expect(issues).toEqual([]);
  });

  it("reads babilong-1k-samples' parquet row group by row group, reporting a null target with its row", async () => {
    const b = configured({ dataset: "babilong-1k-samples" });
    const { samples, issues } = await read(b, "qa1", "0k", join(FIXTURES, "data-1k"));
    expect(samples.map((s) => [s.id, s.input["context"], s.references[0]])).toEqual([
      ["qa1_0k-0", "Mary moved to the bathroom. Some noise from a book.", "bathroom"],
      ["qa1_0k-1", "Daniel went back to the hallway.", "hallway"],
    ]);
    expect(samples[0]!.meta).toEqual({ dataset: "RMT-team/babilong-1k-samples", index: 0 });
    expect(issues).toEqual([{ file: expect.stringMatching(/qa1-00000-of-00001\.parquet$/), line: 3, message: expect.stringMatching(/^target: /) }]);
    // The dataset decides the lengths a task has.
    expect(b.tasks.find((t) => t.id === "qa1")!.lengths.at(-1)).toBe("128k");
    expect(configured().tasks.find((t) => t.id === "qa1")!.lengths.at(-1)).toBe("10M");
  });

  it("accepts good records and rejects bad ones", () => {
    expect(BabilongRecordSchema.safeParse({ input: "", question: "q", target: "t" }).success).toBe(true);
    expect(BabilongRecordSchema.safeParse({ input: 1, question: "q", target: "t" }).success).toBe(false);
    expect(BabilongRecordSchema.safeParse({ input: "x", question: "q" }).success).toBe(false);
  });

  it("builds sample bodies with the stripped context, the target and the question", () => {
    const record = { input: "  John travelled to the kitchen.\n\n", question: "Where is John? ", target: "kitchen" };
    expect(toSample(record, { dataset: "babilong", index: 7 })).toEqual({
      input: { context: "John travelled to the kitchen.", question: "Where is John? " },
      references: ["kitchen"],
      scoring: { question: "Where is John? " },
      meta: { dataset: "RMT-team/babilong", index: 7 },
    });
    expect(parseSampleId("qa19_10M-99")).toEqual({ task: "qa19", length: "10M", index: 99 });
    expect(() => parseSampleId("qa21_1k-0")).toThrow();
  });

  it("knows where each task and length lives", async () => {
    expect(remoteFile("babilong", "qa3", "10M")).toMatchObject({ file: { repo: "RMT-team/babilong", path: "data/qa3/10M.json", revision: "main" }, format: "json-records" });
    expect(remoteFile("babilong-1k-samples", "qa2", "64k")).toMatchObject({
      file: { repo: "RMT-team/babilong-1k-samples", path: "64k/qa2-00000-of-00001.parquet" },
      format: "parquet",
    });
    expect(localCandidates("qa1", "0k").map((l) => l.path)).toEqual(["data/qa1/0k.json", "RMT-team/babilong/data/qa1/0k.json", "generated_tasks/qa1/0k.json", "qa1/0k.json"]);
    expect(localCandidates("qa1", "0k", "babilong-1k-samples").map((l) => l.path)).toEqual(["0k/qa1-00000-of-00001.parquet", "RMT-team/babilong-1k-samples/0k/qa1-00000-of-00001.parquet"]);
    expect(DATASETS.babilong.lengths.qa1).toContain("10M");
    expect(DATASETS.babilong.lengths.qa6).not.toContain("10M");
    expect(DATASETS.babilong.lengths.qa11).toEqual(["0k"]);
    expect(DATASETS["babilong-1k-samples"].lengths.qa5.at(-1)).toBe("128k");
    expect(officialCount("babilong", "qa9", "512k")).toBe(100);
    expect(officialCount("babilong", "qa9", "10M")).toBeUndefined();
    expect(officialCount("babilong-1k-samples", "qa1", "0k")).toBe(1000);
    expect(officialCount("babilong-1k-samples", "qa12", "0k")).toBe(999);
    // Counted before anything is read when the data comes from the hub (not from a local subset).
    expect(await configured().count!({ task: "qa9", length: "512k" }, createTestBenchmarkContext())).toBe(100);
  });

  it("has one task row per task with the official generation budget, truncation none (LOOM-Scope: middle)", () => {
    expect(TASK_TABLE.map((r) => r.id)).toEqual([...TASKS]);
    for (const row of TASK_TABLE) {
      expect(row.maxNewTokens).toBe(GENERATION.maxNewTokens);
      expect(row.metrics[0]!.id).toBe("babilong_accuracy");
      expect(row.prompt.truncation).toBe("none");
      expect(row.loom?.prompt?.truncation).toBe("middle");
    }
    expect(TASK_TABLE[0]!.levels!.at(-1)).toEqual({ label: "10M", unit: "tokens", value: 10_000_000 });
    expect(babilong.tasks.map((t) => t.maxNewTokens)).toEqual(TASKS.map(() => 20));
  });
});
