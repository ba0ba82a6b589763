// Chaos: 60 % of generation requests fail (429 with Retry-After, 500, 503, connection resets,
// truncated JSON, slow answers) against the testkit's server on loopback. One invocation must
// record every sample exactly once, score none wrongly, and say honestly what happened.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOpenAIServer, type FakeOpenAIServer, type FaultKind } from "@loomscope/testkit";
import { answerLookup, FIXTURE_BENCHMARK, OPENAI_BACKEND, project, recordLines, runCli } from "../helpers.js";

const API_KEY = "sk-chaos-0a1b2c3d4e5f";
const SAMPLES_PER_TASK = 150;

describe("chaos: 60 % injected faults", () => {
  let server: FakeOpenAIServer;
  beforeAll(async () => {
    server = await startOpenAIServer({ models: ["test-model"], script: answerLookup, apiKey: API_KEY, latency: { ttftMs: 5 } });
  });
  afterAll(() => server.close());

  it(`${SAMPLES_PER_TASK * 2} samples complete in one invocation: none lost, none duplicated, none wrongly scored`, async () => {
    server.setFaults({
      rate: 0.6,
      seed: 19,
      faults: [
        { kind: "rate-limit", retryAfterSeconds: 0.1 },
        { kind: "error", status: 500 },
        { kind: "error", status: 503, retryAfterSeconds: 0.05 },
        { kind: "reset" },
        { kind: "malformed-json" },
        { kind: "slow", delayMs: 300 },
      ],
    });
    const cwd = project({
      plugins: [FIXTURE_BENCHMARK, OPENAI_BACKEND],
      benchmarks: { "fixture-qa": { samples: SAMPLES_PER_TASK, words: 60 } },
      // 60 % faults: 0.6^30 makes a sample failing every attempt a one-in-a-million event.
      retry: { attempts: 30, baseDelayMs: 5, maxDelayMs: 100 },
    });
    const runDir = join(cwd, "run");
    const result = await runCli(
      ["run", "fixture-qa", "--model", "openai:test-model", "--backend-opt", `baseURL=${server.baseURL}`, "--run-dir", runDir, "--concurrency", "16", "--timeout", "5000"],
      { cwd, env: { OPENAI_API_KEY: API_KEY } },
    );
    const stats = server.stats;
    server.setFaults(undefined);
    expect(result.stderr).not.toMatch(/unexpected error/);

    // Every fault kind was served, and often.
    expect(stats.faultsTotal).toBeGreaterThan(SAMPLES_PER_TASK);
    for (const kind of ["rate-limit", "error", "reset", "malformed-json", "slow"] as FaultKind[]) expect(stats.faults[kind]).toBeGreaterThan(5);

    // 0 lost, 0 duplicated.
    const lines = recordLines(runDir);
    const keys = lines.map((l) => `${l.task}/${l.id}`);
    expect(keys.length).toBe(SAMPLES_PER_TASK * 2);
    expect(new Set(keys).size).toBe(SAMPLES_PER_TASK * 2);

    // 0 wrongly scored: the fake model always answers right, so any accepted answer scores 1 (a
    // truncated body taken for an answer would not).
    const ok = lines.filter((l) => l.status === "ok");
    const failed = lines.filter((l) => l.status !== "ok");
    expect(ok.every((l) => l.score === 1)).toBe(true);

    // An honest summary: the exit code, the counts and the results agree with the records.
    expect(result.code).toBe(failed.length === 0 ? 0 : 3);
    expect(result.stdout).toMatch(new RegExp(`samples: ${ok.length} ok, ${failed.length} failed`));
    const results = JSON.parse(readFileSync(join(runDir, "results.json"), "utf8"));
    expect(results.complete).toBe(failed.length === 0);
    expect(results.benchmarks[0].samples).toMatchObject({ ok: ok.length, errors: failed.length });
    expect(failed.length).toBe(0);
    // Every request the server saw is counted in the manifest (no attempt hidden, none invented).
    const totals = JSON.parse(readFileSync(join(runDir, "manifest.json"), "utf8")).totals;
    expect(totals.requests).toBe(stats.byRoute["POST /v1/chat/completions"]);
    expect(lines.reduce((a, l) => a + l.attempts, 0)).toBe(totals.requests);
  });
});
