/**
 * LongBench-Write end to end: the official-format data served by a mirror of the repository (the
 * dataUrl option) → `loom run longwriter` against the testkit's OpenAI server as the model (it
 * answers each prompt with the response of the official fixture run, test/fixtures/official in the
 * plugin) and as the judge (it answers each judge.txt prompt with the replies that run got, malformed
 * ones included) → S_l and S_q equal to what eval_length.py and eval_quality.py printed; the first
 * judge request equals the one eval_quality.py sent, byte for byte; re-scoring makes no judge call;
 * without --judge the run exits 2 naming the flag; quality=false runs S_l alone; --data-dir offline
 * with a malformed line; `loom score longwriter --predictions` writes judge.jsonl byte for byte.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOpenAIServer, type FakeOpenAIServer, type ScriptRequest } from "@loomscope/testkit";
import { judgePrompt } from "@loomscope/benchmark-longwriter";
import { OPENAI_BACKEND, project, recordLines, REPO, runCli } from "../helpers.js";
import { serveFiles, type HubStandIn } from "../hub-standin.js";

const PLUGIN = join(REPO, "plugins/benchmarks/longwriter");
const FX = join(PLUGIN, "test/fixtures");
interface Pred {
  prompt: string;
  type: string;
  length: number;
  response: string;
}
const preds = readFileSync(join(FX, "official/pred.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as Pred);
const replies = JSON.parse(readFileSync(join(FX, "official/replies.json"), "utf8")) as string[][];
const printed = JSON.parse(readFileSync(join(FX, "official/printed.json"), "utf8")) as { "eval_length.py": string; "eval_quality.py": string };
const quality = JSON.parse(readFileSync(join(FX, "parity-quality.json"), "utf8")) as {
  main: { items: { calls: number; pred: { prompt: string } }[]; request_example: { messages: { role: string; content: string }[]; temperature: number; max_tokens: number } };
};
const officialJudgeLines = readFileSync(join(FX, "official/judge.jsonl"), "utf8").trim().split("\n");
const officialSq = Number(/'total': ([0-9.e+-]+)/.exec(printed["eval_quality.py"])?.[1]);
const judgedCalls = quality.main.items.reduce((n, it) => n + it.calls, 0);

// The official data file: the rows pred.py read (prompt, type, length), one per line.
const dataJsonl = preds.map((p) => JSON.stringify({ prompt: p.prompt, type: p.type, length: p.length })).join("\n") + "\n";

/** The item a judge.txt prompt is about (prompts hold "$RESPONSE$" and the like: matched whole). */
const judgePrompts = new Map(preds.map((p, i) => [judgePrompt(p.prompt, p.response), i]));
const itemOf = (prompt: string): number => judgePrompts.get(prompt) ?? -1;

