import { describe, expect, it } from "vitest";
import type { Benchmark } from "@loomscope/spec";
import { codeMetricsOf, judgeMetricsOf } from "../src/run/score.js";

const benchmark = {
  id: "b",
  tasks: [
    { id: "code", language: "code", lengths: [], maxNewTokens: 8, metrics: ["pass", "exact"] },
    { id: "qa", language: "en", lengths: [], maxNewTokens: 8, metrics: ["exact", "judged"] },
  ],
  metrics: { pass: { id: "pass", executesCode: true }, exact: { id: "exact" }, judged: { id: "judged", judge: "LLM judge" } },
} as unknown as Benchmark;

describe("metrics that need something before a run", () => {
  it("names the planned tasks whose metrics run model-written code, and those a judge scores", () => {
    expect(codeMetricsOf(benchmark, ["code", "qa"])).toEqual(["b/code: pass"]);
    expect(codeMetricsOf(benchmark, ["qa"])).toEqual([]);
    expect(judgeMetricsOf(benchmark, ["code", "qa"])).toEqual(["b/qa: judged (LLM judge)"]);
  });
});
