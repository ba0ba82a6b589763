/**
 * BABILong end to end: RMT-team/babilong's files (create_tasks.py's JSON arrays) from a hub stand-in
 * → `loom run babilong` against the testkit's scripted OpenAI server → every request carries
 * get_formatted_input's text as run_model_on_babilong.py sends it with the chat template, 20 tokens;
 * the collected table printed with the scores the scripted answers make; then from --data-dir
 * offline with a malformed record, LOOM-Scope's protocol and the switches as options; and
 * `loom score babilong --predictions` on official prediction folders.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOpenAIServer, type FakeOpenAIServer, type ScriptRequest } from "@loomscope/testkit";
import { formatInput, promptConfig, type BabilongTask } from "@loomscope/benchmark-babilong";
import { OPENAI_BACKEND, project, recordLines, REPO, runCli } from "../helpers.js";
import { startHubStandIn, type HubStandIn } from "../hub-standin.js";

const BABILONG = join(REPO, "plugins/benchmarks/babilong");
const FIXTURES = join(BABILONG, "test/fixtures");

interface Row {
  input: string;
  question: string;
  target: string;
}
const noise = "The sun rose over the quiet harbour and the boats went out one by one. ";
/**
 * A few records per (task, length) in the official layout; `answer` is what the scripted model says
 * (at most 20 tokens of the fake server's byte tokenizer: the official budget cuts longer answers).
 */
const DATA: Record<string, (Row & { answer: string })[]> = {
  "qa1/0k": [
    { input: "Mary moved to the bathroom. John went to the hallway.", question: "Where is Mary?", target: "bathroom", answer: "Mary: bathroom." },
    { input: "Daniel went back to the office. Sandra moved to the garden.", question: "Where is Sandra?", target: "garden", answer: "Sandra: garden." },
  ],
  "qa1/1k": [
    { input: `${noise.repeat(6)}John travelled to the kitchen. ${noise.repeat(6)}`, question: "Where is John?", target: "kitchen", answer: "John: kitchen." },
  ],
  "qa2/1k": [
    { input: `${noise.repeat(6)}Sandra took the milk. Sandra went to the bedroom. ${noise.repeat(6)}`, question: "Where is the milk?", target: "bedroom", answer: "In the bedroom." },
  ],
  "qa3/1k": [
    { input: `${noise.repeat(6)}John got the football. John went to the office. John moved to the bathroom. ${noise.repeat(6)}`, question: "Where was the football before the bathroom?", target: "office", answer: "The office." },
  ],
  "qa4/1k": [
    { input: `${noise.repeat(6)}The kitchen is east of the garden. ${noise.repeat(6)}`, question: "What is the garden west of?", target: "kitchen", answer: "The kitchen." },
  ],
  "qa5/1k": [
    { input: `${noise.repeat(6)}Jeff passed the apple to Mary. ${noise.repeat(6)}`, question: "What did Jeff pass to Mary?", target: "apple", answer: "The apple." },
  ],
  "qa2/0k": [
    { input: "Mary got the football. Mary went to the kitchen.", question: "Where is the football?", target: "kitchen", answer: "In the kitchen." },
    { input: "John took the apple. John journeyed to the office.", question: "Where is the apple?", target: "office", answer: "In the office." },
  ],
  "qa3/0k": [
    { input: "Sandra picked up the milk. Sandra went to the hallway. Sandra moved to the garden.", question: "Where was the milk before the garden?", target: "hallway", answer: "The hallway." },
    // Wrong on purpose: the target is the garden.
    { input: "Daniel grabbed the apple. Daniel went to the kitchen. Daniel moved to the garden.", question: "Where was the apple before the bedroom?", target: "garden", answer: "The kitchen." },
  ],
  "qa4/0k": [
    { input: "The office is north of the kitchen. The garden is south of the kitchen.", question: "What is north of the kitchen?", target: "office", answer: "The office." },
    { input: "The hallway is east of the bathroom. The bedroom is west of the bathroom.", question: "What is west of the bathroom?", target: "bedroom", answer: "The bedroom." },
  ],
  "qa5/0k": [
    { input: "Bill gave the football to Jeff. Fred went to the garden.", question: "What did Bill give to Jeff?", target: "football", answer: "The football." },
    { input: "Mary handed the milk to Fred. Jeff went to the office.", question: "Who received the milk?", target: "Fred", answer: "Fred." },
  ],
};
const records = (key: string): Row[] => DATA[key]!.map(({ input, question, target }) => ({ input, question, target }));
/** json.dump(list) as create_tasks.py writes it (ASCII-escaped, one line). */
const pyDump = (rows: readonly object[]): string => JSON.stringify(rows).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).replace(/","/g, '", "').replace(/":"/g, '": "');

