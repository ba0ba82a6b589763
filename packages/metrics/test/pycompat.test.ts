/**
 * str.upper, str.isdigit, re's \d, int(str) and float(str) against Python 3.11 itself
 * (scripts/make-pycompat-fixture.py; PYCOMPAT_FIXTURE=path checks another --seed).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { PY_DIGIT_CLASS_SOURCE, isPyDecimal, isPyIsdigit, pyDecimalValue, pyFloatParse, pyFloatRepr, pyInt, pyUpper } from "../src/index.js";

const fx = JSON.parse(readFileSync(process.env.PYCOMPAT_FIXTURE ?? new URL("./fixtures/pycompat.json", import.meta.url), "utf8")) as {
  upper: [string, string][];
  isdigit: [string, boolean][];
  decimal: [string, boolean, number][];
  int: [string, string | null][];
  float: [string, string | null][];
};

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
