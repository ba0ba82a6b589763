import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import cs, { npRound3, parseAnswer, starScores, type Language, type Variant } from "../src/index.js";

interface Fixture {
  answers: { language: Language; variant: Variant; answer: string; context_size: number; score: number | null }[];
  files: Record<string, { lines: unknown[]; score: number }>;
  /** Broken answers json_repair has to undo, and ones where the notebook raises (score null). */
  hard_answers: { language: Language; variant: Variant; answer: string; score: number | null }[];
}
const fx = JSON.parse(readFileSync(new URL("./fixtures/parity.json", import.meta.url), "utf8")) as Fixture;

describe("parity with Counting-Stars' viz.ipynb (expected numbers from the official Python)", () => {
  it("has at least 100 varied answers", () => {
    expect(fx.answers.length).toBeGreaterThanOrEqual(100);
    expect(new Set(fx.answers.map((a) => a.score)).size).toBeGreaterThan(10);
  });
  it("each answer's score equals the notebook's (parsing, de-duplication, partial credit)", async () => {
    for (const a of fx.answers) {
      const p = parseAnswer(a.answer, a.language);
      expect(p.ok, a.answer).toBe(true);
      const scores = starScores(p.ok ? p.value : undefined, a.variant);
      expect(scores, a.answer).toBeDefined();
      const mean = npRound3(scores!.reduce((x, y) => x + y, 0) / scores!.length);
      expect(mean, `${a.language} ${a.variant} ${a.answer}`).toBe(a.score);
      const task = `${a.language.toLowerCase()}_${a.variant === "searching" ? "acquisition" : "reasoning"}`;
      const per = (await cs.score({ task, prediction: a.answer, references: [] })) as Record<string, number>;
      expect(npRound3(per["counting_stars"] as number)).toBe(a.score);
    }
  });
  it("answers json_repair (0.25.2) repairs score as the notebook scores them; where it raises, the answer is unparseable", () => {
    expect(fx.hard_answers.length).toBeGreaterThanOrEqual(100);
    const wrong: unknown[] = [];
    for (const a of fx.hard_answers) {
      const p = parseAnswer(a.answer, a.language);
      const scores = p.ok ? starScores(p.value, a.variant) : undefined;
      const got = scores ? npRound3(scores.reduce((x, y) => x + y, 0) / scores.length) : null;
      if (got !== a.score) wrong.push({ answer: a.answer, language: a.language, got, want: a.score });
    }
    expect(wrong).toEqual([]);
  });
  it("loom score counting-stars --predictions writes the final score per file, equal to the notebook's", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cs-pred-"));
    for (const [name, f] of Object.entries(fx.files)) writeFileSync(join(dir, name), f.lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
    const res = await cs.scoreOfficial!({ predictions: dir, log: () => {} });
    const written = JSON.parse(readFileSync(res.written[0]!, "utf8")) as Record<string, number>;
    for (const [name, f] of Object.entries(fx.files)) expect(written[name], name).toBe(f.score);
    expect(res.summary).toMatch(/Reasoning/);
  });
  it("the reasoning variant's partial credit: 1 right only, 0.5 both, 0.25 wrong only", () => {
    expect(starScores([15], "reasoning")![0]).toBe(1);
    expect(starScores([15, 16], "reasoning")![0]).toBe(0.5);
    expect(starScores([16], "reasoning")![0]).toBe(0.25);
    expect(starScores([], "reasoning")![0]).toBe(0);
  });
});
