/**
 * InfiniteBench end to end: official-format `<task>.jsonl` rows served by a stand-in for the Hugging
 * Face hub, `loom run infinitebench` against the testkit's OpenAI server with scripted answers (so
 * the scores are exact), the same from --data-dir offline with a malformed row, and `loom score
 * infinitebench --predictions results/<model>` against what compute_scores.py printed.
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOpenAIServer, type FakeOpenAIServer, type ScriptRequest } from "@loomscope/testkit";
import { startHubStandIn, type HubStandIn } from "../hub-standin.js";
import { OPENAI_BACKEND, project, recordLines, REPO, runCli } from "../helpers.js";

const PLUGIN = join(REPO, "plugins/benchmarks/infinitebench");

/** Rows in the official format ({id, context, input, answer, options}). */
const DATA: Record<string, object[]> = {
  passkey: [
    { id: 0, context: "Noise. The pass key is 71432. Remember it. Noise.", input: "What is the pass key?", answer: ["71432"], options: [] },
    { id: 1, context: "Noise. The pass key is 69079. Remember it. Noise.", input: "What is the pass key?", answer: ["69079"], options: [] },
  ],
  kv_retrieval: [{ id: 0, context: '{"k-1": "v-1", "k-2": "v-2"}', input: 'Key: "k-2"\nThe value associated with the specified key is: ', answer: "v-2", options: [] }],
  math_calc: [{ id: 0, context: "1 + 3 + 4", input: "", answer: [1, 4, 8], options: [] }],
};
const jsonl = (rows: readonly object[]) => rows.map((r) => JSON.stringify(r)).join("\n") + "\n";

const seen: ScriptRequest[] = [];
/** Right for the first pass key and the value (short: passkey has 6 new tokens); GPT-4's Math.Calc answer repeats the first operand, as compute_scores.py expects. */
function answer(request: ScriptRequest): string {
  seen.push(request);
  const p = request.lastUserMessage;
  if (p.includes("71432")) return "71432.";
  if (p.includes("69079")) return "12345";
  if (p.includes('"k-2"')) return '"v-2".';
  if (p.includes("1 + 3 + 4")) return "[1, 1, 4, 8]";
  return "unknown";
}

