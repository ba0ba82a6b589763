/**
 * LongBench v2 end to end: data.json served by a stand-in for the Hugging Face hub, `loom run
 * longbench-v2` (0-shot, then pred.py's chain of thought with its second request) against the
 * testkit's OpenAI server. Every prompt the model receives must equal, byte for byte, the prompt
 * pred.py's own statements built for the same record (the plugin's parity fixture), so the scripted
 * model answers only prompts it recognises. Then --data-dir offline with a malformed record, and
 * `loom score longbench-v2 --predictions results/` writing result.py's result.txt.
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOpenAIServer, type FakeOpenAIServer, type ScriptRequest } from "@loomscope/testkit";
import { OPENAI_BACKEND, project, recordLines, REPO, runCli } from "../helpers.js";
import { serveFiles, type HubStandIn } from "../hub-standin.js";

const V2 = join(REPO, "plugins/benchmarks/longbench-v2");
const REVISION = "2b48e494f2c7a2f0af81aae178e05c7e1dde0fe9";

interface Fields {
  context: string;
  question: string;
  choice_A: string;
  choice_B: string;
  choice_C: string;
  choice_D: string;
}
interface FixturePrompt {
  record: Fields;
  setting: "zeroShot" | "cot" | "noContext" | "cotAnswer" | "rag";
  prompt: string;
  cot?: string;
}
const { prompts } = JSON.parse(readFileSync(join(V2, "test/fixtures/parity.json"), "utf8")) as { prompts: FixturePrompt[] };

/**
 * The fixture's distinct records, made into data.json records; one is left out because its prompt
 * equals another's once pred.py has stripped the fields (`"\x85Delta\x1f"` is `"Delta"`), and the
 * run would rightly answer it from the response cache.
 */
const fieldsOf = [...new Map(prompts.map((p) => [JSON.stringify(p.record), p.record])).values()].filter((_, i) => i !== 4);
const LENGTH = ["short", "medium", "long"] as const;
const records = fieldsOf.map((f, i) => ({
  _id: `rec${String(i).padStart(2, "0")}`,
  domain: "Single-Document QA",
  sub_domain: "Academic",
  difficulty: i % 2 === 0 ? "easy" : "hard",
  length: LENGTH[i % 3],
  question: f.question,
  choice_A: f.choice_A,
  choice_B: f.choice_B,
  choice_C: f.choice_C,
  choice_D: f.choice_D,
  answer: "ABCD"[i % 4],
  context: f.context,
}));
const indexOf = (fields: Fields) => fieldsOf.findIndex((f) => JSON.stringify(f) === JSON.stringify(fields));

/**
 * The answer plan: records 2 and 5 answer a wrong letter, 9 answers without a letter it can
 * extract, 7 answers '' (pred.py writes no line for it), the others the right letter.
 */
function finalAnswer(i: number): string {
  const right = records[i]!.answer as string;
  if (i === 7) return "";
  if (i === 2 || i === 5) return `The correct answer is (${right === "A" ? "B" : "A"})`;
  if (i === 9) return "I would say B.";
  return i % 2 === 0 ? `The correct answer is **(${right})**` : `The correct answer is ${right}`;
}
/**
 * result.py's row for that plan over the 10 written samples (Overall, Easy, Hard, Short, Medium,
 * Long): 7/10, easy 5/6, hard 2/4, short 3/4, medium 3/3, long 1/3.
 */
const EXPECTED_ROW = [70.0, 83.3, 50.0, 75.0, 100.0, 33.3];
const IDS = [...Array(11).keys()].map((i) => `rec${String(i).padStart(2, "0")}`);

type Turn = "zeroShot" | "cot" | "cotAnswer";
const seen: { turn: Turn | "unknown"; record: number; request: ScriptRequest }[] = [];

/** Answers only prompts byte-identical to pred.py's for a known record. */
function answer(request: ScriptRequest): string {
  const text = request.lastUserMessage;
  const match = prompts.find((p) => (p.setting === "zeroShot" || p.setting === "cot" || p.setting === "cotAnswer") && p.prompt === text);
  if (!match) {
    seen.push({ turn: "unknown", record: -1, request });
    return "unrecognised prompt";
  }
  const i = indexOf(match.record);
  seen.push({ turn: match.setting as Turn, record: i, request });
  if (match.setting === "cot") {
    if (i === 7) return "";
    // the reasoning with whitespace around it: pred.py strips it before putting it into `$COT$`
    const reasoning = prompts.find((p) => p.setting === "cotAnswer" && indexOf(p.record) === i)!.cot!;
    return `\n ${reasoning}  `;
  }
  return finalAnswer(i);
}

