/** The metric objects read the stored label and the model family, as a run scores a sample. */
import { describe, expect, it } from "vitest";
import { PyFloat, type MetricInput } from "@loomscope/metrics";
import { TASK_IDS, TASK_METRICS, aggregateInfiniteBench, encodeLabel, type TaskId } from "../src/index.js";

const input = (task: TaskId, prediction: string, label: unknown, extra: Partial<MetricInput> = {}): MetricInput => ({
  task,
  prediction,
  references: [],
  scoring: { label: encodeLabel(label as never), model_family: "yarn-mistral" },
  protocol: "official",
  ...extra,
});

describe("metric objects", () => {
  it("one binary or graded metric per task", () => {
    for (const t of TASK_IDS) expect(TASK_METRICS[t].id).toMatch(/^[a-z_0-9]+$/);
    expect(TASK_METRICS.passkey.binary).toBe(true);
    expect(TASK_METRICS.longbook_sum_eng.binary).toBe(false);
  });

  it("score from the stored label, floats kept as floats", async () => {
    expect(await TASK_METRICS.passkey.score(input("passkey", "The pass key is 71432.", ["71432"]))).toBe(1);
    expect(await TASK_METRICS.math_find.score(input("math_find", "5.5", [new PyFloat(5.5)]))).toBe(1);
    expect(() => TASK_METRICS.math_find.score(input("math_find", "5.0", [5]))).toThrow(/ValueError/);
    expect(await TASK_METRICS.math_find.score(input("math_find", "5.0", [new PyFloat(5)]))).toBe(1);
    expect(await TASK_METRICS.kv_retrieval.score(input("kv_retrieval", "abc", ["abc"]))).toBe(0);
    expect(await TASK_METRICS.kv_retrieval.score(input("kv_retrieval", '"abc".', "abc"))).toBe(1);
  });

  it("Math.Calc drops the first number for the gpt4 family only, never under protocol loom", async () => {
    const gpt4 = input("math_calc", "[0, 1, 4, 8]", [1, 4, 8], { scoring: { label: [1, 4, 8], model_family: "gpt4" } });
    expect(await TASK_METRICS.math_calc.score(gpt4)).toBe(1);
    expect(await TASK_METRICS.math_calc.score({ ...gpt4, protocol: "loom" })).toBe(0);
    expect(await TASK_METRICS.math_calc.score(input("math_calc", "[1, 4, 9]", [1, 4, 8]))).toBeCloseTo(2 / 3, 15);
  });
});

describe("aggregate", () => {
  it("task score = 100 × mean; the average over tasks is labelled as not official", () => {
    const agg = aggregateInfiniteBench([
      { task: "passkey", length: null, n: 3, errors: 0, values: { first_int_match: [1, 1, 0] } },
      { task: "longbook_sum_eng", length: null, n: 2, errors: 0, values: { rouge_lsum: [0.25, 0.5] } },
    ]);
    expect(agg.tasks).toEqual({ passkey: 100 * (2 / 3), longbook_sum_eng: 37.5 });
    expect(agg.score).toBe((100 * (2 / 3) + 37.5) / 2);
    expect(agg.tables?.[0]?.rows).toEqual(["Retrieve.PassKey", "En.Sum", "Average (not official)"]);
    expect(agg.tables?.[0]?.cells[0]).toEqual([66.67]);
  });
});
