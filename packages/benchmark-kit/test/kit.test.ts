import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createTestBenchmarkContext } from "@loomscope/testkit";
import { makeZip } from "@loomscope/core";
import { defineMetric, metricById } from "@loomscope/metrics";
import { LoomError, PromptPartsSchema, type Sample } from "@loomscope/spec";
import { defineDatasetBenchmark, defineGeneratedBenchmark, defineTasks, hfFile, promptFromRow, resolveTask, tokenLevels, wordLevels } from "../src/index.js";

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
    const parts = await b.prompt(sample, b.tasks[0]!);
    expect(parts).toMatchObject({ template: "Read: {context}\nQ: {question}\nA:", contextKey: "context", queryKey: "question", truncation: "middle", chat: true });
    expect(await b.score({ task: "qa", prediction: "paris", references: ["Paris"] })).toEqual({ exact_match: 1, qa_f1: 1 });
    expect(b.tasks[0]).toMatchObject({ maxNewTokens: 32, metrics: ["exact_match", "qa_f1"], levels: [{ label: "1k", unit: "words", value: 1000 }, { label: "2k", unit: "words", value: 2000 }] });
    const loom = b.configure!({ protocol: "loom", options: { variant: "b" } });
    expect(loom.tasks[0]!.maxNewTokens).toBe(8);
    expect((await loom.prompt(sample, loom.tasks[0]!)).chat).toBe(false);
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

describe("protocol-specific tasks and settings checks", () => {
  const two = defineTasks([
    { id: "both", language: "en", maxNewTokens: 4, prompt: { template: "{context}" }, metrics: [exact] },
    { id: "official-only", language: "en", maxNewTokens: 4, prompt: { template: "{context}" }, metrics: [exact], protocols: ["official"] },
  ]);
  const make = () =>
    defineGeneratedBenchmark({
      id: "proto",
      version: "1",
      capability: "general",
      description: "d",
      tasks: two,
      protocols: ["official", "loom"],
      options: { extra: { type: "integer", default: 0, description: "an option the loom protocol's code does not have" } },
      validate: ({ protocol, options }) => {
        if (protocol === "loom" && options.extra > 0) throw new LoomError("USAGE", "extra is official only");
      },
      ids: ({ task }) => [`${task.id}-0`],
      generate: () => ({ input: { context: "c" }, references: ["c"] }),
    });

  it("leaves a task out under a protocol whose code does not have it", async () => {
    const b = make();
    expect(b.tasks.map((t) => t.id)).toEqual(["both", "official-only"]);
    const loom = b.configure!({ protocol: "loom", options: { extra: 0 } });
    expect(loom.tasks.map((t) => t.id)).toEqual(["both"]);
    await expect(async () => {
      for await (const _ of loom.samples({ task: "official-only" }, createTestBenchmarkContext())) void _;
    }).rejects.toMatchObject({ code: "UNKNOWN_TASK" });
  });

  it("refuses settings the definition's validate() refuses, when configured", () => {
    const b = make();
    expect(() => b.configure!({ protocol: "official", options: { extra: 3 } })).not.toThrow();
    expect(() => b.configure!({ protocol: "loom", options: { extra: 3 } })).toThrow(/extra is official only/);
  });
});

describe("paired local files", () => {
  it("zips two JSON-lines files line by line into [a, b] rows, as Python's zip, reading both only when both exist", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kit-pair-"));
    writeFileSync(join(dir, "meta.jsonl"), ['{"id": 0, "q": "a?"}', '{"id": 1, "q": "b?"}', '{"id": 2, "q": "c?"}', '{"id": 3, "q": "d?"}'].join("\n") + "\n");
    writeFileSync(join(dir, "docs.jsonl"), ['{"id": 0, "doc": "A"}', '{"id": 9, "doc": "B"}', '{"id": 2, "doc": "C"}'].join("\n") + "\n");
    const Pair = z
      .tuple([z.object({ id: z.number(), q: z.string() }), z.object({ id: z.number(), doc: z.string() })])
      .refine(([m, d]) => m.id === d.id, { message: "meta and docs ids differ" });
    const paired = defineDatasetBenchmark({
      id: "pair",
      version: "1.0.0",
      capability: "general",
      description: "paired files",
      tasks: defineTasks([{ id: "t", language: "en", maxNewTokens: 4, prompt: { template: "{context} {question}", queryKey: "question" }, metrics: [exact] }]),
      source: {
        remote: () => hfFile("org/pair", "merged.json"),
        local: () => [{ path: "missing.jsonl", pairedWith: "docs.jsonl" }, { path: "meta.jsonl", pairedWith: "docs.jsonl" }],
      },
      record: Pair,
      toSample: ([m, d]) => ({ input: { context: d.doc, question: m.q }, references: [String(m.id)] }),
    });
    const ctx = createTestBenchmarkContext({ dataDir: dir });
    const samples = await all(paired.samples({ task: "t" }, ctx));
    // zip stops at the shorter file (meta's 4th line has no docs line); the mismatched pair is a data issue.
    expect(samples.map((s) => [s.id, s.input, s.references])).toEqual([
      ["t-0", { context: "A", question: "a?" }, ["0"]],
      ["t-2", { context: "C", question: "c?" }, ["2"]],
    ]);
    expect(ctx.issues.map((i) => [i.file.endsWith("meta.jsonl"), i.line, i.message])).toEqual([[true, 2, "record: meta and docs ids differ"]]);
    expect(Object.keys(ctx.provenance).sort()).toEqual(["data:docs.jsonl", "data:meta.jsonl"]);
  });
});

