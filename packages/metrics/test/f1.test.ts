/**
 * Token F1 (LongBench / LV-Eval metrics.py): worked examples, the LV-Eval keyword gate, and parity on
 * test/fixtures/f1.json (scripts/make-fixtures.py).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { keywordGatedF1, keywordGatedF1Zh, OfficialScorerError, qaF1, qaF1Zh, qaRecall, tokenF1 } from "../src/index.js";

function fixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8")) as T;
}

describe("token F1 and the keyword gate", () => {
  it("counts token bags", () => {
    expect(tokenF1(["a", "b", "b"], ["b", "b", "c"])).toBeCloseTo(2 / 3, 15);
    expect(tokenF1([], ["x"])).toBe(0);
    expect(qaF1("The Eiffel Tower!", "eiffel tower")).toBe(1);
  });
  it("gates on keyword recall, not counting blacklisted hits", () => {
    expect(keywordGatedF1("alpha", "alpha beta", "alpha b c d e")).toBeGreaterThan(0); // 1/5 = 0.2 passes
    expect(keywordGatedF1("alpha", "alpha beta", "alpha b c d e f")).toBe(0); // 1/6 < 0.2
    expect(keywordGatedF1("and of", "and of", "and of x y z")).toBe(0); // blacklisted: no hits
    expect(keywordGatedF1("x", "x", null)).toBe(1); // no keywords, no gate
    expect(keywordGatedF1Zh("北京", "北京", null)).toBe(1); // the answer is the keyword text
  });
  it("throws where the official code divides by zero", () => {
    expect(() => keywordGatedF1("a", "a", "the")).toThrow(OfficialScorerError);
    expect(() => keywordGatedF1Zh("a", "。", null)).toThrow(/ZeroDivisionError/);
    expect(() => qaRecall("a", "")).toThrow(OfficialScorerError);
  });
});

describe("token F1 equals metrics.py", () => {
  const { cases } = fixture<{
    cases: { prediction: string; ground_truth: string; qa_f1_score: number; qa_f1_zh_score: number }[];
  }>("f1.json");
  it("qa_f1_score and qa_f1_zh_score, bit for bit", () => {
    for (const c of cases) {
      expect(qaF1(c.prediction, c.ground_truth)).toBe(c.qa_f1_score);
      expect(qaF1Zh(c.prediction, c.ground_truth)).toBe(c.qa_f1_zh_score);
    }
  });
});
