/**
 * Parity with nltk 3.8 (Debian 12's python3-nltk) and CPython 3.11: every expected value in
 * fixtures/nltk.json was produced by scripts/make-nltk-fixtures.py (PYTHONHASHSEED=0). Its `porter`
 * words are checked in porter.test.ts.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  corpusBleu,
  meteorScore,
  morphy,
  pyHashSecret,
  pySetOrder,
  pyStrHash,
  sentenceBleu,
  singleMeteorScore,
  wordnetSynonyms,
} from "../src/index.js";

interface Fixture {
  wordnet: { word: string; synonyms: string[]; morphy: Record<"n" | "v" | "a" | "r", string[]> }[];
  pairs: { reference: string[]; hypothesis: string[] }[];
  bleu: Record<string, number | boolean>[];
  corpusBleu: { references: string[][][]; hypotheses: string[][]; bleu: number; bleu1: number }[];
  meteor: { meteor: number; set_meteor: number }[];
  meteorMulti: { references: string[][]; hypothesis: string[]; meteor: number }[];
  sets: { items: string[]; order0: string[]; order12345: string[]; hash0: string[] }[];
}

const fx = JSON.parse(readFileSync(new URL("./fixtures/nltk.json", import.meta.url), "utf8")) as Fixture;

/** Distance in units in the last place between two doubles of the same sign. */
function ulps(a: number, b: number): number {
  const f = new Float64Array([a, b]);
  const u = new BigInt64Array(f.buffer);
  const d = (u[0] as bigint) - (u[1] as bigint);
  return Number(d < 0n ? -d : d);
}

/**
 * Values that go through exp/log/pow: equal to the bit, except where glibc's result is not
 * correctly rounded (about 0.07% of calls, see libm.ts); there one ulp apart. The count of
 * those is asserted small so a real divergence cannot hide behind the allowance.
 */
function expectLibmClose(pairs: [string, number, number][]): void {
  const far = pairs.filter(([, got, want]) => ulps(got, want) > 1);
  expect(far).toEqual([]);
  const off = pairs.filter(([, got, want]) => got !== want);
  expect(off.length).toBeLessThanOrEqual(Math.max(2, Math.ceil(pairs.length * 0.005)));
}

describe("WordNet 3.0 morphy and synonym sets equal nltk's", () => {
  it(`morphy forms per part of speech (${fx.wordnet.length} words)`, () => {
    const bad = fx.wordnet.flatMap((c) =>
      (["n", "v", "a", "r"] as const).filter((p) => JSON.stringify(morphy(c.word, p)) !== JSON.stringify(c.morphy[p])).map((p) => [c.word, p, morphy(c.word, p), c.morphy[p]]),
    );
    expect(bad).toEqual([]);
  });
  it("synonym names that can match a lowercased token", () => {
    const bad = fx.wordnet.filter((c) => JSON.stringify([...wordnetSynonyms(c.word)].sort()) !== JSON.stringify([...c.synonyms].sort()));
    expect(bad.map((c) => c.word)).toEqual([]);
  });
  it("finds real synonyms (car ~ automobile)", () => expect(wordnetSynonyms("car").has("automobile")).toBe(true));
});

describe("sentence_bleu / corpus_bleu equal nltk 3.8 without smoothing", () => {
  const weights: Record<string, number[]> = { bleu1: [1, 0, 0, 0], bleu4: [0, 0, 0, 1], bleu: [0.25, 0.25, 0.25, 0.25], bleu2: [0.5, 0.5] };
  it(`per sentence (${fx.bleu.length} pairs x 4 weightings)`, () => {
    const pairs: [string, number, number][] = [];
    fx.bleu.forEach((c, k) => {
      const { reference, hypothesis } = fx.pairs[k] as Fixture["pairs"][number];
      for (const [name, w] of Object.entries(weights)) pairs.push([`${name} ${hypothesis.join(" ")}`, sentenceBleu([reference], hypothesis, w), c[name] as number]);
    });
    expectLibmClose(pairs);
    // The no-unigram-match path returns exactly 0, and method0's float_info.min path is exercised.
    expect(fx.bleu.filter((c) => c.bleu1_is_int).length).toBeGreaterThan(10);
    expect(fx.bleu.filter((c) => (c.bleu4 as number) > 0 && (c.bleu4 as number) < 1e-300).length).toBeGreaterThan(10);
  });
  it(`per corpus (${fx.corpusBleu.length} corpora)`, () => {
    const pairs: [string, number, number][] = [];
    for (const c of fx.corpusBleu) {
      pairs.push(["bleu", corpusBleu(c.references, c.hypotheses)[0] as number, c.bleu]);
      pairs.push(["bleu1", corpusBleu(c.references, c.hypotheses, [1, 0, 0, 0])[0] as number, c.bleu1]);
    }
    expectLibmClose(pairs);
  });
});

describe("METEOR equals nltk 3.8 with WordNet 3.0", () => {
  it(`single_meteor_score on token lists (${fx.meteor.length})`, () => {
    expectLibmClose(
      fx.meteor.map((c, k) => {
        const { reference, hypothesis } = fx.pairs[k] as Fixture["pairs"][number];
        return [hypothesis.join(" "), singleMeteorScore(reference, hypothesis), c.meteor];
      }),
    );
  });
  it("single_meteor_score on Python sets, in CPython's iteration order (PYTHONHASHSEED=0)", () => {
    const pairs: [string, number, number][] = fx.meteor.map((c, k) => {
      const { reference, hypothesis } = fx.pairs[k] as Fixture["pairs"][number];
      return [hypothesis.join(" "), singleMeteorScore(pySetOrder(reference), pySetOrder(hypothesis)), c.set_meteor];
    });
    expectLibmClose(pairs);
  });
  it(`meteor_score over two references (${fx.meteorMulti.length})`, () => {
    expectLibmClose(fx.meteorMulti.map((c) => [c.hypothesis.join(" "), meteorScore(c.references, c.hypothesis), c.meteor]));
  });
  it("uses the stem and synonym stages", () => {
    expect(singleMeteorScore(["the", "cars"], ["the", "car"])).toBe(0.9375);
    expect(singleMeteorScore(["fast"], ["quick"])).toBe(0.5);
    // nltk looks the *stemmed* leftovers up in WordNet: "automobil" is no synonym of "car".
    expect(singleMeteorScore(["automobile"], ["car"])).toBe(0);
    expect(singleMeteorScore(["a"], [])).toBe(0);
  });
});

describe("CPython 3.11 str hash and set iteration order", () => {
  it(`PYTHONHASHSEED=0 and 12345 (${fx.sets.length} sets)`, () => {
    for (const c of fx.sets) {
      expect(pySetOrder(c.items, 0)).toEqual(c.order0);
      expect(pySetOrder(c.items, 12345)).toEqual(c.order12345);
      c.hash0.forEach((h, i) => expect(pyStrHash(c.items[i] as string, pyHashSecret(0)).toString()).toBe(h));
    }
  });
});