describe("a task table that depends on the options", () => {
  const judged = defineMetric({ id: "judged", judge: "LLM judge", score: async () => 1 });
  const plain = defineMetric({ id: "plain", score: () => 0.5 });
  const b = defineGeneratedBenchmark({
    id: "optional-judge",
    version: "1",
    capability: "generation",
    description: "d",
    tasks: ({ options }) =>
      defineTasks([
        {
          id: "t",
          language: "en",
          maxNewTokens: 4,
          prompt: { template: "{context}" },
          metrics: options.judged ? [plain, judged] : [plain],
          ...(options.stop ? { generation: { stop: ["\n"] } } : {}),
        },
      ]),
    options: {
      judged: { type: "boolean", default: true, description: "score the judged metric" },
      stop: { type: "boolean", default: false, description: "stop at a newline" },
    },
    ids: () => ["a"],
    generate: () => ({ input: { context: "c" }, references: [] }),
  });

  it("makes metrics and generation settings depend on the options; scoring runs what is planned", async () => {
    expect(b.tasks[0]!.metrics).toEqual(["plain", "judged"]);
    const without = b.configure!({ protocol: "official", options: { judged: false, stop: true } });
    expect(without.tasks[0]!.metrics).toEqual(["plain"]);
    expect(without.tasks[0]!.generation).toEqual({ stop: ["\n"] });
    // No judge needed for what is planned: scoring runs the remaining metric only.
    expect(await without.score({ task: "t", prediction: "x", references: [] })).toEqual({ plain: 0.5 });
    await expect(b.score({ task: "t", prediction: "x", references: [] })).rejects.toMatchObject({ code: "JUDGE_MISSING" });
  });
});

describe("tasks of one protocol", () => {
  it("a task the LOOM-Scope code does not run is absent under --protocol loom, and a metric may leave a sample out (null)", async () => {
    const judged = defineMetric({ id: "verdict", score: ({ prediction }) => (prediction === "True" ? 1 : prediction === "False" ? 0 : null) });
    const b = defineGeneratedBenchmark({
      id: "split",
      version: "1",
      capability: "general",
      description: "d",
      protocols: ["official", "loom"],
      tasks: defineTasks([
        { id: "both", language: "en", maxNewTokens: 4, prompt: { template: "{context}" }, metrics: [judged] },
        { id: "official-only", language: "en", maxNewTokens: 4, prompt: { template: "{context}" }, metrics: [exact], protocols: ["official"] },
      ]),
      ids: ({ task }) => [`${task.id}-0`],
      generate: () => ({ input: { context: "c" }, references: ["x"] }),
    });
    expect(b.tasks.map((t) => t.id)).toEqual(["both", "official-only"]);
    const loom = b.configure!({ protocol: "loom", options: {} });
    expect(loom.tasks.map((t) => t.id)).toEqual(["both"]);
    await expect(all(loom.handles!({ task: "official-only" }, createTestBenchmarkContext()))).rejects.toMatchObject({ code: "UNKNOWN_TASK" });
    expect(loom.tasks[0]!.metrics).toEqual(["verdict"]);
    expect(await b.score({ task: "both", prediction: "maybe", references: [] })).toEqual({ verdict: null });
    expect(await b.score({ task: "both", prediction: "True", references: [] })).toEqual({ verdict: 1 });
    expect(() => defineTasks([{ id: "none", language: "en", maxNewTokens: 1, prompt: { template: "{x}" }, metrics: [exact], protocols: [] }])).toThrow(/in no protocol/);
  });

  it("configureTask lets an option change a task row (a judge metric turned off)", async () => {
    const judged = defineMetric({ id: "judged", judge: "LLM judge", score: () => 1 });
    const b = defineGeneratedBenchmark({
      id: "optional-judge",
      version: "1",
      capability: "general",
      description: "d",
      options: { judge: { type: "boolean", default: true, description: "score with the judge" } },
      tasks: defineTasks([{ id: "t", language: "en", maxNewTokens: 4, prompt: { template: "{context}" }, metrics: [exact, judged] }]),
      configureTask: (task, { options }) => (options.judge ? task : { ...task, metrics: task.metrics.filter((m) => !m.judge) }),
      ids: () => ["a"],
      generate: () => ({ input: { context: "c" }, references: ["x"] }),
    });
    expect(b.tasks[0]!.metrics).toEqual(["exact_match", "judged"]);
    const without = b.configure!({ protocol: "official", options: { judge: false } });
    expect(without.tasks[0]!.metrics).toEqual(["exact_match"]);
    expect(await without.score({ task: "t", prediction: "x", references: ["x"] })).toEqual({ exact_match: 1 });
  });
});

