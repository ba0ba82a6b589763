/**
 * `rougeScores` against rouge 1.0.1's per-pair `get_scores` (fixtures/rouge-n.json, made by
 * scripts/make-rouge-fixtures.py three frames deep, as LooGLE calls it): every f/p/r, and the
 * ValueError / RecursionError cases.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { OfficialScorerError, rougeScores, type RougeFpr } from "../src/index.js";

const fx = JSON.parse(readFileSync(new URL("./fixtures/rouge-n.json", import.meta.url), "utf8")) as {
  callerFrames: number;
  recursionLimit: number;
  cases: { hypothesis: string; reference: string; scores?: Record<string, RougeFpr>; error?: string }[];
};

describe("rouge 1.0.1 get_scores([hyp], [ref])[0]: rouge-1, rouge-2, rouge-l", () => {
  const options = { callerFrames: fx.callerFrames, recursionLimit: fx.recursionLimit };
  it(`equals every f, p, r (${fx.cases.filter((c) => c.scores).length} cases)`, () => {
    for (const c of fx.cases.filter((x) => x.scores)) {
      expect([c.hypothesis, c.reference, rougeScores(c.hypothesis, c.reference, ["rouge-1", "rouge-2", "rouge-l"], options)]).toEqual([c.hypothesis, c.reference, c.scores]);
    }
  });
  it("raises where rouge raises: empty side (ValueError), deep LCS (RecursionError)", () => {
    const errors = fx.cases.filter((x) => x.error);
    expect(new Set(errors.map((e) => e.error))).toEqual(new Set(["ValueError", "RecursionError"]));
    for (const c of errors) {
      let thrown: unknown;
      try {
        rougeScores(c.hypothesis, c.reference, ["rouge-1", "rouge-2", "rouge-l"], options);
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(OfficialScorerError);
      expect([c.hypothesis.slice(0, 40), (thrown as OfficialScorerError).pythonError]).toEqual([c.hypothesis.slice(0, 40), c.error]);
    }
  });
});
