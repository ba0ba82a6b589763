import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import type { AggregateCell } from "@loomscope/spec";
import { pyFloatOf, pyJsonLoads, type PyJsonValue } from "@loomscope/metrics";
import { LONGCITE_METRICS, UnexpectedVerdictError, aggregateLongCite, datasetMeans, needCitationPrompt, officialPrediction, relevantPrompt, supportPrompt, statementsOf } from "../src/index.js";
import { fixturePath, scriptedJudge } from "./helpers.js";

type Item = Map<string, PyJsonValue>;

describe("aggregate", () => {
  it("reproduces eval_cite.py's and eval_correct.py's averages from per-sample values", async () => {
    const cite = pyJsonLoads(await readFile(fixturePath("official/scores_cite/LongCite-glm4-9b.json.json"), "utf8")) as Item[];
    const correct = pyJsonLoads(await readFile(fixturePath("official/scores_correct/LongCite-glm4-9b.json.json"), "utf8")) as Item[];
    const byTask = new Map<string, AggregateCell>();
    const cell = (task: string): AggregateCell => {
      let c = byTask.get(task);
      if (!c) byTask.set(task, (c = { task, length: null, n: 0, errors: 0, values: {}, meta: [] }));
      return c;
    };
    // Correctness is scored for every item, citation scores only for those eval_cite.py kept.
    const citeByIdx = new Map(cite.slice(0, -1).map((x) => [`${x.get("dataset")}/${pyFloatOf(x.get("idx"))}`, x]));
    for (const x of correct.slice(0, -1)) {
      const c = cell(String(x.get("dataset")));
      c.n++;
      c.meta?.push({ idx: pyFloatOf(x.get("idx")) });
      (c.values["correctness"] ??= []).push(pyFloatOf(x.get("score")));
    }
    // Citation values are lists of the kept items (same sample order; the aggregate sorts by idx).
    for (const x of [...citeByIdx.values()]) {
      const c = cell(String(x.get("dataset")));
      for (const m of ["citation_recall", "citation_precision", "citation_f1"]) (c.values[m] ??= []).push(pyFloatOf(x.get(m)));
    }
    // Correctness values line up with meta (idx); the kept citation values do not (fewer), so they
    // stay in cell order: exact per dataset, the multifieldqa pool only up to its sum order.
    const agg = aggregateLongCite([...byTask.values()]);
    const scores = (cite.at(-1) as Item).get("scores") as Map<string, Item>;
    for (const d of ["longbench-chat", "hotpotqa", "dureader", "gov_report"]) {
      expect(datasetMeans([...byTask.values()], d).citation_f1).toBe(pyFloatOf(scores.get(d)?.get("citation_f1")) * 100);
    }
    const citeRes = cite.at(-1) as Item;
    const correctRes = correct.at(-1) as Item;
    expect(agg.groups?.["avg_gpt_score"]).toBe(pyFloatOf(correctRes.get("avg_gpt_score")) * 100);
    expect(agg.groups?.["avg_citation_f1"]).toBeCloseTo(pyFloatOf(citeRes.get("avg_citation_f1")) * 100, 10);
    expect(agg.score).toBe(agg.groups?.["avg_citation_f1"]);
    const dropped = Object.entries(agg.groups ?? {}).filter(([k]) => k.startsWith("dropped:")).reduce((n, [, v]) => n + (v ?? 0), 0);
    expect(dropped).toBe(correct.length - cite.length);
  });
});

describe("aggregate from a run's aligned rows", () => {
  it("pools multifieldqa_en and _zh in idx order, so the averages equal eval_cite.py's to the last bit", async () => {
    const cite = pyJsonLoads(await readFile(fixturePath("official/scores_cite/LongCite-glm4-9b.json.json"), "utf8")) as Item[];
    const correct = pyJsonLoads(await readFile(fixturePath("official/scores_correct/LongCite-glm4-9b.json.json"), "utf8")) as Item[];
    const kept = new Map(cite.slice(0, -1).map((x) => [`${x.get("dataset")}/${pyFloatOf(x.get("idx"))}`, x]));
    const byTask = new Map<string, AggregateCell>();
    // A run records samples in completion order: reverse the official order to prove the idx sort.
    for (const x of [...correct.slice(0, -1)].reverse()) {
      const task = String(x.get("dataset"));
      const idx = pyFloatOf(x.get("idx"));
      let c = byTask.get(task);
      if (!c) byTask.set(task, (c = { task, length: null, n: 0, errors: 0, values: {}, meta: [], rows: [] }));
      const k = kept.get(`${task}/${idx}`);
      const scores = {
        correctness: pyFloatOf(x.get("score")),
        citation_recall: k ? pyFloatOf(k.get("citation_recall")) : null,
        citation_precision: k ? pyFloatOf(k.get("citation_precision")) : null,
        citation_f1: k ? pyFloatOf(k.get("citation_f1")) : null,
      };
      c.n++;
      c.meta?.push({ idx });
      c.rows?.push({ id: `${task}-${idx}`, meta: { idx }, scores });
      for (const [m, v] of Object.entries(scores)) if (v !== null) (c.values[m] ??= []).push(v);
    }
    const agg = aggregateLongCite([...byTask.values()]);
    const citeRes = cite.at(-1) as Item;
    for (const m of ["avg_citation_recall", "avg_citation_precision", "avg_citation_f1"]) expect({ m, v: agg.groups?.[m] }).toEqual({ m, v: pyFloatOf(citeRes.get(m)) * 100 });
    const pooled = ((citeRes.get("scores") as Map<string, Item>).get("multifieldqa") as Item).get("citation_f1");
    expect(datasetMeans([...byTask.values()], "multifieldqa").citation_f1).toBe(pyFloatOf(pooled) * 100);
    expect(agg.tables?.[0]?.columns.every((c) => c.endsWith("[judge-scored]"))).toBe(true);
    const dropped = Object.entries(agg.groups ?? {}).filter(([k]) => k.startsWith("dropped:")).reduce((n, [, v]) => n + (v ?? 0), 0);
    expect(dropped).toBe(correct.length - cite.length);
  });
});

