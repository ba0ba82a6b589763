/**
 * Parity with LongBench's own code: every expected number in test/fixtures/parity.json was produced
 * by scripts/make-parity-fixture.py running LongBench/metrics.py and eval.py's scoring loop (rouge
 * 1.0.1, jieba 0.42.1, fuzzywuzzy 0.18.0 on its difflib path, Python 3.11.2), at eval.py's call
 * depth and at LOOM-Scope's.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { OfficialScorerError } from "@loomscope/metrics";
import {
  DATASET2MAXLEN,
  DATASET2METRIC,
  DATASET2PROMPT,
  DATASETS,
  MODEL2MAXLEN,
  LONGBENCH_METRICS,
  isDataset,
  scoreSample,
  type Dataset,
} from "../src/index.js";

interface Case {
  dataset: string;
  pred: string;
  answers: string[];
  all_classes: string[] | null;
  official: number;
  loom: number;
}
interface Fixture {
  prompts_sha256: Record<string, string>;
  dataset2maxlen: Record<string, number>;
  model2maxlen: Record<string, number>;
  cases: Case[];
  errors: { dataset: string; pred: string; answers: string[]; all_classes: string[] | null; error: string | null }[];
}
const fixture = JSON.parse(readFileSync(process.env["LONGBENCH_PARITY_FIXTURE"] ?? new URL("./fixtures/parity.json", import.meta.url), "utf8")) as Fixture;

function dataset(name: string): Dataset {
  if (!isDataset(name)) throw new Error(`not a dataset: ${name}`);
  return name;
}

describe("configuration equals LongBench/config byte for byte", () => {
  it("dataset2prompt.json (sha256 of every template)", () => {
    const ours = Object.fromEntries(
      Object.entries(DATASET2PROMPT).map(([k, v]) => [k, createHash("sha256").update(v, "utf8").digest("hex")]),
    );
    expect(ours).toEqual(fixture.prompts_sha256);
    expect(Object.keys(DATASET2PROMPT)).toEqual(Object.keys(fixture.prompts_sha256));
  });
  it("dataset2maxlen.json and model2maxlen.json", () => {
    expect(DATASET2MAXLEN).toEqual(fixture.dataset2maxlen);
    expect(MODEL2MAXLEN).toEqual(fixture.model2maxlen);
  });
});

describe("per-sample scores equal eval.py's scorer loop", () => {
  const { cases } = fixture;
  it(`covers every dataset and metric with enough cases (${cases.length})`, () => {
    expect(cases.length).toBeGreaterThanOrEqual(400);
    expect(new Set(cases.map((c) => c.dataset))).toEqual(new Set(DATASETS));
    for (const metric of Object.keys(LONGBENCH_METRICS)) {
      expect(cases.filter((c) => DATASET2METRIC[dataset(c.dataset)] === metric).length).toBeGreaterThanOrEqual(10);
    }
  });
  it("protocol official: every value identical to the last bit", () => {
    const bad = cases
      .map((c) => ({ c, got: scoreSample(dataset(c.dataset), c.pred, c.answers, c.all_classes, "official") }))
      .filter(({ c, got }) => !Object.is(got, c.official))
      .map(({ c, got }) => ({ dataset: c.dataset, pred: c.pred.slice(0, 80), want: c.official, got }));
    expect(bad).toEqual([]);
  });
  it("protocol loom: every value identical (LOOM-Scope's deeper stack cuts rouge's recursion earlier)", () => {
    const bad = cases
      .map((c) => ({ c, got: scoreSample(dataset(c.dataset), c.pred, c.answers, c.all_classes, "loom") }))
      .filter(({ c, got }) => !Object.is(got, c.loom))
      .map(({ c, got }) => ({ dataset: c.dataset, pred: c.pred.slice(0, 80), want: c.loom, got }));
    expect(bad).toEqual([]);
    // the fixture shows the protocols apart, so this test can fail when they are blended
    expect(cases.filter((c) => c.official !== c.loom).length).toBeGreaterThan(0);
  });
  it("metric objects score through the task id, the E variant included", async () => {
    const c = cases.find((x) => x.dataset === "trec" && x.official > 0 && x.official < 1) as Case;
    const metric = LONGBENCH_METRICS.classification_score;
    const input = { prediction: c.pred, references: c.answers, scoring: { all_classes: c.all_classes }, protocol: "official" as const };
    expect(await metric.score({ ...input, task: "trec" })).toBe(c.official);
    expect(await metric.score({ ...input, task: "trec_e" })).toBe(c.official);
    expect(() => metric.score({ ...input, task: "qasper" })).toThrow(/not the metric of qasper/);
  });
  it("raises where eval.py raises", () => {
    for (const e of fixture.errors) {
      expect(e.error).not.toBeNull();
      let thrown: unknown;
      try {
        scoreSample(dataset(e.dataset), e.pred, e.answers, e.all_classes);
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toBeInstanceOf(OfficialScorerError);
      expect((thrown as OfficialScorerError).pythonError).toBe(e.error);
    }
  });
});
