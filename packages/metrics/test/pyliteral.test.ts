/** pyLiteralEval against Python 3.11 eval() on literal-only texts (fixtures/pyliteral.json). */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { PyEvalError, pyFloatRepr, pyLiteralEval, pyValueRepr } from "../src/index.js";

const { cases } = JSON.parse(readFileSync(new URL("./fixtures/pyliteral.json", import.meta.url), "utf8")) as {
  cases: { text: string; type?: string; repr?: string; error?: string }[];
};

describe("pyLiteralEval equals eval() on literals", () => {
  it(`values and errors (${cases.length} texts)`, () => {
    const bad: unknown[] = [];
    for (const c of cases) {
      let got: string;
      try {
        const v = pyLiteralEval(c.text);
        got = v.kind === "set" ? "set" : pyValueRepr(v, pyFloatRepr);
      } catch (e) {
        if (!(e instanceof PyEvalError)) throw e;
        // Text with names: Python reports SyntaxError (it parses first) or NameError; we refuse
        // such text as "Unsupported" without evaluating. Either way eval raised.
        got = e.pythonError === "Unsupported" ? "error" : e.pythonError;
      }
      const want = c.error ?? (c.type === "set" ? "set" : c.repr);
      const same = got === want || (got === "error" && (want === "NameError" || want === "SyntaxError"));
      if (!same) bad.push({ text: c.text, got, want });
    }
    expect(bad).toEqual([]);
  });
});
