/**
 * `_evaluate_response` parity: test/fixtures/evaluate.json holds 936 (response, gold answers, metric)
 * cases — exact / case / whitespace / punctuation / partial matches, multi-line responses, gold
 * answers as lists, strings (iterated by character), empty — and the official verdicts, plus the
 * failures (None response, unknown metric). Made by scripts/make-parity-fixture.py.
 */
import { describe, expect, it } from "vitest";
import { OfficialScorerError } from "@loomscope/metrics";
import { evaluateResponse, nolimaMetric } from "../src/index.js";
import { fixture } from "./helpers.js";

interface Case {
  response: string;
  gold_answers: string | string[];
  metric: string;
  expected: number;
}
const { cases, errors } = fixture<{ cases: Case[]; errors: { response: string | null; metric: string; error: string }[] }>("evaluate.json");

describe("NoLiMa _evaluate_response parity", () => {
  it("has 900+ cases over the four metrics, both verdicts", () => {
    expect(cases.length).toBeGreaterThanOrEqual(900);
    expect(new Set(cases.map((c) => c.metric))).toEqual(new Set(["EM", "contains", "lastline_EM", "lastline_contains"]));
    expect(cases.filter((c) => c.expected === 1).length).toBeGreaterThan(100);
  });

  it("equals the official verdict on every case", () => {
    const wrong = cases.filter((c) => evaluateResponse(c.response, c.gold_answers, c.metric) !== c.expected);
    expect(wrong).toEqual([]);
  });

  it("raises where the official code raises", () => {
    expect(errors.length).toBeGreaterThanOrEqual(3);
    for (const e of errors) {
      expect(() => evaluateResponse(e.response, ["Yuki"], e.metric)).toThrow(OfficialScorerError);
      try {
        evaluateResponse(e.response, ["Yuki"], e.metric);
      } catch (err) {
        expect((err as OfficialScorerError).pythonError).toBe(e.error);
      }
    }
  });

  it("scores through the metric object (default metric: contains, case-sensitive)", () => {
    const score = (prediction: string, gold: string | string[], metric?: string) =>
      nolimaMetric.score({ prediction, references: [], scoring: { gold_answers: gold, ...(metric ? { metric } : {}) }, task: "needle_set", protocol: "official" });
    expect(score("It is Yuki.", ["Yuki"])).toBe(1);
    expect(score("It is yuki.", ["Yuki"])).toBe(0);
    expect(score("9", "91")).toBe(1); // a string gold is iterated by character
    expect(score(" Yuki \n", ["Yuki"], "EM")).toBe(1);
  });
});
