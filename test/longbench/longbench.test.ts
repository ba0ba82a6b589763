/**
 * LongBench end to end: the official data.zip served by a stand-in for the Hugging Face hub, `loom
 * run longbench` against the testkit's OpenAI server with scripted answers (so the scores are
 * exact), the same from --data-dir offline with a malformed row, and `loom score longbench
 * --predictions` on official prediction folders.
 */
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeZip } from "@loomscope/core";
import { startOpenAIServer, type FakeOpenAIServer, type ScriptRequest } from "@loomscope/testkit";
import { OPENAI_BACKEND, project, recordLines, REPO, runCli } from "../helpers.js";
import { serveFiles, type HubStandIn } from "../hub-standin.js";

const LONGBENCH = join(REPO, "plugins/benchmarks/longbench");
const REVISION = "4a90f81c8db79f60c15f77dcd207a1099038c775";

const record = (dataset: string, i: number, fields: { input: string; context: string; answers: string[]; length: number; all_classes?: string[] | null; language?: string }) => ({
  input: fields.input,
  context: fields.context,
  answers: fields.answers,
  length: fields.length,
  dataset,
  language: fields.language ?? "en",
  all_classes: fields.all_classes ?? null,
  _id: `${dataset}-${i}-id`,
});

/** Rows in the official format (README "Data Format"), as data.zip holds them under data/. */
const DATA: Record<string, object[]> = {
  qasper: [
    record("qasper", 0, { input: "Which datasets are used?", context: "We evaluate on SQuAD and TriviaQA.", answers: ["SQuAD and TriviaQA"], length: 3619 }),
    record("qasper", 1, { input: "Is the model released?", context: "The weights are not released.", answers: ["no"], length: 120 }),
  ],
  multifieldqa_zh: [record("multifieldqa_zh", 0, { input: "公司成立于哪一年？", context: "公司成立于1998年，总部位于北京。", answers: ["1998年"], length: 6701, language: "zh" })],
  trec: [
    record("trec", 0, { input: "Question: What is the capital of France?\nType:", context: "Question: Who wrote Hamlet?\nType: Individual\n", answers: ["City"], length: 5177, all_classes: ["Abbreviation", "City", "Individual"] }),
  ],
  samsum: [record("samsum", 0, { input: "Dialogue: Ann: Lunch?\nBob: Sure.\nSummary: ", context: "Dialogue: Tom: Hi.\nSummary: Tom greets.\n", answers: ["Ann and Bob will have lunch."], length: 900 })],
  qasper_e: [
    record("qasper", 0, { input: "Q short?", context: "C1", answers: ["alpha"], length: 3999 }),
    record("qasper", 1, { input: "Q mid?", context: "C2", answers: ["beta"], length: 4000 }),
    record("qasper", 2, { input: "Q long?", context: "C3", answers: ["gamma"], length: 9000 }),
  ],
};
const jsonl = (rows: readonly object[]) => rows.map((r) => JSON.stringify(r)).join("\n") + "\n";

/** Every generation request the fake model answered, as its script saw it. */
const seen: ScriptRequest[] = [];

/** Scripted answers: right for all but the second qasper question; trec answers two lines (eval.py scores the first). */
function answer(request: ScriptRequest): string {
  seen.push(request);
  const p = request.lastUserMessage;
  if (p.includes("Which datasets are used?")) return "SQuAD and TriviaQA";
  if (p.includes("Is the model released?")) return "yes";
  if (p.includes("公司成立于哪一年")) return "1998年";
  if (p.includes("What is the capital of France?")) return "\nCity\nIndividual";
  if (p.includes("Ann: Lunch?")) return "Ann and Bob will have lunch.";
  if (p.includes("Q short?")) return "alpha";
  if (p.includes("Q mid?")) return "wrong";
  if (p.includes("Q long?")) return "gamma";
  return "unknown";
}

