import { describe, expect, it } from "vitest";
import type { AggregateCell } from "@loomscope/spec";
import { aggregateNThread } from "../src/index.js";

const cells: AggregateCell[] = [
  { task: "Single_Needle", length: "2000", n: 4, errors: 0, values: { nthread_accuracy: [1, 1, 0, 1] } },
  { task: "Single_Needle", length: "16000", n: 2, errors: 1, values: { nthread_accuracy: [0, 1] } },
  { task: "Multi_Thread", length: "2000", n: 3, errors: 0, values: { nthread_accuracy: [0, 0, 1] } },
];

describe("aggregateNThread", () => {
  it("per task: the README's accuracy over all its samples; cells per context length; headline the task mean", () => {
    const a = aggregateNThread(cells);
    // 100 * mean, in that order, as the README prints 100 * accuracy.
    expect(a.tasks).toEqual({ Single_Needle: 100 * (4 / 6), Multi_Thread: 100 * (1 / 3) });
    expect(a.cells["Single_Needle"]).toEqual({ "2000": 75, "16000": 50 });
    expect(a.cells["Multi_Thread"]).toEqual({ "2000": 100 * (1 / 3) });
    expect(a.score).toBe((100 * (4 / 6) + 100 * (1 / 3)) / 2);
    expect(a.tables![0]!.columns).toEqual(["2000", "16000"]);
  });

  it("loom: rounded per-task ACC and the count-weighted overall", () => {
    const a = aggregateNThread(cells, "loom");
    expect(a.tasks).toEqual({ Single_Needle: 66.67, Multi_Thread: 33.33 });
    expect(a.score).toBe(55.56);
  });
});
