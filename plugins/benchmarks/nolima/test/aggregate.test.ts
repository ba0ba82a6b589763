import { describe, expect, it } from "vitest";
import type { AggregateCell } from "@loomscope/spec";
import { aggregateNolima } from "../src/index.js";

const cell = (length: string, values: number[]): AggregateCell => ({ task: "needle_set", length, n: values.length, errors: 0, values: { nolima_metric: values } });

describe("aggregateNolima", () => {
  it("per length 100 × mean; base score over 250/500/1K; effective length at 85 % of it", () => {
    const a = aggregateNolima([
      cell("250", [1, 1, 1, 1]),
      cell("500", [1, 1, 1, 0]),
      cell("1K", [1, 1, 0, 1]),
      cell("2K", [1, 1, 1, 0]),
      cell("4K", [1, 0, 0, 0]),
    ]);
    expect(a.cells["needle_set"]).toEqual({ "250": 100, "500": 75, "1K": 75, "2K": 75, "4K": 25 });
    expect(a.groups!["needle_set:base_score"]).toBeCloseTo(250 / 3, 12);
    // 75 >= 0.85 * 83.33 = 70.8 up to 2K; 4K falls below.
    expect(a.tables![1]!.rows).toEqual(["needle_set"]);
    expect(a.tables![1]!.cells).toEqual([[a.groups!["needle_set:base_score"], 2000]]);
    expect(Object.keys(a.groups!)).toEqual(["needle_set:base_score"]); // groups stay on the 0-100 scale
    expect(a.score).toBe(a.tasks["needle_set"]);
    expect(a.tables![0]!.columns).toEqual(["250", "500", "1K", "2K", "4K"]);
  });
});
