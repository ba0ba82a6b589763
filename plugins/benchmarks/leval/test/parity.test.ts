/**
 * Parity with LEval's Evaluation/ code: every expected value was produced by running auto_eval.py,
 * em.py, f1.py and rouge.py (scripts/make-parity-fixture.py). LEVAL_FIXTURE=path checks a fixture
 * made with another --seed.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { OfficialScorerError, sentTokenize } from "@loomscope/metrics";
import {
  exactMatchScore,
  f1Score,
  processGtCode,
  processGtJudge,
  processGtMc,
  processMath,
  processOutputCode,
  processOutputJudge,
  processOutputMc,
  rougePair,
} from "../src/index.js";

type Outcome = { value?: unknown; error?: string };
const fx = JSON.parse(readFileSync(process.env.LEVAL_FIXTURE ?? new URL("./fixtures/parity.json", import.meta.url), "utf8")) as Record<string, unknown> & { seed: number };
const list = <T>(key: string) => fx[key] as (T & Outcome)[];

function check<T>(outcome: Outcome, run: () => T, label: string, compare: (got: T) => void = (got) => expect([label, got]).toEqual([label, outcome.value])): void {
  if (outcome.error !== undefined) {
    let thrown: unknown;
    try {
      run();
    } catch (e) {
      thrown = e;
    }
    expect(thrown, label).toBeInstanceOf(OfficialScorerError);
    expect((thrown as OfficialScorerError).pythonError, label).toBe(outcome.error);
    return;
  }
  compare(run());
}

describe(`LEval auto_eval.py parity (seed ${fx.seed})`, () => {
  it("has enough varied cases", () => {
    const n = ["process_output_mc", "process_gt_mc", "process_math", "process_output_code", "process_gt_code", "process_output_judge", "exact_match_score", "f1_score", "rouge"]
      .map((k) => list(k).length)
      .reduce((a, b) => a + b, 0);
    expect(n).toBeGreaterThanOrEqual(1000);
  });

  it("process_output_mc (quality/tpo and Coursera readings)", () => {
    for (const c of list<{ response: string; coursera: boolean }>("process_output_mc")) {
      check(c, () => processOutputMc(c.response, c.coursera), JSON.stringify([c.response.slice(0, 40), c.coursera]));
    }
  });

  it("process_gt_mc", () => {
    for (const c of list<{ gt: string }>("process_gt_mc")) check(c, () => processGtMc(c.gt), c.gt.slice(0, 40));
  });

  it("process_math", () => {
    for (const c of list<{ response: string }>("process_math")) check(c, () => processMath(c.response), c.response.slice(0, 60));
  });

  it("process_output_code and process_gt_code", () => {
    for (const c of list<{ response: string; gt: string }>("process_output_code")) check(c, () => processOutputCode(c.response, c.gt), c.response.slice(0, 60));
    for (const c of list<{ gt: string }>("process_gt_code")) check(c, () => processGtCode(c.gt), c.gt.slice(0, 60));
  });

  it("process_output_judge and process_gt_judge (Sci-Fi)", () => {
    for (const c of list<{ response: string }>("process_output_judge")) check(c, () => processOutputJudge(c.response), c.response.slice(0, 60));
    for (const c of list<{ gt: string }>("process_gt_judge")) check(c, () => processGtJudge(c.gt), c.gt.slice(0, 60));
  });

  it("em.py exact_match_score (0.25 partial credit, float equality, squeezed substring)", () => {
    for (const c of list<{ prediction: string; gt: string }>("exact_match_score")) {
      check(c, () => exactMatchScore(c.prediction, c.gt), JSON.stringify([c.prediction.slice(0, 40), c.gt.slice(0, 40)]));
    }
  });

  it("f1.py f1_score, bit for bit", () => {
    for (const c of list<{ prediction: string; gt: string }>("f1_score")) check(c, () => f1Score(c.prediction, c.gt), c.prediction.slice(0, 40));
  });

  it("ROUGE after nltk.sent_tokenize post-processing, fmeasure × 100 bit for bit", () => {
    for (const c of list<{ prediction: string; gt: string }>("rouge")) check(c, () => rougePair(c.prediction, c.gt), c.prediction.slice(0, 40));
    for (const c of list<{ text: string; sentences: string[] }>("sent_tokenize")) expect(sentTokenize(c.text)).toEqual(c.sentences);
  });
});
