/**
 * The suite score follows the LOOMBench card (LCM-Lab/LOOMBench README at 839aae5): the unweighted
 * mean of the twelve printed (two-decimal) benchmark scores, summed as floats in the card's column
 * order, then Python's round. Qwen3-14B: 618.42 / 12 is 51.535 exactly, which Python's round (and
 * half-even on the exact decimal) would print as 51.53 — but the float sum in column order is
 * 618.4200000000001, so the mean is 51.535000000000004 and rounds to the printed 51.54. Llama-3.1-8B
 * tells the float rule from numpy's pairwise mean: np.mean gives 46.93, the card 46.94.
 */
import { describe, expect, it } from "vitest";
import type { BenchmarkResult, Capability, Suite } from "@loomscope/spec";
import { aggregateSuite } from "../src/index.js";

const COLUMNS: [string, Capability][] = [
  ["l-citeeval", "faithfulness"], ["leval", "general"], ["ruler", "retrieval"], ["longbench", "general"], ["babilong", "reasoning"], ["counting-stars", "reasoning"],
  ["lveval", "reasoning"], ["longbench-v2", "reasoning"], ["niah", "retrieval"], ["infinitebench", "retrieval"], ["longwriter", "generation"], ["libra", "specialization"],
];

/** Rows of the card: model, printed average, the twelve printed scores in column order. */
const CARD: [string, number, number[]][] = [
  ["Qwen3-14B", 51.54, [35.64, 43.84, 74.94, 45.47, 59.15, 56.41, 21.26, 29.85, 100.0, 10.24, 85.75, 55.87]],
  ["Qwen3-30B-A3B", 51.18, [37.96, 40.61, 78.32, 43.24, 60.31, 48.96, 22.82, 28.42, 100.0, 14.14, 83.24, 56.09]],
  ["Llama-3.1-8B", 46.94, [25.79, 39.7, 86.79, 37.94, 57.42, 37.68, 25.66, 30.4, 91.0, 33.64, 45.96, 51.24]],
];

const suite: Suite = {
  kind: "suite", apiVersion: 1, id: "loombench", version: "0", description: "",
  entries: COLUMNS.map(([benchmark]) => ({ benchmark })),
  aggregation: { rule: "mean", capabilityMeans: true },
};

const result = (benchmark: string, capability: Capability, score: number | null, partial = false): BenchmarkResult => ({
  benchmark, capability, score, tasks: {}, cells: {}, samples: { ok: 1, errors: 0 }, partial, partialReason: partial ? "1 planned sample(s) did not run" : null,
} as BenchmarkResult);

describe("the LOOMBench suite score", () => {
  it.each(CARD)("reproduces the card's average for %s", (_model, printed, scores) => {
    // Results arrive in any order: the sum follows the suite's entry order (the card's columns).
    const results = COLUMNS.map(([id, cap], i) => result(id, cap, scores[i]!)).reverse();
    const out = aggregateSuite(suite, results);
    expect(out.score).toBe(printed);
    expect(out.partial).toBe(false);
    expect(out.missing).toEqual([]);
  });

  it("gives per-capability means beside the score", () => {
    const [, , scores] = CARD[0]!;
    const out = aggregateSuite(suite, COLUMNS.map(([id, cap], i) => result(id, cap, scores[i]!)));
    // retrieval: RULER 74.94, NIAH 100, InfiniteBench 10.24 → 61.726… → 61.73
    expect(out.capabilities["retrieval"]).toBe(61.73);
    expect(out.capabilities["faithfulness"]).toBe(35.64);
    expect(Object.keys(out.capabilities).sort()).toEqual(["faithfulness", "general", "generation", "reasoning", "retrieval", "specialization"]);
  });

  it("marks a score over missing or partial members as partial, naming them", () => {
    const [, , scores] = CARD[0]!;
    const results = COLUMNS.map(([id, cap], i) => result(id, cap, i === 1 ? null : scores[i]!, id === "niah"));
    const out = aggregateSuite(suite, results.filter((r) => r.benchmark !== "libra"));
    expect(out.partial).toBe(true);
    expect(out.missing).toEqual(["leval", "libra", "niah (partial)"]);
  });

  it("capability-mean counts each capability once", () => {
    const [, , scores] = CARD[0]!;
    const out = aggregateSuite({ ...suite, aggregation: { rule: "capability-mean" } }, COLUMNS.map(([id, cap], i) => result(id, cap, scores[i]!)));
    const caps = Object.values(out.capabilities) as number[];
    expect(out.score).toBeCloseTo(caps.reduce((a, b) => a + b, 0) / caps.length, 1);
  });
});
