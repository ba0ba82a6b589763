/**
 * The plugin as core runs it: pred.py's settings as options, the prompts its hooks build (checked
 * against the prompts pred.py's own statements built, test/fixtures/parity.json), the CoT answer
 * turn, budgets, protocols, scoring of empty responses, data.json streamed by the kit, the aggregate.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createTestBenchmarkContext } from "@loomscope/testkit";
import type { AggregateCell, Benchmark, JsonObject, PromptParts, Sample, TaskSpec } from "@loomscope/spec";
import longbenchV2, { GENERATION, type PromptFields, type RetrievedChunk } from "../src/index.js";

interface FixturePrompt {
  record: PromptFields;
  setting: "zeroShot" | "cot" | "noContext" | "cotAnswer" | "rag";
  prompt: string;
  cot?: string;
  retrieved?: RetrievedChunk[];
  n?: number;
}
// LONGBENCH_V2_PARITY_FIXTURE=/path/parity.json checks the prompts of a fixture made with another --seed
const { prompts } = JSON.parse(readFileSync(process.env["LONGBENCH_V2_PARITY_FIXTURE"] ?? new URL("./fixtures/parity.json", import.meta.url), "utf8")) as { prompts: FixturePrompt[] };
const dataDir = fileURLToPath(new URL("./fixtures/data/", import.meta.url));

const configured = (options: JsonObject = {}, protocol: "official" | "loom" = "official"): Benchmark => longbenchV2.configure!({ protocol, options: { cot: false, noContext: false, rag: 0, compensated: false, ...options } });
const task = (b: Benchmark): TaskSpec => b.tasks[0] as TaskSpec;

/** What core's prepare step does with replacements: Python `str.replace`, in order, over the whole text. */
function render(parts: PromptParts): string {
  let text = parts.template;
  for (const { placeholder, key } of parts.replacements ?? []) text = text.split(placeholder).join(parts.values[key] as string);
  return text;
}

const sampleOf = (p: FixturePrompt): Sample => ({
  id: "s",
  task: "longbench_v2",
  length: "short",
  input: { ...p.record, ...(p.retrieved ? { retrieved_context: JSON.stringify(p.retrieved) } : {}) },
  references: ["A"],
});

describe("prompts through the plugin's hooks equal pred.py's, for every setting", () => {
  const optionsOf: Record<FixturePrompt["setting"], (p: FixturePrompt) => JsonObject> = {
    zeroShot: () => ({}),
    cot: () => ({ cot: true }),
    noContext: () => ({ noContext: true }),
    rag: (p) => ({ rag: p.n ?? 0 }),
    cotAnswer: () => ({ cot: true }),
  };
  it(`all ${prompts.length} fixture prompts`, async () => {
    expect(prompts.length).toBeGreaterThanOrEqual(90);
    for (const p of prompts) {
      const b = configured(optionsOf[p.setting](p));
      const sample = sampleOf(p);
      const first = await b.prompt(sample, task(b));
      if (p.setting !== "cotAnswer") {
        expect(render(first), `${p.setting} ${p.record.question}`).toBe(p.prompt);
        continue;
      }
      // the reasoning comes back with whitespace around it; pred.py strips it before `$COT$`
      const next = b.followUp!(sample, task(b), [{ prompt: first, output: `\n  ${p.cot}  \n` }]);
      expect(next).toBeDefined();
      expect(render(next!)).toBe(p.prompt);
    }
  });
});

