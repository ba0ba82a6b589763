import { describe, expect, it } from "vitest";
import {
  OfficialScorerError,
  accuracy,
  cutZh,
  exactMatch,
  exactMatchAny,
  keywordGatedF1,
  keywordGatedF1Zh,
  maxReconFrames,
  numpyRound,
  pythonRound,
  qaF1,
  qaRecall,
  rougeL,
  rougeLZhBlacklist,
  rougeSentences,
  tokenF1,
} from "../src/index.js";

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

describe("ROUGE-L (rouge 1.0.1)", () => {
  it("splits sentences on '.' and keeps whitespace-only ones as an empty word", () => {
    expect(rougeSentences("a b. . c..")).toEqual(["a b", "", "c"]);
    expect(rougeSentences("")).toEqual([]);
  });
  it("scores identical texts 1 - 5e-9, empty sides 0", () => {
    expect(rougeL("a b c", "a b c")).toBe(0.999999995);
    expect(rougeL("", "a")).toBe(0);
    expect(rougeL("...", "a")).toBe(0);
    expect(rougeL(" ", " ")).toBe(0.999999995);
  });
  it("raises RecursionError (score 0) past the recursion limit, configurable", () => {
    expect(maxReconFrames()).toBe(990);
    const seq = (n: number) => Array.from({ length: n }, (_, i) => `w${i}`).join(" ");
    expect(rougeL(seq(989), seq(989))).toBe(0.999999995);
    expect(rougeL(seq(990), seq(990))).toBe(0);
    expect(rougeL(seq(990), seq(990), { recursionLimit: Infinity })).toBe(0.999999995);
    expect(rougeL(seq(988), seq(988), { callerFrames: 7 })).toBe(0);
  });
  it("stays fast on 128k-word inputs", () => {
    const long = Array.from({ length: 128_000 }, (_, i) => `w${i % 700}`).join(" ");
    const t0 = performance.now();
    // The walk from the end meets w3, w2, w1 within the last 700 words: under 990 steps.
    expect(rougeL(long, "w1 w2 w3")).toBeGreaterThan(0);
    expect(rougeL(long, long)).toBe(0); // at least 128k steps: RecursionError
    rougeL(long, Array.from({ length: 500 }, (_, i) => `w${i}`).join(" "));
    expect(performance.now() - t0).toBeLessThan(10_000);
  });
  it("dureader blacklist variant cuts twice and drops blacklisted tokens", () => {
    expect(rougeLZhBlacklist("清华大学的学生", "清华大学学生")).toBe(0.999999995);
  });
});

describe("jieba", () => {
  it("keeps Python's block rules", () => {
    expect(cutZh("GPT-4的API")).toEqual(["GPT", "-", "4", "的", "API"]);
    expect(cutZh("𠀀𠀁生僻字")).toEqual(["𠀀", "𠀁", "生僻字"]);
    expect(cutZh("a\r\nb")).toEqual(["a", "\r\n", "b"]);
    expect(cutZh("")).toEqual([]);
  });
});

describe("exact match, accuracy, rounding", () => {
  it("exact match", () => {
    expect(exactMatch("The Answer.", "answer")).toBe(1);
    expect(exactMatch("The Answer.", "answer", "none")).toBe(0);
    expect(exactMatch("北京。", "北京", "zh")).toBe(1);
    expect(exactMatchAny("b", ["a", "b"])).toBe(1);
    expect(exactMatchAny("b", [])).toBe(0);
  });
  it("accuracy", () => {
    expect(accuracy(["a", "b", "c"], ["a", "x", "c"])).toBeCloseTo(2 / 3, 15);
    expect(() => accuracy([1], [1, 2])).toThrow(RangeError);
  });
  it("python round vs numpy round", () => {
    expect(pythonRound(2.675, 2)).toBe(2.67);
    expect(numpyRound(2.675, 2)).toBe(2.68);
    expect(pythonRound(0.125, 2)).toBe(0.12);
    expect(pythonRound(2.5)).toBe(2);
    expect(numpyRound(0.285, 2)).toBe(0.28);
    expect(pythonRound(1234.5, -1)).toBe(1230);
  });
});

// Expected values from rouge 1.0.1 (pltrdy/rouge @ 1.0.1) under Debian 12's python3.
describe("rougeLOrRaise (rouge 1.0.1 without a try/except around it)", () => {
  it("scores like rougeL and raises where get_scores raises", async () => {
    const { rougeLOrRaise, OfficialScorerError } = await import("../src/index.js");
    expect(rougeLOrRaise("the cat sat . on mat", "the cat . sat on the mat")).toBe(0.7999999950000002);
    expect(rougeLOrRaise("   ", "a")).toBe(0);
    for (const [h, r] of [["...", "a"], ["a", ""], ["", "a"]] as const) {
      expect(() => rougeLOrRaise(h, r)).toThrow(OfficialScorerError);
      try {
        rougeLOrRaise(h, r);
      } catch (e) {
        expect((e as InstanceType<typeof OfficialScorerError>).pythonError).toBe("ValueError");
        expect((e as Error).message).toMatch(h.length === 0 || h === "..." ? /Hypothesis is empty/ : /Reference is empty/);
      }
    }
  });
});
