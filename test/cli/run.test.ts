import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOpenAIServer, type FakeOpenAIServer } from "@loomscope/testkit";
import {
  answerLookup,
  FIXTURE_BENCHMARK,
  FUTURE_BENCHMARK,
  OPENAI_BACKEND,
  project,
  recordLines,
  runCli,
  sleep,
  startCli,
  walk,
} from "../helpers.js";

const API_KEY = "sk-e2e-9f8e7d6c5b4a-never-written";

describe("loom run against the testkit OpenAI server", () => {
  let server: FakeOpenAIServer;
  beforeAll(async () => {
    server = await startOpenAIServer({ models: ["test-model"], script: answerLookup, apiKey: API_KEY });
  });
  afterAll(() => server.close());

  const args = (runDir: string, extra: string[] = []) => [
    "run",
    "fixture-qa",
    "--model",
    "openai:test-model",
    "--backend-opt",
    `baseURL=${server.baseURL}`,
    "--run-dir",
    runDir,
    "--concurrency",
    "8",
    ...extra,
  ];
  const config = (extra: Record<string, unknown> = {}) =>
    project({ plugins: [FIXTURE_BENCHMARK, OPENAI_BACKEND], benchmarks: { "fixture-qa": { samples: 20 } }, ...extra });

  it("runs end to end, records every sample and prints the table; the API key is written nowhere", async () => {
    server.setLatency(undefined);
    server.setFaults(undefined);
    const cwd = config();
    const runDir = join(cwd, "run");
    const result = await runCli(args(runDir), { cwd, env: { OPENAI_API_KEY: API_KEY } });
    expect(result.stderr).not.toMatch(/unexpected error/);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/fixture-qa \(retrieval\)/);
    expect(result.stdout).toMatch(/overall\s+100\.00/);
    const lines = recordLines(runDir);
    expect(lines.length).toBe(40);
    expect(new Set(lines.map((l) => `${l.task}/${l.id}`)).size).toBe(40);
    expect(lines.every((l) => l.status === "ok" && l.score === 1)).toBe(true);
    const results = JSON.parse(readFileSync(join(runDir, "results.json"), "utf8"));
    expect(results.benchmarks[0].score).toBe(100);
    // The key went to the server, and nowhere into the run directory.
    expect(server.requests.at(-1)?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    for (const file of walk(runDir)) expect(readFileSync(file, "utf8")).not.toContain(API_KEY);
    const manifest = JSON.parse(readFileSync(join(runDir, "manifest.json"), "utf8"));
    expect(manifest.model.info.apiKeyEnv).toBe("OPENAI_API_KEY");

    // A second run of the same command resumes: nothing left to do, nothing duplicated.
    const again = await runCli(args(runDir), { cwd, env: { OPENAI_API_KEY: API_KEY } });
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/0 ok, 0 failed, 40 resumed/);
    expect(recordLines(runDir).length).toBe(40);
  });

  it("totals tokens, requests and cost for the run in the manifest", async () => {
    server.setLatency(undefined);
    server.setFaults(undefined);
    const cwd = config({ backends: { openai: { pricing: { inputPerMTok: 3, outputPerMTok: 15 } } } });
    const runDir = join(cwd, "run");
    const result = await runCli(args(runDir, ["--limit", "5"]), { cwd, env: { OPENAI_API_KEY: API_KEY } });
    expect(result.code).toBe(0);
    const { totals } = JSON.parse(readFileSync(join(runDir, "manifest.json"), "utf8"));
    expect(totals.requests).toBe(10);
    expect(totals.promptTokens).toBeGreaterThan(0);
    expect(totals.costUsd).toBeCloseTo((totals.promptTokens * 3 + totals.completionTokens * 15) / 1e6, 9);
  });

  it("after kill -9 mid-run, a re-run keeps every finished record exactly once", async () => {
    server.setFaults(undefined);
    server.setLatency({ ttftMs: 40 });
    const cwd = config({ benchmarks: { "fixture-qa": { samples: 60 } } });
    const runDir = join(cwd, "run");
    const { child, done } = startCli(args(runDir, ["--concurrency", "4"]), { cwd, env: { OPENAI_API_KEY: API_KEY } });
    const file = join(runDir, "records", "fixture-qa", "lookup.jsonl");
    for (let i = 0; i < 400; i++) {
      if (existsSync(file) && readFileSync(file, "utf8").split("\n").length > 15) break;
      await sleep(25);
    }
    child.kill("SIGKILL");
    const killed = await done;
    expect(killed.signal).toBe("SIGKILL");
    const before = recordLines(runDir);
    expect(before.length).toBeGreaterThan(10);
    expect(before.length).toBeLessThan(120);

    server.setLatency(undefined);
    const resumed = await runCli(args(runDir), { cwd, env: { OPENAI_API_KEY: API_KEY } });
    expect(resumed.code).toBe(0);
    const after = recordLines(runDir);
    const keys = after.map((l) => `${l.task}/${l.id}`);
    expect(new Set(keys).size).toBe(120);
    expect(keys.length).toBe(120); // exactly once: finished samples were not run again
    for (const l of before) expect(keys.filter((k) => k === `${l.task}/${l.id}`).length).toBe(1);
    expect(resumed.stdout).toMatch(new RegExp(`${120 - before.length} ok, 0 failed, ${before.length} resumed`));
  });

  it("completes with faults injected into 30% of requests, losing nothing", async () => {
    server.setLatency(undefined);
    server.resetStats();
    server.setFaults({
      rate: 0.3,
      seed: 7,
      faults: [{ kind: "rate-limit", retryAfterSeconds: 0.05 }, { kind: "error", status: 500 }, { kind: "reset" }, { kind: "malformed-json" }],
    });
    const cwd = config({ retry: { attempts: 12, baseDelayMs: 5, maxDelayMs: 50 } });
    const runDir = join(cwd, "run");
    const result = await runCli(args(runDir, ["--timeout", "5000"]), { cwd, env: { OPENAI_API_KEY: API_KEY } });
    server.setFaults(undefined);
    expect(result.stderr.split("\n").filter((l) => /error/.test(l)).slice(0, 5)).toEqual([]);
    expect(result.code).toBe(0);
    expect(server.stats.faultsTotal).toBeGreaterThan(5);
    for (const kind of ["rate-limit", "error", "reset", "malformed-json"] as const) expect(server.stats.faults[kind]).toBeGreaterThan(0);
    const lines = recordLines(runDir);
    expect(lines.length).toBe(40);
    expect(lines.every((l) => l.status === "ok" && l.score === 1)).toBe(true);
    expect(result.stdout).toMatch(/40 ok, 0 failed/);
  });
  it("a server that answers every request with 429 + Retry-After ends the run with exit 3 and every sample recorded", async () => {
    server.setLatency(undefined);
    server.resetStats();
    server.setFaults({ rate: 1, seed: 1, faults: [{ kind: "rate-limit", retryAfterSeconds: 0.05 }] });
    try {
      for (const attempts of [1, 3]) {
        const cwd = config({ retry: { attempts, baseDelayMs: 5, maxDelayMs: 50 }, benchmarks: { "fixture-qa": { samples: 6 } } });
        const runDir = join(cwd, "run");
        const result = await runCli(args(runDir), { cwd, env: { OPENAI_API_KEY: API_KEY } });
        // Before the fix Node exited with 13 (an unsettled top-level await): no results, no summary.
        expect(result.code).toBe(3);
        const lines = recordLines(runDir);
        expect(lines.length).toBe(12);
        expect(lines.every((l) => l.status === "error" && l.error?.status === 429 && l.attempts === attempts)).toBe(true);
        expect(existsSync(join(runDir, "results.json"))).toBe(true);
        expect(result.stdout).toMatch(/0 ok, 12 failed/);
      }
    } finally {
      server.setFaults(undefined);
    }
  });
});

