import { describe, expect, it } from "vitest";
import { aggregateLongHealth } from "../src/index.js";

describe("LongHealth aggregation", () => {
  it("is the accuracy per task × 100 and their mean", () => {
    const agg = aggregateLongHealth([
      { task: "task1", length: null, n: 4, errors: 0, values: { longhealth_accuracy: [1, 1, 0, 1] } },
      { task: "task3", length: null, n: 2, errors: 1, values: { longhealth_accuracy: [0, 1] } },
    ]);
    expect(agg.tasks).toEqual({ task1: 75, task3: 50 });
    expect(agg.score).toBe(62.5);
    expect(agg.tables?.[0]?.rows).toEqual(["task1", "task3"]);
  });
});
