/**
 * compare_answers parity: test/fixtures/parity.json holds 350+ (target, output, question) cases over
 * all 20 tasks — hand-written edge cases (label substrings, punctuation, first-sentence cuts,
 * `<context>` / `<example>`, qa8 lists, qa19 directions, yes/no/maybe, case, Unicode) and seeded random
 * ones — with the verdict of babilong/metrics.py, and the same cases (plus None outputs) through
 * LOOM-Scope's copy. Made by scripts/make-parity-fixture.py.
 */
import { describe, expect, it } from "vitest";
import { OfficialScorerError } from "@loomscope/metrics";
import { TASKS, TASK_LABELS, babilongAccuracy, compareAnswers, type BabilongTask } from "../src/index.js";
import { fixture } from "./helpers.js";

interface Case {
  task: BabilongTask;
  question: string;
  target: string;
  output: string | null;
  note: string;
  expected: boolean;
}
const { cases, loom_cases: loomCases } = fixture<{ cases: Case[]; loom_cases: Case[] }>("parity.json");

describe("compare_answers parity", () => {
  it("covers every task with at least 300 cases, both verdicts", () => {
    expect(cases.length).toBeGreaterThanOrEqual(300);
    expect(new Set(cases.map((c) => c.task))).toEqual(new Set(TASKS));
    expect(cases.filter((c) => c.expected).length).toBeGreaterThan(80);
    expect(cases.filter((c) => !c.expected).length).toBeGreaterThan(80);
  });

  it("equals babilong/metrics.py on every case", () => {
    const wrong = cases.filter(
      (c) => compareAnswers(c.target, c.output as string, c.question, TASK_LABELS[c.task]) !== c.expected,
    );
    expect(wrong).toEqual([]);
  });

  it("equals LOOM-Scope's metrics.py on every case, None outputs included", () => {
    expect(loomCases.length).toBeGreaterThan(cases.length);
    expect(loomCases.some((c) => c.output === null)).toBe(true);
    const wrong = loomCases.filter(
      (c) => compareAnswers(c.target, c.output, c.question, TASK_LABELS[c.task], "loom") !== c.expected,
    );
    expect(wrong).toEqual([]);
  });

  it("raises where the official code raises (None output)", () => {
    expect(() => compareAnswers("bathroom", null, "Where is Mary?", TASK_LABELS.qa1)).toThrow(OfficialScorerError);
  });

  it("gives the same verdicts through the metric object", async () => {
    for (const c of cases.slice(0, 150)) {
      const v = await babilongAccuracy.score({
        prediction: c.output as string,
        references: [c.target],
        scoring: { question: c.question },
        task: c.task,
        protocol: "official",
      });
      expect(v).toBe(c.expected ? 1 : 0);
    }
  });

  it("keeps the official quirks", () => {
    // qa7's "none" holds "one": two labels, never right.
    expect(compareAnswers("none", "none", "How many objects is Mary carrying?", TASK_LABELS.qa7)).toBe(false);
    // Labels named in the question do not count.
    expect(compareAnswers("Jeff", "Jeff gave it to Fred", "Who gave the football to Fred?", TASK_LABELS.qa5)).toBe(true);
    // Only the first sentence counts; 'Question' is searched after lower-casing, so never found.
    expect(compareAnswers("garden", "garden. kitchen", "Where is Mary?", TASK_LABELS.qa1)).toBe(true);
    expect(compareAnswers("garden", "garden\nQuestion: kitchen", "Where is Mary?", TASK_LABELS.qa1)).toBe(false);
    // qa8 lists need exactly their parts; qa19 "n,w" is one label.
    expect(compareAnswers("apple,milk", "milk and apple", "What is Daniel carrying?", TASK_LABELS.qa8)).toBe(true);
    expect(compareAnswers("n,w", "n, w", "How do you go from the office to the hallway?", TASK_LABELS.qa19)).toBe(false);
  });
});
