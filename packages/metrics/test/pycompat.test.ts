/**
 * str.upper, str.isdigit, re's \d, int(str) and json.loads against Python 3.11 itself
 * (scripts/make-pycompat-fixture.py; PYCOMPAT_FIXTURE=path checks another --seed).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { PY_DIGIT_CLASS_SOURCE, PyFloat, PyJsonDecodeError, isPyDecimal, isPyIsdigit, pyDecimalValue, pyFloatParse, pyFloatRepr, pyInt, pyJsonLoads, pyUpper, type PyJsonValue } from "../src/index.js";

type Described = string | boolean | null | { int: string } | { float: string } | { dict: Record<string, Described> } | Described[];
const fx = JSON.parse(readFileSync(process.env.PYCOMPAT_FIXTURE ?? new URL("./fixtures/pycompat.json", import.meta.url), "utf8")) as {
  upper: [string, string][];
  isdigit: [string, boolean][];
  decimal: [string, boolean, number][];
  int: [string, string | null][];
  float: [string, string | null][];
  json: [string, Described][];
};

function describeLoaded(v: PyJsonValue): Described {
  if (v === null || typeof v === "boolean" || typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "bigint") return { int: String(BigInt(v)) };
  if (v instanceof PyFloat) return { float: Number.isNaN(v.value) ? "nan" : pyFloatRepr(v.value) };
  if (Array.isArray(v)) return (v as PyJsonValue[]).map(describeLoaded);
  if (v instanceof Map) return { dict: Object.fromEntries([...v].map(([k, x]) => [k, describeLoaded(x as PyJsonValue)])) };
  throw new Error("pyJsonLoads returned something json.loads cannot");
}

describe("Python string and number semantics", () => {
  it("str.upper() for every cased code point and random strings", () => {
    expect(fx.upper.length).toBeGreaterThan(1000);
    for (const [s, up] of fx.upper) expect([s, pyUpper(s)]).toEqual([s, up]);
  });
  it("str.isdigit()", () => {
    for (const [s, d] of fx.isdigit) expect([s, isPyIsdigit(s)]).toEqual([s, d]);
  });
  it("re \\d and the digit values int() reads", () => {
    const re = new RegExp(`^${PY_DIGIT_CLASS_SOURCE}`, "u");
    for (const [s, d, value] of fx.decimal) {
      expect([s, isPyDecimal(s), re.test(s), pyDecimalValue(s)]).toEqual([s, d, d, value]);
    }
  });
  it("int(str)", () => {
    for (const [s, v] of fx.int) expect([s, pyInt(s)?.toString() ?? null]).toEqual([s, v]);
  });
  it("float(str)", () => {
    for (const [s, v] of fx.float) {
      const got = pyFloatParse(s);
      expect([s, got === null ? null : Number.isNaN(got) ? "nan" : got === Infinity ? "inf" : got === -Infinity ? "-inf" : pyFloatRepr(got)]).toEqual([s, v]);
    }
  });
  it("json.loads keeps int and float apart", () => {
    for (const [s, v] of fx.json) expect([s, describeLoaded(pyJsonLoads(s))]).toEqual([s, v]);
    for (const bad of ["", "[1,", "{'a': 1}", "01", "1.", "[1] x", '"\\x"', '"a\nb"']) {
      expect(() => pyJsonLoads(bad), bad).toThrow(PyJsonDecodeError);
    }
  });
});

describe("Python re classes", () => {
  it("\\s and \\S are str.isspace() and its complement", async () => {
    const { PY_SPACE_CLASS_SOURCE, PY_NON_SPACE_CLASS_SOURCE, isPyWhitespace } = await import("../src/index.js");
    const space = new RegExp(`^${PY_SPACE_CLASS_SOURCE}$`, "u");
    const nonSpace = new RegExp(`^${PY_NON_SPACE_CLASS_SOURCE}$`, "u");
    for (const ch of [" ", "\t", "\x1c", "\x85", "\u00a0", "\u2028", "\u3000", "a", "\u200b", "\ufeff", "\u{1f600}"]) {
      expect([ch, space.test(ch), nonSpace.test(ch)]).toEqual([ch, isPyWhitespace(ch), !isPyWhitespace(ch)]);
    }
  });
});
