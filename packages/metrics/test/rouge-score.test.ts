/**
 * Google rouge_score (rouge-score 0.1.2): the published test cases of
 * google-research/rouge (rouge_scorer_test.py, tokenize_test.py, tokenizers_test.py, scoring.py's
 * fmeasure), then parity with the official code on the cases scripts/make-rouge-score-fixture.py
 * generated (ROUGE_SCORE_FIXTURE=path checks a fixture made with another --seed). The fixture's
 * Porter words (`stem`) are checked in porter.test.ts.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  PorterStemmer,
  RougeScorer,
  backtrackLcs,
  findUnion,
  lcsTable,
  rougeScoreTokenize,
  summaryLevelLcs,
  unionLcs,
  type RougeScore,
} from "../src/index.js";

type Triple = [number, number, number];
interface Fixture {
  seed: number;
  stem: unknown[];
  tokenize: Array<{ text: string; plain: string[]; stemmed: string[] }>;
  score: Array<{
    target: string;
    prediction: string;
    plain: Record<string, Triple>;
    stemmed: Record<string, Triple>;
    lsumOnly: Record<string, Triple>;
  }>;
  scoreMulti: Array<{ targets: string[]; prediction: string; plain: Record<string, Triple> }>;
}

const fixturePath = process.env.ROUGE_SCORE_FIXTURE ?? new URL("./fixtures/rouge-score.json", import.meta.url);
const fx = JSON.parse(readFileSync(fixturePath, "utf8")) as Fixture;
const published = JSON.parse(readFileSync(new URL("./fixtures/rouge-score-published.json", import.meta.url), "utf8")) as {
  targets: string[];
  predictions: string[];
  targetMulti: string;
  predictionMulti: string;
};

const triple = (s: RougeScore): Triple => [s.precision, s.recall, s.fmeasure];
const triples = (r: Record<string, RougeScore>): Record<string, Triple> =>
  Object.fromEntries(Object.entries(r).map(([k, v]) => [k, triple(v)]));

describe("rouge_score's own tests (google-research/rouge)", () => {
  it("rejects invalid rouge types and accepts valid ones", () => {
    for (const bad of ["rougen", "rouge0", "rouge10"]) {
      expect(() => new RougeScorer([bad]).score("testing one two", "testing")).toThrow();
    }
    for (const good of ["rouge1", "rouge9", "rougeL", "rougeLsum"]) {
      expect(Object.keys(new RougeScorer([good]).score("testing one two", "testing"))).toEqual([good]);
    }
  });

  it("rouge1, rouge2, rougeL on the small examples", () => {
    const r1 = new RougeScorer(["rouge1"]).score("testing one two", "testing").rouge1!;
    expect(r1.precision).toBeCloseTo(1, 10);
    expect(r1.recall).toBeCloseTo(1 / 3, 10);
    expect(r1.fmeasure).toBeCloseTo(1 / 2, 10);
    const r2 = new RougeScorer(["rouge2"]).score("testing one two", "testing one").rouge2!;
    expect(triple(r2)).toEqual([1, 1 / 2, 2 / 3]);
    for (const prediction of ["testing one", "testing two"]) {
      const l = new RougeScorer(["rougeL"]).score("testing one two", prediction).rougeL!;
      expect(l.precision).toBeCloseTo(1, 10);
      expect(l.recall).toBeCloseTo(2 / 3, 10);
      expect(l.fmeasure).toBeCloseTo(4 / 5, 10);
    }
    const both = new RougeScorer(["rouge1", "rougeL"]).score("testing one two", "testing one");
    expect(Object.keys(both)).toEqual(["rouge1", "rougeL"]);
    expect(both.rouge1!.fmeasure).toBeCloseTo(4 / 5, 10);
  });

  it("scores an empty prediction 0 for every type", () => {
    for (const t of ["rouge1", "rouge2", "rougeL", "rougeLsum"]) {
      expect(triple(new RougeScorer([t]).score("testing one two", "")[t]!)).toEqual([0, 0, 0]);
    }
  });

  it("matches ROUGE-1.5.5 on the published target/prediction pairs, with and without stemming", () => {
    const close = (s: RougeScore, r: number, p: number, f: number) => {
      expect(s.recall).toBeCloseTo(r, 5);
      expect(s.precision).toBeCloseTo(p, 5);
      expect(s.fmeasure).toBeCloseTo(f, 5);
    };
    const [t0, t1] = published.targets as [string, string];
    const [p0, p1] = published.predictions as [string, string];
    const plain = new RougeScorer(["rouge1", "rouge2", "rougeL"]);
    const stem = new RougeScorer(["rouge1", "rouge2"], { useStemmer: true });
    close(plain.score(t0, p0).rouge1!, 0.40741, 0.6875, 0.51163);
    close(plain.score(t1, p1).rouge1!, 0.40476, 0.65385, 0.5);
    close(stem.score(t0, p0).rouge1!, 0.40741, 0.6875, 0.51163);
    close(stem.score(t1, p1).rouge1!, 0.42857, 0.69231, 0.52941);
    close(plain.score(t0, p0).rouge2!, 0.30769, 0.53333, 0.39024);
    close(plain.score(t1, p1).rouge2!, 0.29268, 0.48, 0.36364);
    close(stem.score(t0, p0).rouge2!, 0.30769, 0.53333, 0.39024);
    close(stem.score(t1, p1).rouge2!, 0.29268, 0.48, 0.36364);
    close(plain.score(t0, p0).rougeL!, 0.40741, 0.6875, 0.51163);
    close(plain.score(t1, p1).rougeL!, 0.40476, 0.65385, 0.5);
    const lsum = new RougeScorer(["rougeLsum"], { useStemmer: true });
    close(lsum.score(published.targetMulti, published.predictionMulti).rougeLsum!, 0.36538, 0.66667, 0.47205);
  });

  it("LCS table, backtrack and union as in testLcsTable / testUnionLcs", () => {
    const ref = [1, 2, 3, 4, 5];
    const c1 = [2, 5, 3, 4];
    const t = lcsTable(ref, c1);
    expect(t[ref.length]![c1.length]).toBe(3);
    expect(backtrackLcs(t, ref, c1)).toEqual([1, 2, 3]);
    const c2 = [8, 9];
    const t2 = lcsTable(ref, c2);
    expect(t2[ref.length]![c2.length]).toBe(0);
    expect(backtrackLcs(t2, ref, c2)).toEqual([]);
    expect(findUnion([[0, 1], [0, 2, 4]])).toEqual([0, 1, 2, 4]);
    expect(findUnion([[0, 2, 4], [0, 1]])).toEqual([0, 1, 2, 4]);
    expect(unionLcs(ref, [[1, 2, 6, 7, 8], [1, 3, 8, 9, 5]])).toEqual([1, 2, 3, 5]);
  });

  it("summary-level LCS as in testSummaryLevelLcs / testRougeLsum", () => {
    const s = summaryLevelLcs([["1", "2", "3", "4", "5"]], [["1", "2", "6", "7", "8"], ["1", "3", "8", "9", "5"]]);
    expect(s.recall).toBe(0.8);
    expect(s.precision).toBe(0.4);
    expect(s.fmeasure).toBeCloseTo(0.5333, 3);
    expect(summaryLevelLcs([["reference"]], [[]]).recall).toBe(0);
    const scorer = new RougeScorer(["rougeLsum"]);
    const r = scorer.score("w1 w2 w3 w4 w5", "w1 w2 w6 w7 w8\nw1 w3 w8 w9 w5").rougeLsum!;
    expect([r.recall, r.precision]).toEqual([0.8, 0.4]);
    for (const [t, p] of [["w1 w2 w3 w4 w5", ""], ["", "w1"], ["w1 w2 w3 w4 w5", "/"]] as const) {
      expect(triple(scorer.score(t, p).rougeLsum!)).toEqual([0, 0, 0]);
    }
  });

  it("tokenizes as tokenize_test / tokenizers_test", () => {
    expect(rougeScoreTokenize("one Two three")).toEqual(["one", "two", "three"]);
    expect(rougeScoreTokenize("one\n Two \nthree")).toEqual(["one", "two", "three"]);
    expect(rougeScoreTokenize("this is a test")).toEqual(["this", "is", "a", "test"]);
    expect(rougeScoreTokenize("the friends had a meeting", new PorterStemmer())).toEqual(["the", "friend", "had", "a", "meet"]);
  });
});

describe(`parity with rouge_score 0.1.2 and NLTK ${"3.8"} (fixture seed ${fx.seed})`, () => {
  it("has enough cases", () => {
    expect(fx.stem.length).toBeGreaterThanOrEqual(1000);
    expect(fx.tokenize.length).toBeGreaterThanOrEqual(250);
    expect(fx.score.length).toBeGreaterThanOrEqual(200);
  });

  it("tokenize with and without the stemmer", () => {
    const stemmer = new PorterStemmer();
    for (const c of fx.tokenize) {
      expect([c.text, rougeScoreTokenize(c.text)]).toEqual([c.text, c.plain]);
      expect([c.text, rougeScoreTokenize(c.text, stemmer)]).toEqual([c.text, c.stemmed]);
    }
  });

  it("score: rouge1/2/3, rougeL, rougeLsum precision, recall, fmeasure bit for bit", () => {
    const types = ["rouge1", "rouge2", "rouge3", "rougeL", "rougeLsum"];
    const plain = new RougeScorer(types);
    const stemmed = new RougeScorer(types, { useStemmer: true });
    const lsumOnly = new RougeScorer(["rougeLsum"]);
    for (const c of fx.score) {
      const label = JSON.stringify([c.target.slice(0, 60), c.prediction.slice(0, 60)]);
      expect([label, triples(plain.score(c.target, c.prediction))]).toEqual([label, c.plain]);
      expect([label, triples(stemmed.score(c.target, c.prediction))]).toEqual([label, c.stemmed]);
      expect([label, triples(lsumOnly.score(c.target, c.prediction))]).toEqual([label, c.lsumOnly]);
    }
  });

  it("score_multi keeps the first best target per type", () => {
    const types = ["rouge1", "rouge2", "rouge3", "rougeL", "rougeLsum"];
    const plain = new RougeScorer(types);
    for (const c of fx.scoreMulti) expect(triples(plain.scoreMulti(c.targets, c.prediction))).toEqual(c.plain);
    expect(() => plain.scoreMulti([], "x")).toThrow(/empty sequence/);
  });
});
