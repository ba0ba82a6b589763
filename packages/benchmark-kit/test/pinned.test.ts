/**
 * Pinned data (a suite entry's `data`): a unit reads its rows from the pinned hub file, checked
 * against its sha256 whatever its origin, and the ids its rows yield against the pinned id list; a
 * unit the pins do not list, a pin without a checksum, and a generated benchmark are refused.
 */
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createTestBenchmarkContext } from "@loomscope/testkit";
import { metricById } from "@loomscope/metrics";
import type { PinnedDataFile } from "@loomscope/spec";
import { defineDatasetBenchmark, defineGeneratedBenchmark, defineTasks, hfFile, sampleIdsPin, wordLevels } from "../src/index.js";

const tasks = defineTasks([
  { id: "qa", language: "en", levels: wordLevels("1k", "2k"), maxNewTokens: 8, prompt: { template: "{context}\n{question}", queryKey: "question" }, metrics: [metricById("exact_match")] },
  { id: "other", language: "en", maxNewTokens: 8, prompt: { template: "{context}" }, metrics: [metricById("exact_match")] },
]);
const Row = z.object({ id: z.string(), context: z.string(), question: z.string(), answer: z.string(), length: z.string().optional() });

const bench = () =>
  defineDatasetBenchmark({
    id: "toy",
    version: "1.0.0",
    capability: "general",
    description: "toy",
    tasks,
    source: { remote: ({ task, length }) => hfFile("org/official", `${task.id}_${length ?? "all"}.jsonl`), count: () => 99 },
    record: Row,
    // One file may hold every length (L-CiteEval's layout): each unit keeps its own rows.
    filter: (row, ref) => row.length === undefined || row.length === ref.length,
    sampleId: (row) => row.id,
    toSample: (row) => ({ input: { context: row.context, question: row.question }, references: [row.answer] }),
  });

const rows = (ids: string[], length?: string) => ids.map((id) => JSON.stringify({ id, context: `c ${id}`, question: "q?", answer: id, ...(length ? { length } : {}) })).join("\n") + "\n";
const sha = (text: string) => createHash("sha256").update(text).digest("hex");

/** A --data-dir holding `LCM-Lab/LOOMBench/<path>` files. */
function hub(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "kit-pinned-"));
  for (const [path, text] of Object.entries(files)) {
    const full = join(dir, "LCM-Lab/LOOMBench", path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
  }
  return dir;
}
const pin = (path: string, text: string, task: string, extra: Partial<PinnedDataFile> = {}): PinnedDataFile => ({
  task,
  file: { source: "huggingface", repo: "LCM-Lab/LOOMBench", revision: "abc123", path, sha256: sha(text) },
  ...extra,
});

async function ids(b: ReturnType<typeof bench>, request: { task: string; length?: string }, ctx: ReturnType<typeof createTestBenchmarkContext>): Promise<string[]> {
  const out: string[] = [];
  for await (const s of b.samples(request, ctx)) out.push(s.id);
  return out;
}

