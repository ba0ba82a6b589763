/**
 * `--protocol loom` parity: test/fixtures/parity-loom.json holds what LOOM-Scope's own
 * L_CiteEval eval_correct.py / eval_citation.py computed per sample (and per task) on generated
 * predictions (scripts/make-loom-parity-fixture.py), with the same scripted NLI labels.
 */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Judge } from "@loomscope/spec";
import { LOOM_TASK_METRICS, LoomSkippedError, loadPunktTab, loomCitationF1, loomCorrectness, loomTaskScore, type Answer, type DemoItem } from "../src/index.js";
import { fixture, fixturePath } from "./helpers.js";

interface Fx {
  runs: { task: string; records: { answer: Answer; docs: DemoItem["docs"] }[]; generations: string[] }[];
  correct: Record<string, number[]>;
  citation: Record<string, number[]>;
  nli: [string, string][];
  tables: { path: string; scores: Record<string, Record<string, Record<string, number>>> }[];
}
const fx = fixture<Fx>("parity-loom.json");
const sha = (s: string): string => createHash("sha256").update(s, "utf8").digest("hex");

describe("LOOM-Scope's L_CiteEval scorer", () => {
  it("gives the same per-sample correctness (skipping what it skips) and per-task numbers", () => {
    const table = fx.tables.find((t) => t.path === "results.xlsx" && "L_CiteEval_Correct" in t.scores)?.scores["L_CiteEval_Correct"] ?? {};
    for (const run of fx.runs) {
      const got: number[] = [];
      run.records.forEach((r, i) => {
        try {
          got.push(loomCorrectness(run.task, run.generations[i] as string, r.docs, r.answer, "test-model"));
        } catch (e) {
          if (!(e instanceof LoomSkippedError)) throw e;
        }
      });
      expect({ task: run.task, got }).toEqual({ task: run.task, got: fx.correct[run.task] });
      expect(loomTaskScore(got)).toBe(table[run.task]?.[LOOM_TASK_METRICS[run.task] as string]);
    }
  });

  it("gives the same per-sample citation F1 with the same NLI verdicts", async () => {
    const params = await loadPunktTab(fixturePath("punkt_tab/english"));
    const labels = new Map<string, string[]>();
    for (const [k, l] of fx.nli) labels.set(k, [...(labels.get(k) ?? []), l]);
    const judge: Judge = {
      id: "fake:nli",
      complete: async (req) => {
        const q = labels.get(sha(`${req.messages[0]?.content}\u0000${req.messages[1]?.content}`));
        if (!q || q.length === 0) throw new Error("an NLI pair LOOM-Scope's run did not ask");
        return q.shift() as string;
      },
    };
    const table = fx.tables.find((t) => t.path === "results.xlsx" && "L_CiteEval_Cite" in t.scores)?.scores["L_CiteEval_Cite"] ?? {};
    // LOOM-Scope scores files in directory order; the NLI replay is keyed by pair, so order does not matter.
    for (const run of fx.runs) {
      const got: number[] = [];
      for (const [i, r] of run.records.entries()) got.push(await loomCitationF1(run.task, run.generations[i] as string, r.docs, r.answer, judge, params, "test-model"));
      expect({ task: run.task, got }).toEqual({ task: run.task, got: fx.citation[run.task] });
      expect(loomTaskScore(got)).toBe(table[run.task]?.["F1"]);
    }
  });
});
