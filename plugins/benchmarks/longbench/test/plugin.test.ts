/**
 * The plugin as core runs it: samples from the official layouts (unzipped data.zip, data.zip
 * itself), LongBench-E levels from each record's `length`, ids, prompts, budgets, protocols and
 * the aggregate under each protocol.
 */
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { makeZip } from "@loomscope/core";
import { createTestBenchmarkContext } from "@loomscope/testkit";
import type { AggregateCell, Benchmark, Sample, TaskSpec } from "@loomscope/spec";
import longbench, { LOOM_QUERY_KEY, LOOM_TOTAL_GROUP, UNOFFICIAL_MEAN_GROUP } from "../src/index.js";

const fixtureDir = fileURLToPath(new URL("./fixtures/data/", import.meta.url));

async function all(b: Benchmark, request: Parameters<Benchmark["samples"]>[0], ctx = createTestBenchmarkContext({ dataDir: fixtureDir })): Promise<Sample[]> {
  const out: Sample[] = [];
  for await (const s of b.samples(request, ctx)) out.push(s);
  return out;
}
const task = (b: Benchmark, id: string): TaskSpec => b.tasks.find((t) => t.id === id) as TaskSpec;

describe("samples", () => {
  it("puts each LongBench-E record in eval.py's bucket of its length, with the HF loader's id", async () => {
    const got = await Promise.all(["0-4k", "4-8k", "8k+"].map((length) => all(longbench, { task: "qasper_e", length })));
    expect(got.map((s) => s.map((x) => [x.id, x.length, x.meta?.["length"]]))).toEqual([
      [["qasper_e-0", "0-4k", 3999]],
      [["qasper_e-1", "4-8k", 4000]],
      [["qasper_e-2", "8k+", 8000]],
    ]);
    // every level at once
    expect((await all(longbench, { task: "qasper_e" })).map((s) => s.id)).toEqual(["qasper_e-0", "qasper_e-1", "qasper_e-2"]);
  });

  it("reports a malformed row with file:line and keeps the others' ids in file order", async () => {
    const ctx = createTestBenchmarkContext({ dataDir: fixtureDir });
    const got = await all(longbench, { task: "qasper" }, ctx);
    expect(got.map((s) => s.id)).toEqual(["qasper-0", "qasper-1"]);
    expect(ctx.issues).toEqual([{ file: expect.stringMatching(/data\/qasper\.jsonl$/), line: 3, message: expect.stringMatching(/^answers: /) }]);
    expect(got[0]).toMatchObject({ references: ["SQuAD and TriviaQA", "SQuAD, TriviaQA"], scoring: { all_classes: null, length: 3619 }, meta: { _id: "a1b2c3", line: 1 } });
  });

  it("reads data.zip itself under --data-dir", async () => {
    const dir = mkdtempSync(join(tmpdir(), "longbench-zip-"));
    const rows = readFileSync(join(fixtureDir, "data/trec.jsonl"), "utf8");
    writeFileSync(join(dir, "data.zip"), makeZip({ "data/trec.jsonl": rows, "data/qasper_e.jsonl": readFileSync(join(fixtureDir, "data/qasper_e.jsonl"), "utf8") }));
    const ctx = createTestBenchmarkContext({ dataDir: dir });
    expect((await all(longbench, { task: "trec" }, ctx)).map((s) => s.references)).toEqual([["City"]]);
    expect((await all(longbench, { task: "qasper_e", length: "4-8k" }, ctx)).map((s) => s.id)).toEqual(["qasper_e-1"]);
    expect(Object.keys(ctx.provenance)).toEqual(["data:data.zip!data/trec.jsonl", "data:data.zip!data/qasper_e.jsonl"]);
  });
});

