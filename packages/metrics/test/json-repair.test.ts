/**
 * `jsonRepairLoads` against json_repair 0.25.2 run by Python 3.11: test/fixtures/json-repair.json
 * holds each input with what `json_repair.loads` returned (type-tagged as in py-json-loads.json) or
 * the exception class it raised, made by scripts/make-json-repair-fixture.py (hand-written LLM-style
 * breakage plus seeded random corruptions of Counting-Stars answers).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { JSON_REPAIR_VERSION, PyFloat, PythonError, isPyAlpha, jsonRepairLoads, pyFloatRepr, type PyJsonValue } from "../src/index.js";

type Tagged = null | boolean | { int: string } | { float: string } | { str: string } | Tagged[] | { dict: [string, Tagged][] };
type Case = { input: string; ok: Tagged } | { input: string; error: string };

function tag(v: PyJsonValue): Tagged {
  if (v === null || typeof v === "boolean") return v;
  if (typeof v === "number" || typeof v === "bigint") return { int: String(v) };
  if (v instanceof PyFloat) return { float: pyFloatRepr(v.value) };
  if (typeof v === "string") return { str: v };
  if (Array.isArray(v)) return (v as PyJsonValue[]).map(tag);
  if (v instanceof Map) return { dict: [...v].map(([k, x]) => [k, tag(x as PyJsonValue)] as [string, Tagged]) };
  throw new Error("unexpected value");
}

/** The cases of a fixture file whose results differ from the port's (empty when all agree). */
function mismatches(cases: readonly Case[]): unknown[] {
  const wrong: unknown[] = [];
  for (const c of cases) {
    let got: { ok: Tagged } | { error: string };
    try {
      got = { ok: tag(jsonRepairLoads(c.input)) };
    } catch (e) {
      if (!(e instanceof PythonError)) throw e;
      got = { error: e.pythonError };
    }
    const want = "ok" in c ? { ok: c.ok } : { error: c.error };
    if (JSON.stringify(got) !== JSON.stringify(want)) wrong.push({ input: c.input, got, want });
  }
  return wrong;
}

describe("jsonRepairLoads (json_repair 0.25.2)", () => {
  const fixture = JSON.parse(readFileSync(new URL("./fixtures/json-repair.json", import.meta.url), "utf8")) as { cases: Case[] };

  it("returns what json_repair.loads returns, or raises where it raises", () => {
    expect(JSON_REPAIR_VERSION).toBe("0.25.2");
    expect(fixture.cases.length).toBeGreaterThanOrEqual(600);
    expect(mismatches(fixture.cases)).toEqual([]);
  });

  it("valid JSON goes through json.loads unchanged; LLM-style answers are repaired", () => {
    expect(jsonRepairLoads('{"a": [1, 2.0]}')).toEqual(new Map([["a", [1, new PyFloat(2)]]]));
    expect(jsonRepairLoads('Answer: {"little_penguin": [3, 5, 8,]} Done.')).toEqual(new Map([["little_penguin", [3, 5, 8]]]));
    expect(jsonRepairLoads("{'a': [1, 2")).toEqual(new Map([["a", [1, 2]]]));
    expect(jsonRepairLoads('{"a": 1} {"b": 2}')).toEqual([new Map([["a", 1]]), new Map([["b", 2]])]);
    expect(jsonRepairLoads("no json here")).toBe("");
  });

  it("str.isalpha: Unicode letters (CJK included), not digits, marks or punctuation", () => {
    expect(["a", "É", "企", "ß"].every(isPyAlpha)).toBe(true);
    expect(["1", "_", "，", "\u0301", " "].some(isPyAlpha)).toBe(false);
  });
});
