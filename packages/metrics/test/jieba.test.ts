/**
 * jieba.cut (Python jieba 0.42.1 default mode): worked examples and parity on test/fixtures/jieba.json
 * (scripts/make-fixtures.py).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { cutZh } from "../src/index.js";

function fixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8")) as T;
}

describe("jieba", () => {
  it("keeps Python's block rules", () => {
    expect(cutZh("GPT-4的API")).toEqual(["GPT", "-", "4", "的", "API"]);
    expect(cutZh("𠀀𠀁生僻字")).toEqual(["𠀀", "𠀁", "生僻字"]);
    expect(cutZh("a\r\nb")).toEqual(["a", "\r\n", "b"]);
    expect(cutZh("")).toEqual([]);
  });
});

describe("jieba default mode equals Python jieba 0.42.1", () => {
  const { cases } = fixture<{ cases: { text: string; tokens: string[] }[] }>("jieba.json");
  it(`has a few hundred cases (${cases.length})`, () => expect(cases.length).toBeGreaterThanOrEqual(300));
  it("gives the same tokens for every case", () => {
    const bad = cases.filter((c) => JSON.stringify(cutZh(c.text)) !== JSON.stringify(c.tokens));
    expect(bad.map((c) => ({ text: c.text, want: c.tokens, got: cutZh(c.text) }))).toEqual([]);
  });
});
