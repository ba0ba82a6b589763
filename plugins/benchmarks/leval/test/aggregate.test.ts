/**
 * Run-mode metrics + aggregate reproduce what auto_eval.py printed for the fixture prediction files:
 * each evaluated line scored as a sample by the task's metric objects, the values aggregated.
 */
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { pyDictsToObjects, pyFloatRepr, type MetricInput } from "@loomscope/metrics";
import type { AggregateCell } from "@loomscope/spec";
import { aggregateLeval, isTaskId, readJsonlLikeLeval, rougeScores, taskMetrics, winRate, type TaskId } from "../src/index.js";

const fixtures = fileURLToPath(new URL("./fixtures/", import.meta.url));
type Described = { float?: string; int?: string; dict?: Record<string, Described> };
const printed = JSON.parse(await readFile(join(fixtures, "auto-eval-printed.json"), "utf8")) as Record<string, Record<string, Described>>;

async function cellOf(kind: string, file: string): Promise<AggregateCell> {
  const task = file.replace(".pred.jsonl", "") as TaskId;
  const lines = (await readJsonlLikeLeval(join(fixtures, "Predictions", kind, "fx-model", file))).map(pyDictsToObjects) as Record<string, string>[];
  const values: Record<string, number[]> = {};
  for (const line of lines) {
    if (!["exam", "f1", "rouge"].includes(line["evaluation"] as string)) continue;
    for (const metric of taskMetrics(task)) {
      const input: MetricInput = { task, prediction: line["fx-model_pred"] as string, references: [line["gt"] as string], protocol: "official" };
      const value = await metric.score(input);
      expect(value).not.toBeNull();
      (values[metric.id] ??= []).push(value!);
    }
  }
  const n = Object.values(values)[0]?.length ?? 0;
  return { task, length: null, n, errors: 0, values };
}

describe("aggregate = auto_eval.py's printed task scores", () => {
  for (const kind of ["exam_eval", "ngram_eval"]) {
    it(kind, async () => {
      for (const file of (await readdir(join(fixtures, "Predictions", kind, "fx-model"))).sort()) {
        const task = file.replace(".pred.jsonl", "");
        expect(isTaskId(task)).toBe(true);
        const cell = await cellOf(kind, file);
        const agg = aggregateLeval([cell]);
        const want = printed[`Predictions/${kind}/fx-model/${file}`]!;
        const expected =
          want["average score of the 1st/2nd/3rd sentence retrieval"]?.float ??
          want["average score of fact and loyalty"]?.float ??
          want["metrics"]!.dict!["LEval_score"]!.float;
        expect([file, pyFloatRepr(agg.tasks[task] as number)]).toEqual([file, expected]);
        if (want["metrics"]?.dict?.["rouge/rouge1"]) {
          const r = rougeScores(cell.values)!;
          for (const k of ["rouge1", "rouge2", "rougeL", "rougeLsum"]) expect(pyFloatRepr(r[k]!)).toBe(want["metrics"].dict[`rouge/${k}`]!.float);
        }
      }
    });
  }

  it("llm_eval.py's win rate: errors dropped, ties half", () => {
    expect(winRate([{ wins: 2, losses: 0, ties: 0 }, { wins: 0, losses: 1, ties: 1 }, { wins: 0, losses: 0, ties: 0 }])).toBe(2.5 / 4);
    const agg = aggregateLeval([{ task: "llm_gpt4_eval", length: null, n: 3, errors: 0, values: { llm_judge_points: [2, 0.5, 0], llm_judge_valid: [2, 2, 0] } }]);
    expect(agg.tasks["llm_gpt4_eval"]).toBe((100 * 2.5) / 4);
  });
});
