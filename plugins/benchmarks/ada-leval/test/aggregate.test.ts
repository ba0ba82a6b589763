import { describe, expect, it } from "vitest";
import { aggregateAdaLeval, datasetAccuracy } from "../src/index.js";

describe("Ada-LEval aggregation", () => {
  it("is 100 × hits / items per task × setting, with plain means above it", () => {
    const agg = aggregateAdaLeval([
      { task: "stackselect", length: "1k", n: 4, errors: 0, values: { best_answer_accuracy: [1, 0, 1, 1] } },
      { task: "stackselect", length: "6k", n: 3, errors: 1, values: { best_answer_accuracy: [0, 0, 1] } },
      { task: "textsort", length: "2k", n: 2, errors: 0, values: { tsort_accuracy: [0, 0] } },
    ]);
    expect(agg.cells).toEqual({ stackselect: { "1k": 75, "6k": 100 * (1 / 3) }, textsort: { "2k": 0 } });
    expect(agg.tasks["stackselect"]).toBe((75 + 100 * (1 / 3)) / 2);
    expect(agg.tables?.map((t) => [t.title, t.columns])).toEqual([
      ["BestAnswer accuracy (%)", ["1k", "6k"]],
      ["TSort accuracy (%)", ["2k"]],
    ]);
    expect(datasetAccuracy([])).toBeNull();
  });
});
