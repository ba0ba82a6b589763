/**
 * fuzzywuzzy `fuzz.ratio` on its difflib path (what LongBench's code_sim_score runs), against
 * Debian 12's fuzzywuzzy 0.18.0 and Python 3.11's difflib (scripts/make-fuzz-fixture.py).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { SequenceMatcher, fuzzRatio } from "../src/index.js";

interface FuzzCase {
  s1: string;
  s2: string;
  blocks: [number, number, number][];
  ratio: number;
  popular: number;
  fuzz: number;
}
const { cases } = JSON.parse(readFileSync(new URL("./fixtures/fuzz.json", import.meta.url), "utf8")) as { cases: FuzzCase[] };

describe("difflib.SequenceMatcher(None, a, b)", () => {
  it(`covers the autojunk heuristic (${cases.filter((c) => c.popular > 0).length} of ${cases.length} cases drop popular elements)`, () => {
    expect(cases.length).toBeGreaterThanOrEqual(500);
    expect(cases.filter((c) => c.popular > 0).length).toBeGreaterThanOrEqual(30);
  });
  it("finds the same matching blocks and ratio as Python", () => {
    const bad = cases.filter((c) => {
      const m = new SequenceMatcher(c.s1, c.s2);
      const blocks = m.matchingBlocks().map((b) => [b.a, b.b, b.size]);
      return JSON.stringify(blocks) !== JSON.stringify(c.blocks) || m.ratio() !== c.ratio || m.popular.size !== c.popular;
    });
    expect(bad.map((c) => [c.s1, c.s2])).toEqual([]);
  });
  it("counts code points, not UTF-16 units", () => {
    expect(new SequenceMatcher("😀x", "😀y").ratio()).toBe(0.5);
  });
  it("drops elements of b that occur more than len(b)//100+1 times once len(b) >= 200", () => {
    const b = "a".repeat(4) + "b".repeat(196); // ntest = 200 // 100 + 1 = 3
    expect(new SequenceMatcher("x", b).popular).toEqual(new Set(["a".codePointAt(0), "b".codePointAt(0)]));
    expect(new SequenceMatcher("x", "a".repeat(3) + "b".repeat(197)).popular).toEqual(new Set(["b".codePointAt(0)]));
    expect(new SequenceMatcher("x", b.slice(1)).popular.size).toBe(0);
    // a popular element is only matched by extending a match found through other elements
    expect(new SequenceMatcher("b".repeat(10), b).ratio()).toBe(0);
  });
});

describe("fuzz.ratio", () => {
  it("equals fuzzywuzzy for every case", () => {
    const bad = cases.filter((c) => fuzzRatio(c.s1, c.s2) !== c.fuzz);
    expect(bad.map((c) => ({ s1: c.s1, s2: c.s2, want: c.fuzz, got: fuzzRatio(c.s1, c.s2) }))).toEqual([]);
  });
  it("reproduces the fuzzywuzzy README examples and its decorators", () => {
    expect(fuzzRatio("this is a test", "this is a test!")).toBe(97);
    expect(fuzzRatio("fuzzy wuzzy was a bear", "wuzzy fuzzy was a bear")).toBe(91);
    expect(fuzzRatio("", "")).toBe(100); // check_for_equivalence runs before check_empty_string
    expect(fuzzRatio("a", "")).toBe(0);
    expect(fuzzRatio(null, "a")).toBe(0);
  });
  it("rounds half to even like Python's round", () => {
    expect(fuzzRatio("a", "abcdefghijklmno")).toBe(12); // 100 * 2*1/16 = 12.5 -> 12
    expect(fuzzRatio("abc", "abcdefghijklm")).toBe(38); // 100 * 2*3/16 = 37.5 -> 38
    expect(fuzzRatio("ab", "axyzbqrst")).toBe(36); // 100 * 2*2/11 = 36.36
  });
});
