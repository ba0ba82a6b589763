/**
 * Scoring: 119 predictions (test/fixtures/scoring.json) with what Python gives for `correct in
 * answer` and for the third-party `re.findall(r"The correct answer is (\w):", pred)` parse.
 * (The official evaluation scripts could not be read here: see the README.)
 */
import { describe, expect, it } from "vitest";
import { correctLetter, longhealthAccuracy, longhealthLetter, parseChoiceLetter } from "../src/index.js";
import { fixture } from "./helpers.js";

interface Case {
  prediction: string;
  correct: string;
  task: string;
  options: Record<string, string>;
  contains: number;
  letter_parsed: string;
}
const { cases } = fixture<{ cases: Case[] }>("scoring.json");

describe("LongHealth scoring", () => {
  it("has 100+ predictions: letters with text, letter only, several options, none, Unicode", () => {
    expect(cases.length).toBeGreaterThanOrEqual(100);
  });

  it("longhealth_accuracy is Python's `correct in answer` for every prediction", () => {
    const wrong = cases.filter((c) => longhealthAccuracy.score({ prediction: c.prediction, references: [c.correct], scoring: { correct: c.correct }, task: c.task, protocol: "official" }) !== c.contains);
    expect(wrong.map((c) => c.prediction.slice(0, 60))).toEqual([]);
  });

  it("parses 'The correct answer is X:' as Python's re (\\w is Unicode, first match)", () => {
    const wrong = cases.filter((c) => parseChoiceLetter(c.prediction) !== c.letter_parsed);
    expect(wrong.map((c) => [c.prediction.slice(0, 60), parseChoiceLetter(c.prediction), c.letter_parsed])).toEqual([]);
  });

  it("longhealth_letter compares the parsed letter with the correct option's (F for task 3)", () => {
    for (const c of cases) {
      const expected = c.letter_parsed === "" ? 0 : c.task === "task3" ? Number(c.letter_parsed === "F") : Number(c.letter_parsed === correctLetter(c.options, c.correct));
      expect(longhealthLetter.score({ prediction: c.prediction, references: [], scoring: { correct: c.correct, options: c.options }, task: c.task, protocol: "official" })).toBe(expected);
    }
    // "CHD" is inside "3-vessel CHD" too: the first option containing the text wins, as in CLUE's get_correct_answer.
    expect(correctLetter({ a: "3-vessel CHD", b: "CHD" }, "CHD")).toBe("A");
  });
});
