/**
 * Parity with InfiniteBench's compute_scores.py: every expected value was produced by running it
 * (scripts/make-parity-fixture.py). INFINITEBENCH_FIXTURE=path checks a fixture made with another --seed.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { OfficialScorerError, pyDictsToObjects, pyJsonLoads, type PyJsonValue } from "@loomscope/metrics";
import { TASK_IDS, meanScore, scoreOne, type TaskId } from "../src/index.js";

interface Case {
  pred: string;
  label: PyJsonValue;
  model: string;
  score?: number;
  error?: string;
}
const path = process.env.INFINITEBENCH_FIXTURE ?? new URL("./fixtures/parity.json", import.meta.url);
const fixture = pyDictsToObjects(pyJsonLoads(readFileSync(path, "utf8"))) as unknown as {
  seed: number;
  tasks: Record<TaskId, { cases: Case[]; means: Record<string, PyJsonValue> }>;
};
const num = (v: unknown): number => (typeof v === "number" ? v : (v as { value: number }).value);

describe(`compute_scores.py parity (seed ${fixture.seed})`, () => {
  it("covers every task with at least 100 cases in all and every error path", () => {
    const all = TASK_IDS.flatMap((t) => fixture.tasks[t].cases);
    expect(all.length).toBeGreaterThanOrEqual(1000);
    const errors = new Set(all.filter((c) => c.error).map((c) => c.error));
    expect([...errors].sort()).toEqual(["AssertionError", "IndexError", "TypeError", "ValueError", "ZeroDivisionError"]);
  });

  for (const task of TASK_IDS) {
    it(`${task}: every score bit for bit, every crash as a crash`, () => {
      const { cases, means } = fixture.tasks[task];
      const byModel = new Map<string, number[]>();
      for (const c of cases) {
        const label = JSON.stringify([c.pred.slice(0, 50), c.model]);
        if (c.error !== undefined) {
          let thrown: unknown;
          try {
            scoreOne(c.pred, c.label, task, c.model);
          } catch (e) {
            thrown = e;
          }
          expect(thrown, label).toBeInstanceOf(OfficialScorerError);
          expect((thrown as OfficialScorerError).pythonError, label).toBe(c.error);
          continue;
        }
        const got = scoreOne(c.pred, c.label, task, c.model);
        expect([label, got]).toEqual([label, num(c.score)]);
        byModel.set(c.model, [...(byModel.get(c.model) ?? []), got]);
      }
      for (const [model, mean] of Object.entries(means)) expect(meanScore(byModel.get(model) ?? [])).toBe(num(mean));
    });
  }
});
