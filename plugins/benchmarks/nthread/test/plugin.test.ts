/**
 * The plugin as core runs it: both protocols' scorers on a run's samples (the README rule raises where
 * its loop would stop: the sample fails, it is not scored 0), the aggregate grouped by the records'
 * context lengths, and what is declared.
 */
import { describe, expect, it } from "vitest";
import { optionDefaults, type KitBenchmark } from "@loomscope/benchmark-kit";
import type { AggregateCell } from "@loomscope/spec";
import nthread from "../src/index.js";

const u = "1759edc3-72ae-2244-8b01-63c1cd9d2b7d";
const loom = nthread.configure!({ protocol: "loom", options: optionDefaults(nthread.options) }) as KitBenchmark;

describe("nthread plugin", () => {
  it("declares capability, protocols and how a failed sample counts", () => {
    expect(nthread.capability).toBe("retrieval");
    expect(nthread.protocols).toEqual(["official", "loom"]);
    expect(nthread.failedSamples).toBe("exclude");
    expect(nthread.tasks.every((t) => t.maxNewTokens === 100)).toBe(true);
  });

  it("official: a quoted answer is right, a bare UUID or an empty response stops as the README loop would", async () => {
    const base = { task: "Single_Needle", references: [u] };
    expect(await nthread.score({ ...base, prediction: `'${u}'` })).toEqual({ nthread_accuracy: 1 });
    await expect(nthread.score({ ...base, prediction: `"${u}" and more` })).rejects.toMatchObject({ pythonError: "ValueError" }); // parses, but not a literal
    expect(await nthread.score({ ...base, prediction: `"${u}, more"` })).toEqual({ nthread_accuracy: 1 });
    await expect(nthread.score({ ...base, prediction: u })).rejects.toMatchObject({ pythonError: expect.stringMatching(/SyntaxError|ValueError/) });
    await expect(nthread.score({ ...base, prediction: "" })).rejects.toMatchObject({ pythonError: "SyntaxError" });
    // A list answer is never equal to a str: 0 on a multi-value task.
    expect(await nthread.score({ task: "Multi_Needle", references: [`['${u}']`], prediction: `['${u}']` })).toEqual({ nthread_accuracy: 0 });
  });

  it("loom: substring presence of every value, in any order", async () => {
    expect(await loom.score({ task: "Multi_Needle", references: [`['${u}', 'abc']`], prediction: `abc then ${u}` })).toEqual({ nthread_accuracy: 1 });
    expect(await loom.score({ task: "Single_Needle", references: [u], prediction: "" })).toEqual({ nthread_accuracy: 0 });
  });

  it("aggregates a run's cells by the records' context lengths", () => {
    const row = (id: string, length: number, v: number) => ({ id, meta: { context_length: length }, scores: { nthread_accuracy: v } });
    const cells: AggregateCell[] = [
      {
        task: "Single_Needle",
        length: null,
        n: 4,
        errors: 1,
        values: { nthread_accuracy: [1, 0, 1, 1] },
        rows: [row("Single_Needle-0", 2000, 1), row("Single_Needle-1", 16000, 0), row("Single_Needle-2", 2000, 1), row("Single_Needle-3", 16000, 1)],
      },
    ];
    const official = nthread.aggregate!(cells);
    expect(official.cells).toEqual({ Single_Needle: { "2000": 100, "16000": 50 } });
    expect(official.tasks).toEqual({ Single_Needle: 75 });
    expect(official.tables![0]!.columns).toEqual(["2000", "16000"]);
    expect(official.tables![0]!.title).toMatch(/not a number the official code computes/);
    expect(loom.aggregate!(cells).score).toBe(75);
  });
});