function answer(request: ScriptRequest): string {
  const user = request.messages?.find((m) => m.role === "user")?.content ?? request.prompt;
  for (const rows of Object.values(DATA)) for (const r of rows) if (user.endsWith(`Question: ${r.question}`)) return r.answer;
  return "I do not know.";
}

describe("BABILong end to end", () => {
  let model: FakeOpenAIServer;
  let hub: HubStandIn;
  const requests: ScriptRequest[] = [];

  beforeAll(async () => {
    model = await startOpenAIServer({
      models: [{ id: "test-model", maxModelLen: 32768 }],
      script: (r) => {
        requests.push(r);
        return answer(r);
      },
    });
    hub = await startHubStandIn(new Map(Object.keys(DATA).map((k) => [`RMT-team/babilong/data/${k}.json`, pyDump(records(k))])));
  });
  afterAll(async () => {
    await model.close();
    await hub.close();
  });

  const run = (cwd: string, runDir: string, extra: string[], env: Record<string, string> = {}) =>
    runCli(["run", "babilong", "--model", "openai:test-model", "--backend-opt", `baseURL=${model.baseURL}`, "--run-dir", runDir, ...extra], { cwd, env });

  it("downloads the official files through HF_ENDPOINT, sends get_formatted_input's text, prints collect_results' table", async () => {
    const cwd = project({ plugins: [BABILONG, OPENAI_BACKEND] });
    requests.length = 0;
    const result = await run(cwd, join(cwd, "run"), ["--tasks", "qa1,qa2,qa3,qa4,qa5", "--lengths", "0k,1k", "--cache-dir", join(cwd, "cache")], { HF_ENDPOINT: hub.url });
    expect(result.stderr.split("\n").filter((l) => /^error/.test(l))).toEqual([]);
    expect(result.code).toBe(0);
    expect(hub.requests.filter((u) => u.endsWith(".json")).sort()).toEqual(Object.keys(DATA).map((k) => `/datasets/RMT-team/babilong/resolve/main/data/${k}.json`).sort());

    // The run script's default switches: instruction, examples, post-prompt, chat template; no system prompt.
    expect(requests.length).toBe(15);
    for (const r of requests) {
      const [task] = Object.entries(DATA).find(([, rows]) => rows.some((x) => r.messages?.[0]?.content.endsWith(`Question: ${x.question}`)))!;
      const row = DATA[task]!.find((x) => r.messages![0]!.content.endsWith(`Question: ${x.question}`))!;
      const cfg = promptConfig(task.split("/")[0] as BabilongTask);
      expect(r.messages).toEqual([{ role: "user", content: formatInput(row.input, row.question, cfg.examples, cfg.instruction, cfg.post_prompt) }]);
      expect(r.maxTokens).toBe(20);
    }

    // collect_results' best-setup table: qa3 has one wrong answer at 0k; avg (of the first five tasks) 90 at 0k, 100 at 1k.
    expect(result.stdout).toMatch(/BABILong accuracy by task and length \(collect_results\.py[^\n]*\s+0k\s+1k\n/);
    expect(result.stdout).toMatch(/\nqa1\s+100\.00\s+100\.00\n/);
    expect(result.stdout).toMatch(/\nqa3\s+50\.00\s+100\.00\n/);
    expect(result.stdout).toMatch(/\navg\s+90\.00\s+100\.00\n/);
    const results = JSON.parse(readFileSync(join(cwd, "run", "results.json"), "utf8"));
    const b = results.benchmarks[0];
    const full = { "0k": 100, "1k": 100 };
    expect(b.cells).toEqual({ qa1: full, qa2: full, qa3: { "0k": 50, "1k": 100 }, qa4: full, qa5: full });
    // Not an official number: the mean over lengths of the avg row.
    expect(b.score).toBe(95);
    expect(recordLines(join(cwd, "run")).length).toBe(15);
    const manifest = readFileSync(join(cwd, "run", "manifest.json"), "utf8");
    expect(manifest).toContain('"useExamples": true');
    expect(manifest).toContain("RMT-team/babilong");
  });

  it("reads --data-dir offline, reports a malformed record with file:line, runs LOOM-Scope's protocol with the switches given", async () => {
    const cwd = project({ plugins: [BABILONG, OPENAI_BACKEND] });
    const dataDir = join(cwd, "data");
    mkdirSync(join(dataDir, "data", "qa1"), { recursive: true });
    // Pretty-printed, with a record lacking its target on line 3.
    writeFileSync(join(dataDir, "data", "qa1", "0k.json"), "[\n" + [JSON.stringify(records("qa1/0k")[0]), JSON.stringify({ input: "x", question: "Where is Bob?" }), JSON.stringify(records("qa1/0k")[1])].join(",\n") + "\n]\n");
    requests.length = 0;
    const before = hub.requests.length;
    const result = await run(cwd, join(cwd, "run"), [
      "--tasks", "qa1", "--lengths", "0k", "--data-dir", dataDir, "--offline", "--cache-dir", mkdtempSync(join(tmpdir(), "c-")),
      "--protocol", "loom", "--benchmark-opt", "babilong.useExamples=false", "--benchmark-opt", "babilong.systemPrompt=You are a helpful AI assistant.",
    ]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/data\/qa1\/0k\.json:3: target: /);
    expect(hub.requests.length).toBe(before);
    expect(requests.length).toBe(2);
    const cfg = promptConfig("qa1", { useExamples: false });
    const row = DATA["qa1/0k"]![0]!;
    expect(requests.find((r) => r.messages?.at(-1)?.content.endsWith(row.question))!.messages).toEqual([
      { role: "system", content: "You are a helpful AI assistant." },
      { role: "user", content: formatInput(row.input, row.question, "", cfg.instruction, cfg.post_prompt) },
    ]);
    expect(result.stdout).toMatch(/loom protocol/);
    expect(result.stdout).toMatch(/LOOM-Scope's eval\.py scores it[^\n]*\n[^\n]*\nqa1\s+100\.00\nOverall\s+100\.00/);
    // The malformed record is planned and reported, never scored: the score says it is partial.
    expect(result.stdout).toMatch(/partial: 1 planned sample\(s\) did not run/);
    expect(recordLines(join(cwd, "run")).map((r) => r.id).sort()).toEqual(["qa1_0k-0", "qa1_0k-2"]);
  });
});

describe("loom score babilong --predictions (official prediction files)", () => {
  it("writes <org>/<model>.csv and all_results.csv as collect_results.py does, and LOOM-Scope's files under --protocol loom", async () => {
    const cwd = project({ plugins: [BABILONG] });
    const evals = join(cwd, "babilong_evals");
    cpSync(join(FIXTURES, "babilong_evals"), evals, { recursive: true });
    const out = join(cwd, "collected");
    const all = await runCli(["score", "babilong", "--predictions", evals, "--out", out], { cwd });
    expect(all.stderr.split("\n").filter((l) => /^error/.test(l))).toEqual([]);
    expect(all.code).toBe(0);
    for (const f of ["test-org/model-a.csv", "test-org/model-b.csv", "other-org/model-c.csv"]) {
      expect(readFileSync(join(out, f), "utf8"), f).toBe(readFileSync(join(FIXTURES, "official-result", f), "utf8"));
    }
    // all_results.csv: models in sorted order (Python's follow the file system's listing), so rows and columns may be ordered otherwise.
    expect(readFileSync(join(out, "all_results.csv"), "utf8").split("\n")[0]!.split(",").sort()).toEqual(readFileSync(join(FIXTURES, "official-result", "all_results.csv"), "utf8").split("\n")[0]!.split(",").sort());
    const one = await runCli(["score", "babilong", "--predictions", join(evals, "test-org", "model-a"), "--out", join(cwd, "one")], { cwd });
    expect(one.code).toBe(0);
    expect(readFileSync(join(cwd, "one", "test-org", "model-a.csv"), "utf8")).toBe(readFileSync(join(FIXTURES, "official-result", "test-org", "model-a.csv"), "utf8"));

    const loom = await runCli(["score", "babilong", "--predictions", join(FIXTURES, "loom_preds"), "--protocol", "loom", "--out", join(cwd, "loom")], { cwd });
    expect(loom.code).toBe(0);
    expect(readFileSync(join(cwd, "loom", "Total.txt"), "utf8")).toBe(readFileSync(join(FIXTURES, "loom-result", "Total.txt"), "utf8"));
    expect(JSON.parse(readFileSync(join(cwd, "loom", "length.json"), "utf8"))).toEqual(JSON.parse(readFileSync(join(FIXTURES, "loom-result", "length.json"), "utf8")));

    // A folder the official collection fails on: a clear error, nothing written.
    const crash = await runCli(["score", "babilong", "--predictions", join(FIXTURES, "crash_evals", "test-org", "model-x"), "--out", join(cwd, "crash")], { cwd });
    expect(crash.code).not.toBe(0);
    expect(crash.stderr).toMatch(/Error/);
  });
});
