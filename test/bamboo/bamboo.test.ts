/**
 * BAMBOO end to end: the official files (the plugin's data fixture: the first rows of each
 * datasets/<task>_<len>.jsonl) served by a stand-in for the repository at the pinned commit →
 * `loom run bamboo` against a scripted fake model → evaluate.py's numbers; private_eval's code run
 * only with --allow-code-execution; `loom score bamboo --predictions` on official-format files.
 */
import { cpSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOpenAIServer, type FakeOpenAIServer, type ScriptRequest } from "@loomscope/testkit";
import { OPENAI_BACKEND, project, recordLines, REPO, runCli } from "../helpers.js";
import { serveFiles, type HubStandIn } from "../hub-standin.js";

const BAMBOO = join(REPO, "plugins/benchmarks/bamboo");
const DATA = join(BAMBOO, "test/fixtures/data");
const COMMIT = "f230f206148396c12774ef3a632df291d96dc6ab";
const TASKS = ["altqa", "senhallu", "showssort", "private_eval"];
const PYTHON = "/usr/bin/python3"; // Debian's, with numpy and pandas for private_eval

const rows = (file: string) =>
  readFileSync(join(DATA, file), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { content?: string | string[]; prompt?: string });
/** A stretch of each row's text the fake model recognises it by. */
const keyOf = (r: { content?: string | string[]; prompt?: string }) => (r.prompt !== undefined ? r.prompt.slice(-120, -60) : Array.isArray(r.content) ? r.content[0]!.slice(100, 160) : r.content!.slice(150, 210));
const [alt0, alt1] = rows("altqa_4k.jsonl").map(keyOf);
const [hal0, hal1] = rows("senhallu_4k.jsonl").map(keyOf);
const [sort0, sort1] = rows("showssort_4k.jsonl").map(keyOf);
const [code0, code1] = rows("private_eval_4k.jsonl").map(keyOf);
const ANSWERS: [string, string][] = [
  [alt0!, "1964"], // right
  [alt1!, "1980"], // wrong (1979)
  [hal0!, "Yes, it is."], // says yes to a false hypothesis
  [hal1!, "Yes."], // right
  [sort0!, "[2] > [0] > [1] > [3] > [4]"], // the order
  [sort1!, "[1] > [2]"], // too short: a format error that counts 0
  [code0!, " bn.numset([[8, 7, 2], [5, 6, 1], [8, 2, 6]])"], // passes once convert_back maps the names back
  [code1!, " None"], // fails
];
const model = (request: ScriptRequest) => ANSWERS.find(([key]) => request.prompt.includes(key))?.[1] ?? "no scripted answer";
const generations = (server: FakeOpenAIServer) => server.requests.filter((r) => r.method === "POST" && r.path.endsWith("/chat/completions")).length;

