/**
 * `rougeScores` against rouge 1.0.1, both call paths the official scorers take:
 * - `Rouge().get_scores([hyp], [ref], avg=True)` (L-CiteEval): all nine numbers or the error,
 *   fixtures/rouge-scores.json (scripts/make-rouge-scores-fixture.py);
 * - `Rouge().get_scores([hyp], [ref])[0]` three Python frames deep, as LooGLE calls it: every f/p/r and
 *   the ValueError / RecursionError cases, fixtures/rouge-n.json (scripts/make-rouge-fixtures.py).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { OfficialScorerError, rougeScores, type RougeFpr } from "../src/index.js";

const { cases } = JSON.parse(readFileSync(new URL("./fixtures/rouge-scores.json", import.meta.url), "utf8")) as {
  cases: { hyp: string; ref: string; scores?: unknown; error?: string }[];
};
describe("rougeScores", () => {
  it("equals Rouge().get_scores([hyp], [ref], avg=True) on every case, or raises the same error", () => {
    expect(cases.length).toBeGreaterThan(150);
    const wrong: unknown[] = [];
    for (const c of cases) {
      try {
        const got = rougeScores(c.hyp, c.ref, undefined, { recursionLimit: Infinity });
        if (JSON.stringify(got) !== JSON.stringify(c.scores)) wrong.push({ ...c, got });
      } catch (e) {
        if (!(e instanceof OfficialScorerError) || e.pythonError !== c.error) wrong.push({ ...c, got: String(e) });
      }
    }
    expect(wrong).toEqual([]);
  });
});

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
