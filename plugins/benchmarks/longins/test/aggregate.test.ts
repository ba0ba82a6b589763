import { describe, expect, it } from "vitest";
import { aggregateLongins, cellScore } from "../src/index.js";

describe("LongIns aggregation", () => {
  it("is eval.py's sum/len per mode × length, × 100, with plain means above it", () => {
    const agg = aggregateLongins([
      { task: "GIST", length: "256", n: 3, errors: 0, values: { longins_f1: [1, 0.5, 0] } },
      { task: "GIST", length: "512", n: 1, errors: 1, values: { longins_f1: [0.25] } },
      { task: "LIST", length: "256", n: 2, errors: 0, values: { longins_f1: [0.1, 0.2] } },
    ]);
    expect(agg.cells).toEqual({ GIST: { "256": 50, "512": 25 }, LIST: { "256": 100 * ((0.1 + 0.2) / 2) } });
    expect(agg.tasks["GIST"]).toBe(37.5);
    expect(agg.score).toBe((50 + 25 + 100 * ((0.1 + 0.2) / 2)) / 3);
    expect(agg.tables?.[0]).toMatchObject({ rows: ["GIST", "LIST"], columns: ["256", "512"], cells: [[50, 25], [100 * 0.15000000000000002, null]] });
    expect(cellScore([])).toBeNull();
  });
});
