import { readFileSync } from "node:fs";
import { mkdtempSync, writeFileSync, readFileSync as read } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { pyFloatRepr, pythonRound as pyRound } from "@loomscope/metrics";
import ruler, { evaluateTask, postprocessPred, stringMatchAll, stringMatchPart } from "../src/index.js";

interface Fixture {
  tasks: Record<string, { lines: { pred: string; outputs: string[]; others: Record<string, number>; index: number }[]; score: number; nulls: string }>;
  samples: { task: string; pred: string; refs: string[]; post: string; score: number }[];
}
const fx = JSON.parse(readFileSync(new URL("./fixtures/parity.json", import.meta.url), "utf8")) as Fixture;
const log = () => {};

describe("parity with RULER's evaluate.py (expected numbers from the official Python)", () => {
  it("has at least 100 varied predictions", () => {
    expect(fx.samples.length).toBeGreaterThanOrEqual(100);
    expect(new Set(fx.samples.map((s) => s.score)).size).toBeGreaterThan(3);
  });
  it("postprocess_pred and the per-sample metric equal the official ones", async () => {
    for (const s of fx.samples) {
      expect(postprocessPred(s.pred)).toBe(s.post);
      const metric = ruler.tasks.find((t) => t.id === s.task)?.metrics[0] as string;
      const one = metric === "string_match_all" ? stringMatchAll([s.post], [s.refs]) : stringMatchPart([s.post], [s.refs]);
      expect(one).toBe(s.score);
      const per = (await ruler.score({ task: s.task, prediction: s.pred, references: s.refs })) as Record<string, number>;
      expect(pyRound((per[metric] as number) * 100, 2)).toBe(s.score);
    }
  });
  it("task scores and nulls equal the official summary", () => {
    for (const [task, t] of Object.entries(fx.tasks)) {
      const r = evaluateTask(task, t.lines.map((l) => ({ ...l, input: "..." })));
      expect(r.score, task).toBe(t.score);
      expect(r.nulls, task).toBe(t.nulls);
    }
  });
  it("pyRound rounds half to even on the binary value like Python", () => {
    expect(pyRound(0.125, 2)).toBe(0.12);
    expect(pyRound(0.375, 2)).toBe(0.38);
    expect(pyRound(2.675, 2)).toBe(2.67);
    expect(pyRound(66.66666666666667, 2)).toBe(66.67);
  });
});

describe("loom score ruler --predictions: evaluate.py's layout", () => {
  it("reads task files and chunked files and writes summary.csv with scores and nulls", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ruler-pred-"));
    const entries = Object.entries(fx.tasks);
    for (const [task, t] of entries) {
      const lines = t.lines.map((l) => JSON.stringify({ ...l, input: "..." }));
      if (task === "vt") {
        // Chunked: vt-0.jsonl, vt-1.jsonl, joined in sorted order.
        writeFileSync(join(dir, "vt-0.jsonl"), lines.slice(0, 5).join("\n") + "\n");
        writeFileSync(join(dir, "vt-1.jsonl"), lines.slice(5).join("\n") + "\n");
      } else writeFileSync(join(dir, `${task}.jsonl`), lines.join("\n") + "\n");
    }
    const res = await ruler.scoreOfficial!({ predictions: dir, log });
    const csv = read(join(dir, "summary.csv"), "utf8").trim().split("\n");
    // Tasks in synthetic.yaml order.
    const order = ruler.tasks.map((t) => t.id).filter((id) => id in fx.tasks);
    expect(csv[0]).toBe(["0", ...order.map((_, i) => String(i + 1))].join(","));
    expect(csv[1]).toBe(["Tasks", ...order].join(","));
    expect(csv[2]).toBe(["Score", ...order.map((t) => pyFloatRepr(fx.tasks[t]!.score))].join(","));
    expect(csv[3]).toBe(["Nulls", ...order.map((t) => fx.tasks[t]!.nulls)].join(","));
    expect(res.written.some((w) => w.endsWith("submission.csv"))).toBe(true);
    const sub = read(join(dir, "submission.csv"), "utf8");
    expect(sub.startsWith("Task,ID,Prediction\n")).toBe(true);
  });
  it("a single task writes summary-<task>.csv; a line without `input` stops naming file and line", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ruler-pred-"));
    writeFileSync(join(dir, "qa_1.jsonl"), JSON.stringify({ input: "x", pred: "Paris", outputs: ["paris"], others: {} }) + "\n");
    await ruler.scoreOfficial!({ predictions: dir, log });
    expect(read(join(dir, "summary-qa_1.csv"), "utf8")).toBe("0,1\nTasks,qa_1\nScore,100.0\nNulls,0/1\n");
    writeFileSync(join(dir, "qa_2.jsonl"), JSON.stringify({ pred: "x", outputs: ["y"], others: {} }) + "\n");
    await expect(ruler.scoreOfficial!({ predictions: dir, log })).rejects.toThrow(/qa_2\.jsonl:1/);
  });
});
