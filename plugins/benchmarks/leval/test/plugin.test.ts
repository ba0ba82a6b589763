/**
 * The plugin as core runs it: rows from the LEval-data layout filtered per evaluation, the document
 * cut word by word to the token budget, Sci-Fi's two turns, the judged evaluation with its battle
 * file (a counted fake judge), the protocols and budgets.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { pyFormat } from "@loomscope/metrics";
import { createTestBenchmarkContext } from "@loomscope/testkit";
import type { Benchmark, Judge, JudgeRequest, Sample, TaskSpec, Tokenizer } from "@loomscope/spec";
import leval, { SYSTEM_PROMPTS } from "../src/index.js";

const fixtureDir = fileURLToPath(new URL("./fixtures/data/", import.meta.url));

async function all(b: Benchmark, request: Parameters<Benchmark["samples"]>[0], dataDir = fixtureDir): Promise<Sample[]> {
  const out: Sample[] = [];
  for await (const s of b.samples(request, createTestBenchmarkContext({ dataDir }))) out.push(s);
  return out;
}
const task = (b: Benchmark, id: string): TaskSpec => b.tasks.find((t) => t.id === id) as TaskSpec;
const configured = (options: Record<string, string>, protocol: "official" | "loom" = "official") => leval.configure!({ protocol, options: { promptStyle: "turbo16k", openEval: "ngram_eval", ...options } });

/** Counts words split on " ", plus one for the BOS, as `tokenizer(string)` counts. */
const wordTokenizer: Tokenizer = {
  id: "test:words",
  encode: async (text) => Array.from({ length: text.split(" ").length + 1 }, (_, i) => i),
  decode: async () => "",
};

describe("samples", () => {
  it("one sample per question of the documents exam_eval / ngram_eval read, ids <task>-<row>-<question>", async () => {
    const got = await all(leval, { task: "financial_qa" });
    expect(got.map((s) => s.id)).toEqual(["financial_qa-0-0", "financial_qa-0-1"]);
    expect(got[0]!.scoring).toMatchObject({ evaluation: "f1", prediction_rule: "strip" });
    expect(leval.tasks.map((t) => t.id).length).toBe(20);
  });
});

describe("prompts", () => {
  it("cuts the document word by word to max_length - 512 tokens (turbo16k), LOOM-Scope to max_length", async () => {
    const [s] = await all(leval, { task: "financial_qa" });
    const words = (s!.input["document"] ?? "").split(" ").length;
    expect(words).toBeGreaterThan(40);
    const parts = await leval.prompt(s!, task(leval, "financial_qa"), { tokenizer: wordTokenizer, maxLength: 512 + 31 });
    // The first round keeps max_length - 0 = 31 words (32 tokens with the BOS: still over); the second
    // keeps words[:31 - 250], i.e. none: the official step of 250 words overshoots a small budget.
    expect(parts.values["document"]).toBe("");
    const roomy = await leval.prompt(s!, task(leval, "financial_qa"), { tokenizer: wordTokenizer, maxLength: 512 + words + 1 });
    expect(roomy.values["document"]).toBe(s!.input["document"]);
    expect([parts.truncation, parts.chat, parts.system]).toEqual(["none", true, SYSTEM_PROMPTS.open]);
    const loom = configured({}, "loom");
    const loomParts = await loom.prompt(s!, task(loom, "financial_qa"), { tokenizer: wordTokenizer, maxLength: 1000 });
    expect(loomParts.values["document"]).toBe(s!.input["document"]);
  });

  it("cuts a document once for all its questions (counted tokenizer calls)", async () => {
    const samples = await all(leval, { task: "topic_retrieval_longchat" });
    expect(samples.length).toBeGreaterThan(1);
    let calls = 0;
    const counting: Tokenizer = { ...wordTokenizer, id: "test:counting", encode: async (t) => (calls++, wordTokenizer.encode(t)) };
    for (const s of samples) await leval.prompt(s, task(leval, "topic_retrieval_longchat"), { tokenizer: counting, maxLength: 512 + 20 });
    const perDocument = calls;
    const documents = new Set(samples.map((s) => s.input["document"])).size;
    expect(documents).toBeLessThan(samples.length);
    // one cut per distinct document, 3 counts each: the whole, 20 words (21 tokens with the BOS), none
    expect(perDocument).toBe(3 * documents);
  });

  it("budgets: 16k (turbo16k), 4k (llama2-chat), 512 new tokens; llama2-chat is raw and greedy", () => {
    expect(leval.defaultMaxLength?.(task(leval, "quality"), 32768)).toBe(16000);
    const llama = configured({ promptStyle: "llama2-chat" });
    expect(llama.defaultMaxLength?.(task(llama, "quality"), 32768)).toBe(4000);
    expect(task(llama, "quality")).toMatchObject({ maxNewTokens: 512, generation: { temperature: 0 } });
    expect(task(leval, "quality").generation).toEqual({ temperature: 0.0001 });
  });

  it("Sci-Fi asks its fact question as a second turn and scores the joined line", async () => {
    const [s] = await all(leval, { task: "sci_fi" });
    const first = await leval.prompt(s!, task(leval, "sci_fi"));
    const second = leval.followUp!(s!, task(leval, "sci_fi"), [{ prompt: first, output: " True " }])!;
    expect(second.history).toEqual([{ role: "user", content: pyFormat(first.template, first.values) }]);
    expect(leval.followUp!(s!, task(leval, "sci_fi"), [{ prompt: first, output: "a" }, { prompt: second, output: "b" }])).toBeUndefined();
    expect(leval.followUp!(s!, task(leval, "quality"), [{ prompt: first, output: "a" }])).toBeUndefined();
    const prediction = leval.prediction!(s!, task(leval, "sci_fi"), [{ prompt: first, output: " True " }, { prompt: second, output: "False " }]);
    expect(prediction).toBe("True [fact: False]");
    const scores = await leval.score({ task: "sci_fi", references: s!.references, scoring: s!.scoring, prediction });
    expect(scores).toEqual({ loyalty_exact_match: 1, fact_exact_match: 1 });
  });
});

