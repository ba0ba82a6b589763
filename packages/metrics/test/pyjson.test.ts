/**
 * float() parity: test/fixtures/pyjson.json holds what Debian 12's python3 (3.11.2)
 * returned for each text (scripts/make-pyjson-fixture.py).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { PythonError, pyContains, pyFloatOf, pyFloatRepr, pyJsonLoads } from "../src/index.js";

interface FloatCase {
  text: string;
  repr?: string;
  error?: string;
}
const fixture = JSON.parse(readFileSync(new URL("./fixtures/pyjson.json", import.meta.url), "utf8")) as {
  float: FloatCase[];
};

describe("pyFloatOf", () => {
  it("converts strings as float() does, Unicode digits and underscores included", () => {
    const wrong: unknown[] = [];
    for (const c of fixture.float) {
      try {
        const got = pyFloatRepr(pyFloatOf(c.text));
        if (got !== c.repr) wrong.push({ text: c.text, expected: c.repr ?? c.error, got });
      } catch (e) {
        if (!(e instanceof PythonError) || e.pythonError !== c.error) wrong.push({ text: c.text, expected: c.repr, got: String(e) });
      }
    }
    expect(wrong).toEqual([]);
  });

  it("raises Python's errors for values float() refuses", () => {
    expect(pyFloatOf(true)).toBe(1);
    expect(pyFloatOf(pyJsonLoads("4.0"))).toBe(4);
    expect(() => pyFloatOf(null)).toThrow(/not 'NoneType'/);
    expect(() => pyFloatOf([4])).toThrow(/not 'list'/);
    expect(() => pyFloatOf(pyJsonLoads("1" + "0".repeat(400)))).toThrow(/too large/);
  });

  it("answers `in` as Python does for dict, list and str, and refuses numbers", () => {
    expect(pyContains(pyJsonLoads('{"a": 1}'), "a")).toBe(true);
    expect(pyContains(pyJsonLoads('["a"]'), "a")).toBe(true);
    expect(pyContains("Relevance Accuracy", "Accuracy")).toBe(true);
    expect(() => pyContains(5, "a")).toThrow(/'int' is not iterable/);
    expect(() => pyContains(null, "a")).toThrow(/'NoneType' is not iterable/);
  });
});
