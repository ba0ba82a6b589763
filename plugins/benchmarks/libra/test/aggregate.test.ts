import { describe, expect, it } from "vitest";
import libra, { aggregate } from "../src/index.js";

const cell = (task: string, length: string, metric: string, values: number[]) => ({ task, length, n: values.length, errors: 0, values: { [metric]: values } });

describe("LIBRA aggregation per protocol", () => {
  const cells = [
    cell("ru_sci_passage_count", "4k", "count_score", [1, 0.5]),
    cell("ru_sci_passage_count", "8k", "count_score", [0]),
    cell("passkey", "4k", "em", [1, 1]),
    cell("passkey", "8k", "em", [0]),
  ];

  it("official: eval.py's per-length means, missing configured lengths as 0, mean of dataset totals", () => {
    const agg = aggregate(cells);
    // passkey: 4k 1, 8k 0, four configured lengths missing -> (1 + 0 + 0 * 4) / 6.
    expect(agg.tasks["passkey"]).toBeCloseTo((100 * 1) / 6, 12);
    expect(agg.cells["passkey"]).toEqual({ "4k": 100, "8k": 0, "16k": null, "32k": null, "64k": null, "128k": null });
    expect(agg.tasks["ru_sci_passage_count"]).toBeCloseTo((100 * 0.75) / 6, 12);
  });

  it("loom: round(100 * mean, 2) per dataset over all lengths, count-weighted overall (values from Python)", () => {
    const agg = libra.configure!({ protocol: "loom", options: { engine: "hf", chatModel: true, systemPrompt: "" } }).aggregate!(cells);
    expect(agg.tasks).toEqual({ passkey: 66.67, ru_sci_passage_count: 50 });
    expect(agg.score).toBe(58.34);
  });
});
