/**
 * Parity with LIBRA's own scorer: test/fixtures/parity-seed<N>.cases.json hold predictions and the
 * score eval.py's loop gives each (evaluation/metrics.py called by scripts/make-parity-fixture.py),
 * and results/parity-seed<N>.json is what `python eval.py -p predictions/parity-seed<N>.json` wrote.
 * Seed 2 was generated after the code was written (an unseen set).
 */
import { describe, expect, it } from "vitest";
import { paritySeeds } from "@loomscope/testkit";
import { numpyMean } from "@loomscope/metrics";
import { LIBRA_METRICS, TASKS, aggregate, libraSampleScore, officialResults, type LibraMetricName } from "../src/index.js";
import { fixture, fixtureText } from "./helpers.js";

interface Case {
  dataset: string;
  metric: LibraMetricName;
  length: string;
  model_answer: string;
  positive_outputs: string[];
  negative_outputs: string[];
  expected: { score: number; int: boolean };
}
interface Fixture {
  seed: number;
  predictions: string;
  cases: Case[];
  results: Record<string, unknown>;
}

for (const seed of paritySeeds([1, 2])) {
  const fx = fixture<Fixture>(`parity-seed${seed}.cases.json`);
  describe(`LIBRA parity, seed ${seed}`, () => {
    it("covers every metric with at least 100 cases", () => {
      expect(fx.cases.length).toBeGreaterThanOrEqual(100);
      expect(new Set(fx.cases.map((c) => c.metric))).toEqual(new Set(["em", "count_score", "f1"]));
    });

    it("scores every case exactly as eval.py", () => {
      const wrong = fx.cases.filter(
        (c) => !Object.is(libraSampleScore(c.metric, c.model_answer, c.positive_outputs, c.negative_outputs), c.expected.score),
      );
      expect(wrong).toEqual([]);
    });

    it("gives the same numbers through the metric objects", async () => {
      for (const c of fx.cases) {
        const metric = LIBRA_METRICS[c.metric];
        const v = await metric.score({
          prediction: c.model_answer,
          references: c.positive_outputs,
          scoring: { negative_outputs: c.negative_outputs },
          task: c.dataset,
          length: c.length,
          protocol: "official",
        });
        expect(v).toBe(c.expected.score);
      }
    });

    it("writes eval.py's results file byte for byte", () => {
      const preds = fixture<Record<string, never>>(fx.predictions);
      expect(officialResults(preds).json).toBe(fixtureText(`results/parity-seed${seed}.json`));
    });

    it("aggregates cells to eval.py's dataset and total scores", () => {
      const cells = new Map<string, { task: string; length: string; values: number[] }>();
      for (const c of fx.cases) {
        const k = `${c.dataset}|${c.length}`;
        const cell = cells.get(k) ?? { task: c.dataset, length: c.length, values: [] };
        cell.values.push(c.expected.score);
        cells.set(k, cell);
      }
      const agg = aggregate(
        [...cells.values()].map((c) => ({ task: c.task, length: c.length, n: c.values.length, errors: 0, values: { [TASKS.find((t) => t.id === c.task)!.metrics[0]!.id]: c.values } })),
      );
      // Cells arrive grouped per length, not in file order: the per-length means are the same sums
      // only when numpy's pairwise order matches, which holds below 8 values per cell.
      const results = fx.results as Record<string, Record<string, number>>;
      for (const [task, v] of Object.entries(agg.tasks)) {
        expect(v).toBe((results[task]!["dataset_total_score"] as number) * 100);
      }
      // eval.py averages datasets in the predictions file's order (this fixture shuffles it); a run
      // aggregates in config order, the order predict.py writes with datasets = ["all"].
      const inConfigOrder = TASKS.map((t) => results[t.id]?.["dataset_total_score"]).filter((x): x is number => x !== undefined);
      expect(agg.score).toBe(numpyMean(inConfigOrder) * 100);
      expect(Math.abs((agg.score as number) - (results["total_score"] as unknown as number) * 100)).toBeLessThan(1e-12);
    });
  });
}