describe("LongBench-Write end to end", () => {
  let model: FakeOpenAIServer;
  let judge: FakeOpenAIServer;
  let mirror: HubStandIn;
  let dataUrl = "";
  const mirrorRequests: string[] = [];
  const judgeRequests: ScriptRequest[] = [];
  let queues: string[][] = [];

  beforeAll(async () => {
    model = await startOpenAIServer({
      models: [{ id: "test-model", maxModelLen: 200_000 }],
      script: (r) => preds.find((p) => p.prompt === r.lastUserMessage)?.response ?? "unknown prompt",
    });
    judge = await startOpenAIServer({
      models: [{ id: "judge-model", maxModelLen: 200_000 }],
      script: (r) => {
        judgeRequests.push(r);
        const i = itemOf(r.lastUserMessage);
        return queues[i]?.shift() ?? "no scripted reply left";
      },
    });
    mirror = await serveFiles(new Map([["/THUDM/LongWriter/evaluation/longbench_write.jsonl", dataJsonl]]), { requests: mirrorRequests, notFound: "not found" });
    dataUrl = `${mirror.url}/THUDM/LongWriter/evaluation`;
  });
  afterAll(async () => {
    await model.close();
    await judge.close();
    mirror.close();
  });

  const args = (runDir: string, extra: string[]) => [
    "run", "longwriter", "--tasks", "longbench_write", "--model", "openai:test-model", "--backend-opt", `baseURL=${model.baseURL}`, "--run-dir", runDir, ...extra,
  ];

  it("runs with the judge: S_l and S_q as the official scripts printed them; the official judge prompt; re-scoring asks the judge nothing", async () => {
    queues = replies.map((r) => [...r]);
    const cwd = project({ plugins: [PLUGIN, OPENAI_BACKEND] });
    const runDir = join(cwd, "run");
    const result = await runCli(
      args(runDir, ["--judge", "openai:judge-model", "--judge-opt", `baseURL=${judge.baseURL}`, "--benchmark-opt", `longwriter.dataUrl=${dataUrl}`, "--cache-dir", join(cwd, "cache")]),
      { cwd },
    );
    expect(result.stderr.split("\n").filter((l) => /^error/.test(l))).toEqual([]);
    expect(result.code).toBe(0);
    expect(mirrorRequests.filter((u) => u.endsWith("longbench_write.jsonl")).length).toBe(1);

    // The judge prompt eval_quality.py sent for the first item, byte for byte, with its settings.
    const first = judgeRequests.find((r) => itemOf(r.lastUserMessage) === 0) as ScriptRequest;
    expect(first.messages).toEqual(quality.main.request_example.messages);
    expect(first.temperature).toBe(quality.main.request_example.temperature);
    expect(first.maxTokens).toBe(quality.main.request_example.max_tokens);
    // As many judge calls per item as eval_quality.py made (malformed verdicts retried up to 5 times).
    expect(judgeRequests.length).toBe(judgedCalls);
    expect(judge.stats.completions).toBe(judgedCalls);

    const results = JSON.parse(readFileSync(join(runDir, "results.json"), "utf8"));
    const groups = results.benchmarks[0].groups as Record<string, number>;
    expect(groups["S_l:longbench_write"]).toBe(Number(printed["eval_length.py"]));
    expect(groups["S_q:longbench_write"]).toBe(officialSq);
    expect(groups["S:longbench_write"]).toBe((Number(printed["eval_length.py"]) + officialSq) / 2);
    // Items the judge gave up on: null in S_q, counted apart (eval_quality.py drops them).
    expect(groups["judge_dropped:longbench_write"]).toBe(preds.length - (officialJudgeLines.length - 1));
    expect(recordLines(runDir).filter((r) => r.status === "ok").length).toBe(preds.length);
    expect(result.stdout).toMatch(/LongBench-Write \(S_l eval_length\.py; S_q eval_quality\.py, judge-scored/);
    const manifest = JSON.parse(readFileSync(join(runDir, "manifest.json"), "utf8"));
    expect(manifest.judge).toEqual({ spec: "openai:judge-model" });

    // A second scoring pass: every judge call comes from the cache.
    const before = judge.stats.completions;
    const rescored = await runCli(["score", runDir], { cwd, env: { OPENAI_BASE_URL: judge.baseURL, LOOMSCOPE_CACHE_DIR: join(cwd, "cache") } });
    expect(rescored.stderr.split("\n").filter((l) => /^error/.test(l))).toEqual([]);
    expect(rescored.code).toBe(0);
    expect(judge.stats.completions).toBe(before);
    expect(rescored.stdout).toMatch(/re-scored 52 records \(0 changed\)/);
    const again = JSON.parse(readFileSync(join(runDir, "results.json"), "utf8"));
    expect(again.benchmarks[0].groups["S_q:longbench_write"]).toBe(officialSq);
  });

  it("without --judge the run exits 2 naming the flag; quality=false runs S_l alone and says S_q and S are not computed", async () => {
    const cwd = project({ plugins: [PLUGIN, OPENAI_BACKEND] });
    const refused = await runCli(args(join(cwd, "run"), ["--benchmark-opt", `longwriter.dataUrl=${dataUrl}`, "--cache-dir", join(cwd, "cache")]), { cwd });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/no judge is bound: longwriter\/longbench_write: quality \(LLM judge\)/);
    expect(refused.stderr).toMatch(/--judge/);

    const judgeBefore = judge.stats.completions;
    const runDir = join(cwd, "run-sl");
    const alone = await runCli(args(runDir, ["--benchmark-opt", `longwriter.dataUrl=${dataUrl}`, "--benchmark-opt", "longwriter.quality=false", "--cache-dir", join(cwd, "cache")]), { cwd });
    expect(alone.code).toBe(0);
    expect(judge.stats.completions).toBe(judgeBefore);
    const results = JSON.parse(readFileSync(join(runDir, "results.json"), "utf8"));
    const b = results.benchmarks[0];
    expect(b.groups["S_l:longbench_write"]).toBe(Number(printed["eval_length.py"]));
    expect(b.groups["S_q:longbench_write"]).toBeNull();
    expect(b.groups["S:longbench_write"]).toBeNull();
    expect(b.tables[0].title).toMatch(/S_q and S not computed: quality=false/);
    const manifest = JSON.parse(readFileSync(join(runDir, "manifest.json"), "utf8"));
    expect(manifest.benchmarks.longwriter.options).toMatchObject({ quality: false });
    expect(recordLines(runDir).every((r) => Object.keys((r as unknown as { scores: object }).scores).join() === "length_score")).toBe(true);
  });

  it("reads evaluation/longbench_write.jsonl from --data-dir offline and reports a malformed line with file:line", async () => {
    const cwd = project({ plugins: [PLUGIN, OPENAI_BACKEND] });
    const dataDir = join(cwd, "data");
    mkdirSync(join(dataDir, "evaluation"), { recursive: true });
    writeFileSync(join(dataDir, "evaluation", "longbench_write.jsonl"), dataJsonl + '{"prompt": "x", "type": "t", "length": "800"}\n');
    const before = mirrorRequests.length;
    const runDir = join(cwd, "run");
    const result = await runCli(args(runDir, ["--data-dir", dataDir, "--offline", "--benchmark-opt", "longwriter.quality=false", "--cache-dir", mkdtempSync(join(tmpdir(), "c-"))]), { cwd });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/longbench_write\.jsonl:53: length: /);
    expect(mirrorRequests.length).toBe(before);
    expect(recordLines(runDir).length).toBe(preds.length);
    const results = JSON.parse(readFileSync(join(runDir, "results.json"), "utf8"));
    expect(results.benchmarks[0].groups["S_l:longbench_write"]).toBe(Number(printed["eval_length.py"]));
  });

  it("under --protocol loom: LOOM-Scope's per-task ACC; its quality path raises on a parsed verdict, as a clear error", async () => {
    queues = replies.map((r) => [...r]);
    const cwd = project({ plugins: [PLUGIN, OPENAI_BACKEND] });
    const acc = await runCli(args(join(cwd, "acc"), ["--protocol", "loom", "--benchmark-opt", `longwriter.dataUrl=${dataUrl}`, "--benchmark-opt", "longwriter.quality=false", "--cache-dir", join(cwd, "cache")]), { cwd });
    expect(acc.code).toBe(0);
    const results = JSON.parse(readFileSync(join(cwd, "acc", "results.json"), "utf8"));
    const official = Number(printed["eval_length.py"]);
    expect(results.benchmarks[0].groups["ACC:longbench_write"]).toBe(Math.round(official * 100) / 100);
    const crashed = await runCli(
      args(join(cwd, "q"), ["--protocol", "loom", "--limit", "2", "--judge", "openai:judge-model", "--judge-opt", `baseURL=${judge.baseURL}`, "--benchmark-opt", `longwriter.dataUrl=${dataUrl}`, "--cache-dir", join(cwd, "cache")]),
      { cwd },
    );
    expect(crashed.code).toBe(3);
    const records = recordLines(join(cwd, "q"));
    expect(records.length).toBe(2);
    expect(records.every((r) => r.status === "error" && /'function' object is not subscriptable/.test(r.error?.message ?? ""))).toBe(true);
  });
});

