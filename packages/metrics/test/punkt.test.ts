/**
 * Sentence splitting parity with nltk 3.8's PunktSentenceTokenizer() (untrained), as LongCite's
 * text_split_by_punctuation calls it: test/fixtures/punkt.json (scripts/make-punkt-fixture.py).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { punktSentences } from "../src/index.js";

const fixture = JSON.parse(readFileSync(process.env["PUNKT_FIXTURE"] ?? new URL("./fixtures/punkt.json", import.meta.url), "utf8")) as {
  cases: { text: string; sentences: string[] }[];
};

describe("punktSentences (untrained)", () => {
  it("splits every text as nltk does", () => {
    expect(fixture.cases.length).toBeGreaterThan(300);
    const wrong = fixture.cases
      .map((c) => ({ text: c.text, expected: c.sentences, got: punktSentences(c.text) }))
      .filter((c) => JSON.stringify(c.got) !== JSON.stringify(c.expected));
    expect(wrong.slice(0, 5)).toEqual([]);
  });
});
