/**
 * Verdict parsing parity: test/fixtures/parity-verdicts.json holds, for each reply text, what the
 * official need_citation_to_score / support_level_to_score / relevant_level_to_score return and
 * what gpt_score_qa / _summ / _fewshot return (score, calls, kept responses, or the exception) when
 * the judge answers that text first and "[[1]]" after.
 */
import { describe, expect, it } from "vitest";
import type { Judge } from "@loomscope/spec";
import { OfficialScorerError } from "@loomscope/metrics";
import { correctnessScore, needCitationToScore, relevantLevelToScore, supportLevelToScore, type CorrectnessKind } from "../src/index.js";
import { fixture } from "./helpers.js";

type Outcome = { score: number; calls: number; responses: string[] } | { error: string; calls: number };
interface Case {
  text: string;
  need: number | null;
  support: number | null;
  relevant: number | null;
  qa: Outcome;
  summ: Outcome;
  fewshot: Outcome;
}
const { cases } = fixture<{ cases: Case[] }>("parity-verdicts.json");

describe("verdict parsers", () => {
  it("read every reply as auto_scorer.py does", () => {
    expect(cases.length).toBeGreaterThanOrEqual(50);
    const got = cases.map((c) => ({ text: c.text, need: needCitationToScore(c.text), support: supportLevelToScore(c.text), relevant: relevantLevelToScore(c.text) }));
    expect(got).toEqual(cases.map((c) => ({ text: c.text, need: c.need, support: c.support, relevant: c.relevant })));
  });

  it("score correctness as eval_correct.py does: retries, the 0.5 fallback, Unicode digits, int() failures", async () => {
    const wrong: unknown[] = [];
    for (const c of cases) {
      for (const kind of ["qa", "summ", "fewshot"] as CorrectnessKind[]) {
        const replies = [c.text, "[[1]]", "[[1]]", "[[1]]", "[[1]]", "[[1]]"];
        let n = 0;
        const judge: Judge = { id: "fake", complete: async () => replies[n++] as string };
        const expected = c[kind];
        try {
          const r = await correctnessScore(kind, "q?", "truth", "pred", judge, [{ answer: "a", score: 1 }, { answer: "a", score: 1 }, { answer: "a", score: 1 }]);
          const got = { score: r.score, calls: r.calls, responses: r.response === null ? [] : [r.response] };
          if (JSON.stringify(got) !== JSON.stringify(expected)) wrong.push({ text: c.text, kind, got, expected });
        } catch (e) {
          const got = { error: (e as OfficialScorerError).pythonError, calls: n };
          if (JSON.stringify(got) !== JSON.stringify(expected)) wrong.push({ text: c.text, kind, got, expected });
        }
      }
    }
    expect(wrong).toEqual([]);
  });
});
