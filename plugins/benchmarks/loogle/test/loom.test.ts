/**
 * `--protocol loom`: LOOM-Scope 0.1's LooGLE scorer (automatic_eval.py), fixtures made by
 * scripts/make-loom-parity-fixture.py from its own code. Its `score * 100` repeats the BLEU and
 * ROUGE tuples instead of scaling them, so only METEOR is ×100.
 */
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fixtureFiles } from "@loomscope/testkit";
import type { AggregateCell } from "@loomscope/spec";
import loogle, { aggregateLoogle, getBleuScore, getMeteorScore, getRougeScore, officialHypothesis, scoreOfficial } from "../src/index.js";

// PARITY_FIXTURES points at another set (the scripts' --seed N: predictions these scorers were never checked on).
const FIX = fixtureFiles(new URL("./fixtures/", import.meta.url)).dir;
const parity = JSON.parse(readFileSync(join(FIX, "loom-parity.json"), "utf8")) as {
  tasks: Record<string, Record<string, number>>;
  lengths: Record<string, Record<string, number>>;
  count: Record<string, Record<string, number>>;
  length_json: string;
};
const lines = (task: string) =>
  readFileSync(join(FIX, "loom", `${task}.jsonl`), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { llm_output: string; output: string; LEN: number });

describe("LOOM-Scope's LooGLE scorer", () => {
  it("score_loom.json and length.json equal what its automatic_eval.py hands to ConstructResultTable2 and writes", async () => {
    const out = await mkdtemp(join(tmpdir(), "loogle-loom-"));
    const res = await scoreOfficial({ predictions: join(FIX, "loom"), out, protocol: "loom", log: () => {} });
    expect(res.written).toEqual([join(out, "length.json"), join(out, "score_loom.json")]);
    const got = JSON.parse(await readFile(join(out, "score_loom.json"), "utf8"));
    expect(got.LooGLE).toEqual(parity.tasks);
    expect(got.LooGLE_length).toEqual(parity.lengths);
    expect(got.count).toEqual(Object.fromEntries(Object.entries(parity.count).map(([t, c]) => [t, Object.fromEntries(Object.entries(c).filter(([k]) => k !== "bertscore"))])));
    expect(await readFile(join(out, "length.json"), "utf8")).toBe(parity.length_json);
    expect(got.not_computed[0]).toMatch(/^bertscore: BERTScore needs a model/);
  });

  it("a run's aggregate under --protocol loom gives the same per-task numbers", () => {
    const cells: AggregateCell[] = ["longdep_qa", "longdep_summarization"].map((task) => {
      const rows = lines(task).map((l) => {
        const hyp = officialHypothesis(l.llm_output);
        const [b1, b4] = getBleuScore(l.output, hyp);
        const [r1, r2, rl] = getRougeScore(l.output, hyp);
        return { bleu1: b1, bleu4: b4, rouge1: r1, rouge4: r2, rougeL: rl, meteor_score: getMeteorScore(l.output, hyp, 0) };
      });
      const values = Object.fromEntries(Object.keys(rows[0]!).map((k) => [k, rows.map((r) => r[k as keyof typeof r])]));
      return { task, length: null, n: rows.length, errors: 0, values };
    });
    const agg = aggregateLoogle(cells, { protocol: "loom" });
    expect(agg.score).toBeNull();
    const table = agg.tables![0]!;
    expect(table.rows).toEqual(["longdep_qa", "longdep_summarization"]);
    expect(table.columns).toEqual(["bleu1", "bleu4", "rouge1", "rouge4", "rougeL", "meteor_score"]);
    expect(table.cells).toEqual(table.rows.map((t) => table.columns.map((m) => parity.tasks[t]![m])));
  });

  it("has only LOOM-Scope's two tasks, its prompts, 500 new tokens and its metric names", () => {
    const loom = loogle.configure!({ protocol: "loom", options: { promptStyle: "open-source", llmEval: true, pythonHashSeed: 0 } });
    expect(loom.tasks.map((t) => [t.id, t.maxNewTokens, t.metrics])).toEqual([
      ["longdep_qa", 500, ["bleu1", "bleu4", "rouge1", "rouge4", "rougeL", "meteor_score"]],
      ["longdep_summarization", 500, ["bleu1", "bleu4", "rouge1", "rouge4", "rougeL", "meteor_score"]],
    ]);
    const qa = loom.prompt({ id: "x", task: "longdep_qa", input: { input: "DOC", question: "Q?" }, references: ["a"] }, loom.tasks[0]!) as { template: string; queryKey?: string };
    expect(qa.template).toBe("Please answer the question based on the long texts below. If it is a multiple choice question, only the options are output\n + {input} + \nQuestion:  {question} + \nAnswer: ");
    expect(qa.queryKey).toBe("question");
  });

  it("stops where LOOM-Scope's scorer raises: a line without LEN (KeyError), an empty file", async () => {
    const dir = await mkdtemp(join(tmpdir(), "loogle-loom-bad-"));
    await writeFile(join(dir, "longdep_qa.jsonl"), JSON.stringify({ llm_output: "a", output: "a" }) + "\n");
    await expect(scoreOfficial({ predictions: dir, protocol: "loom", log: () => {} })).rejects.toThrow(/longdep_qa\.jsonl:1: .*LEN/);
    const empty = await mkdtemp(join(tmpdir(), "loogle-loom-empty-"));
    await writeFile(join(empty, "longdep_qa.jsonl"), "");
    await expect(scoreOfficial({ predictions: empty, protocol: "loom", log: () => {} })).rejects.toThrow(/empty file/);
  });
});
