/**
 * Parity with Ada-LEval's dataset.py (`StackSelect.evaluate`, `TextSort.evaluate`, run one case at
 * a time and once over the whole set) and with LOOM-Scope 0.1's eval.py functions: 161 cases in
 * test/fixtures/parity.json, made by scripts/make-parity-fixture.py (another --seed gives unseen ones).
 */
import { describe, expect, it } from "vitest";
import { OfficialScorerError, type PyJsonValue } from "@loomscope/metrics";
import type { JsonObject, JsonValue } from "@loomscope/spec";
import {
  bestAnswerAccuracy,
  datasetAccuracy,
  extractBestAnswer,
  extractTsort,
  tsortAccuracy,
  tsortHitLoom,
  tsortHitOfficial,
  tsortReference,
} from "../src/index.js";
import { fixture } from "./helpers.js";

type Outcome = { hit: number } | { error: string };
interface Case {
  task: "stackselect" | "textsort";
  prediction: string;
  answer: JsonValue;
  num_choice?: number;
  extracted?: string;
  official: Outcome;
  loom: Outcome;
}
const { cases, totals } = fixture<{ cases: Case[]; totals: Record<string, number> }>("parity.json");

function run(c: Case, protocol: "official" | "loom"): Outcome {
  try {
    if (c.task === "stackselect") return { hit: extractBestAnswer(c.prediction, c.num_choice as number) === c.answer ? 1 : 0 };
    const answer = tsortReference(c.answer as PyJsonValue);
    const extracted = extractTsort(c.prediction);
    return { hit: (protocol === "loom" ? tsortHitLoom(answer, extracted) : tsortHitOfficial(answer, extracted)) ? 1 : 0 };
  } catch (e) {
    if (e instanceof OfficialScorerError) return { error: e.pythonError };
    throw e;
  }
}

describe("Ada-LEval parity", () => {
  it("covers both tasks, crash cases and protocol differences", () => {
    expect(cases.length).toBeGreaterThanOrEqual(150);
    expect(cases.filter((c) => "error" in c.official).length).toBeGreaterThanOrEqual(5);
    expect(cases.filter((c) => JSON.stringify(c.official) !== JSON.stringify(c.loom)).length).toBeGreaterThanOrEqual(10);
  });

  it("extracts the designation dataset.py extracts", () => {
    for (const c of cases.filter((x) => x.task === "stackselect")) expect([c.prediction, extractBestAnswer(c.prediction, c.num_choice as number)]).toEqual([c.prediction, c.extracted]);
  });

  it("scores every case as dataset.py evaluate does (hit, or the exception it raises)", () => {
    const wrong = cases.filter((c) => JSON.stringify(run(c, "official")) !== JSON.stringify(c.official));
    expect(wrong.map((c) => ({ p: c.prediction.slice(0, 60), got: run(c, "official"), want: c.official }))).toEqual([]);
  });

  it("scores every case as LOOM-Scope's eval.py does", () => {
    const wrong = cases.filter((c) => JSON.stringify(run(c, "loom")) !== JSON.stringify(c.loom));
    expect(wrong.map((c) => ({ p: c.prediction.slice(0, 60), got: run(c, "loom"), want: c.loom }))).toEqual([]);
  });

  it("gives evaluate's accuracy over the whole set, to the last bit", () => {
    const ss = cases.filter((c) => c.task === "stackselect").map((c) => (run(c, "official") as { hit: number }).hit);
    expect(datasetAccuracy(ss)).toBe(totals["stackselect"]);
    const ts = cases.filter((c) => c.task === "textsort" && "hit" in c.official).map((c) => (run(c, "official") as { hit: number }).hit);
    expect(datasetAccuracy(ts)).toBe(totals["textsort"]);
  });

  it("gives the same values through the metric objects, both protocols", () => {
    for (const c of cases) {
      const scoring: JsonObject = c.task === "stackselect" ? { answer: c.answer, num_choice: c.num_choice as number } : { answer: c.answer };
      for (const protocol of ["official", "loom"] as const) {
        const metric = c.task === "stackselect" ? bestAnswerAccuracy : tsortAccuracy;
        const want = c[protocol];
        const input = { prediction: c.prediction, references: [], scoring, task: c.task, protocol };
        if ("hit" in want) expect(metric.score(input)).toBe(want.hit);
        else expect(() => metric.score(input)).toThrow(OfficialScorerError);
      }
    }
  });
});
