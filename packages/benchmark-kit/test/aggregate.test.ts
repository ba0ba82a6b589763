import { describe, expect, it } from "vitest";
import { pivotTable } from "../src/index.js";

describe("pivotTable", () => {
  it("pivots per-sample values by a meta field × length, with per-cell n, as a declared heatmap view", () => {
    const cells = [
      { task: "t", length: "8k", n: 3, errors: 0, values: { acc: [1, 0, 1] }, meta: [{ depth: 50 }, { depth: 0 }, { depth: 50 }] },
      { task: "t", length: "1k", n: 3, errors: 1, values: { acc: [0, 1, 1] }, meta: [{ depth: 0 }, { depth: 0 }, null] },
    ];
    const table = pivotTable({
      cells,
      rowOf: (meta) => (typeof meta?.["depth"] === "number" ? meta["depth"] : undefined),
      metric: "acc",
      value: (v) => v * 100,
      cellScore: (v) => v.reduce((a, b) => a + b, 0) / v.length,
      columnOrder: (l) => Number.parseInt(l, 10),
      title: "t: depth x length",
      rowAxis: "depth (%)",
      columnAxis: "length",
      range: [0, 100],
    })!;
    expect(table).toEqual({
      title: "t: depth x length",
      rows: ["0", "50"],
      columns: ["1k", "8k"],
      // depth 0: 1k holds 0 and 100 (the sample without meta is left out); 8k holds 0.
      cells: [[50, 0], [null, 100]],
      n: [[2, 1], [0, 2]],
      view: "heatmap",
      rowAxis: "depth (%)",
      columnAxis: "length",
      range: [0, 100],
    });
  });

  it("declares nothing when no sample has the meta field", () => {
    expect(pivotTable({ cells: [{ task: "t", length: "1k", n: 1, errors: 0, values: { acc: [1] } }], rowOf: () => undefined, metric: "acc", cellScore: () => 1, title: "", rowAxis: "", columnAxis: "" })).toBeUndefined();
  });
});
