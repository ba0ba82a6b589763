/**
 * `--protocol loom` (LOOM-Scope 0.1's matrics.py, run by scripts/make-loom-parity-fixture.py) and the
 * 16k files the phase-1 fixture lacked: what evaluate.py prints for every file at both lengths.
 */
import { cpSync, readFileSync, readdirSync } from "node:fs";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { fixtureFiles } from "@loomscope/testkit";
import { constructResultTable2Overall, numpyMean } from "@loomscope/metrics";
import type { AggregateCell, Scores } from "@loomscope/spec";
import bamboo, { aggregateBamboo, scoreOfficial } from "../src/index.js";
import { DEBIAN_PYTHON, requireDebianPython } from "./python.js";

// PARITY_FIXTURES points at another set (the scripts' --seed N: predictions these scorers were never checked on).
const FIX = fixtureFiles(new URL("./fixtures/", import.meta.url)).dir;
const PREDS = join(FIX, "loom-preds");
const parity = JSON.parse(readFileSync(join(FIX, "loom-parity.json"), "utf8")) as {
  timeout: number;
  scores: Record<string, Record<string, number>>;
  count: Record<string, number>;
  official_printed: Record<string, string>;
};
const sandbox = { allowCodeExecution: true, python: DEBIAN_PYTHON, timeoutSeconds: parity.timeout };

beforeAll(requireDebianPython);
const lines = (name: string) =>
  readFileSync(join(PREDS, name), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { pred: string | number[]; answer: string | boolean | number[] });

describe("evaluate.py on both lengths", () => {
  it("prints the official line for every 4k and 16k file", async () => {
    const dir = await mkdtemp(join(tmpdir(), "bamboo-16k-"));
    for (const n of readdirSync(PREDS).filter((n) => n.endsWith(".jsonl") && !n.startsWith("private_eval"))) cpSync(join(PREDS, n), join(dir, n));
    await scoreOfficial({ predictions: dir, log: () => {} });
    const got = JSON.parse(await readFile(join(dir, "score_official.json"), "utf8")) as Record<string, { printed: string }>;
    expect(Object.keys(parity.official_printed).filter((n) => n.includes("_16k")).length).toBe(9);
    for (const [name, printed] of Object.entries(parity.official_printed)) expect([name, got[name]?.printed]).toEqual([name, printed]);
  });
});

describe("LOOM-Scope's BAMBOO scorer", () => {
  it("score_loom.json holds what its evaluate gives ConstructResultTable2 (task keys, 4k read last, F1 only, private_eval ×100), and its weighted overall", async () => {
    const out = await mkdtemp(join(tmpdir(), "bamboo-loom-"));
    const res = await scoreOfficial({ predictions: PREDS, out, protocol: "loom", options: sandbox, log: () => {} });
    expect(res.written).toEqual([join(out, "score_loom.json")]);
    const got = JSON.parse(await readFile(join(out, "score_loom.json"), "utf8"));
    expect(got.BAMBOO).toEqual(parity.scores);
    expect(got.count).toEqual(parity.count);
    const taskScores = new Map(Object.entries(parity.scores).map(([t, m]) => [t, numpyMean(Object.values(m))]));
    expect(got["Average/Overall"]).toBe(constructResultTable2Overall(taskScores, new Map(Object.entries(parity.count))));
  }, 120_000);

  it("refuses private_eval without allowCodeExecution, and stops on a _results.jsonl left in the folder (KeyError)", async () => {
    await expect(scoreOfficial({ predictions: PREDS, protocol: "loom", log: () => {} })).rejects.toThrow(/allow-code-execution/);
    const dir = await mkdtemp(join(tmpdir(), "bamboo-loom-left-"));
    cpSync(join(PREDS, "altqa_4k.jsonl"), join(dir, "altqa_4k.jsonl"));
    cpSync(join(PREDS, "private_eval_4k.jsonl"), join(dir, "private_eval_4k.jsonl_results.jsonl"));
    await expect(scoreOfficial({ predictions: dir, protocol: "loom", log: () => {} })).rejects.toThrow(/no "answer" \(KeyError\)/);
  });
});

describe("a run's aggregate", () => {
  /** Cells from the prediction files, scored by the benchmark's metric objects (ordering replies as text). */
  async function cells(): Promise<AggregateCell[]> {
    const out: AggregateCell[] = [];
    for (const name of readdirSync(PREDS).filter((n) => n.endsWith(".jsonl") && !n.startsWith("private_eval")).sort()) {
      const [, task, length] = /^(.+)_(4k|16k)\.jsonl$/.exec(name)!;
      const rows: { id: string; meta: { answer?: boolean } | null; scores: Scores }[] = [];
      for (const [k, l] of lines(name).entries()) {
        const prediction = Array.isArray(l.pred) ? l.pred.join(" > ") : l.pred;
        const references = typeof l.answer === "string" ? [l.answer] : [JSON.stringify(l.answer)];
        const scores = await bamboo.score({ task: task!, length: length!, prediction, references, ...(Array.isArray(l.answer) ? { scoring: { answer: l.answer } } : {}) });
        rows.push({ id: `${task}_${length}-${k}`, meta: typeof l.answer === "boolean" ? { answer: l.answer } : null, scores });
      }
      const values: Record<string, number[]> = {};
      for (const r of rows) for (const [m, v] of Object.entries(r.scores)) if (v !== null) (values[m] ??= []).push(v);
      out.push({ task: task!, length: length!, n: rows.length, errors: 0, values, rows });
    }
    return out;
  }

  it("official: each task × length cell is the number evaluate.py prints (F1 for hallucination)", async () => {
    const agg = aggregateBamboo(await cells(), { protocol: "official" });
    for (const [name, printed] of Object.entries(parity.official_printed)) {
      const [, task, length] = /^(.+)_(4k|16k)\.jsonl$/.exec(name)!;
      const want = Number(printed.split(/[:/ ]+/).filter(Boolean).at(-1));
      expect([name, agg.cells[task!]?.[length!]]).toEqual([name, want]);
    }
    expect(agg.score).toBeNull();
    expect(agg.tables?.[1]?.columns).toEqual(["precision", "recall", "f1"]);
  });

  it("loom: the 4k cells (read last by LOOM-Scope) are its numbers", async () => {
    const agg = aggregateBamboo(await cells(), { protocol: "loom" });
    for (const [task, m] of Object.entries(parity.scores)) {
      if (task === "private_eval") continue;
      expect([task, agg.cells[task]?.["4k"]]).toEqual([task, Object.values(m)[0]]);
    }
    const scores = new Map(Object.entries(parity.scores).filter(([t]) => t !== "private_eval").map(([t, m]) => [t, Object.values(m)[0]!]));
    expect(agg.score).toBe(constructResultTable2Overall(scores, new Map(Object.entries(parity.count))));
  });
});
