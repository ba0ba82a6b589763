import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createTestBenchmarkContext } from "@loomscope/testkit";
import { makeZip } from "@loomscope/core";
import { defineMetric, metricById } from "@loomscope/metrics";
import type { Sample } from "@loomscope/spec";
import { defineDatasetBenchmark, defineGeneratedBenchmark, defineTasks, hfFile, tokenLevels, wordLevels } from "../src/index.js";

const exact = metricById("exact_match");
const tasks = defineTasks([
  {
    id: "qa",
    language: "en",
    levels: wordLevels("1k", "2k"),
    maxNewTokens: 32,
    prompt: { template: "Read: {context}\nQ: {question}\nA:", queryKey: "question" },
    metrics: [exact, metricById("qa_f1")],
    loom: { maxNewTokens: 8, prompt: { chat: "raw" } },
  },
]);

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "kit-data-"));
  const rows = (n: number, bad?: number) =>
    Array.from({ length: n }, (_, i) => (i === bad ? '{"context": 1}' : JSON.stringify({ context: `doc ${i}`, question: `q${i}?`, answers: [`a${i}`] }))).join("\n") + "\n";
  writeFileSync(join(dir, "qa_1k.jsonl"), rows(5, 3));
  writeFileSync(join(dir, "qa_2k.jsonl"), "\n" + rows(2));
  return dir;
}

const Row = z.object({ context: z.string(), question: z.string(), answers: z.array(z.string()) }).passthrough();

const bench = () =>
  defineDatasetBenchmark({
    id: "toy",
    version: "1.0.0",
    capability: "general",
    description: "toy",
    tasks,
    protocols: ["official", "loom"],
    options: { variant: { type: "string", description: "which variant", values: ["a", "b"], default: "a" } },
    source: {
      remote: ({ task, length }) => hfFile("org/toy", `${task.id}.zip`, { member: `${task.id}_${length}.jsonl` }),
      local: ({ task, length }) => [`${task.id}_${length}.jsonl`],
      count: () => 5,
    },
    record: Row,
    toSample: (row) => ({ input: { context: row.context, question: row.question }, references: row.answers }),
  });

