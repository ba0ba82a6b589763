/** rouge 1.0.1 `get_scores(avg=True)` parity (scripts/make-rouge-scores-fixture.py): all nine numbers, or the error. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { OfficialScorerError, rougeScores } from "../src/index.js";

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