describe("LongBench end to end", () => {
  let model: FakeOpenAIServer;
  let hub: HubStandIn;
  let hubUrl = "";
  const hubRequests: string[] = [];

  beforeAll(async () => {
    model = await startOpenAIServer({ models: [{ id: "test-model", maxModelLen: 32768 }], script: answer });
    const zip = makeZip(Object.fromEntries(Object.entries(DATA).map(([task, rows]) => [`data/${task}.jsonl`, jsonl(rows)])));
    hub = await serveFiles(new Map([[`/datasets/THUDM/LongBench/resolve/${REVISION}/data.zip`, zip]]), { requests: hubRequests });
    hubUrl = `${hub.url}`;
  });
  afterAll(async () => {
    await model.close();
    hub.close();
  });

  const run = (cwd: string, runDir: string, extra: string[], env: Record<string, string> = {}) =>
    runCli(["run", "longbench", "--tasks", "qasper,multifieldqa_zh,trec,samsum,qasper_e", "--model", "openai:test-model", "--backend-opt", `baseURL=${model.baseURL}`, "--run-dir", runDir, ...extra], { cwd, env });

  it("downloads data.zip through HF_ENDPOINT, runs with pred.py's settings, and prints eval.py's numbers", async () => {
    const cwd = project({ plugins: [LONGBENCH, OPENAI_BACKEND] });
    const before = seen.length;
    const result = await run(cwd, join(cwd, "run"), ["--cache-dir", join(cwd, "cache")], { HF_ENDPOINT: hubUrl });
    expect(result.stderr.split("\n").filter((l) => /^error/.test(l))).toEqual([]);
    expect(result.code).toBe(0);
    expect(hubRequests.filter((u) => u.endsWith("data.zip")).length).toBe(1);

    // eval.py: qasper (1 + 0) / 2, trec first line "City", LongBench-E per bucket
    expect(result.stdout).toMatch(/qasper\s+50\.00?\b/);
    expect(result.stdout).toMatch(/trec\s+100\.00?\b/);
    const results = JSON.parse(readFileSync(join(cwd, "run", "results.json"), "utf8"));
    const bench = results.benchmarks[0];
    expect(bench.tasks).toMatchObject({ qasper: 50, multifieldqa_zh: 100, trec: 100, samsum: 100 });
    expect(bench.cells["qasper_e"]).toEqual({ "0-4k": 100, "4-8k": 0, "8k+": 100 });
    expect(bench.groups["mean of task scores (not official)"]).toBe(bench.score);
    const records = recordLines(join(cwd, "run"));
    expect(records.length).toBe(8);
    expect(records.filter((r) => r.task === "qasper_e").map((r) => r.id).sort()).toEqual(["qasper_e-0", "qasper_e-1", "qasper_e-2"]);

    // what the model was sent: samsum stops at the newline with at least one token, greedy; trec raw (no chat template; a chat API gets it as one message)
    const sent = seen.slice(before);
    expect(sent.length).toBe(8);
    const samsum = sent.find((r) => r.lastUserMessage.includes("Ann: Lunch?"));
    expect(samsum).toMatchObject({ maxTokens: 128, temperature: 0, stop: ["\n"] });
    expect(samsum?.body["min_tokens"]).toBe(1);
    const trec = sent.find((r) => r.lastUserMessage.includes("capital of France"));
    expect(trec?.lastUserMessage).toBe(
      "Please determine the type of the question below. Here are some examples of questions.\n\nQuestion: Who wrote Hamlet?\nType: Individual\n\nQuestion: What is the capital of France?\nType:",
    );
    expect(trec?.maxTokens).toBe(64);
    expect(result.stderr).toMatch(/raw text without a chat template/);
  });

  it("reads --data-dir in the official layout offline, reporting a malformed row with file:line", async () => {
    const cwd = project({ plugins: [LONGBENCH, OPENAI_BACKEND] });
    const dataDir = join(cwd, "LongBench-data");
    mkdirSync(join(dataDir, "data"), { recursive: true });
    for (const [task, rows] of Object.entries(DATA)) writeFileSync(join(dataDir, "data", `${task}.jsonl`), jsonl(rows));
    writeFileSync(join(dataDir, "data", "qasper.jsonl"), jsonl(DATA["qasper"]!) + '{"input": "broken", "answers": "not a list"}\n');
    const before = hubRequests.length;
    const result = await run(cwd, join(cwd, "run"), ["--data-dir", dataDir, "--offline", "--cache-dir", join(cwd, "cache")]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/data\/qasper\.jsonl:3: /);
    expect(hubRequests.length).toBe(before);
    const bench = JSON.parse(readFileSync(join(cwd, "run", "results.json"), "utf8")).benchmarks[0];
    expect(bench.tasks.qasper).toBe(50);
    expect(recordLines(join(cwd, "run")).length).toBe(8);
  });

  it("runs LOOM-Scope's protocol without LongBench-E, whose scoring LOOM-Scope cannot do", async () => {
    const cwd = project({ plugins: [LONGBENCH, OPENAI_BACKEND] });
    const dataDir = join(cwd, "d");
    mkdirSync(join(dataDir, "data"), { recursive: true });
    for (const [task, rows] of Object.entries(DATA)) writeFileSync(join(dataDir, "data", `${task}.jsonl`), jsonl(rows));
    const result = await runCli(
      ["run", "longbench", "--tasks", "qasper,trec", "--protocol", "loom", "--model", "openai:test-model", "--backend-opt", `baseURL=${model.baseURL}`, "--run-dir", join(cwd, "run"), "--data-dir", dataDir, "--offline", "--cache-dir", join(cwd, "cache")],
      { cwd },
    );
    expect(result.code).toBe(0);
    const bench = JSON.parse(readFileSync(join(cwd, "run", "results.json"), "utf8")).benchmarks[0];
    // Total.txt: (50 × 2 + 100 × 1) / 3 samples
    expect(bench.score).toBe(66.67);
    expect(bench.groups["LOOM-Scope Total (sample-weighted)"]).toBe(66.67);
    const refused = await runCli(
      ["run", "longbench", "--tasks", "qasper_e", "--protocol", "loom", "--model", "openai:test-model", "--backend-opt", `baseURL=${model.baseURL}`, "--run-dir", join(cwd, "run2"), "--data-dir", dataDir, "--offline"],
      { cwd },
    );
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/qasper_e/);
  });
});

