import { describe, expect, it } from "vitest";
import type { AggregateCell, Judge, JudgeRequest } from "@loomscope/spec";
import lciteeval, { aggregateLCiteEval, llmNliLabel, loadPunktTab, taskInfo, useSentenceParameters } from "../src/index.js";
import { fixturePath } from "./helpers.js";

useSentenceParameters(await loadPunktTab(fixturePath("punkt_tab/english")));
const docs = ["The tower stands by the sea.", "An old knight guards the tower."];
const base = { references: ["The old knight"], scoring: { id: 1, answer: ["The old knight"], docs, question: "Who guards the tower?" }, task: "narrativeqa", length: "8k" };

describe("options", () => {
  it("newlineStop adds the \"\\n\" stop to every task (official), citationJudge=llm swaps in the substitute's own metric ids", () => {
    expect(lciteeval.tasks.every((t) => t.generation?.stop === undefined)).toBe(true);
    const stop = lciteeval.configure!({ protocol: "official", options: { newlineStop: true, citationJudge: "nli" } });
    expect(stop.tasks.every((t) => JSON.stringify(t.generation?.stop) === '["\\n"]')).toBe(true);
    const llm = lciteeval.configure!({ protocol: "official", options: { newlineStop: false, citationJudge: "llm" } });
    expect(llm.tasks.find((t) => t.id === "hotpotqa")?.metrics).toEqual(["citation_f1_llm", "citation_rec_llm", "citation_prec_llm", "cite_num", "f1", "precision", "recall"]);
    // niah and counting_stars are rule-based: nothing to substitute.
    expect(llm.tasks.find((t) => t.id === "niah")?.metrics).toEqual(["citation_f1", "citation_rec", "citation_prec", "cite_num", "rouge-1"]);
    expect(llm.metrics?.["citation_f1_llm"]?.judge).toMatch(/substitute for the NLI model tasksource\/deberta-base-long-nli/);
    expect(lciteeval.metrics?.["citation_f1"]?.judge).toBe("NLI");
  });

  it("length levels are the eval scripts' buckets (hardness: labels)", () => {
    expect(lciteeval.tasks.find((t) => t.id === "qmsum")?.levels?.map((l) => [l.label, l.value])).toEqual([["8k", 8000], ["16k", 16000], ["24k", 24000], ["32k", 32000], ["40k", 40000], ["48k", 48000]]);
    expect(lciteeval.tasks.find((t) => t.id === "length_gov_report")?.lengths).toEqual(["8k", "16k", "32k"]);
    expect(lciteeval.tasks.find((t) => t.id === "hardness_locomo")?.lengths).toEqual(["easy", "medium", "hard"]);
    expect(taskInfo("hardness_locomo")).toMatchObject({ dataset: "locomo", experiment: "l-citeeval-hardness" });
  });
});

describe("scores", () => {
  it("the NLI judge gets the pipeline's pair; a generation with no sentence is left out of the citation metrics (null), not 0", async () => {
    const requests: JudgeRequest[] = [];
    const judge: Judge = { id: "fake:nli", complete: async (r) => (requests.push(r), "entailment") };
    const scored = await lciteeval.score({ ...base, prediction: "An old knight guards it [2].", judge });
    expect(scored).toMatchObject({ citation_f1: 1, citation_rec: 1, citation_prec: 1, cite_num: 1 });
    expect(requests.map((r) => r.messages.map((m) => [m.role, m.content]))).toEqual([[["user", "Passage: An old knight guards the tower."], ["user", "An old knight guards it."]]]);
    const empty = await lciteeval.score({ ...base, prediction: "", judge });
    expect(empty).toMatchObject({ citation_f1: null, citation_rec: null, citation_prec: null, cite_num: null, f1: 0 });
  });

  it("the LLM substitute asks its own prompt and reads the reply's first word", async () => {
    const llm = lciteeval.configure!({ protocol: "official", options: { newlineStop: false, citationJudge: "llm" } });
    const asked: string[] = [];
    const judge: Judge = { id: "fake:llm", complete: async (r) => (asked.push(r.messages.map((m) => m.content).join("|")), "Entailment.") };
    const scored = await llm.score({ ...base, prediction: "An old knight guards it [2].", judge });
    expect(scored).toMatchObject({ citation_f1_llm: 1, citation_rec_llm: 1, citation_prec_llm: 1, cite_num: 1 });
    expect(scored["citation_f1"]).toBeUndefined();
    expect(asked).toEqual(["Premise:\nPassage: An old knight guards the tower.\n\nHypothesis:\nAn old knight guards it.\n\nDoes the premise entail the hypothesis? Answer with one word: entailment, neutral or contradiction."]);
    expect([llmNliLabel(" entailment"), llmNliLabel("neutral"), llmNliLabel("entailments")]).toEqual(["entailment", "neutral", "entailments"]);
  });

  it("without a judge the NLI metrics are refused, naming the flag", async () => {
    await expect(lciteeval.score({ ...base, prediction: "x [1]." })).rejects.toMatchObject({ code: "JUDGE_MISSING", hint: expect.stringMatching(/--judge/) });
  });

  it("under --protocol loom: citation F1 and the task's correctness only; a summary LOOM-Scope skips is null", async () => {
    const loom = lciteeval.configure!({ protocol: "loom", options: { newlineStop: false, citationJudge: "nli" } });
    expect(loom.tasks.find((t) => t.id === "qmsum")?.metrics).toEqual(["citation_f1", "rouge-l"]);
    const judge: Judge = { id: "fake:nli", complete: async () => "entailment" };
    const skipped = await loom.score({ task: "qmsum", length: "8k", references: ["s"], scoring: { id: 1, answer: "The summary.", docs, question: null }, prediction: "Summary of it without colon [1].", judge });
    expect(skipped["rouge-l"]).toBeNull();
  });
});

describe("aggregate from a run's rows", () => {
  it("counts a sample compute_autoais skipped in its bucket's sample_num but in no mean, and labels the correctness repair", () => {
    const row = (id: string, length: number, f1: number | null, extra: Record<string, number | null> = {}) => ({
      id,
      meta: { length },
      scores: { citation_f1: f1, citation_rec: f1, citation_prec: f1, cite_num: f1 === null ? null : 2, f1: 0.5, precision: 0.5, recall: 0.5, ...extra },
    });
    const cells: AggregateCell[] = [
      { task: "hotpotqa", length: "8k", n: 3, errors: 0, values: {}, rows: [row("a", 100, 1), row("b", 200, null), row("c", 300, 0.5)] },
      { task: "hotpotqa", length: "16k", n: 1, errors: 0, values: {}, rows: [row("d", 9000, 0)] },
    ];
    const agg = aggregateLCiteEval(cells, (t) => taskInfo(t).experiment);
    expect(agg.cells["hotpotqa"]).toEqual({ "8k": 75, "16k": 0 });
    expect(agg.tasks["hotpotqa"]).toBe(50);
    expect(agg.groups?.["f1:hotpotqa"]).toBe(50);
    expect(agg.tables?.[1]?.title).toMatch(/labelled repair: the script as committed raises NameError/);
  });
});
