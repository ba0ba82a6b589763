/**
 * normalize_answer / normalize_zh_answer and Python's str.lower / str.split, against LV-Eval's metrics.py
 * (test/fixtures/normalize.json, scripts/make-fixtures.py).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { normalizeAnswer, normalizeZhAnswer, pyLower, pySplit } from "../src/index.js";

function fixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8")) as T;
}

describe("normalisation equals metrics.py with Python 3 string semantics", () => {
  const { cases } = fixture<{ cases: { text: string; en: string; zh: string; split: string[]; lower: string }[] }>(
    "normalize.json",
  );
  it("normalize_answer", () => {
    for (const c of cases) expect([c.text, normalizeAnswer(c.text)]).toEqual([c.text, c.en]);
  });
  it("normalize_zh_answer", () => {
    for (const c of cases) expect([c.text, normalizeZhAnswer(c.text)]).toEqual([c.text, c.zh]);
  });
  it("str.split() and str.lower()", () => {
    for (const c of cases) {
      expect([c.text, pySplit(c.text)]).toEqual([c.text, c.split]);
      expect([c.text, pyLower(c.text)]).toEqual([c.text, c.lower]);
    }
  });
});
