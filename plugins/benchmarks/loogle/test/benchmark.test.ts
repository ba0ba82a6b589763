/** The kit benchmark: samples from official rows, prompts per style, the judge as llm_score.py reads it, and the run's aggregate. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createTestBenchmarkContext, fixtureFiles } from "@loomscope/testkit";
import type { AggregateCell, Judge, JudgeRequest, Sample } from "@loomscope/spec";
import loogle, { aggregateLoogle, getBleuScore, getExactMatch, getMeteorScore, getPartialMatch, getRougeScore, officialHypothesis } from "../src/index.js";

// PARITY_FIXTURES points at another set (the scripts' --seed N: predictions these scorers were never checked on).
const FIX = fixtureFiles(new URL("./fixtures/", import.meta.url)).dir;
// The data rows and the PYTHONHASHSEED=5 value below belong to the committed fixture, whatever PARITY_FIXTURES says.
const COMMITTED = fixtureFiles(new URL("./fixtures/", import.meta.url), {}).dir;
const settings = (o: Partial<{ promptStyle: string; llmEval: boolean; pythonHashSeed: number }> = {}) => ({ protocol: "official" as const, options: { promptStyle: "open-source", llmEval: true, pythonHashSeed: 0, ...o } });

async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** A judge answering from a list, recording what it was asked. */
function scriptedJudge(replies: string[]): Judge & { asked: JudgeRequest[] } {
  const asked: JudgeRequest[] = [];
  return {
    id: "fake:gpt-4",
    asked,
    complete: async (request) => {
      asked.push(request);
      return replies.shift() ?? "True";
    },
  };
}

describe("samples from the official rows", () => {
  it("one sample per QA pair with ids <task>-<row>-<pair>; a row whose qa_pairs is not a literal is a data issue at file:line", async () => {
    const ctx = createTestBenchmarkContext({ dataDir: join(COMMITTED, "data") });
    const samples = (await all(loogle.samples({ task: "shortdep_qa" }, ctx))) as Sample[];
    expect(samples.map((s) => s.id).slice(0, 4)).toEqual(["shortdep_qa-0-0", "shortdep_qa-0-1", "shortdep_qa-0-2", "shortdep_qa-1-0"]);
    expect(samples[0]!.scoring).toMatchObject({ question: "Where was José Luis Picardo born and raised?", pythonHashSeed: 0 });
    expect(ctx.issues).toEqual([{ file: expect.stringMatching(/shortdep_qa\.json$/), line: 3, message: expect.stringMatching(/qa_pairs/) }]);
    const summaries = (await all(loogle.samples({ task: "longdep_summarization" }, createTestBenchmarkContext({ dataDir: join(COMMITTED, "data") })))) as Sample[];
    expect(summaries.map((s) => s.id)).toEqual(["longdep_summarization-0", "longdep_summarization-1"]);
  });

  it("the hash seed option reaches every sample's scoring", async () => {
    const b = loogle.configure!(settings({ pythonHashSeed: 7 }));
    const [first] = (await all(b.samples({ task: "longdep_qa", limit: 1 }, createTestBenchmarkContext({ dataDir: join(COMMITTED, "data") })))) as Sample[];
    expect(first!.scoring?.["pythonHashSeed"]).toBe(7);
  });
});

describe("prompts", () => {
  const sample: Sample = { id: "shortdep_qa-0-0", task: "shortdep_qa", input: { input: "DOC", Q: "Who?" }, references: ["Bob"] };
  it("open-source models: the raw prompt, no chat template (pred_opensource_models.py)", () => {
    const parts = loogle.prompt(sample, loogle.tasks[0]!) as { chat: boolean; role?: string; truncation: string; contextKey: string };
    expect(parts).toMatchObject({ template: "Please answer the question based on the long texts below. \n{input}\nQuestion: {Q}\nAnswer: ", chat: false, truncation: "middle", contextKey: "input", queryKey: "Q" });
    expect(parts.role).toBeUndefined();
  });
  it("GPT models: the prompt as one system message (pred_gpt_models.py)", () => {
    const gpt = loogle.configure!(settings({ promptStyle: "gpt" }));
    expect(gpt.prompt(sample, gpt.tasks[0]!)).toMatchObject({ chat: true, role: "system" });
  });
  it("budgets of config/task2maxlen.json; llmEval=false leaves the judge metrics out", () => {
    expect(loogle.tasks.map((t) => [t.id, t.maxNewTokens, t.metrics.at(-1)])).toEqual([
      ["shortdep_qa", 300, "gpt4_judge"],
      ["longdep_qa", 500, "gpt4_judge"],
      ["longdep_summarization", 500, "gpt4_score"],
      ["shortdep_cloze", 50, "partial_match"],
    ]);
    const auto = loogle.configure!(settings({ llmEval: false }));
    expect(auto.tasks.flatMap((t) => t.metrics).filter((m) => m.startsWith("gpt4"))).toEqual([]);
    expect(loogle.metrics?.["gpt4_judge"]?.judge).toBe("LLM judge");
  });
});