describe("pinned data", () => {
  const qa1k = rows(["a", "b", "c"]);

  it("reads the unit's rows from the pinned file, counts from the pin, and checks the ids", async () => {
    const dir = hub({ "Toy/qa_1k.jsonl": qa1k });
    const pinned = [pin("Toy/qa_1k.jsonl", qa1k, "qa", { length: "1k", ids: sampleIdsPin(["a", "b", "c"]) })];
    const ctx = createTestBenchmarkContext({ dataDir: dir });
    const b = bench();
    expect(await b.count!({ task: "qa", length: "1k" }, { ...ctx, pinnedData: pinned })).toBe(3);
    expect(await ids(b, { task: "qa", length: "1k" }, { ...ctx, pinnedData: pinned })).toEqual(["a", "b", "c"]);
    expect(ctx.provenance["data:Toy/qa_1k.jsonl"]).toMatchObject({ repo: "LCM-Lab/LOOMBench", revision: "abc123", sha256: sha(qa1k) });
  });

  it("refuses a tampered file, wherever it was found", async () => {
    const dir = hub({ "Toy/qa_1k.jsonl": rows(["a", "b", "x"]) });
    const ctx = { ...createTestBenchmarkContext({ dataDir: dir }), pinnedData: [pin("Toy/qa_1k.jsonl", qa1k, "qa", { length: "1k" })] };
    await expect(ids(bench(), { task: "qa", length: "1k" }, ctx)).rejects.toMatchObject({ code: "CHECKSUM", message: expect.stringContaining(`expected ${sha(qa1k)}`) });
  });

  it("refuses rows that yield other ids than the pin, at the end of the unit", async () => {
    const dir = hub({ "Toy/qa_1k.jsonl": qa1k });
    const ctx = { ...createTestBenchmarkContext({ dataDir: dir }), pinnedData: [pin("Toy/qa_1k.jsonl", qa1k, "qa", { length: "1k", ids: sampleIdsPin(["a", "b"]) })] };
    await expect(ids(bench(), { task: "qa", length: "1k" }, ctx)).rejects.toMatchObject({ code: "DATA_PINNED", message: expect.stringMatching(/yields 3 sample ids .* the suite pins 2/) });
  });

  it("refuses a unit the pins do not list (never the official sources instead), and a pin without a checksum", async () => {
    const dir = hub({ "Toy/qa_1k.jsonl": qa1k });
    const ctx = { ...createTestBenchmarkContext({ dataDir: dir }), pinnedData: [pin("Toy/qa_1k.jsonl", qa1k, "qa", { length: "1k" })] };
    await expect(ids(bench(), { task: "qa", length: "2k" }, ctx)).rejects.toMatchObject({ code: "DATA_PINNED", message: expect.stringContaining("toy/qa/2k: the suite pins this benchmark's data and lists no file for this unit"), hint: "pinned units: qa/1k" });
    const unchecked = pin("Toy/qa_1k.jsonl", qa1k, "qa", { length: "1k" });
    delete (unchecked.file as { sha256?: string }).sha256;
    await expect(ids(bench(), { task: "qa", length: "1k" }, { ...ctx, pinnedData: [unchecked] })).rejects.toMatchObject({ code: "DATA_PINNED", message: expect.stringContaining("without its sha256") });
    // An entry whose lock lists no file yet refuses every unit.
    await expect(ids(bench(), { task: "other" }, { ...ctx, pinnedData: [] })).rejects.toMatchObject({ code: "DATA_PINNED", hint: expect.stringContaining("lists no file of this member yet") });
  });

  it("a pin without a length serves every length of its task, each unit checked against its own id list", async () => {
    const all = rows(["a", "b"], "1k") + rows(["c"], "2k");
    const dir = hub({ "Toy/qa.jsonl": all });
    const pinned = [pin("Toy/qa.jsonl", all, "qa", { idsByLength: { "1k": sampleIdsPin(["a", "b"]), "2k": sampleIdsPin(["c"]) } })];
    const ctx = { ...createTestBenchmarkContext({ dataDir: dir }), pinnedData: pinned };
    const b = bench();
    expect(await ids(b, { task: "qa", length: "1k" }, ctx)).toEqual(["a", "b"]);
    expect(await ids(b, { task: "qa", length: "2k" }, ctx)).toEqual(["c"]);
    expect(await b.count!({ task: "qa" }, ctx)).toBe(3);
  });

  it("a generated benchmark refuses pinned data", async () => {
    const g = defineGeneratedBenchmark({ id: "gen", version: "1", capability: "retrieval", description: "d", tasks: defineTasks([{ id: "t", language: "en", maxNewTokens: 4, prompt: { template: "{context}" }, metrics: [metricById("exact_match")] }]), ids: () => ["x"], generate: () => ({ input: { context: "c" }, references: [] }) });
    const ctx = { ...createTestBenchmarkContext(), pinnedData: [pin("Gen/t.jsonl", "", "t")] };
    const out = async () => {
      for await (const _ of g.samples({ task: "t" }, ctx)) void _;
    };
    await expect(out()).rejects.toMatchObject({ code: "DATA_PINNED", message: expect.stringContaining("generates its samples") });
  });
});