describe("settings", () => {
  const [one] = prompts.filter((p) => p.setting === "zeroShot");
  const sample = sampleOf(one!);

  it("CoT: 1,024 tokens to reason, then a fresh 128-token answer turn; no second turn otherwise", async () => {
    const cot = configured({ cot: true });
    const first = await cot.prompt(sample, task(cot));
    expect(first).toMatchObject({ maxNewTokens: GENERATION.cotMaxNewTokens, truncation: "middle-joined", chat: true, contextKey: "context", queryKey: "question" });
    const second = cot.followUp!(sample, task(cot), [{ prompt: first, output: "Thinking." }]);
    expect(second).toMatchObject({ maxNewTokens: 128, truncation: "middle-joined", chat: true });
    expect(second?.history).toBeUndefined();
    expect(cot.followUp!(sample, task(cot), [{ prompt: first, output: "Thinking." }, { prompt: second!, output: "The correct answer is (A)" }])).toBeUndefined();
    const plain = configured();
    expect((await plain.prompt(sample, task(plain))).maxNewTokens).toBeUndefined();
    expect(plain.followUp!(sample, task(plain), [{ prompt: first, output: "x" }])).toBeUndefined();
    expect(task(plain)).toMatchObject({ maxNewTokens: 128, generation: { temperature: 0.1 }, lengths: ["short", "medium", "long"] });
  });

  it("an empty first CoT response ends the exchange (pred.py drops it); LOOM-Scope asks again", async () => {
    const official = configured({ cot: true });
    const first = await official.prompt(sample, task(official));
    expect(official.followUp!(sample, task(official), [{ prompt: first, output: "" }])).toBeUndefined();
    expect(official.followUp!(sample, task(official), [{ prompt: first, output: "  " }])).toBeDefined();
    const loom = configured({ cot: true }, "loom");
    expect(loom.followUp!(sample, task(loom), [{ prompt: await loom.prompt(sample, task(loom)), output: "" }])).toBeDefined();
  });

  it("pred.py's precedence: rag over no_context over cot for the template, cot still adds the answer turn", async () => {
    const p = prompts.find((x) => x.setting === "rag" && x.n === 3)!;
    const b = configured({ rag: 3, noContext: true, cot: true });
    const first = await b.prompt(sampleOf(p), task(b));
    expect(render(first)).toBe(p.prompt);
    expect(first.maxNewTokens).toBe(1024);
    expect(b.followUp!(sampleOf(p), task(b), [{ prompt: first, output: "r" }])).toBeDefined();
    // LOOM-Scope has no RAG template: no_context over cot
    const noContext = prompts.find((x) => x.setting === "noContext" && x.record.question === p.record.question)!;
    const loom = configured({ noContext: true, cot: true }, "loom");
    const loomFirst = await loom.prompt(sampleOf(p), task(loom));
    expect(render(loomFirst)).toBe(noContext.prompt);
    expect(loomFirst.truncation).toBe("middle");
  });

  it("--rag without retrieved_context is a clear data error (pred.py: KeyError)", async () => {
    const b = configured({ rag: 2 });
    await expect(async () => b.prompt({ ...sample, input: { ...sample.input } }, task(b))).rejects.toMatchObject({ code: "DATA_MISSING", hint: expect.stringMatching(/retrieve\.py/) });
  });

  it("refuses under --protocol loom what only the official code has", () => {
    expect(() => configured({ rag: 3 }, "loom")).toThrow(/no RAG template/);
    expect(() => configured({ model: "GLM-4-9B-Chat" }, "loom")).toThrow(/model2maxlen/);
    expect(() => configured({ compensated: true }, "loom")).toThrow(/compensated/);
    expect(() => configured({ cot: true, noContext: true }, "loom")).not.toThrow();
  });

  it("budgets: 120000 (Claude 200000), LOOM-Scope's 128000, and room for the 1,024-token reasoning", () => {
    expect(configured().defaultMaxLength?.(task(configured()), 131072)).toBe(120000);
    expect(configured().defaultMaxLength?.(task(configured()), undefined)).toBe(120000);
    const claude = configured({ model: "claude-3.5-sonnet-20241022" });
    expect(claude.defaultMaxLength?.(task(claude), undefined)).toBe(200000);
    const loom = configured({}, "loom");
    expect(loom.defaultMaxLength?.(task(loom), undefined)).toBe(128000);
    const cot = configured({ cot: true });
    expect(cot.defaultMaxLength?.(task(cot), 32768)).toBe(32768 - 1024);
  });
});