describe("the GPT-4 judge as llm_score.py asks and reads it", () => {
  const qa = { task: "shortdep_qa", references: ["Madrid"], scoring: { question: "Where?", pythonHashSeed: 0 } };
  it("QA: system + user message; only an exact 'True'/'False' counts, anything else is left out (null)", async () => {
    const judge = scriptedJudge(["True", "False", "true", " True"]);
    const got = [];
    for (let i = 0; i < 4; i++) got.push((await loogle.score({ ...qa, prediction: "", judge }))["gpt4_judge"]);
    expect(got).toEqual([1, 0, null, null]);
    expect(judge.asked[0]).toEqual({
      messages: [
        { role: "system", content: "Given one question, there is a groundtruth and a predict_answer. Please decide whether they are the same or not in semantic. Please only output 'True' or 'False' ." },
        // llm_eval.py does not replace an empty prediction by "None" (automatic_eval.py does).
        { role: "user", content: "Question: Where?\ngroudtruth = Madrid\npredict_answer = " },
      ],
      maxNewTokens: 10,
      temperature: 0,
      topP: 1,
    });
  });
  it("summaries: one system message; int(reply) with Python's int() rules; an unreadable reply fails as the script does", async () => {
    const judge = scriptedJudge([" 85\n", "+7", "1_0", "85.5"]);
    const s = { task: "longdep_summarization", references: ["REF"], scoring: { question: "", pythonHashSeed: 0 }, prediction: "GEN", judge };
    expect((await loogle.score(s))["gpt4_score"]).toBe(85);
    expect((await loogle.score(s))["gpt4_score"]).toBe(7);
    expect((await loogle.score(s))["gpt4_score"]).toBe(10);
    await expect(loogle.score(s)).rejects.toThrow(/invalid literal for int\(\) with base 10: '85\.5'/);
    expect(judge.asked[0]!.messages).toEqual([
      {
        role: "system",
        content:
          "There is a groundtruth summary of a arxiv paper and a auto-generated summary .Please Compare generated summary with the goundtruth and evaluate the generated summary from the perspectives of information completeness, consistency, fluency, and grammar by giving a score within the range of 0 to 100. \nGroundtruth = REF \nGenerated = GEN \nScore = ",
      },
    ]);
  });
});