describe("InfiniteBench end to end", () => {
  let model: FakeOpenAIServer;
  let hub: HubStandIn;

  beforeAll(async () => {
    model = await startOpenAIServer({ models: [{ id: "test-model", maxModelLen: 32768 }], script: answer });
    hub = await startHubStandIn(new Map(Object.entries(DATA).map(([task, rows]) => [`xinrongzhang2022/InfiniteBench/${task}.jsonl`, jsonl(rows)])));
  });
  afterAll(async () => {
    await model.close();
    await hub.close();
  });

  const run = (cwd: string, extra: string[], env: Record<string, string> = {}) =>
    runCli(["run", "infinitebench", "--tasks", "passkey,kv_retrieval,math_calc", "--model", "openai:test-model", "--backend-opt", `baseURL=${model.baseURL}`, "--run-dir", join(cwd, "run"), "--cache-dir", join(cwd, "cache"), ...extra], { cwd, env });

  it("downloads <task>.jsonl through HF_ENDPOINT and runs GPT-4's prompt set (the default family), scored as compute_scores.py --model_name gpt4", async () => {
    const cwd = project({ plugins: [PLUGIN, OPENAI_BACKEND] });
    const before = seen.length;
    const result = await run(cwd, [], { HF_ENDPOINT: hub.url });
    expect(result.stderr.split("\n").filter((l) => /^error/.test(l))).toEqual([]);
    expect(result.code).toBe(0);
    expect(hub.requests.filter((u) => u.endsWith(".jsonl")).length).toBe(3);
    const bench = JSON.parse(readFileSync(join(cwd, "run", "results.json"), "utf8")).benchmarks[0];
    expect(bench.tasks).toEqual({ passkey: 50, kv_retrieval: 100, math_calc: 100 });
    expect(recordLines(join(cwd, "run")).length).toBe(4);
    // create_msgs: the system message; Math.Calc's own system prompt, worked example (answer as a system turn), then the expression.
    const sent = seen.slice(before);
    const calc = sent.find((r) => r.lastUserMessage === "1 + 3 + 4")!;
    expect((calc.body["messages"] as { role: string; content: string }[]).map((m) => [m.role, m.role === "system" && m.content.startsWith("You are a calculator") ? "calculator" : m.content])).toEqual([
      ["system", "calculator"],
      ["user", "1 + 2 - 4 - 10"],
      ["system", "[1, 3, -1, -11]"],
      ["user", "1 + 3 + 4"],
    ]);
    const pass = sent.find((r) => r.lastUserMessage.includes("71432"))!;
    expect((pass.body["messages"] as { role: string; content: string }[])[0]).toEqual({ role: "system", content: "You are a helpful assistant" });
    expect(pass.maxTokens).toBe(6);
  });

  it("reads --data-dir offline under the yarn-mistral family (raw prompts), reporting a malformed row with file:line", async () => {
    const cwd = project({ plugins: [PLUGIN, OPENAI_BACKEND] });
    const dataDir = join(cwd, "data");
    mkdirSync(dataDir);
    for (const [task, rows] of Object.entries(DATA)) writeFileSync(join(dataDir, `${task}.jsonl`), jsonl(rows));
    writeFileSync(join(dataDir, "passkey.jsonl"), jsonl(DATA["passkey"]!) + '{"id": 2, "context": "x"}\n');
    const before = hub.requests.length;
    const beforeSeen = seen.length;
    const result = await run(cwd, ["--data-dir", dataDir, "--offline", "--benchmark-opt", "infinitebench.family=yarn-mistral"]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/passkey\.jsonl:3: /);
    expect(hub.requests.length).toBe(before);
    const bench = JSON.parse(readFileSync(join(cwd, "run", "results.json"), "utf8")).benchmarks[0];
    // Math.Calc without GPT-4's dropped first number: [1, 1, 4, 8] matches the first value only.
    expect(bench.tasks).toEqual({ passkey: 50, kv_retrieval: 100, math_calc: 100 * (1 / 3) });
    const pass = seen.slice(beforeSeen).find((r) => r.lastUserMessage.includes("71432"))!;
    expect(pass.lastUserMessage.endsWith("What is the pass key?\n\nThe pass key is")).toBe(true);
    const misspelt = await run(cwd, ["--data-dir", dataDir, "--offline", "--benchmark-opt", "infinitebench.family=yarn-mistrel"]);
    expect(misspelt.code).toBe(2);
    expect(misspelt.stderr).toMatch(/family/);
    expect(misspelt.stderr).toMatch(/yarn-mistral/);
  });
});

describe("loom score infinitebench --predictions results/<model>", () => {
  const fixtures = join(PLUGIN, "test/fixtures");
  const printed = JSON.parse(readFileSync(join(fixtures, "official-printed.json"), "utf8")) as Record<string, Record<string, string>>;

  it("writes score_official.json with what compute_scores.py printed, per task", async () => {
    const cwd = project({ plugins: [PLUGIN] });
    const dir = join(cwd, "results", "gpt4");
    cpSync(join(fixtures, "results", "gpt4"), dir, { recursive: true });
    const result = await runCli(["score", "infinitebench", "--predictions", dir], { cwd });
    expect(result.stderr.split("\n").filter((l) => /^error/.test(l))).toEqual([]);
    expect(result.code).toBe(0);
    const written = JSON.parse(readFileSync(join(dir, "score_official.json"), "utf8")) as Record<string, number>;
    for (const [task, value] of Object.entries(printed["gpt4"]!)) expect([task, written[task]]).toEqual([task, Number(value)]);
  });
});