describe("BAMBOO end to end", () => {
  let modelServer: FakeOpenAIServer;
  let github: HubStandIn;
  let dataUrl = "";
  const served: string[] = [];

  beforeAll(async () => {
    modelServer = await startOpenAIServer({ models: [{ id: "test-model", maxModelLen: 32768 }], script: model });
    github = await serveFiles((path) => {
      const m = new RegExp(`^/RUCAIBox/BAMBOO/${COMMIT}/datasets/([\\w.]+)$`).exec(path);
      return m && readdirSync(DATA).includes(m[1]!) ? readFileSync(join(DATA, m[1]!)) : undefined;
    }, { requests: served, notFound: "404: Not Found" });
    dataUrl = `${github.url}/RUCAIBox/BAMBOO/${COMMIT}`;
  });
  afterAll(async () => {
    await modelServer.close();
    github.close();
  });

  const run = (cwd: string, tasks: string[], extra: string[]) =>
    runCli(
      ["run", "bamboo", "--tasks", tasks.join(","), "--lengths", "4k", "--model", "openai:test-model", "--backend-opt", `baseURL=${modelServer.baseURL}`,
        // The fake tokenizer counts bytes: room for the scripted code completion.
        "--gen", "max_tokens=128", "--benchmark-opt", `bamboo.python=${PYTHON}`, ...extra],
      { cwd },
    );

  it("fetches the repository's files, runs private_eval's code in the sandbox, prints evaluate.py's numbers; re-scoring gives the same", async () => {
    const cwd = project({ plugins: [BAMBOO, OPENAI_BACKEND] });
    const runDir = join(cwd, "run");
    const result = await run(cwd, TASKS, ["--run-dir", runDir, "--cache-dir", join(cwd, "cache"), "--benchmark-opt", `bamboo.dataUrl=${dataUrl}`, "--allow-code-execution"]);
    expect(result.stderr.split("\n").filter((l) => /^error/.test(l))).toEqual([]);
    expect(result.code).toBe(0);
    // run_for_transformers.py sends fastchat's vicuna conversation as raw text: a chat-only API gets it as one message.
    expect(result.stderr).toMatch(/warn: the official code sends some prompts as raw text/);
    expect(served.filter((u) => u.endsWith("real_all_eval_v3.jsonl.gz")).length).toBe(1);
    expect(recordLines(runDir).map((r) => r.status)).toEqual(Array(8).fill("ok"));
    const results = JSON.parse(readFileSync(join(runDir, "results.json"), "utf8"));
    const b = results.benchmarks[0];
    // altqa 1/2; senhallu P 1/2, R 1 → F1 66.7; showssort (1 + 0) / 2; private_eval pass@1 1/2 (×100).
    expect(b.cells).toEqual({ altqa: { "4k": 50 }, senhallu: { "4k": 66.7 }, showssort: { "4k": 50 }, private_eval: { "4k": 50 } });
    expect(b.tables[1]).toMatchObject({ columns: ["precision", "recall", "f1"], cells: [[50, 100, 66.7]] });
    expect(result.stdout).toMatch(/private_eval\s+50\.00/);
    const prompts = modelServer.requests.filter((r) => r.path.endsWith("/chat/completions")).map((r) => (r.body as { messages: { content: string }[] }).messages[0]!.content);
    expect(prompts.every((p) => p.startsWith("A chat between a curious user and an artificial intelligence assistant.") && p.endsWith(" ASSISTANT:"))).toBe(true);

    const again = await runCli(["score", runDir], { cwd, env: { LOOMSCOPE_CACHE_DIR: join(cwd, "cache") } });
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/re-scored 8 records \(0 changed\)/);
  });

  it("without --allow-code-execution a run that includes private_eval stops before anything is sent (exit 2); without it the rest runs", async () => {
    const cwd = project({ plugins: [BAMBOO, OPENAI_BACKEND] });
    const before = generations(modelServer);
    const refused = await run(cwd, TASKS, ["--run-dir", join(cwd, "run"), "--cache-dir", join(cwd, "cache"), "--benchmark-opt", `bamboo.dataUrl=${dataUrl}`]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/bamboo\/private_eval: pass@1/);
    expect(refused.stderr).toMatch(/--allow-code-execution/);
    expect(generations(modelServer)).toBe(before);
    const rest = await run(cwd, ["altqa"], ["--run-dir", join(cwd, "run2"), "--cache-dir", join(cwd, "cache"), "--benchmark-opt", `bamboo.dataUrl=${dataUrl}`]);
    expect(rest.code).toBe(0);
    expect(JSON.parse(readFileSync(join(cwd, "run2", "results.json"), "utf8")).benchmarks[0].cells).toEqual({ altqa: { "4k": 50 } });
  });

  it("reads the official files from --data-dir offline and reports a malformed row with file:line", async () => {
    const cwd = project({ plugins: [BAMBOO, OPENAI_BACKEND] });
    const dataDir = join(cwd, "data");
    mkdirSync(join(dataDir, "datasets"), { recursive: true });
    for (const f of readdirSync(DATA)) cpSync(join(DATA, f), join(dataDir, "datasets", f));
    writeFileSync(join(dataDir, "datasets", "altqa_4k.jsonl"), readFileSync(join(DATA, "altqa_4k.jsonl"), "utf8") + JSON.stringify({ content: "x", answer: 1979 }) + "\n");
    const hits = served.length;
    const result = await run(cwd, TASKS, ["--run-dir", join(cwd, "run"), "--data-dir", dataDir, "--offline", "--cache-dir", join(cwd, "empty"), "--allow-code-execution"]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/altqa_4k\.jsonl:3: answer: /);
    expect(served.length).toBe(hits);
    expect(JSON.parse(readFileSync(join(cwd, "run", "results.json"), "utf8")).benchmarks[0].cells.private_eval).toEqual({ "4k": 50 });
  });
});

describe("loom score bamboo --predictions (official-format files, both protocols)", () => {
  const PREDS = join(BAMBOO, "test/fixtures/loom-preds");
  const parity = JSON.parse(readFileSync(join(BAMBOO, "test/fixtures/loom-parity.json"), "utf8")) as { timeout: number; scores: object; count: object; official_printed: Record<string, string> };
  const opts = ["--allow-code-execution", "--benchmark-opt", `bamboo.python=${PYTHON}`, "--benchmark-opt", `bamboo.timeoutSeconds=${parity.timeout}`];

  it("official: score_official.json with each file's printed line and private_eval's _results.jsonl; refused without --allow-code-execution", async () => {
    const cwd = project({ plugins: [BAMBOO] });
    const dir = join(cwd, "preds");
    cpSync(PREDS, dir, { recursive: true });
    const refused = await runCli(["score", "bamboo", "--predictions", dir], { cwd });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/private_eval_4k\.jsonl: private_eval runs model-written code, which needs --allow-code-execution/);
    expect(readdirSync(dir).filter((n) => n.includes("score_") || n.includes("_results"))).toEqual([]);
    const result = await runCli(["score", "bamboo", "--predictions", dir, ...opts], { cwd });
    expect(result.stderr.split("\n").filter((l) => /^error/.test(l))).toEqual([]);
    expect(result.code).toBe(0);
    const got = JSON.parse(readFileSync(join(dir, "score_official.json"), "utf8")) as Record<string, { printed: string }>;
    for (const [name, printed] of Object.entries(parity.official_printed)) expect([name, got[name]?.printed]).toEqual([name, printed]);
    expect(got["private_eval_4k.jsonl"]!.printed).toBe("Pass@k: {'pass@1': 0.375}");
    expect(readFileSync(join(dir, "private_eval_4k.jsonl_results.jsonl"), "utf8").split("\n").filter(Boolean).length).toBe(8);
  });

  it("--protocol loom: score_loom.json as LOOM-Scope's matrics.py tabulates", async () => {
    const cwd = project({ plugins: [BAMBOO] });
    const out = join(cwd, "out");
    const result = await runCli(["score", "bamboo", "--predictions", PREDS, "--protocol", "loom", "--out", out, ...opts], { cwd });
    expect(result.code).toBe(0);
    const got = JSON.parse(readFileSync(join(out, "score_loom.json"), "utf8"));
    expect(got.BAMBOO).toEqual(parity.scores);
    expect(got.count).toEqual(parity.count);
  });
});