describe("judged evaluation", () => {
  it("reads the LLM documents, pairs them with the battle file, judges each question twice; a question the battle file lacks is left out", async () => {
    const dir = mkdtempSync(join(tmpdir(), "leval-judge-"));
    cpSync(fixtureDir, dir, { recursive: true });
    const gpt4 = configured({ openEval: "llm_gpt4_eval" });
    const samples = await all(gpt4, { task: "financial_qa" }, dir).catch((e: Error) => e);
    // No battle file under --data-dir and no network in tests: a clear failure naming the file.
    expect(samples).toBeInstanceOf(Error);
    mkdirSync(join(dir, "Predictions/llm_gpt4_eval"), { recursive: true });
    // The document marked "LLM" is row 1 of financial_qa.jsonl; the battle file answers its first question only.
    const llmDoc = JSON.parse(readFileSync(join(dir, "LEval-data/Open-ended-tasks/financial_qa.jsonl"), "utf8").split("\n")[1]!) as { instructions: string[]; outputs: string[] };
    writeFileSync(
      join(dir, "Predictions/llm_gpt4_eval/turbo-16k-0613.pred.jsonl"),
      `${JSON.stringify({ query: llmDoc.instructions[0], gt: llmDoc.outputs[0], "turbo-16k-0613_pred": "battle answer", evaluation: "LLM" })}\nnot json\n`,
    );
    const got = await all(gpt4, { task: "financial_qa" }, dir);
    expect(got.map((s) => s.id)).toEqual(["financial_qa-1-0", "financial_qa-1-1"]);
    expect(got.map((s) => s.scoring!["battle_answer"])).toEqual(["battle answer", null]);
    const requests: JudgeRequest[] = [];
    const replies = ["[[A]]", "[[C]]"];
    const judge: Judge = { id: "fake:judge", complete: async (r) => (requests.push(r), replies.shift() ?? "?") };
    const first = await gpt4.score({ task: "financial_qa", references: got[0]!.references, scoring: got[0]!.scoring, prediction: " mine ", judge });
    expect(first).toEqual({ llm_judge_points: 1.5, llm_judge_valid: 2 });
    expect(requests.length).toBe(2); // both metrics read one pair of judgments
    expect(requests[0]!.messages[1]!.content).toContain("[The Start of Assistant A's Answer]\nmine\n");
    expect(await gpt4.score({ task: "financial_qa", references: got[1]!.references, scoring: got[1]!.scoring, prediction: "x", judge })).toEqual({ llm_judge_points: null, llm_judge_valid: null });
    expect(requests.length).toBe(2);
    expect(gpt4.metrics?.["llm_judge_points"]).toMatchObject({ judge: "LLM judge" });
  });

  it("LOOM-Scope has no judged evaluation", () => {
    expect(() => configured({ openEval: "llm_gpt4_eval" }, "loom")).toThrow(/LOOM-Scope/);
  });
});
