/**
 * Python round() and numpy np.round(): worked examples and parity on test/fixtures/rounding.json
 * (scripts/make-fixtures.py).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { numpyRound, officialPercent, pythonRound } from "../src/index.js";

function fixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8")) as T;
}

describe("Python round vs numpy round: worked examples", () => {
  it("python round vs numpy round", () => {
    expect(pythonRound(2.675, 2)).toBe(2.67);
    expect(numpyRound(2.675, 2)).toBe(2.68);
    expect(pythonRound(0.125, 2)).toBe(0.12);
    expect(pythonRound(2.5)).toBe(2);
    expect(numpyRound(0.285, 2)).toBe(0.28);
    expect(pythonRound(1234.5, -1)).toBe(1230);
  });
});

describe("rounding equals Python round() and numpy np.round()", () => {
  type N = number | string;
  const { cases } = fixture<{
    cases: { x: number; round2: number; round0: number; round1: number; round3: number; roundm1: number; np2: N; np1: N; np0: N }[];
  }>("rounding.json");
  const num = (v: N): number => (typeof v === "number" ? v : Number(v.replace("inf", "Infinity")));
  it("python round", () => {
    for (const c of cases) {
      expect([c.x, pythonRound(c.x, 2)]).toEqual([c.x, c.round2]);
      expect([c.x, pythonRound(c.x, 0)]).toEqual([c.x, c.round0]);
      expect([c.x, pythonRound(c.x, 1)]).toEqual([c.x, c.round1]);
      expect([c.x, pythonRound(c.x, 3)]).toEqual([c.x, c.round3]);
      expect([c.x, pythonRound(c.x, -1)]).toEqual([c.x, c.roundm1]);
    }
  });
  it("numpy round", () => {
    for (const c of cases) {
      expect([c.x, numpyRound(c.x, 2)]).toEqual([c.x, num(c.np2)]);
      expect([c.x, numpyRound(c.x, 1)]).toEqual([c.x, num(c.np1)]);
      expect([c.x, numpyRound(c.x, 0)]).toEqual([c.x, num(c.np0)]);
    }
  });
});

describe("officialPercent: round(100 * sum(values) / len(values), digits)", () => {
  it("sums in order, rounds as Python, raises ZeroDivisionError on an empty list", () => {
    expect(officialPercent([1, 0, 0])).toBe(33.33);
    expect(officialPercent([1, 0, 0], 5)).toBe(33.33333);
    expect(officialPercent([0.5, 0.125, 1], 1)).toBe(54.2);
    expect(() => officialPercent([])).toThrow(expect.objectContaining({ pythonError: "ZeroDivisionError" }));
  });
});