describe("metric objects", () => {
  const context = "The star is metal-poor. It belongs to the halo! Nobody knows why.";
  const prediction = "<statement>The star is metal-poor.<cite>[0-0]</cite></statement><statement>So it is old.<cite></cite></statement>";
  const input = (judge: ReturnType<typeof scriptedJudge>) => ({
    prediction,
    references: ["It is metal-poor."],
    scoring: { query: "What is the star like?", context, few_shot_scores: [] },
    task: "hotpotqa",
    protocol: "official" as const,
    judge,
  });

  it("parse the reply over the context's sentences and share one judge pass across the citation metrics", async () => {
    const statements = statementsOf(prediction, context);
    expect(statements).toEqual([
      { statement: "The star is metal-poor.", citation: [{ st_sent: 0, ed_sent: 0, start_char: 0, end_char: 24, cite: "The star is metal-poor. " }] },
      { statement: "So it is old.", citation: [] },
    ]);
    const answer = "The star is metal-poor.So it is old.";
    const q = "What is the star like?";
    const script = new Map([
      [supportPrompt(q, "The star is metal-poor.", "The star is metal-poor."), ["Rating: [[Fully supported]]"]],
      [needCitationPrompt(q, answer, "So it is old."), ["garbled", "Need Citation: [[No]]"]],
      [relevantPrompt(q, "The star is metal-poor.", "The star is metal-poor. "), ["[[Relevant]]"]],
    ]);
    const judge = scriptedJudge(script);
    const got: Record<string, number | null> = {};
    for (const m of LONGCITE_METRICS.slice(0, 3)) got[m.id] = await m.score(input(judge));
    expect(got).toEqual({ citation_f1: 1, citation_recall: 1, citation_precision: 1 });
    expect(judge.requests.length).toBe(4);
    expect(judge.requests.map((r) => r.temperature)).toEqual([0, 0, 1, 0]);
  });

  it("read a reply starting with \"statement>\" with its \"<\" back, as pred_one_shot.py stores it", async () => {
    expect(officialPrediction("statement>x</statement>")).toBe("<statement>x</statement>");
    const q = "What is the star like?";
    const judge = scriptedJudge(new Map([
      [supportPrompt(q, "The star is metal-poor.", "The star is metal-poor."), ["[[Fully supported]]"]],
      [relevantPrompt(q, "The star is metal-poor.", "The star is metal-poor. "), ["[[Relevant]]"]],
    ]));
    const reply = "statement>The star is metal-poor.<cite>[0-0]</cite></statement>";
    expect(await LONGCITE_METRICS[0]?.score({ ...input(judge), prediction: reply })).toBe(1);
    expect(judge.requests.length).toBe(2);
  });

  it("are null when the support verdict never parses (auto_scorer.py raises, eval_cite.py drops the item); each try is its own call", async () => {
    const q = "What is the star like?";
    const judge = scriptedJudge(new Map([[supportPrompt(q, "The star is metal-poor.", "The star is metal-poor."), ["x", "y", "z", "w", "v"]]]));
    const got = await Promise.all(LONGCITE_METRICS.slice(0, 3).map((m) => m.score(input(judge))));
    expect(got).toEqual([null, null, null]);
    expect(judge.requests.length).toBe(5);
    expect(judge.requests.map((r) => [r.temperature, r.attempt])).toEqual([[0, 1], [1, 2], [1, 3], [1, 4], [1, 5]]);
    expect(new UnexpectedVerdictError("support", "x").code).toBe("JUDGE_VERDICT");
  });

});
