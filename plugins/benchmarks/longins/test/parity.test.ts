/**
 * Per-response parity with LongIns's eval.py: test/fixtures/parity.json holds each response, its
 * error list, and the F1 eval.py wrote to f1.json for it alone (or the exception it raised), made by
 * scripts/make-parity-fixture.py (run it with another --seed to check unseen responses).
 */
import { describe, expect, it } from "vitest";
import { pyJsonLoads, type PyJsonValue } from "@loomscope/metrics";
import type { JsonValue } from "@loomscope/spec";
import { longinsF1, longinsScore, predictedIndices, pySetOf, setF1 } from "../src/index.js";
import { readFileSync } from "node:fs";
import { fixture, fixturePath } from "./helpers.js";

interface Case {
  mode: string;
  length: string;
  response: unknown;
  error: unknown;
  expected: { f1: number } | { error: string };
}
const { cases } = fixture<{ cases: Case[] }>("parity.json");
// The error lists as Python's json reads them (1 vs 1.0, exact big ints), in case order.
const pyErrors = ((pyJsonLoads(readFileSync(fixturePath("parity.json"), "utf8")) as Map<string, PyJsonValue>).get("cases") as Map<string, PyJsonValue>[]).map(
  (c) => c.get("error") as PyJsonValue,
);

/** The official path: the response must be a string, the error list goes through Python's set(). */
function officialF1(c: Case, i: number): number {
  if (typeof c.response !== "string") throw new TypeError("expected string or bytes-like object");
  return setF1(predictedIndices(c.response), pySetOf(pyErrors[i]));
}

describe("LongIns eval.py parity", () => {
  it("has 100+ cases over every parsing path", () => {
    expect(cases.length).toBeGreaterThanOrEqual(100);
    expect(cases.filter((c) => "error" in c.expected).length).toBeGreaterThanOrEqual(4);
    expect(new Set(cases.map((c) => ("f1" in c.expected ? c.expected.f1 : -1))).size).toBeGreaterThan(10);
  });

  it("gives eval.py's F1 for every response, to the last bit, and fails where it raises", () => {
    const wrong: unknown[] = [];
    for (const [i, c] of cases.entries()) {
      let got: { f1: number } | { error: string };
      try {
        got = { f1: officialF1(c, i) };
      } catch (e) {
        got = { error: (e as Error).name === "UnhashableError" || e instanceof TypeError ? "TypeError" : String(e) };
      }
      if ("f1" in c.expected && "f1" in got ? !Object.is(got.f1, c.expected.f1) : JSON.stringify(got) !== JSON.stringify(c.expected)) {
        wrong.push({ response: String(c.response).slice(0, 60), error: c.error, got, want: c.expected });
      }
    }
    expect(wrong).toEqual([]);
  });

  it("gives the same values through the metric object", () => {
    let n = 0;
    for (const c of cases) {
      if (!("f1" in c.expected) || typeof c.response !== "string" || !Array.isArray(c.error)) continue;
      if (c.error.some((e) => typeof e === "number" && !Number.isSafeInteger(e) && Number.isInteger(e))) continue;
      const v = longinsF1.score({ prediction: c.response, references: [], scoring: { error: c.error as JsonValue[] }, task: c.mode, length: c.length, protocol: "official" });
      expect(v).toBe(c.expected.f1);
      n++;
    }
    expect(n).toBeGreaterThan(100);
  });

  it("reads numbers as Python does: Unicode digits by value, \\r inside brackets, not across \\n", () => {
    expect([...predictedIndices("[１２, ٣]")]).toEqual(["12", "3"]);
    expect([...predictedIndices("[1, 3\r, 5]")].sort()).toEqual(["1", "3", "5"]);
    expect([...predictedIndices("[1, 3\n, 5]")]).toEqual([]);
    expect([...predictedIndices("[03, 007, 3]")]).toEqual(["3", "7"]);
    expect(longinsScore("[123456789012345678901234567891]", [123456789012345678901234567890n])).toBe(0);
    expect(longinsScore("[3]", [3.0, true])).toBe(2 / 3);
  });
});
