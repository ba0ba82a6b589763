/**
 * str.upper, str.isdigit, re's \d, int() and float() (of str and of json.loads values), `in` and
 * type names against Python 3.11 itself (scripts/make-pycompat-fixture.py; PYCOMPAT_FIXTURE=path
 * checks another --seed).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  PY_DIGIT_CLASS_SOURCE,
  PythonError,
  isPyDecimal,
  isPyIsdigit,
  pyContains,
  pyDecimalValue,
  pyDigitRuns,
  pyFloatFromString,
  pyFloatOf,
  pyFloatRepr,
  pyHashKey,
  pyIndex,
  pyInt,
  pyIntOf,
  pyIter,
  pyJsonLoads,
  pyTypeName,
  pyUpper,
  type PyJsonValue,
} from "../src/index.js";

const fx = JSON.parse(readFileSync(process.env.PYCOMPAT_FIXTURE ?? new URL("./fixtures/pycompat.json", import.meta.url), "utf8")) as {
  upper: [string, string][];
  isdigit: [string, boolean][];
  decimal: [string, boolean, number][];
  int: [string, string | null][];
  float: [string, string | null][];
  int_of: [string, string | null, string | null][];
  float_of: [string, string | null, string | null][];
};

/** What a call returned as Python's repr, or the class of what it raised. */
function outcome(f: () => bigint | number): [string | null, string | null] {
  try {
    const v = f();
    return [typeof v === "bigint" ? v.toString() : Number.isNaN(v) ? "nan" : v === Infinity ? "inf" : v === -Infinity ? "-inf" : pyFloatRepr(v), null];
  } catch (e) {
    if (!(e instanceof PythonError)) throw e;
    return [null, e.pythonError];
  }
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
  it("int(str), ValueError as Python raises it", () => {
    for (const [s, v] of fx.int) expect([s, outcome(() => pyInt(s))]).toEqual([s, v === null ? [null, "ValueError"] : [v, null]]);
    expect(outcome(() => pyInt("1".repeat(4300)))[1]).toBeNull();
    expect(outcome(() => pyInt("1".repeat(4301)))).toEqual([null, "ValueError"]);
  });
  it("float(str), ValueError as Python raises it", () => {
    expect(fx.float.length).toBeGreaterThan(250);
    for (const [s, v] of fx.float) expect([s, outcome(() => pyFloatFromString(s))]).toEqual([s, v === null ? [null, "ValueError"] : [v, null]]);
  });
  it("int(x) and float(x) of json.loads values", () => {
    for (const [t, v, error] of fx.int_of) expect([t, outcome(() => pyIntOf(pyJsonLoads(t)))]).toEqual([t, [v, error]]);
    for (const [t, v, error] of fx.float_of) expect([t, outcome(() => pyFloatOf(pyJsonLoads(t)))]).toEqual([t, [v, error]]);
  });
  it("re.findall(r'\\d+') matches Python's Unicode \\d, not Node's newer Unicode", () => {
    // Expected list printed by Debian 12's python3 (3.11.2, Unicode 14).
    const s = "Ответ: 12 и ١٢٣ или ５６, x७y 3.14 \u{11F50}\u{1E4F0} ²³ ½ 007";
    expect(pyDigitRuns(s)).toEqual(["12", "١٢٣", "５６", "७", "3", "14", "007"]);
    expect(pyDigitRuns("")).toEqual([]);
    expect(pyDigitRuns(s).map((run) => pyInt(run))).toEqual([12n, 123n, 56n, 7n, 3n, 14n, 7n]);
  });
  it("`in` and type names as Python answers them for dict, list and str", () => {
    expect(pyContains(pyJsonLoads('{"a": 1}'), "a")).toBe(true);
    expect(pyContains(pyJsonLoads('["a"]'), "a")).toBe(true);
    expect(pyContains("Relevance Accuracy", "Accuracy")).toBe(true);
    expect(() => pyContains(5, "a")).toThrow(/'int' is not iterable/);
    expect(() => pyContains(null, "a")).toThrow(/'NoneType' is not iterable/);
    expect(["4", "4.0", "true", "null", "[]", "{}", '"x"', "1" + "0".repeat(30)].map((t) => pyTypeName(pyJsonLoads(t)))).toEqual(["int", "float", "bool", "NoneType", "list", "dict", "str", "int"]);
    // Messages and results printed by Debian 12's python3.
    expect(() => pyContains("abc", 1)).toThrow("TypeError: 'in <string>' requires string as left operand, not int");
    expect(() => pyContains(pyJsonLoads('{"a": 1}'), [1])).toThrow("TypeError: unhashable type: 'list'");
    expect(pyContains(pyJsonLoads('{"1": 1}'), 1)).toBe(false);
    expect(pyContains(pyJsonLoads("[true, 1]"), pyJsonLoads("1.0"))).toBe(true);
  });
  it("hash keys: one key where Python's set() makes one element", () => {
    // len(set(json.loads('[1, 1.0, true, "1", 1.5, null, -0.0, 0]'))) is 5 in Python 3.11.
    const keys = new Set((pyJsonLoads('[1, 1.0, true, "1", 1.5, null, -0.0, 0]') as PyJsonValue[]).map(pyHashKey));
    expect(keys.size).toBe(5);
    expect(() => pyHashKey(pyJsonLoads("[1]"))).toThrow("TypeError: unhashable type: 'list'");
    expect(() => pyHashKey(pyJsonLoads("{}"))).toThrow("TypeError: unhashable type: 'dict'");
  });
  it("iteration and indexing as Python does them", () => {
    expect(pyIter(pyJsonLoads('{"b": 1, "a": 2}'))).toEqual(["b", "a"]);
    expect(pyIter("añ😀")).toEqual(["a", "ñ", "😀"]);
    expect(() => pyIter(5)).toThrow("TypeError: 'int' object is not iterable");
    expect(() => pyIndex([1], 5)).toThrow("IndexError: list index out of range");
    expect(pyIndex("ab", -1)).toBe("b");
    expect(() => pyIndex(pyJsonLoads('{"a": 1}'), 0)).toThrow("KeyError: 0");
    expect(() => pyIndex(5, 0)).toThrow("TypeError: 'int' object is not subscriptable");
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
