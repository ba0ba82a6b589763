import { describe, expect, it } from "vitest";
import type { RunResults, SampleRecord } from "@loomscope/spec";
import { buildAblationTable, pairedComparison, parseVariants, recordCounters, type VariantRun } from "../src/run/ablate.js";

const record = (id: string, score: number | null, extra: Partial<SampleRecord> = {}): SampleRecord => ({
  v: 1,
  id,
  benchmark: "b",
  task: "t",
  length: null,
  status: score === null ? "error" : "ok",
  prediction: score === null ? null : "x",
  references: [],
  scores: score === null ? {} : { m: score },
  score,
  prompt: null,
  usage: { promptTokens: 10, completionTokens: 2 },
  timings: { startedAt: "2026-01-01T00:00:00.000Z", totalMs: 1 },
  accelerators: [],
  attempts: 1,
  error: score === null ? { code: "ERROR", message: "boom" } : null,
  ...extra,
});

const results = (score: number | null): RunResults => ({
  v: 1,
  runId: "r",
  complete: true,
  suite: null,
  benchmarks: [{ benchmark: "b", capability: "retrieval", score, tasks: { t: score }, cells: {}, samples: { ok: 0, errors: 0 } }],
});

describe("parseVariants", () => {
  it("splits variants at accelerators, gives key=value items to the accelerator before them, and combines with +", () => {
    expect(parseVariants("none,rag-lancedb:bm25,kv-pruning:snapkv,budget=2048,sparse-attention:minference").variants).toEqual([
      { name: "none", accelerators: [] },
      { name: "rag-lancedb:bm25", accelerators: ["rag-lancedb:bm25"] },
      { name: "kv-pruning:snapkv,budget=2048", accelerators: ["kv-pruning:snapkv,budget=2048"] },
      { name: "sparse-attention:minference", accelerators: ["sparse-attention:minference"] },
    ]);
    expect(parseVariants(["rag-lancedb:bm25,k=5+kv-pruning:h2o,budget=64"]).variants).toEqual([
      { name: "none", accelerators: [] },
      { name: "rag-lancedb:bm25,k=5+kv-pruning:h2o,budget=64", accelerators: ["rag-lancedb:bm25,k=5", "kv-pruning:h2o,budget=64"] },
    ]);
    expect(parseVariants("kv-pruning:snapkv").added).toBe(true);
  });

  it("refuses parameters without an accelerator, none combined, duplicates and empty lists", () => {
    expect(() => parseVariants("budget=1")).toThrow(/no accelerator before it/);
    expect(() => parseVariants("none,budget=1")).toThrow(/no accelerator before it/);
    expect(() => parseVariants("none+kv-pruning:snapkv")).toThrow(/cannot be combined/);
    expect(() => parseVariants("kv-pruning:snapkv,kv-pruning:snapkv")).toThrow(/twice/);
    expect(() => parseVariants(" , ")).toThrow(/empty/);
  });
});

describe("the ablation table", () => {
  it("pairs samples both variants scored: McNemar for 0/1 scores, the paired bootstrap otherwise", () => {
    const base = [record("1", 1), record("2", 1), record("3", 0), record("4", 1), record("5", null)];
    const other = [record("1", 0), record("2", 0), record("3", 0), record("4", 1), record("5", 1)];
    const p = pairedComparison(base, other);
    expect(p).toMatchObject({ n: 4, test: "mcnemar", noneOnly: 2, variantOnly: 0, p: 0.5, meanDiff: -0.5 });
    const graded = pairedComparison([record("1", 0.5), record("2", 0.25)], [record("1", 0.75), record("2", 0.5)]);
    expect(graded).toMatchObject({ n: 2, test: "paired-bootstrap", meanDiff: 0.25 });
  });

  it("counts an engine accelerator's stats once, and prompt accelerators' own stats by name", () => {
    const engineStats = { kvEntriesRead: 5, directives: ["x"] };
    const r = record("1", 1, {
      engineStats,
      accelerators: [
        { accelerator: "kv-pruning", method: "snapkv", label: "", params: {}, stats: { ...engineStats } },
        { accelerator: "rag-lancedb", method: "bm25", label: "", params: {}, stats: { keptChunks: 3 } },
      ],
    });
    expect(recordCounters(r)).toEqual({ "engine.kvEntriesRead": 5, "rag-lancedb.keptChunks": 3 });
  });

  it("takes deltas against none and sums tokens and counters per variant", () => {
    const run = (name: string, score: number, kv: number): VariantRun => ({
      name,
      accelerators: name === "none" ? [] : [name],
      runDir: `/x/${name}`,
      results: results(score),
      records: [record("1", 1, { engineStats: { kvEntriesRead: kv } }), record("2", 0, { engineStats: { kvEntriesRead: kv } })],
      wallMs: 10,
      requests: 2,
      cached: 0,
      resumed: 0,
    });
    const table = buildAblationTable([run("none", 50, 100), run("kv-pruning:snapkv", 40, 10)], { model: "m", targets: ["b"] });
    expect(table.variants.map((v) => [v.name, v.score, v.counters["engine.kvEntriesRead"], v.promptTokens])).toEqual([
      ["none", 50, 200, 20],
      ["kv-pruning:snapkv", 40, 20, 20],
    ]);
    expect(table.rows.filter((r) => r.variant === "kv-pruning:snapkv").map((r) => [r.task, r.delta])).toEqual([
      [null, -10],
      ["t", -10],
    ]);
    expect(table.rows.find((r) => r.variant === "none")?.paired).toBeNull();
  });
});