describe("loom score longbench --predictions (official prediction folders)", () => {
  const official = join(LONGBENCH, "test/fixtures/official");
  const copy = (from: string, to: string) => {
    cpSync(from, to, { recursive: true });
    rmSync(join(to, "expected-result.json"));
  };

  it("writes eval.py's result.json byte for byte for pred/<model>", async () => {
    const cwd = project({ plugins: [LONGBENCH] });
    const dir = join(cwd, "pred", "all-datasets");
    copy(join(official, "main/pred/all-datasets"), dir);
    const result = await runCli(["score", "longbench", "--predictions", dir], { cwd });
    expect(result.stderr.split("\n").filter((l) => /^error/.test(l))).toEqual([]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/result\.json/);
    expect(readFileSync(join(dir, "result.json"), "utf8")).toBe(readFileSync(join(official, "main/pred/all-datasets/expected-result.json"), "utf8"));
  });

  it("the pred_e folder selects LongBench-E: buckets with NaN where eval.py --e writes NaN, into --out", async () => {
    const cwd = project({ plugins: [LONGBENCH] });
    const dir = join(cwd, "pred_e", "all-e");
    copy(join(official, "e-empty/pred_e/empty-bucket"), dir);
    const out = join(cwd, "out");
    const result = await runCli(["score", "longbench", "--predictions", dir, "--out", out], { cwd });
    expect(result.code).toBe(0);
    const want = readFileSync(join(official, "e-empty/pred_e/empty-bucket/expected-result.json"), "utf8");
    expect(want).toContain("NaN");
    expect(readFileSync(join(out, "result.json"), "utf8")).toBe(want);
  });

  it("stops where eval.py crashes and writes nothing", async () => {
    const cwd = project({ plugins: [LONGBENCH] });
    const dir = join(cwd, "pred", "m");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "narrativeqa.jsonl"), JSON.stringify({ pred: "x", answers: ["x"], all_classes: null, length: 10 }) + "\n");
    writeFileSync(join(dir, "qasper.jsonl"), "");
    const result = await runCli(["score", "longbench", "--predictions", dir], { cwd });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/ZeroDivisionError/);
    expect(() => readFileSync(join(dir, "result.json"))).toThrow();
  });
});