describe("a run's aggregate equals what the Evaluation scripts print", () => {
  const parity = JSON.parse(readFileSync(join(FIX, "parity.json"), "utf8")) as { files: Record<string, { task: string; printed: Record<string, number | number[]> }> };
  const pairs = (task: string) =>
    readFileSync(join(FIX, "Output", `${task}_fixture-model.jsonl`), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { llm_output: string[]; output: (string | Record<string, string>)[] })
      .flatMap((l) => l.output.map((ref, i) => ({ ref, hyp: officialHypothesis(l.llm_output[i] as string) })));

  it("automatic_sim and automatic_match, ×100, from per-sample values in sample order", () => {
    const cells: AggregateCell[] = ["shortdep_qa", "longdep_qa", "longdep_summarization"].map((task) => {
      const v = pairs(task).map(({ ref, hyp }) => [...getBleuScore(ref as string, hyp), ...getRougeScore(ref as string, hyp), getMeteorScore(ref as string, hyp, 0)]);
      const col = (j: number) => v.map((x) => x[j] as number);
      return { task, length: null, n: v.length, errors: 0, values: { bleu1: col(0), bleu4: col(1), rouge1: col(2), rouge2: col(3), rougeL: col(4), meteor: col(5) } };
    });
    const cloze = pairs("shortdep_cloze").map(({ ref, hyp }) => {
      const e = getExactMatch(ref as Record<string, string>, hyp);
      const p = getPartialMatch(ref as Record<string, string>, hyp);
      return { id: "x", meta: { masks: e[1] }, scores: { exact_match: e[1] ? e[0] / e[1] : null, partial_match: p[1] ? p[0] / p[1] : null } };
    });
    const values = (m: "exact_match" | "partial_match") => cloze.map((r) => r.scores[m]).filter((x): x is number => x !== null);
    cells.push({ task: "shortdep_cloze", length: null, n: cloze.length, errors: 0, values: { exact_match: values("exact_match"), partial_match: values("partial_match") }, rows: cloze });
    const agg = aggregateLoogle(cells, { protocol: "official" });
    const table = agg.tables![0]!;
    const at = (task: string, column: string) => table.cells[table.rows.indexOf(task)]![table.columns.indexOf(column)];
    for (const file of Object.values(parity.files)) {
      if (file.task === "shortdep_cloze") {
        expect(at(file.task, "Exact match")).toBeCloseTo(100 * (file.printed["get_exact_match"] as number), 10);
        expect(at(file.task, "Partial match")).toBeCloseTo(100 * (file.printed["get_partial_match"] as number), 10);
        continue;
      }
      const [b1, b4] = file.printed["get_bleu_score"] as number[];
      const [r1, r2, rl] = file.printed["get_rouge_score"] as number[];
      for (const [column, want] of [["BLEU-1", b1], ["BLEU-4", b4], ["ROUGE-1", r1], ["ROUGE-2 (README: ROUGE-4)", r2], ["ROUGE-L", rl], ["METEOR", file.printed["get_meteor_score"]]] as const) {
        expect(at(file.task, column)).toBeCloseTo(100 * (want as number), 10);
      }
    }
    expect(agg.score).toBeNull();
    expect(agg.tasks["shortdep_cloze"]).toBeCloseTo(100 * (parity.files["shortdep_cloze_fixture-model.jsonl"]!.printed["get_exact_match"] as number), 10);
  });

  it("the judge columns: QA accuracy over True/False verdicts only, summaries the mean of int(reply)", () => {
    const agg = aggregateLoogle(
      [
        { task: "longdep_qa", length: null, n: 4, errors: 0, values: { bleu1: [0.5], gpt4_judge: [1, 0, 1] } },
        { task: "longdep_summarization", length: null, n: 2, errors: 0, values: { bleu1: [0.5], gpt4_score: [80, 91] } },
      ],
      { protocol: "official" },
    );
    const table = agg.tables![0]!;
    expect(table.cells[0]![table.columns.indexOf("GPT-4 judge (QA accuracy)")]).toBeCloseTo((100 * 2) / 3, 12);
    expect(table.cells[1]![table.columns.indexOf("GPT-4 score (0-100)")]).toBe(85.5);
  });
});

describe("the hash seed of loom score --predictions", () => {
  it("is the declared option pythonHashSeed, recorded in score_official.json; METEOR follows its set order", async () => {
    const { mkdtemp, readFile } = await import("node:fs/promises");
    const { tmpdir } = await import("node:os");
    const { scoreOfficial } = await import("../src/index.js");
    const at = async (seed: number) => {
      const out = await mkdtemp(join(tmpdir(), "loogle-seed-"));
      await scoreOfficial({ predictions: join(COMMITTED, "Output"), out, options: { pythonHashSeed: seed }, log: () => {} });
      return JSON.parse(await readFile(join(out, "score_official.json"), "utf8"));
    };
    const [zero, five] = [await at(0), await at(5)];
    expect([zero.python_hash_seed, five.python_hash_seed]).toEqual([0, 5]);
    const meteor = (r: Record<string, { automatic_sim?: { get_meteor_score: number } }>) => r["longdep_summarization_fixture-model.jsonl"]!.automatic_sim!.get_meteor_score;
    expect(meteor(five)).not.toBe(meteor(zero));
    // `PYTHONHASHSEED=5` with automatic_eval.py's evaluation + get_semantic_matching on this file (Debian's nltk 3.8).
    expect(meteor(five)).toBe(0.40731246921034703);
    expect(five["shortdep_cloze_fixture-model.jsonl"].automatic_match).toEqual(zero["shortdep_cloze_fixture-model.jsonl"].automatic_match);
  });
});
