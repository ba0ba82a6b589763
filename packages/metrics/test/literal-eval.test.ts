/**
 * The one Python literal parser, in both modes:
 * - ast.literal_eval: test/fixtures/literal_eval.json holds 600+ inputs (every literal form,
 *   escapes, number syntax, containers and hashing, non-literal expressions, syntax and indentation
 *   errors, model-like answers, and seeded random ones) with what Python 3.11's ast.literal_eval
 *   returned (the value in a typed JSON form) or raised (the exception class). Made by
 *   scripts/make-literal-eval-fixture.py.
 * - eval() (LooGLE's cloze scorer): test/fixtures/pyliteral.json holds 248 cloze-style outputs with
 *   what Python 3.11's eval() (no builtins) returned or raised (scripts/make-pyliteral-fixture.py).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PythonError, UnsupportedLiteralError, fromJson, literalEval, pyDictGet, pyEquals, pyRepr, pyStr, pyStrOf, pyValueToJson, type PyValue } from "../src/index.js";

interface Case {
  input: string;
  value?: unknown;
  repr?: string;
  error?: string;
}
const fixture = JSON.parse(readFileSync(join(__dirname, "fixtures", "literal_eval.json"), "utf8")) as { python: string; cases: Case[] };

function canon(v: PyValue): unknown {
  switch (v.kind) {
    case "bool": return { bool: v.value };
    case "none": return { none: null };
    case "ellipsis": return { ellipsis: null };
    case "int": return { int: v.value.toString() };
    case "float": return { float: pyRepr(v) };
    case "complex": return { complex: [pyRepr({ kind: "float", value: v.re }), pyRepr({ kind: "float", value: v.im })] };
    case "str": return { str: v.cps };
    case "bytes": return { bytes: v.bytes };
    case "tuple": return { tuple: v.items.map(canon) };
    case "list": return { list: v.items.map(canon) };
    case "set": return { set: v.items.map((x) => JSON.stringify(sortKeys(canon(x)))).sort() };
    case "dict": return { dict: v.entries.map(([k, x]) => [canon(k), canon(x)]) };
  }
}
/** json.dumps(sort_keys=True) spacing: ", " and ": ". */
function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === "object") return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
  return v;
}
const pyJson = (v: unknown): string => JSON.stringify(v).replace(/,/g, ", ").replace(/":/g, '": ');

describe("ast.literal_eval port", () => {
  it("was made with Python 3.11 and has 600+ cases of both outcomes", () => {
    expect(fixture.python.startsWith("3.11")).toBe(true);
    expect(fixture.cases.length).toBeGreaterThanOrEqual(600);
    expect(fixture.cases.filter((c) => c.error).length).toBeGreaterThan(150);
    expect(fixture.cases.filter((c) => !c.error).length).toBeGreaterThan(150);
  });

  it("returns the same value or raises the same exception class on every case", () => {
    const wrong: unknown[] = [];
    for (const c of fixture.cases) {
      let got: { value?: unknown; error?: string };
      try {
        const v = literalEval(c.input);
        got = { value: canon(v) };
        if (c.repr !== undefined && !JSON.stringify(c.value).includes('"set"') && pyRepr(v) !== c.repr) {
          wrong.push({ input: c.input, repr: c.repr, got: pyRepr(v) });
        }
      } catch (e) {
        if (!(e instanceof PythonError)) throw e;
        got = { error: e.pythonError };
      }
      const expected = c.error !== undefined ? { error: c.error } : { value: c.value };
      // Python's sorted json strings for sets: compare with the same spacing.
      const norm = (x: unknown): string => JSON.stringify(x, (_k, val) => (Array.isArray(val) && val.every((s) => typeof s === "string" && s.startsWith("{")) ? val.map((s: string) => pyJson(JSON.parse(s))).sort() : val));
      if (norm(got) !== norm(expected)) wrong.push({ input: c.input, expected, got });
    }
    expect(wrong).toEqual([]);
  });

  it("refuses \\N{...} escapes rather than guess", () => {
    expect(() => literalEval("'\\N{BULLET}'")).toThrow(UnsupportedLiteralError);
    expect(() => literalEval("'\\N{'")).toThrow(PythonError);
  });

  it("compares and prints values as Python does", () => {
    expect(pyEquals(literalEval("1"), literalEval("1.0"))).toBe(true);
    expect(pyEquals(literalEval("True"), literalEval("1+0j"))).toBe(true);
    expect(pyEquals(literalEval("'a'"), pyStr("a"))).toBe(true);
    expect(pyEquals(literalEval("(1, 'a')"), literalEval("(1.0, 'a')"))).toBe(true);
    expect(pyEquals(literalEval("[1]"), literalEval("(1,)"))).toBe(false);
    expect(pyStrOf(fromJson(["a", 1, null, true, { k: 2.5 }]))).toBe("['a', 1, None, True, {'k': 2.5}]");
    expect(pyStrOf(pyStr("it's"))).toBe("it's");
    expect(pyRepr(pyStr("it's"))).toBe('"it\'s"');
    // Python 3.11 (Unicode 14): U+11F50 (Kawi, Unicode 15) is unassigned, so repr escapes it; Node's ICU knows it.
    expect(pyRepr(pyStr("é\u{11F50}\u00a0\u200b😀"))).toBe("'é\\U00011f50\\xa0\\u200b😀'");
  });
  it("reads dict values and converts values to JSON", () => {
    const d = literalEval("{'a': 1, 1: 'one', True: 'yes', ('t',): [1.5, None]}");
    if (d.kind !== "dict") throw new Error("not a dict");
    expect(pyDictGet(d, "a")).toEqual({ kind: "int", value: 1n });
    expect(pyStrOf(pyDictGet(d, literalEval("1.0")) as PyValue)).toBe("yes");
    expect(pyDictGet(d, "b")).toBeUndefined();
    expect(pyValueToJson(literalEval("[{'k': (1, 2.5, 'x')}, None, True]"))).toEqual([{ k: [1, 2.5, "x"] }, null, true]);
    expect(() => pyValueToJson(d)).toThrow(/key/);
  });
});

const evalCases = (JSON.parse(readFileSync(join(__dirname, "fixtures", "pyliteral.json"), "utf8")) as { cases: { text: string; type?: string; repr?: string; error?: string }[] }).cases;

describe('literalEval(text, { mode: "eval" }) = eval() of literals', () => {
  it(`values and errors (${evalCases.length} texts)`, () => {
    expect(evalCases.length).toBeGreaterThanOrEqual(240);
    const bad: unknown[] = [];
    for (const c of evalCases) {
      let got: string;
      try {
        const v = literalEval(c.text, { mode: "eval" });
        got = v.kind === "set" ? "set" : pyRepr(v);
      } catch (e) {
        if (e instanceof UnsupportedLiteralError) got = "needs code";
        else if (e instanceof PythonError) got = e.pythonError;
        else throw e;
      }
      const want = c.error ?? (c.type === "set" ? "set" : c.repr);
      // The fixture ran eval() without builtins, so text that needs code raised NameError there;
      // we refuse it without running anything.
      if (got !== want && !(got === "needs code" && want === "NameError")) bad.push({ text: c.text, got, want });
    }
    expect(bad).toEqual([]);
  });

  it("computes what eval() computes on literals and refuses what would run code", () => {
    expect(pyRepr(literalEval("--1", { mode: "eval" }))).toBe("1");
    expect(() => literalEval("--1")).toThrow(PythonError);
    expect(pyRepr(literalEval("f'a{{b}}'", { mode: "eval" }))).toBe("'a{b}'");
    expect(() => literalEval("f'{x}'", { mode: "eval" })).toThrow(UnsupportedLiteralError);
    expect(() => literalEval("1 + 2", { mode: "eval" })).toThrow(UnsupportedLiteralError);
    expect(() => literalEval("{**a}", { mode: "eval" })).toThrow(UnsupportedLiteralError);
    expect(() => literalEval("-'a'", { mode: "eval" })).toThrow(expect.objectContaining({ pythonError: "TypeError" }));
  });
});
