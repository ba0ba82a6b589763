/**
 * Chunking and citation parsing parity: test/fixtures/parity-split.json holds contexts with what
 * utils/retrieve.py `text_split_by_punctuation(ctx, return_dict=True)` returned, the one-shot prompt
 * pred_one_shot.py built for some, and model answers with what its `postprocess` returned.
 */
import { describe, expect, it } from "vitest";
import { chunksOf, oneShotPrompt, postprocess, statementsOf, textSplitByPunctuation, type ContextSentence } from "../src/index.js";
import { fixture } from "./helpers.js";

interface Case {
  context: string;
  sents?: ContextSentence[];
  error?: string;
  prompt?: string;
  answers?: ({ answer: string; statements: unknown } | { answer: string; error: string })[];
}
const { cases } = fixture<{ cases: Case[] }>("parity-split.json");

describe("text_split_by_punctuation and postprocess", () => {
  it("split every context into the same sentences at the same code-point offsets", () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
    const wrong = cases.filter((c) => c.sents).map((c) => ({ context: c.context, got: textSplitByPunctuation(c.context), expected: c.sents }))
      .filter((c) => JSON.stringify(c.got) !== JSON.stringify(c.expected));
    expect(wrong.slice(0, 3)).toEqual([]);
  });

  it("builds the one-shot prompt byte for byte", () => {
    const withPrompt = cases.filter((c) => c.prompt !== undefined);
    expect(withPrompt.length).toBeGreaterThanOrEqual(5);
    for (const c of withPrompt) expect(oneShotPrompt(c.context, "Q?")).toBe(c.prompt);
  });

  it("parses every answer into the same statements and citations (at least 300 answers)", () => {
    let n = 0;
    const wrong: unknown[] = [];
    for (const c of cases) {
      if (!c.sents) continue;
      const chunks = chunksOf(c.context, c.sents);
      for (const a of c.answers ?? []) {
        n++;
        const fixed = a.answer.startsWith("statement>") ? "<" + a.answer : a.answer;
        const got = JSON.stringify(postprocess(fixed, chunks));
        if ("statements" in a) {
          if (got !== JSON.stringify(a.statements)) wrong.push({ context: c.context.slice(0, 40), answer: a.answer, got, expected: a.statements });
        } else wrong.push({ answer: a.answer, expectedError: a.error, got });
        if ("statements" in a) expect(JSON.stringify(statementsOf(a.answer, c.context))).toBe(JSON.stringify(a.statements));
      }
    }
    expect(n).toBeGreaterThanOrEqual(300);
    expect(wrong.slice(0, 3)).toEqual([]);
  });
});