describe("prompts and budgets", () => {
  it("formats pred.py's prompt, raw where pred.py skips the chat template, with samsum's stop and minimum", async () => {
    const [trec] = await all(longbench, { task: "trec" });
    const parts = await longbench.prompt(trec as Sample, task(longbench, "trec"));
    expect(parts).toMatchObject({ contextKey: "context", queryKey: "input", truncation: "middle", chat: false });
    const [zh] = await all(longbench, { task: "multifieldqa_zh" });
    expect((await longbench.prompt(zh as Sample, task(longbench, "multifieldqa_zh"))).chat).toBe(true);
    expect(task(longbench, "samsum")).toMatchObject({ maxNewTokens: 128, generation: { stop: ["\n"], minNewTokens: 1 } });
    expect(task(longbench, "gov_report").generation).toBeUndefined();
  });

  it("fits prompts to the official budget: model2maxlen when named, else the window less 500; LOOM-Scope's 128000", () => {
    const t = task(longbench, "qasper");
    expect(longbench.defaultMaxLength?.(t, 32768)).toBe(32268);
    expect(longbench.defaultMaxLength?.(t, undefined)).toBeUndefined();
    const glm = longbench.configure!({ protocol: "official", options: { model: "chatglm3-6b-32k" } });
    expect(glm.defaultMaxLength?.(task(glm, "qasper"), 131072)).toBe(31500);
    const loom = longbench.configure!({ protocol: "loom", options: {} });
    expect(loom.defaultMaxLength?.(task(loom, "qasper"), 32768)).toBe(128000);
    expect(() => longbench.configure!({ protocol: "loom", options: { model: "chatglm3-6b-32k" } })).toThrow(/model2maxlen/);
  });

  it("under --protocol loom has no LongBench-E (its eval.py cannot score it) and queries RAG as LOOM-Scope does", async () => {
    const loom = longbench.configure!({ protocol: "loom", options: {} });
    expect(longbench.tasks.length).toBe(34);
    expect(loom.tasks.map((t) => t.id)).toEqual(longbench.tasks.filter((t) => !t.id.endsWith("_e")).map((t) => t.id));
    const dir = mkdtempSync(join(tmpdir(), "longbench-gov-"));
    mkdirSync(join(dir, "data"));
    const row = { input: "", context: "The report.", answers: ["A summary."], length: 3, dataset: "gov_report", language: "en", all_classes: null, _id: "g0" };
    writeFileSync(join(dir, "data/gov_report.jsonl"), JSON.stringify(row) + "\n");
    const [official] = await all(longbench, { task: "gov_report" }, createTestBenchmarkContext({ dataDir: dir }));
    const officialParts = await longbench.prompt(official as Sample, task(longbench, "gov_report"));
    expect(officialParts.queryKey).toBeUndefined();
    expect(Object.keys(officialParts.values)).toEqual(["context", "input"]);
    const [loomSample] = await all(loom, { task: "gov_report" }, createTestBenchmarkContext({ dataDir: dir }));
    const loomParts = await loom.prompt(loomSample as Sample, task(loom, "gov_report"));
    expect(loomParts.queryKey).toBe(LOOM_QUERY_KEY);
    expect(loomParts.values[LOOM_QUERY_KEY]).toBe("Write a one-page summary of the report.");
  });
});

describe("aggregate", () => {
  const cells: AggregateCell[] = [
    { task: "qasper", length: null, n: 3, errors: 0, values: { qa_f1_score: [1, 0, 0.5] } },
    { task: "trec", length: null, n: 1, errors: 0, values: { classification_score: [1] } },
  ];
  it("official: eval.py's task scores, and our unweighted mean under a group that says it is not official", () => {
    const agg = longbench.aggregate!(cells);
    expect(agg.tasks).toEqual({ qasper: 50, trec: 100 });
    expect(agg.score).toBe(75);
    expect(agg.groups?.[UNOFFICIAL_MEAN_GROUP]).toBe(75);
    expect(agg.groups?.[LOOM_TOTAL_GROUP]).toBeUndefined();
  });
  it("loom: LOOM-Scope's Total.txt, the task scores weighted by their samples", () => {
    const agg = longbench.configure!({ protocol: "loom", options: {} }).aggregate!(cells);
    expect(agg.score).toBe(62.5); // (50 × 3 + 100 × 1) / 4
    expect(agg.groups?.[LOOM_TOTAL_GROUP]).toBe(62.5);
    expect(agg.groups?.[UNOFFICIAL_MEAN_GROUP]).toBeUndefined();
  });
});
