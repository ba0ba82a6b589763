/** Where eval_correct.py / eval_citation.py stop on one record, we throw the same Python error (test/fixtures/parity-crashes.json). */
import { describe, expect, it } from "vitest";
import { OfficialScorerError } from "@loomscope/metrics";
import { countingStarsCitationScores, countingStarsCorrectness, niahCitationScores, niahCorrectness, summaryCorrectness, type Answer, type DemoItem } from "../src/index.js";
import { fixture } from "./helpers.js";

interface Case {
  script: string;
  task: string;
  record: { docs: DemoItem["docs"]; answer: Answer };
  generation: string;
  error: string | null;
}
const { cases } = fixture<{ cases: Case[] }>("parity-crashes.json");

function run(c: Case): unknown {
  const { docs, answer } = c.record;
  if (c.script === "eval_correct.py") {
    if (c.task === "niah") return niahCorrectness(c.generation, answer);
    if (c.task === "counting_stars") return countingStarsCorrectness(c.generation, docs, answer);
    return summaryCorrectness(c.generation, answer);
  }
  if (c.task === "niah") return niahCitationScores(c.generation, docs, String(answer), undefined);
  return countingStarsCitationScores(c.generation, docs, answer);
}

describe("official crash cases", () => {
  it("throw OfficialScorerError with the script's exception, and score where it does not stop", () => {
    expect(cases.length).toBeGreaterThanOrEqual(10);
    const got = cases.map((c) => {
      try {
        run(c);
        return { task: c.task, generation: c.generation, error: null };
      } catch (e) {
        return { task: c.task, generation: c.generation, error: e instanceof OfficialScorerError ? e.pythonError : String(e) };
      }
    });
    expect(got).toEqual(cases.map((c) => ({ task: c.task, generation: c.generation, error: c.error })));
  });
});
