/**
 * Records in the official format through the kit (test/fixtures/data: fields of the dataset card, a
 * malformed row; a JSON array and a JSON Lines file, the archive's layout not being known), the
 * record schema, toSample and the task table.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createTestBenchmarkContext } from "@loomscope/testkit";
import { pyFormat } from "@loomscope/metrics";
import type { Sample } from "@loomscope/spec";
import nthread, { DATA_NAMES, GENERATION, NThreadRecordSchema, PROMPT_TEMPLATE, TASKS, TASK_TABLE, localCandidates, remoteFile, taskFromName, zipMember } from "../src/index.js";
import { FIXTURES } from "./helpers.js";

async function read(task: string) {
  const ctx = createTestBenchmarkContext({ dataDir: join(FIXTURES, "data") });
  const samples: Sample[] = [];
  for await (const s of nthread.samples({ task }, ctx)) samples.push(s);
  return { samples, issues: ctx.issues };
}

describe("Needle Threading data", () => {
  it("reads the records of a JSON array and reports the malformed one with file:line", async () => {
    const { samples, issues } = await read("Single_Needle");
    expect(samples.map((s) => [s.id, s.meta?.["id"]])).toEqual([
      ["Single_Needle-0", 5],
      ["Single_Needle-2", 6],
    ]);
    expect(issues).toEqual([{ file: expect.stringMatching(/json_data\/Single_Needle\.json$/), line: 1, message: "id: Invalid input: expected number, received string" }]);
  });

  it("reads JSON Lines under the same name, builds the README prompt, keeps the grid as meta", async () => {
    const { samples, issues } = await read("Multi_Needle");
    expect(issues).toEqual([]);
    const s = samples[0]!;
    expect(s.id).toBe("Multi_Needle-0");
    expect(s.length).toBeUndefined();
    const record = NThreadRecordSchema.parse(JSON.parse((await import("node:fs")).readFileSync(join(FIXTURES, "data", "json_data", "Multiple_Needles.json"), "utf8").split("\n")[0]!));
    expect(s.references).toEqual([record.values]);
    expect(s.scoring).toEqual({ keys: record.keys });
    const parts = await nthread.prompt(s, nthread.tasks.find((t) => t.id === "Multi_Needle")!);
    expect(pyFormat(parts.template, parts.values)).toBe(record.haystack + "\n" + record.question);
    expect(parts).toMatchObject({ truncation: "none", chat: true, contextKey: "haystack", queryKey: "question" });
    expect(s.meta).toMatchObject({ id: 12, context_length: 2000, needle_depth: "50", num_needles: 2, needle_placement: "clustered" });
  });

  it("knows both spellings of the task names and where the data lives", () => {
    expect(taskFromName("Multiple_Needles.jsonl")).toBe("Multi_Needle");
    expect(taskFromName("Multi_Needle")).toBe("Multi_Needle");
    expect(taskFromName("Single_Threads.json")).toBe("Single_Thread");
    expect(taskFromName("Other")).toBeUndefined();
    expect(zipMember("Conditional_Needle")).toBe("json_data/Conditional_Needles.json");
    expect(remoteFile("Conditional_Needle")).toMatchObject({ file: { repo: "jonathan-roberts1/needle-threading", path: "json_data.zip" }, member: "json_data/Conditional_Needles.json", format: "json-records" });
    expect(localCandidates("Single_Needle").map((l) => l.path)).toEqual(["data/json_data/Single_Needle.json", "json_data/Single_Needle.json", "Single_Needle.json", "json_data.zip"]);
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
      expect(r.prompt.template).toBe(PROMPT_TEMPLATE);
      expect(r.metrics[0]!.id).toBe("nthread_accuracy");
    }
    expect(nthread.tasks.map((t) => [t.id, t.lengths, t.generation])).toEqual(TASKS.map((t) => [t, [], { temperature: 0, topK: 1 }]));
  });
});
