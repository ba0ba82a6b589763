/**
 * Scorer parity: test/fixtures/parity.json holds 350+ (answer, output) pairs over the five tasks —
 * quoted / unquoted / escaped / prefixed / concatenated UUIDs, lists and quoted lists for the
 * multi-value tasks, tuples, sets, dicts, numbers, None, bytes, f-strings, fences, comments,
 * non-BMP characters, random damage — with what the README's own lines (taken from README.md and
 * executed) and LOOM-Scope's `score` returned or raised. Made by scripts/make-parity-fixture.py.
 */
import { describe, expect, it } from "vitest";
import { OfficialScorerError } from "@loomscope/metrics";
import { TASKS, loomScore, nthreadAccuracy, officialCorrect } from "../src/index.js";
import { fixture } from "./helpers.js";

type Verdict = { correct: boolean } | { error: string };
interface Case {
  task: string;
  answer: string;
  output: string;
  official: Verdict;
  loom: Verdict;
}
const { cases, loom_extra: loomExtra } = fixture<{ cases: Case[]; loom_extra: { answer: string; output: string | null; loom: Verdict }[] }>("parity.json");

function run(f: () => boolean): Verdict {
  try {
    return { correct: f() };
  } catch (e) {
    if (e instanceof OfficialScorerError) return { error: e.pythonError };
    throw e;
  }
}

describe("Needle Threading scorer parity", () => {
  it("covers the five tasks with 300+ cases and every outcome", () => {
    expect(cases.length).toBeGreaterThanOrEqual(300);
    expect(new Set(cases.map((c) => c.task))).toEqual(new Set(TASKS));
    const kinds = new Set(cases.map((c) => JSON.stringify(c.official)));
    for (const k of ['{"correct":true}', '{"correct":false}', '{"error":"SyntaxError"}', '{"error":"ValueError"}', '{"error":"TypeError"}']) {
      expect(kinds).toContain(k);
    }
  });

  it("equals the README rule (literal_eval, prefix ==) on every case, exceptions included", () => {
    const wrong = cases
      .map((c) => ({ ...c, got: run(() => officialCorrect(c.output, c.answer)) }))
      .filter((c) => JSON.stringify(c.got) !== JSON.stringify(c.official));
    expect(wrong).toEqual([]);
  });

  it("equals LOOM-Scope's score on every case", () => {
    const wrong = [
      ...cases.map((c) => ({ answer: c.answer, output: c.output as string | null, loom: c.loom })),
      ...loomExtra,
    ]
      .map((c) => ({ ...c, got: run(() => loomScore(c.answer, c.output)) }))
      .filter((c) => JSON.stringify(c.got) !== JSON.stringify(c.loom));
    expect(wrong).toEqual([]);
  });

  it("scores through the metric object, raising where the README code raises", () => {
    for (const c of cases.slice(0, 120)) {
      const call = () => nthreadAccuracy.score({ prediction: c.output, references: [c.answer], task: c.task, protocol: "official" });
      if ("error" in c.official) expect(call).toThrow(OfficialScorerError);
      else expect(call()).toBe(c.official.correct ? 1 : 0);
      if ("correct" in c.loom) {
        expect(nthreadAccuracy.score({ prediction: c.output, references: [c.answer], task: c.task, protocol: "loom" })).toBe(c.loom.correct ? 1 : 0);
      }
    }
  });

  it("keeps the README rule's consequences", () => {
    const u = "f728b4fa-4248-5e3a-0a5d-2f346baa9455";
    expect(officialCorrect(`'${u}'`, u)).toBe(true);
    expect(officialCorrect(`'${u} and more'`, u)).toBe(true); // a prefix is enough
    expect(() => officialCorrect(u, u)).toThrow(OfficialScorerError); // unquoted: not a literal
    const list = "['a1', 'b2']";
    expect(officialCorrect(list, list)).toBe(false); // a list is never == a str
    expect(officialCorrect(JSON.stringify(list), list)).toBe(true); // the list's repr, quoted
    expect(loomScore(list, "a1, b2")).toBe(true);
  });
});
