/**
 * Parity with LongBench v2's own code: expected values in test/fixtures/parity.json come from
 * scripts/make-parity-fixture.py executing pred.py's `extract_answer` and its prompt-building
 * statements (taken from its source) on Python 3.11.2.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { MODEL2MAXLEN, PROMPTS, extractAnswer, ragContext, renderPrompt, type PromptFields, type RetrievedChunk } from "../src/index.js";

interface Fixture {
  templates_sha256: Record<string, string>;
  model2maxlen: Record<string, number>;
  extract: { response: string; pred: string | null }[];
  prompts: {
    record: PromptFields;
    setting: "zeroShot" | "cot" | "noContext" | "cotAnswer" | "rag";
    prompt: string;
    cot?: string;
    retrieved?: RetrievedChunk[];
    n?: number;
    context?: string;
  }[];
}
const fixture = JSON.parse(readFileSync(process.env["LONGBENCH_V2_PARITY_FIXTURE"] ?? new URL("./fixtures/parity.json", import.meta.url), "utf8")) as Fixture;

describe("prompts and config equal the official files byte for byte", () => {
  it("prompts/*.txt (sha256)", () => {
    const ours = Object.fromEntries(Object.entries(PROMPTS).map(([k, v]) => [k, createHash("sha256").update(v, "utf8").digest("hex")]));
    expect(ours).toEqual(fixture.templates_sha256);
  });
  it("config/model2maxlen.json", () => expect(MODEL2MAXLEN).toEqual(fixture.model2maxlen));
});

describe("extract_answer", () => {
  it(`equals pred.py on every response (${fixture.extract.length})`, () => {
    expect(fixture.extract.length).toBeGreaterThanOrEqual(200);
    const bad = fixture.extract.filter((c) => extractAnswer(c.response) !== c.pred);
    expect(bad.map((c) => ({ response: c.response, want: c.pred, got: extractAnswer(c.response) }))).toEqual([]);
  });
  it("covers every outcome", () => {
    const outcomes = new Set(fixture.extract.map((c) => c.pred));
    expect(outcomes).toEqual(new Set(["A", "B", "C", "D", null]));
  });
});

describe("prompt building equals pred.py's chained replaces", () => {
  it(`for every setting, the CoT answer turn and RAG contexts (${fixture.prompts.length})`, () => {
    expect(new Set(fixture.prompts.map((p) => p.setting))).toEqual(new Set(["zeroShot", "cot", "noContext", "cotAnswer", "rag"]));
    for (const p of fixture.prompts) {
      if (p.setting === "rag") {
        const context = ragContext(p.retrieved ?? [], p.n ?? 0);
        expect(context).toBe(p.context);
        expect(renderPrompt(PROMPTS.rag, { ...p.record, context })).toBe(p.prompt);
      } else if (p.setting === "cotAnswer") {
        expect(renderPrompt(PROMPTS.cotAnswer, p.record, p.cot)).toBe(p.prompt);
      } else {
        expect(renderPrompt(PROMPTS[p.setting], p.record)).toBe(p.prompt);
      }
    }
  });
  it("replaces placeholders that the values themselves bring in (the chain is not a format)", () => {
    const fields = { context: " see $Q$ ", question: "Q?", choice_A: "a", choice_B: "b", choice_C: "c", choice_D: "d" };
    expect(renderPrompt(PROMPTS.zeroShot, fields)).toContain("<text>\nsee Q?\n</text>");
  });
});
