/**
 * `pyJsonLoads` against Python 3.11.2's `json.loads`: test/fixtures/py-json-loads.json holds each
 * input with what Python returned (type-tagged) or the exception it raised, made by
 * scripts/make-json-loads-fixture.py.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { PyFloat, PyJsonDecodeError, pyJsonDumps, pyJsonLoads, pyFloatRepr, type PyJsonValue } from "../src/index.js";

type Tagged = null | boolean | { int: string } | { float: string } | { str: string } | Tagged[] | { dict: [string, Tagged][] };
const cases = JSON.parse(readFileSync(new URL("./fixtures/py-json-loads.json", import.meta.url), "utf8")) as (
  | { input: string; ok: Tagged }
  | { input: string; error: string }
)[];

function tag(v: PyJsonValue): Tagged {
  if (v === null || typeof v === "boolean") return v;
  if (typeof v === "number" || typeof v === "bigint") return { int: String(v) };
  if (v instanceof PyFloat) return { float: pyFloatRepr(v.value) };
  if (typeof v === "string") return { str: v };
  if (Array.isArray(v)) return (v as PyJsonValue[]).map(tag);
  if (v instanceof Map) return { dict: [...v].map(([k, x]) => [k, tag(x as PyJsonValue)] as [string, Tagged]) };
  throw new Error("unexpected value");
}

describe("pyJsonLoads", () => {
  it("returns what Python's json.loads returns, or fails where it raises", () => {
    expect(cases.length).toBeGreaterThanOrEqual(100);
    const wrong: unknown[] = [];
    for (const c of cases) {
      let got: { ok: Tagged } | { error: string };
      try {
        got = { ok: tag(pyJsonLoads(c.input)) };
      } catch (e) {
        if (!(e instanceof PyJsonDecodeError)) throw e;
        got = { error: e.pythonError };
      }
      const want = "ok" in c ? { ok: c.ok } : { error: c.error };
      if (JSON.stringify(got) !== JSON.stringify(want)) wrong.push({ input: c.input.slice(0, 40), got, want });
    }
    expect(wrong).toEqual([]);
  });

  it("raises RecursionError past Python's nesting depth (997 decodes, 998 does not)", () => {
    expect(() => pyJsonLoads("[".repeat(997) + "]".repeat(997))).not.toThrow();
    expect(() => pyJsonLoads("[".repeat(998) + "]".repeat(998))).toThrow(expect.objectContaining({ pythonError: "RecursionError" }));
  });

  it("keeps Python dict order where JSON.parse would move integer-like keys", () => {
    const value = pyJsonLoads('{"b": 1, "2": 2, "b": 3}');
    expect(value instanceof Map && [...value.keys()]).toEqual(["b", "2"]);
    expect(pyJsonDumps(value)).toBe('{"b": 3, "2": 2}');
  });

  it("round-trips dict order, ints and floats through pyJsonDumps", () => {
    const text = '{"b": 1, "2": 1.0, "a": [12345678901234567890, 2.5e-7]}';
    expect(pyJsonDumps(pyJsonLoads(text))).toBe('{"b": 1, "2": 1.0, "a": [12345678901234567890, 2.5e-07]}');
  });
});
