/**
 * Parity with CLongEval's own scorer: parity-seed<N>.json holds synthetic answers and adversarial
 * predictions made by scripts/make-parity-fixture.py from its seed (nothing copied from the official
 * repository) and what the official metrics.py returned or raised for each; inference_results-seed<N>/
 * and eval_results-seed<N>/ are official-format folders and what eval.py (run per dataset as eval.sh
 * does) appended for them. A third seed was checked the same way without being committed.
 */
import { mkdtemp, readFile, cp, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fixtureFiles, paritySeeds } from "@loomscope/testkit";
import { OfficialScorerError } from "@loomscope/metrics";
import { CLONGEVAL_METRICS, DATASET_METRIC, TASKS, scoreOfficialClongeval, scoreSample, type ClongevalDataset } from "../src/index.js";
import { fixture, fixturePath, fixtureText } from "./helpers.js";

interface Case {
  dataset: ClongevalDataset;
  prediction: string;
  answer: string | number;
  expected: { score: number } | { error: string };
}
const log = (): void => {};

for (const seed of paritySeeds([1, 2])) {
  const { cases } = fixture<{ cases: Case[] }>(`parity-seed${seed}.json`);
  describe(`CLongEval parity, seed ${seed}`, () => {
    it("has at least 100 cases over all 7 tasks, with official crash cases", () => {
      expect(cases.length).toBeGreaterThanOrEqual(100);
      expect(new Set(cases.map((c) => c.dataset)).size).toBe(7);
      expect(cases.some((c) => "error" in c.expected)).toBe(true);
    });

    it("equals metrics.py for every case, to the last bit, and raises where it raises", () => {
      const wrong: unknown[] = [];
      for (const c of cases) {
        if ("score" in c.expected) {
          const got = scoreSample(c.dataset, c.prediction, c.answer);
          if (!Object.is(got, c.expected.score) && !(got === 0 && c.expected.score === 0)) wrong.push({ ...c, got });
        } else {
          let err: unknown;
          try {
            scoreSample(c.dataset, c.prediction, c.answer);
          } catch (e) {
            err = e;
          }
          if (!(err instanceof OfficialScorerError) || err.pythonError !== c.expected.error) wrong.push({ ...c, got: String(err) });
        }
      }
      expect(wrong).toEqual([]);
    });

    it("gives the same values through the metric objects", async () => {
      for (const c of cases) {
        if (!("score" in c.expected) || typeof c.answer !== "string") continue;
        const m = CLONGEVAL_METRICS[DATASET_METRIC[c.dataset].name as keyof typeof CLONGEVAL_METRICS];
        expect(await m.score({ prediction: c.prediction, references: [c.answer], task: c.dataset, protocol: "official" })).toBe(c.expected.score);
      }
      expect(TASKS.map((t) => t.metrics[0]!.id)).toEqual(TASKS.map((t) => DATASET_METRIC[t.id as ClongevalDataset].name));
    });

    it("writes eval_results/<model>.jsonl as eval.sh + eval.py append it, byte for byte", async () => {
      for (const model of ["gpt4-turbo-128k", "moonshot-v1"]) {
        const root = await mkdtemp(join(tmpdir(), "clongeval-"));
        await cp(fixturePath(`inference_results-seed${seed}`), join(root, "inference_results"), { recursive: true });
        const res = await scoreOfficialClongeval({ predictions: join(root, "inference_results", model), log });
        expect(res.written).toEqual([join(root, "eval_results", `${model}.jsonl`)]);
        expect(await readFile(join(root, "eval_results", `${model}.jsonl`), "utf8")).toBe(fixtureText(`eval_results-seed${seed}/${model}.jsonl`));
      }
    });
  });
}

describe("scoreOfficial crash cases", () => {
  it("stops without writing when a file has only skipped lines (ZeroDivisionError)", async () => {
    const root = await mkdtemp(join(tmpdir(), "clongeval-"));
    const dir = join(root, "inference_results", "m", "table_querying");
    // Always the committed folder (PARITY_FIXTURES may point at a set without it).
    await cp(fixtureFiles(new URL("./fixtures/", import.meta.url), {}).path("inference_results-seed1/moonshot-v1/table_querying"), dir, { recursive: true });
    const { writeFile } = await import("node:fs/promises");
    await writeFile(join(dir, "small.jsonl"), JSON.stringify({ id: 1, query: "", answer: "1", response_m: "HTTP_ERROR" }) + "\n");
    await expect(scoreOfficialClongeval({ predictions: join(root, "inference_results", "m"), log })).rejects.toThrow(/divides by zero/);
    expect(await readdir(root)).toEqual(["inference_results"]);
  });
});
