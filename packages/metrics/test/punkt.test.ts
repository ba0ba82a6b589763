/**
 * NLTK 3.8's Punkt sentence tokenizer against nltk itself (scripts/make-punkt-fixture.py):
 * - untrained `PunktSentenceTokenizer()` (LongCite's text_split_by_punctuation) on 342 texts,
 *   test/fixtures/punkt-untrained.json (PUNKT_UNTRAINED_FIXTURE=path checks another --seed);
 * - `nltk.sent_tokenize` with the English model (LEval's ROUGE post-processing, L-CiteEval's
 *   citation scorer) on 600 texts, test/fixtures/punkt-english.json (PUNKT_ENGLISH_FIXTURE=path).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { UNTRAINED_PUNKT, parsePunktTab, punktEnglishParameters, punktSentences, punktSpans, punktWordTokenize, sentTokenize } from "../src/index.js";

const read = <T>(env: string, name: string): T =>
  JSON.parse(readFileSync(process.env[env] ?? new URL(`./fixtures/${name}`, import.meta.url), "utf8")) as T;

const untrained = read<{ seed: number; cases: { text: string; sentences: string[] }[] }>("PUNKT_UNTRAINED_FIXTURE", "punkt-untrained.json");
const english = read<{ seed: number; cases: [string, string[]][] }>("PUNKT_ENGLISH_FIXTURE", "punkt-english.json");

describe(`PunktSentenceTokenizer() untrained parity (seed ${untrained.seed})`, () => {
  it("splits every text as nltk does", () => {
    expect(untrained.cases.length).toBeGreaterThan(300);
    const wrong = untrained.cases
      .map((c) => ({ text: c.text, expected: c.sentences, got: punktSentences(c.text) }))
      .filter((c) => JSON.stringify(c.got) !== JSON.stringify(c.expected));
    expect(wrong.slice(0, 5)).toEqual([]);
  });

  it("gives UTF-16 spans of the sentences", () => {
    const text = "Hello world.  How are you? Fine!";
    expect(punktSpans(text)).toEqual([
      [0, 12],
      [14, 26],
      [27, 32],
    ]);
    expect(punktWordTokenize("Hello, world... (fine.)")).toEqual(["Hello", ",", "world", "...", "(", "fine.", ")"]);
  });
});

describe(`nltk.sent_tokenize (English model) parity (seed ${english.seed})`, () => {
  it("loads the English model", () => {
    const p = punktEnglishParameters();
    expect([p.abbrevTypes.size, p.collocations.size, p.sentStarters.size, p.orthoContext.size]).toEqual([156, 37, 39, 20366]);
  });

  it("splits every text as NLTK does", () => {
    expect(english.cases.length).toBeGreaterThanOrEqual(500);
    for (const [text, sentences] of english.cases) expect([text, sentTokenize(text)]).toEqual([text, sentences]);
  });

  it("handles NLTK's documented examples, which the untrained tokenizer splits differently", () => {
    expect(sentTokenize("Very bad acting!!! I promise.")).toEqual(["Very bad acting!!!", "I promise."]);
    expect(sentTokenize("(How does it deal with this parenthesis?)  \"It should be part of the previous sentence.\"")).toEqual([
      "(How does it deal with this parenthesis?)",
      "\"It should be part of the previous sentence.\"",
    ]);
    expect(sentTokenize("Mr. Smith went to Washington. He said hi.")).toEqual(["Mr. Smith went to Washington.", "He said hi."]);
    expect(punktSentences("Mr. Smith went to Washington. He said hi.", UNTRAINED_PUNKT)).toEqual(["Mr.", "Smith went to Washington.", "He said hi."]);
  });
});

describe("parsePunktTab (NLTK 3.9's punkt_tab layout)", () => {
  it("reads the four files into parameters", () => {
    const p = parsePunktTab({
      abbrevTypes: "mr\nu.s\r\n",
      collocations: "##number##\tjan\n",
      sentStarters: "but\n",
      orthoContext: "smith\t2\nthe\t96\n",
    });
    expect([...p.abbrevTypes]).toEqual(["mr", "u.s"]);
    expect([...p.collocations]).toEqual(["##number##\u0000jan"]);
    expect([...p.sentStarters]).toEqual(["but"]);
    expect([...p.orthoContext]).toEqual([
      ["smith", 2],
      ["the", 96],
    ]);
    expect(punktSentences("Mr. Smith went to Washington. He said hi.", p)).toEqual(["Mr. Smith went to Washington.", "He said hi."]);
  });
});