describe("loom errors", () => {
  it("refuses a plugin built for another apiVersion, naming the package and the fix", async () => {
    const cwd = project({ plugins: [FUTURE_BENCHMARK, OPENAI_BACKEND] });
    const result = await runCli(["run", "future", "--model", "openai:m", "--backend-opt", "baseURL=http://127.0.0.1:9/v1"], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("@loomscope-fixtures/benchmark-future@9.0.0 declares apiVersion 2");
    expect(result.stderr).toMatch(/fix: upgrade loomscope: npm i @loomscope\/core@latest/);
  });

  it("names the install line only for first-party plugins, and the nearest id for a typo", async () => {
    const cwd = project({ plugins: [FIXTURE_BENCHMARK, OPENAI_BACKEND] });
    const firstParty = await runCli(["run", "lveval", "--model", "openai:m"], { cwd });
    expect(firstParty.code).toBe(2);
    expect(firstParty.stderr).toMatch(/fix: npm i @loomscope\/benchmark-lveval/);
    // The catalogue is generated from every plugin package, so each first-party benchmark has its line.
    const longbench = await runCli(["run", "longbench", "--model", "openai:m"], { cwd });
    expect(longbench.stderr).toMatch(/fix: npm i @loomscope\/benchmark-longbench/);
    // An unknown name is never turned into a package to install (anyone could publish it).
    // (LongBench is first-party now, in the catalogue: the unknown name is one loomscope does not publish.)
    const unknown = await runCli(["run", "helmet", "--model", "openai:m"], { cwd });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/"helmet" is neither an installed suite nor an installed benchmark/);
    expect(unknown.stderr).not.toMatch(/npm i/);
    const typo = await runCli(["run", "fixture-q", "--model", "openai:m"], { cwd });
    expect(typo.stderr).toMatch(/fix: did you mean "fixture-qa"\?/);
    const missingBackend = await runCli(["run", "fixture-qa", "--model", "sglang:m"], { cwd });
    expect(missingBackend.code).toBe(2);
    expect(missingBackend.stderr).toMatch(/no backend plugin with id "sglang" is installed/);
    expect(missingBackend.stderr).not.toMatch(/npm i @loomscope\/backend-sglang/);
    const backendTypo = await runCli(["run", "fixture-qa", "--model", "olama:m"], { cwd });
    expect(backendTypo.stderr).toMatch(/fix: did you mean "ollama"\? \(not installed: npm i @loomscope\/backend-ollama\)/);
  });

  it("prints help and lists plugins", async () => {
    const cwd = project({ plugins: [FIXTURE_BENCHMARK, OPENAI_BACKEND] });
    const help = await runCli(["--help"], { cwd });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Exit codes/);
    const list = await runCli(["list"], { cwd });
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/fixture-qa\s+@loomscope-fixtures\/benchmark-fixture@0\.0\.1\s+retrieval; tasks: lookup, lookup-long/);
    expect(list.stdout).toMatch(/openai\s+@loomscope\/backend-openai/);
    expect(list.stdout).toMatch(/openai\s+@loomscope\/backend-openai@[\d.]+\s+.*; directives: kv-pruning:streamingllm/);
    // Known first-party plugins that are not installed come with their install line.
    expect(list.stdout).toMatch(/ollama\s+\(not installed\)\s+.*Ollama.* — npm i @loomscope\/backend-ollama/);
    expect(list.stdout).toMatch(/engine\s+\(not installed\).*npm i @loomscope\/backend-engine/);
  });
});