const dataJson = (rows: readonly object[]) => JSON.stringify(rows, null, 2);

describe("LongBench v2 end to end", () => {
  let model: FakeOpenAIServer;
  let hub: HubStandIn;
  let hubUrl = "";
  const hubRequests: string[] = [];

  beforeAll(async () => {
    model = await startOpenAIServer({ models: [{ id: "test-model", maxModelLen: 32768 }], script: answer });
    const body = Buffer.from(dataJson(records));
    hub = await serveFiles(new Map([[`/datasets/THUDM/LongBench-v2/resolve/${REVISION}/data.json`, body]]), { requests: hubRequests });
    hubUrl = `${hub.url}`;
  });
  afterAll(async () => {
    await model.close();
    hub.close();
  });

  const run = (cwd: string, runDir: string, extra: string[], env: Record<string, string> = {}) =>
    runCli(["run", "longbench-v2", "--model", "openai:test-model", "--backend-opt", `baseURL=${model.baseURL}`, "--run-dir", runDir, ...extra], { cwd, env });
  const results = (runDir: string) => JSON.parse(readFileSync(join(runDir, "results.json"), "utf8")).benchmarks[0];

  it("0-shot: streams data.json from the hub, sends pred.py's prompts byte for byte, prints result.py's row", async () => {
    const cwd = project({ plugins: [V2, OPENAI_BACKEND] });
    const from = seen.length;
    const result = await run(cwd, join(cwd, "run"), ["--cache-dir", join(cwd, "cache")], { HF_ENDPOINT: hubUrl });
    expect(result.stderr.split("\n").filter((l) => /^error/.test(l))).toEqual([]);
    expect(result.code).toBe(0);
    expect(hubRequests.filter((u) => u.endsWith("data.json")).length).toBe(1);
    const sent = seen.slice(from);
    expect(sent.filter((s) => s.turn === "unknown").map((s) => s.request.lastUserMessage.slice(0, 200))).toEqual([]);
    expect(sent.map((s) => s.record).sort((a, b) => a - b)).toEqual([...Array(11).keys()]);
    for (const s of sent) {
      expect(s.turn).toBe("zeroShot");
      expect(s.request).toMatchObject({ maxTokens: 128, temperature: 0.1 });
      expect(s.request.messages?.map((m) => m.role)).toEqual(["user"]);
    }
    const bench = results(join(cwd, "run"));
    expect(bench.tables[0].rows).toEqual(["longbench_v2"]);
    expect(bench.tables[0].cells[0]).toEqual(EXPECTED_ROW);
    expect(bench.score).toBe(70);
    expect(result.stdout).toMatch(/longbench_v2\s+70\.00\s+83\.30\s+50\.00\s+75\.00\s+100\.00\s+33\.30/);
    const records = recordLines(join(cwd, "run"));
    expect(records.map((r) => r.id).sort()).toEqual(IDS);
    // the '' answer: recorded, scored as pred.py counts it (left out), not as 0
    const empty = records.find((r) => r.id === "rec07") as unknown as { status: string; scores: Record<string, number | null> };
    expect(empty).toMatchObject({ status: "ok", scores: { accuracy: null } });
  });

  it("--cot: 1,024 tokens to reason, then a fresh 128-token request with the reasoning; an empty reasoning ends the sample", async () => {
    const cwd = project({ plugins: [V2, OPENAI_BACKEND] });
    const from = seen.length;
    const result = await run(cwd, join(cwd, "run"), ["--cache-dir", join(cwd, "cache"), "--benchmark-opt", "longbench-v2.cot=true"], { HF_ENDPOINT: hubUrl });
    expect(result.code).toBe(0);
    const sent = seen.slice(from);
    expect(sent.filter((s) => s.turn === "unknown").map((s) => s.request.lastUserMessage.slice(0, 200))).toEqual([]);
    const reasoning = sent.filter((s) => s.turn === "cot");
    const answers = sent.filter((s) => s.turn === "cotAnswer");
    expect(reasoning.length).toBe(11);
    expect(answers.length).toBe(10);
    expect(answers.map((s) => s.record)).not.toContain(7);
    for (const s of reasoning) expect(s.request).toMatchObject({ maxTokens: 1024, temperature: 0.1 });
    for (const s of answers) {
      expect(s.request).toMatchObject({ maxTokens: 128, temperature: 0.1 });
      expect(s.request.messages?.map((m) => m.role)).toEqual(["user"]);
    }
    const bench = results(join(cwd, "run"));
    expect(bench.tables[0].rows).toEqual(["longbench_v2_cot"]);
    expect(bench.tables[0].cells[0]).toEqual(EXPECTED_ROW);
    // both outputs are kept on the record; the second is the prediction
    const rec = recordLines(join(cwd, "run")).find((r) => r.id === "rec00") as unknown as { prediction: string; turns: { output: string }[] };
    expect(rec.turns.length).toBe(2);
    expect(rec.prediction).toBe(rec.turns[1]!.output);
  });

  it("reads data.json from --data-dir offline and reports a malformed record with file:line", async () => {
    const cwd = project({ plugins: [V2, OPENAI_BACKEND] });
    const dataDir = join(cwd, "data");
    mkdirSync(dataDir);
    writeFileSync(join(dataDir, "data.json"), dataJson([...records, { ...records[0], _id: "broken", answer: "E" }]));
    const before = hubRequests.length;
    const result = await run(cwd, join(cwd, "run"), ["--data-dir", dataDir, "--offline", "--cache-dir", join(cwd, "cache"), "--lengths", "short"]);
    expect(result.code).toBe(0);
    // the 12th element starts on line 156 of the pretty-printed array (14 lines a record after "[")
    expect(result.stderr).toMatch(/data\.json:156: answer: /);
    expect(hubRequests.length).toBe(before);
    expect(recordLines(join(cwd, "run")).map((r) => r.id).sort()).toEqual(["rec00", "rec03", "rec06", "rec09"]);
  });

  it("refuses, before anything runs, a setting LOOM-Scope's code does not have", async () => {
    const cwd = project({ plugins: [V2, OPENAI_BACKEND] });
    const result = await run(cwd, join(cwd, "run"), ["--protocol", "loom", "--benchmark-opt", "longbench-v2.rag=3", "--offline"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no RAG template/);
  });
});

describe("loom score longbench-v2 --predictions results/", () => {
  it("writes result.py's result.txt byte for byte beside results/, as result.py does", async () => {
    const cwd = project({ plugins: [V2] });
    const official = join(V2, "test/fixtures/official/main");
    cpSync(join(official, "results"), join(cwd, "results"), { recursive: true });
    const result = await runCli(["score", "longbench-v2", "--predictions", join(cwd, "results")], { cwd });
    expect(result.stderr.split("\n").filter((l) => /^error/.test(l))).toEqual([]);
    expect(result.code).toBe(0);
    expect(readFileSync(join(cwd, "result.txt"), "utf8")).toBe(readFileSync(join(official, "expected-result.txt"), "utf8"));
  });

  it("--benchmark-opt longbench-v2.compensated=true is result.py with compensated = True", async () => {
    const cwd = project({ plugins: [V2] });
    const official = join(V2, "test/fixtures/official/compensated");
    cpSync(join(official, "results"), join(cwd, "results"), { recursive: true });
    const result = await runCli(["score", "longbench-v2", "--predictions", join(cwd, "results"), "--benchmark-opt", "longbench-v2.compensated=true", "--out", join(cwd, "out")], { cwd });
    expect(result.code).toBe(0);
    expect(readFileSync(join(cwd, "out", "result.txt"), "utf8")).toBe(readFileSync(join(official, "expected-result.txt"), "utf8"));
  });

  it("--protocol loom refuses: LOOM-Scope's v2 scorer is not available to reproduce", async () => {
    const cwd = project({ plugins: [V2] });
    cpSync(join(V2, "test/fixtures/official/main/results"), join(cwd, "results"), { recursive: true });
    const result = await runCli(["score", "longbench-v2", "--predictions", join(cwd, "results"), "--protocol", "loom"], { cwd });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/cannot be reproduced/);
  });
});
