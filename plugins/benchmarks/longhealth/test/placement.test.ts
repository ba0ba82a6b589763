/**
 * Document placement and sampling against LongHealth's utils.py run with Python's own `random`
 * (test/fixtures/placement.json, scripts/make-parity-fixture.py): for one seed, all 120 prompts of
 * the three tasks in LOOM-Scope's order and in the task scripts' order, byte for byte (SHA-256;
 * the first 12 compared as text), with a character tokenizer that adds a BOS token.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Tokenizer } from "@loomscope/spec";
import { PROMPT_TEMPLATE, SYSTEM_PROMPT, buildSamples, parseBenchmark } from "../src/index.js";
import { fixture, fixturePath } from "./helpers.js";

interface Built {
  task: string;
  patient: string;
  question: number;
  round: number;
  prompt?: string;
  sha256: string;
  correct: string;
  answer_location: Record<string, { start: number; end: number }[]>;
}
const placement = fixture<{ seed: number; max_len: number; system_prompt: string; template: string; loom: Built[]; official: Built[] }>("placement.json");

const BOS = 0x110000;
/** The driver's tokenizer: [BOS] + code points; BOS decodes to "<s>" (as HF decode without skipping). */
const charTokenizer: Tokenizer = {
  id: "test:chars+bos",
  encode: async (text, options) => [...(options?.addSpecialTokens === false ? [] : [BOS]), ...Array.from(text, (c) => c.codePointAt(0) as number)],
  decode: async (ids, options) => ids.map((i) => (i === BOS ? (options?.skipSpecialTokens ? "" : "<s>") : String.fromCodePoint(i))).join(""),
};
const sha = (s: string): string => createHash("sha256").update(s, "utf8").digest("hex");

describe("LongHealth prompts and placement", () => {
  it("uses utils.py's SYSTEM_PROMPT and PROMPT_TEMPLATE byte for byte", () => {
    expect(SYSTEM_PROMPT).toBe(placement.system_prompt);
    expect(PROMPT_TEMPLATE).toBe(placement.template);
  });

  for (const protocol of ["loom", "official"] as const) {
    it(`builds every prompt create_prompt built, in ${protocol} order, from the same seed`, async () => {
      const { benchmark, issues } = parseBenchmark(readFileSync(fixturePath("data/benchmark_v5.json"), "utf8"));
      expect(issues.map((i) => i.patient)).toEqual(["patient_bad"]);
      const samples = await buildSamples(benchmark, { tokenizer: charTokenizer, maxLen: placement.max_len, seed: placement.seed, protocol });
      const want = placement[protocol];
      expect(samples).toHaveLength(want.length);
      samples.forEach((s, i) => {
        const w = want[i] as Built;
        expect([s.task, s.meta?.["patient"], s.meta?.["question"], s.meta?.["round"], s.references[0]]).toEqual([w.task, w.patient, w.question, w.round, w.correct]);
        if (w.prompt !== undefined) expect(s.input["prompt"]).toBe(w.prompt);
        expect(sha(s.input["prompt"] as string)).toBe(w.sha256);
        expect(s.meta?.["answer_location"]).toEqual(w.answer_location);
      });
      // The cut-document path (a "<s>" from decode) and the empty-distractor quirk are both exercised.
      expect(samples.filter((s) => (s.input["prompt"] as string).includes("<s>")).length).toBeGreaterThan(10);
      expect(samples.filter((s) => (s.input["prompt"] as string).includes("--------------\n\n\n")).length).toBeGreaterThan(0);
    });
  }

  it("gives each task its options, correct text and counts (5 per question and task)", async () => {
    const { benchmark } = parseBenchmark(readFileSync(fixturePath("data/benchmark_v5.json"), "utf8"));
    const samples = await buildSamples(benchmark, { tokenizer: charTokenizer, maxLen: 100_000, seed: 7, protocol: "official" });
    const per = (t: string): number => samples.filter((s) => s.task === t).length;
    expect([per("task1"), per("task2"), per("task3")]).toEqual([40, 40, 40]);
    const t3 = samples.find((s) => s.task === "task3")!;
    expect(t3.references).toEqual(["Question cannot be answered with provided documents"]);
    expect(t3.input["prompt"]).toContain("\nF: Question cannot be answered with provided documents\n");
    expect(samples.find((s) => s.task === "task1")!.input["prompt"]).not.toContain("\nF: ");
  });
});