describe("rows that differ per task, and side data", () => {
  it("checks each unit's rows with its own schema and hands every row the unit's side file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kit-side-"));
    writeFileSync(join(dir, "num.jsonl"), '{"n": 1}\n{"n": "one"}\n');
    writeFileSync(join(dir, "word.jsonl"), '{"w": "one"}\n');
    writeFileSync(join(dir, "lookup.json"), '{"1": "uno", "one": "eins"}');
    const b = defineDatasetBenchmark({
      id: "mixed",
      version: "1",
      capability: "general",
      description: "d",
      tasks: defineTasks([
        { id: "num", language: "en", maxNewTokens: 4, prompt: { template: "{context}" }, metrics: [exact] },
        { id: "word", language: "en", maxNewTokens: 4, prompt: { template: "{context}" }, metrics: [exact] },
      ]),
      source: { remote: ({ task }) => hfFile("org/mixed", `${task.id}.jsonl`), local: ({ task }) => [`${task.id}.jsonl`] },
      record: ({ task }) => (task.id === "num" ? z.object({ n: z.number() }) : z.object({ w: z.string() })) as z.ZodType<{ n?: number; w?: string }>,
      side: async (_unit, files) => JSON.parse(readFileSync(await files.path(["lookup.json"], { source: "huggingface", repo: "org/mixed", path: "lookup.json" }), "utf8")) as Record<string, string>,
      toSample: (row, { side }) => {
        const key = String(row.n ?? row.w);
        return { input: { context: key }, references: [(side as Record<string, string>)[key]!] };
      },
    });
    const ctx = createTestBenchmarkContext({ dataDir: dir });
    expect((await all(b.samples({ task: "num" }, ctx))).map((s) => s.references)).toEqual([["uno"]]);
    expect(ctx.issues).toEqual([{ file: expect.stringMatching(/num\.jsonl$/), line: 2, message: expect.stringMatching(/^n: /) }]);
    expect((await all(b.samples({ task: "word" }, ctx))).map((s) => s.references)).toEqual([["eins"]]);
    expect(Object.keys(ctx.provenance)).toContain("data:lookup.json");
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

  it("lists ids from the run's data when they follow a data file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kit-gen-"));
    writeFileSync(join(dir, "people.txt"), "ann\nbob\n");
    const b = defineGeneratedBenchmark({
      id: "gen-data",
      version: "1",
      capability: "specialization",
      description: "d",
      tasks: defineTasks([{ id: "ask", language: "en", maxNewTokens: 4, prompt: { template: "{context}", truncation: "none" }, metrics: [exact] }]),
      ids: async (_unit, ctx) => {
        const path = ctx.data.local("people.txt");
        const names: string[] = [];
        if (path) for await (const { text } of ctx.data.lines(path)) if (text) names.push(text);
        return names.map((n) => `ask-${n}`);
      },
      generate: (id) => ({ input: { context: id }, references: ["x"] }),
    });
    const ctx = createTestBenchmarkContext({ dataDir: dir });
    expect((await all(b.handles!({ task: "ask" }, ctx))).map((h) => h.id)).toEqual(["ask-ann", "ask-bob"]);
    expect(await b.count!({ task: "ask" }, ctx)).toBe(2);
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

describe("prompt history in a task row", () => {
  it("carries fixed earlier turns (a system turn included) into the prompt parts, copied", () => {
    const history = [
      { role: "user" as const, content: "1 + 2 - 4 - 10" },
      { role: "system" as const, content: "[1, 3, -1, -11]" },
    ];
    const [row] = defineTasks([{ id: "calc", language: "en" as const, maxNewTokens: 8, prompt: { template: "{context}", system: "You are a calculator", history }, metrics: [exact] }]);
    const parts = promptFromRow(resolveTask(row!, "official"), { id: "calc-0", task: "calc", input: { context: "1 + 3" }, references: ["[1, 4]"] });
    expect([parts.system, parts.history]).toEqual(["You are a calculator", history]);
    expect(parts.history).not.toBe(history);
    expect(PromptPartsSchema.parse(parts).history?.[1]?.role).toBe("system");
  });
});