describe("loom score longwriter --predictions (pred.jsonl of an official run)", () => {
  it("writes judge.jsonl byte for byte and score_official.json with what both scripts printed", async () => {
    const queues = replies.map((r) => [...r]);
    const judge = await startOpenAIServer({ models: ["judge-model"], script: (r) => queues[itemOf(r.lastUserMessage)]?.shift() ?? "none left" });
    try {
      const cwd = project({ plugins: [PLUGIN, OPENAI_BACKEND], backends: { openai: { baseURL: judge.baseURL } } });
      const dir = join(cwd, "models", "m");
      mkdirSync(dir, { recursive: true });
      cpSync(join(FX, "official/pred.jsonl"), join(dir, "pred.jsonl"));
      const result = await runCli(["score", "longwriter", "--predictions", dir, "--judge", "openai:judge-model"], { cwd });
      expect(result.stderr.split("\n").filter((l) => /^error/.test(l))).toEqual([]);
      expect(result.code).toBe(0);
      expect(readFileSync(join(dir, "judge.jsonl"), "utf8")).toBe(readFileSync(join(FX, "official/judge.jsonl"), "utf8"));
      const score = readFileSync(join(dir, "score_official.json"), "utf8");
      expect(score).toContain(`"eval_length.py": ${printed["eval_length.py"]}`);
      expect(score).toContain(`"total": ${officialSq}`);
      expect(result.stdout).toMatch(/wrote .*judge\.jsonl/);
      // Without a judge the official scorer refuses, naming the flag and the option.
      const refused = await runCli(["score", "longwriter", "--predictions", dir], { cwd });
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toMatch(/--judge/);
    } finally {
      await judge.close();
    }
  });
});
