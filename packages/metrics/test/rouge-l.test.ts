/**
 * rouge 1.0.1 ROUGE-L as LongBench / LV-Eval wrap it (rougeL, rougeLZh*, rougeLOrRaise): worked examples,
 * the RecursionError frame arithmetic, and parity on test/fixtures/rouge.json (scripts/make-fixtures.py).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { maxReconFrames, OfficialScorerError, rougeL, rougeLZhBlacklist, rougeSentences } from "../src/index.js";

function fixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8")) as T;
}

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

describe("ROUGE-L equals rouge 1.0.1 (through LongBench/LV-Eval rouge_score)", () => {
  const fx = fixture<{
    callerFrames: number;
    recursionLimit: number;
    cases: { hypothesis: string; reference: string; rouge_l_f: number }[];
    deeper: { callerFrames: number; cases: { hypothesis: string; reference: string; rouge_l_f: number }[] };
  }>("rouge.json");
  it("bit for bit, including the RecursionError → 0 cases", () => {
    const opts = { callerFrames: fx.callerFrames, recursionLimit: fx.recursionLimit };
    for (const c of fx.cases) {
      expect([c.hypothesis.slice(0, 40), rougeL(c.hypothesis, c.reference, opts)]).toEqual([
        c.hypothesis.slice(0, 40),
        c.rouge_l_f,
      ]);
    }
  });
  it("moves the RecursionError threshold with the caller's stack depth", () => {
    const opts = { callerFrames: fx.deeper.callerFrames, recursionLimit: fx.recursionLimit };
    expect(fx.deeper.callerFrames).not.toBe(fx.callerFrames);
    for (const c of fx.deeper.cases) expect(rougeL(c.hypothesis, c.reference, opts)).toBe(c.rouge_l_f);
    expect(fx.deeper.cases.map((c) => c.rouge_l_f)).toContain(0);
  });
  it("covers both sides of the recursion threshold", () => {
    const long = fx.cases.filter((c) => c.hypothesis.startsWith("w0 w1") && c.hypothesis === c.reference);
    expect(long.some((c) => c.rouge_l_f > 0.99)).toBe(true);
    expect(long.some((c) => c.rouge_l_f === 0)).toBe(true);
  });
});