async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe("defineDatasetBenchmark", () => {
  it("gives ids before parsing, builds only the samples loaded, and reports malformed rows with file:line", async () => {
    const b = bench();
    const ctx = createTestBenchmarkContext({ dataDir: dataDir() });
    const handles = await all(b.handles!({ task: "qa", length: "1k" }, ctx));
    expect(handles.map((h) => h.id)).toEqual(["qa_1k-0", "qa_1k-1", "qa_1k-2", "qa_1k-3", "qa_1k-4"]);
    expect(b.stats).toEqual({ rows: 5, loaded: 0 });
    const second = await handles[1]!.load();
    expect(second).toEqual({ id: "qa_1k-1", task: "qa", length: "1k", input: { context: "doc 1", question: "q1?" }, references: ["a1"] });
    expect(b.stats.loaded).toBe(1);
    expect(await handles[3]!.load()).toBeUndefined();
    expect(ctx.issues).toEqual([{ file: expect.stringMatching(/qa_1k\.jsonl$/), line: 4, message: expect.stringMatching(/context: .*string/i) }]);
    expect(Object.keys(ctx.provenance)).toEqual(["data:qa_1k.jsonl"]);
    expect(ctx.provenance["data:qa_1k.jsonl"]).toMatchObject({ origin: "data-dir", sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it("samples() and count() honour limit and sample ids; blank lines are not rows", async () => {
    const b = bench();
    const ctx = createTestBenchmarkContext({ dataDir: dataDir() });
    expect((await all(b.samples({ task: "qa", length: "2k" }, ctx))).map((s: Sample) => s.id)).toEqual(["qa_2k-0", "qa_2k-1"]);
    expect((await all(b.samples({ task: "qa", limit: 2 }, ctx))).map((s: Sample) => s.id)).toEqual(["qa_1k-0", "qa_1k-1"]);
    expect((await all(b.samples({ task: "qa", length: "1k", sampleIds: ["qa_1k-4"] }, ctx))).map((s: Sample) => s.id)).toEqual(["qa_1k-4"]);
    // A local folder may hold a subset: no count without reading it.
    expect(await b.count!({ task: "qa", length: "1k" }, ctx)).toBeUndefined();
    expect(await b.count!({ task: "qa", length: "1k", limit: 3 }, createTestBenchmarkContext())).toBe(3);
    await expect(all(b.handles!({ task: "qa", length: "9k" }, ctx))).rejects.toThrow(/no length level "9k".*|length levels: 1k, 2k/);
  });

  it("builds prompts from the row and scores with every metric; the loom protocol takes its overrides", async () => {
    const b = bench();
    const sample: Sample = { id: "x", task: "qa", length: "1k", input: { context: "C", question: "Q" }, references: ["Paris"] };
    const parts = b.prompt(sample, b.tasks[0]!);
    expect(parts).toMatchObject({ template: "Read: {context}\nQ: {question}\nA:", contextKey: "context", queryKey: "question", truncation: "middle", chat: true });
    expect(await b.score({ task: "qa", prediction: "paris", references: ["Paris"] })).toEqual({ exact_match: 1, qa_f1: 1 });
    expect(b.tasks[0]).toMatchObject({ maxNewTokens: 32, metrics: ["exact_match", "qa_f1"], levels: [{ label: "1k", unit: "words", value: 1000 }, { label: "2k", unit: "words", value: 2000 }] });
    const loom = b.configure!({ protocol: "loom", options: { variant: "b" } });
    expect(loom.tasks[0]!.maxNewTokens).toBe(8);
    expect(loom.prompt(sample, loom.tasks[0]!).chat).toBe(false);
    expect(b.metrics?.["exact_match"]).toMatchObject({ binary: true, scale: 100, aggregation: "mean" });
    expect(b.options?.["variant"]).toMatchObject({ default: "a" });
    expect(b.dataSources?.[0]).toMatch(/huggingface:org\/toy\/qa\.zip → qa_1k\.jsonl \(jsonl\)/);
  });

  it("refuses a judge metric without a judge, naming the flag", async () => {
    const judged = defineMetric({ id: "judged", judge: "LLM judge", score: async ({ judge, prediction }) => Number(await judge!.complete({ messages: [{ role: "user", content: prediction }] })) });
    const b = defineGeneratedBenchmark({
      id: "judgy",
      version: "1",
      capability: "generation",
      description: "d",
      tasks: defineTasks([{ id: "t", language: "en", maxNewTokens: 4, prompt: { template: "{context}" }, metrics: [judged] }]),
      ids: () => ["a"],
      generate: () => ({ input: { context: "c" }, references: [] }),
    });
    await expect(b.score({ task: "t", prediction: "1", references: [] })).rejects.toMatchObject({ code: "JUDGE_MISSING", hint: expect.stringMatching(/--judge/) });
    const judge = { id: "fake:j", complete: async () => "0.5" };
    expect(await b.score({ task: "t", prediction: "1", references: [], judge })).toEqual({ judged: 0.5 });
    expect(b.metrics?.["judged"]?.judge).toBe("LLM judge");
  });
});

describe("defineGeneratedBenchmark", () => {
  it("lists ids cheaply and generates only what is loaded", async () => {
    const generated: string[] = [];
    const b = defineGeneratedBenchmark({
      id: "gen",
      version: "1",
      capability: "retrieval",
      description: "d",
      tasks: defineTasks([{ id: "needle", language: "en", levels: tokenLevels("4k", "8k"), maxNewTokens: 16, prompt: { template: "{context}", truncation: "none" }, metrics: [exact] }]),
      ids: ({ length }) => Array.from({ length: 4 }, (_, i) => `needle_${length}_${i}`),
      generate: (id, { length, ctx }) => {
        generated.push(id);
        return { input: { context: `${length} seed ${ctx.seed}` }, references: ["x"] };
      },
    });
    const ctx = createTestBenchmarkContext({ seed: 7 });
    const handles = await all(b.handles!({ task: "needle" }, ctx));
    expect(handles.length).toBe(8);
    expect(generated).toEqual([]);
    expect((await handles[5]!.load())?.input).toEqual({ context: "8k seed 7" });
    expect(generated).toEqual(["needle_8k_1"]);
    expect(b.stats).toEqual({ rows: 8, loaded: 1 });
    expect(await b.count!({ task: "needle", length: "4k" }, ctx)).toBe(4);
    expect(b.tasks[0]!.levels).toEqual([{ label: "4k", unit: "tokens", value: 4096 }, { label: "8k", unit: "tokens", value: 8192 }]);
  });

  it("may take its ids from a small data file through the run's context", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kit-ids-"));
    writeFileSync(join(dir, "tests.json"), JSON.stringify(["t1", "t2", "t3"]));
    const b = defineGeneratedBenchmark({
      id: "from-file",
      version: "1",
      capability: "retrieval",
      description: "d",
      tasks: defineTasks([{ id: "needle", language: "en", maxNewTokens: 4, prompt: { template: "{context}", truncation: "none" }, metrics: [exact] }]),
      ids: (_unit, ctx) => JSON.parse(readFileSync(ctx.data.local("tests.json")!, "utf8")) as string[],
      generate: (id) => ({ input: { context: id }, references: [id] }),
    });
    const ctx = createTestBenchmarkContext({ dataDir: dir });
    expect((await all(b.handles!({ task: "needle" }, ctx))).map((h) => h.id)).toEqual(["t1", "t2", "t3"]);
    expect(await b.count!({ task: "needle" }, ctx)).toBe(3);
    expect(b.stats.loaded).toBe(0);
  });
});

describe("json-records rows", () => {
  const records = [{ context: "doc 0", question: "q0?", answers: ["a0"] }, { context: "doc 1", question: "q1?", answers: ["a1"] }];
  const recordsBench = (local: () => (string | { path: string; member?: string; format: "json-records" })[]) =>
    defineDatasetBenchmark({
      id: "records",
      version: "1",
      capability: "general",
      description: "d",
      tasks: defineTasks([{ id: "qa", language: "en", maxNewTokens: 4, prompt: { template: "{context} {question}" }, metrics: [exact] }]),
      source: { remote: () => hfFile("org/records", "data.json", { format: "json-records" }), local },
      record: Row,
      toSample: (row) => ({ input: { context: row.context, question: row.question }, references: row.answers }),
    });

  it("reads a JSON array or JSON Lines under one name, from a file or a zip member, with file:line for bad rows", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kit-records-"));
    writeFileSync(join(dir, "array.json"), "\uFEFF\n " + JSON.stringify(records, null, 1));
    writeFileSync(join(dir, "lines.json"), records.map((r) => JSON.stringify(r)).join("\n") + '\n{"context": 5}\n');
    writeFileSync(join(dir, "blank.json"), " \n\n");
    writeFileSync(join(dir, "data.zip"), makeZip({ "json_data/lines.json": records.map((r) => JSON.stringify(r)).join("\n") + "\n", "json_data/array.json": JSON.stringify(records) }));
    const read = async (local: () => (string | { path: string; member?: string; format: "json-records" })[]) => {
      const ctx = createTestBenchmarkContext({ dataDir: dir });
      const samples = await all(recordsBench(local).samples({ task: "qa" }, ctx));
      return { questions: samples.map((s) => s.input["question"]), issues: ctx.issues };
    };
    expect(await read(() => [{ path: "array.json", format: "json-records" }])).toEqual({ questions: ["q0?", "q1?"], issues: [] });
    expect(await read(() => [{ path: "lines.json", format: "json-records" }])).toEqual({
      questions: ["q0?", "q1?"],
      issues: [{ file: expect.stringMatching(/lines\.json$/), line: 3, message: expect.stringMatching(/context/) }],
    });
    expect(await read(() => [{ path: "blank.json", format: "json-records" }])).toEqual({ questions: [], issues: [] });
    for (const member of ["json_data/lines.json", "json_data/array.json"]) {
      expect((await read(() => [{ path: "data.zip", member, format: "json-records" }])).questions).toEqual(["q0?", "q1?"]);
    }
  });
});

describe("defineTasks", () => {
  it("refuses duplicate ids, tasks without metrics, and templates Python would refuse", () => {
    const row = { id: "a", language: "en" as const, maxNewTokens: 1, prompt: { template: "{x}" }, metrics: [exact] };
    expect(() => defineTasks([row, row])).toThrow(/declared twice/);
    expect(() => defineTasks([{ ...row, metrics: [] }])).toThrow(/no metric/);
    expect(() => defineTasks([{ ...row, prompt: { template: "{x" } }])).toThrow(/Single '\{'/);
    expect(() => defineTasks([{ ...row, prompt: { template: "{} and {x!r}" } }])).toThrow(/only named fields/);
    expect(() => defineTasks([{ ...row, prompt: { template: "{{literal}} {x}" } }])).not.toThrow();
  });
});