describe("scoring", () => {
  const base = { task: "longbench_v2", references: ["B"], scoring: { answer: "B", difficulty: "easy" } };
  it("an empty response is left out under the official protocol (pred.py writes no line), wrong under LOOM-Scope's", async () => {
    expect(await configured().score({ ...base, prediction: "" })).toEqual({ accuracy: null, accuracy_compensated: null });
    expect(await configured({}, "loom").score({ ...base, prediction: "", protocol: "loom" })).toEqual({ accuracy: 0, accuracy_compensated: 0.25 });
    expect(await configured().score({ ...base, prediction: " " })).toEqual({ accuracy: 0, accuracy_compensated: 0.25 });
    expect(await configured().score({ ...base, prediction: "The correct answer is **(B)**" })).toEqual({ accuracy: 1, accuracy_compensated: 1 });
  });
});

describe("data.json through the kit", () => {
  it("streams the array, one level per length, ids = _id, the malformed record reported with file:line", async () => {
    const ctx = createTestBenchmarkContext({ dataDir });
    const got: Sample[] = [];
    for await (const s of longbenchV2.samples({ task: "longbench_v2" }, ctx)) got.push(s);
    expect(got.map((s) => [s.id, s.length])).toEqual([
      ["66f36490821e116aacb2cc22", "short"],
      ["6713495ebb02136c067d4c5a", "medium"],
      ["66ebed525a08c7b9b35e1cb4", "long"],
    ]);
    // reported once per level that read it
    expect(ctx.issues.length).toBe(3);
    expect(ctx.issues[0]).toEqual({ file: expect.stringMatching(/data\.json$/), line: 44, message: expect.stringMatching(/^answer: /) });
    expect(Object.keys(ctx.provenance)).toEqual(["data:data.json"]);
  });

  it("finds data.json under LongBench-v2/ in --data-dir too", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lb2-"));
    const { mkdirSync } = await import("node:fs");
    mkdirSync(join(dir, "LongBench-v2"));
    writeFileSync(join(dir, "LongBench-v2/data.json"), readFileSync(join(dataDir, "data.json")));
    const ids: string[] = [];
    for await (const s of longbenchV2.samples({ task: "longbench_v2", length: "long" }, createTestBenchmarkContext({ dataDir: dir }))) ids.push(s.id);
    expect(ids).toEqual(["66ebed525a08c7b9b35e1cb4"]);
  });
});

describe("aggregate", () => {
  const row = (id: string, difficulty: string, accuracy: number | null, compensated: number | null) => ({ id, meta: { difficulty }, scores: { accuracy, accuracy_compensated: compensated } });
  const cells: AggregateCell[] = [
    { task: "longbench_v2", length: "short", n: 3, errors: 0, values: { accuracy: [1, 0] }, rows: [row("a", "easy", 1, 1), row("b", "hard", null, null), row("c", "hard", 0, 0.25)] },
    { task: "longbench_v2", length: "long", n: 1, errors: 0, values: { accuracy: [1] }, rows: [row("d", "hard", 1, 1)] },
  ];
  it("result.py's row over the samples pred.py wrote (null left out), named as pred.py names the file", () => {
    const agg = configured({ cot: true }).aggregate!(cells);
    expect(agg.tables?.[0]).toMatchObject({ rows: ["longbench_v2_cot"], columns: ["Overall", "Easy", "Hard", "Short", "Medium", "Long"] });
    // 3 samples: easy 1/1, hard 1/2; short 1/2, long 1/1
    expect(agg.tables?.[0]?.cells[0]).toEqual([66.7, 100, 50, 50, null, 100]);
    expect(agg.score).toBe(66.7);
    expect(agg.cells["longbench_v2"]).toEqual({ short: 50, medium: null, long: 100 });
  });
  it("compensated = True counts an unextracted answer 0.25", () => {
    const agg = configured({ compensated: true, rag: 5 }).aggregate!(cells);
    expect(agg.tables?.[0]?.rows).toEqual(["longbench_v2_rag_5"]);
    expect(agg.tables?.[0]?.title).toMatch(/compensated = True/);
    expect(agg.tables?.[0]?.cells[0]?.[0]).toBe(75); // (1 + 0.25 + 1) / 3
  });
  it("under loom the layout says whose judgements it shows", () => {
    expect(configured({}, "loom").aggregate!(cells).tables?.[0]?.title).toMatch(/LOOM-Scope's own v2 table is not available/);
  });
});
