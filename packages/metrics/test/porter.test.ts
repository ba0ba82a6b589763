/**
 * NLTK 3.8's PorterStemmer (nltk/stem/porter.py, Debian 12's python3-nltk) in its three modes,
 * against nltk itself. The words come from two generated fixtures, each written by a script that
 * draws them from one seeded stream shared with other cases:
 * - fixtures/nltk.json `porter` (scripts/make-nltk-fixtures.py): 2,770 words of the METEOR
 *   vocabulary and WordNet lemmas with suffixes;
 * - fixtures/rouge-score.json `stem` (scripts/make-rouge-score-fixture.py; ROUGE_SCORE_FIXTURE=path
 *   checks another --seed): 1,774 adversarial words, WordNet words, random letter strings and odd
 *   casing, also stemmed with `to_lowercase=False`.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { PorterStemmer, type PorterMode } from "../src/index.js";

type Case = { word: string } & Record<PorterMode, string>;
const nltkWords = (JSON.parse(readFileSync(new URL("./fixtures/nltk.json", import.meta.url), "utf8")) as { porter: Case[] }).porter;
const rougeWords = (
  JSON.parse(readFileSync(process.env["ROUGE_SCORE_FIXTURE"] ?? new URL("./fixtures/rouge-score.json", import.meta.url), "utf8")) as {
    stem: (Case & { keepCase: string })[];
  }
).stem;
const MODES = ["NLTK_EXTENSIONS", "MARTIN_EXTENSIONS", "ORIGINAL_ALGORITHM"] as const;

describe("PorterStemmer equals nltk 3.8 in all three modes", () => {
  for (const mode of MODES) {
    it(`${mode} (${nltkWords.length + rougeWords.length} words)`, () => {
      expect(nltkWords.length).toBeGreaterThan(2000);
      expect(rougeWords.length).toBeGreaterThan(1000);
      const stemmer = new PorterStemmer(mode);
      const bad = [...nltkWords, ...rougeWords].filter((c) => stemmer.stem(c.word) !== c[mode]).map((c) => [c.word, stemmer.stem(c.word), c[mode]]);
      expect(bad).toEqual([]);
    });
  }

  it("stem(word, to_lowercase=False)", () => {
    const stemmer = new PorterStemmer();
    const bad = rougeWords.filter((c) => stemmer.stem(c.word, false) !== c.keepCase).map((c) => [c.word, stemmer.stem(c.word, false), c.keepCase]);
    expect(bad).toEqual([]);
  });

  it("keeps nltk's documented quirks", () => {
    const stemmer = new PorterStemmer();
    expect(["running", "generously", "dying", "skies", "news", "caresses"].map((w) => stemmer.stem(w))).toEqual(["run", "gener", "die", "sky", "news", "caress"]);
    expect(new PorterStemmer("ORIGINAL_ALGORITHM").stem("dying")).toBe("dy");
  });
});
