/**
 * NLTK 3.8's `sent_tokenize` with the English Punkt model, against nltk itself on 600 texts
 * (scripts/make-punkt-fixture.py; PUNKT_FIXTURE=path checks another --seed).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { punktEnglishParameters, sentTokenize } from "../src/index.js";

const fx = JSON.parse(readFileSync(process.env.PUNKT_FIXTURE ?? new URL("./fixtures/punkt.json", import.meta.url), "utf8")) as {
  seed: number;
  cases: [string, string[]][];
};

describe(`nltk.sent_tokenize parity (seed ${fx.seed})`, () => {
  it("loads the English model", () => {
    const p = punktEnglishParameters();
    expect([p.abbrevTypes.size, p.collocations.size, p.sentStarters.size, p.orthoContext.size]).toEqual([156, 37, 39, 20366]);
  });
  it("splits every text as NLTK does", () => {
    expect(fx.cases.length).toBeGreaterThanOrEqual(500);
    for (const [text, sentences] of fx.cases) expect([text, sentTokenize(text)]).toEqual([text, sentences]);
  });
  it("handles NLTK's documented examples", () => {
    expect(sentTokenize("Very bad acting!!! I promise.")).toEqual(["Very bad acting!!!", "I promise."]);
    expect(sentTokenize("(How does it deal with this parenthesis?)  \"It should be part of the previous sentence.\"")).toEqual([
      "(How does it deal with this parenthesis?)",
      "\"It should be part of the previous sentence.\"",
    ]);
  });
});
