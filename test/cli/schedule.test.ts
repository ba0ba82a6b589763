import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ServingSimulator, startOpenAIServer, type FakeOpenAIServer } from "@loomscope/testkit";
import { answerLookup, FIXTURE_BENCHMARK, OPENAI_BACKEND, project, recordLines, runCli, type RecordLine } from "../helpers.js";

/** A record without what depends on when it ran: its timings and the server's prefix-cache figure. */
function withoutTimings(record: RecordLine): string {
  const { timings: _timings, usage, ...rest } = record as RecordLine & { timings: unknown };
  const { cachedPromptTokens: _cached, ...tokens } = usage;
  return JSON.stringify({ ...rest, usage: tokens });
}

describe("--schedule: the dispatch order changes what is sent when, never a record or a report", () => {
  let server: FakeOpenAIServer;
  beforeAll(async () => {
    // Latency lets prepared samples queue for the two request slots, so the order has a choice.
    server = await startOpenAIServer({ models: ["test-model"], script: answerLookup, latency: { ttftMs: 15 } });
  });
  afterAll(() => server.close());

  it("official, prefix and longest give byte-identical records, results and reports; the manifest names the policy", async () => {
    const outcomes: { records: string[]; results: string; report: string; sent: string[]; schedule: unknown }[] = [];
    for (const policy of ["official", "prefix", "longest", undefined] as const) {
      const cwd = project({ plugins: [FIXTURE_BENCHMARK, OPENAI_BACKEND], benchmarks: { "fixture-qa": { samples: 12 } } });
      // The same folder name in each project: the run id is the folder's name.
      const runDir = join(cwd, "run");
      const before = server.requests.length;
      const args = ["run", "fixture-qa", "--model", "openai:test-model", "--backend-opt", `baseURL=${server.baseURL}`, "--run-dir", runDir, "--concurrency", "2", "--no-cache"];
      const result = await runCli(policy ? [...args, "--schedule", policy] : args, { cwd });
      expect(result.stderr).not.toMatch(/unexpected error/);
      expect(result.code).toBe(0);
      const sent = server.requests
        .slice(before)
        .filter((r) => r.path === "/v1/chat/completions")
        .map((r) => {
          const body = JSON.stringify(r.body);
          return `${body.length > 4000 ? "long" : "short"}-${/item (\d+)\?/.exec(body)?.[1] ?? "?"}`;
        });
      const report = await runCli(["report", runDir, "--format", "md"], { cwd });
      expect(report.code).toBe(0);
      outcomes.push({
        records: recordLines(runDir).map(withoutTimings).sort(),
        results: readFileSync(join(runDir, "results.json"), "utf8"),
        report: report.stdout,
        sent,
        schedule: JSON.parse(readFileSync(join(runDir, "manifest.json"), "utf8")).schedule,
      });
    }
    const [official, prefix, longest, byDefault] = outcomes as [(typeof outcomes)[0], (typeof outcomes)[0], (typeof outcomes)[0], (typeof outcomes)[0]];
    expect(official.records).toHaveLength(24);
    for (const other of [prefix, longest, byDefault]) {
      expect(other.records).toEqual(official.records);
      expect(other.results).toBe(official.results);
      expect(other.report).toBe(official.report);
    }
    expect([official.schedule, prefix.schedule, longest.schedule, byDefault.schedule]).toEqual(["official", "prefix", "longest", "prefix"]);
    // The orders did differ: longest-first sends long prompts before the short ones still waiting.
    expect(official.sent).toHaveLength(24);
    expect(longest.sent).not.toEqual(official.sent);
    expect(official.sent.findIndex((s) => s.startsWith("long"))).toBeGreaterThan(longest.sent.findIndex((s) => s.startsWith("long")));
  });

  it("totals the server's cached prompt tokens in the manifest and shows them in the report (serving simulator)", async () => {
    const sim = new ServingSimulator({ clock: { settleMs: 3 } });
    const simulated = await startOpenAIServer({ models: ["test-model"], script: answerLookup, simulator: sim });
    try {
      const cwd = project({ plugins: [FIXTURE_BENCHMARK, OPENAI_BACKEND], benchmarks: { "fixture-qa": { samples: 6 } } });
      // One long system prompt: every sample's prompt shares it, so the server's prefix cache serves it.
      writeFileSync(join(cwd, "system.txt"), "You answer with the code only. ".repeat(150));
      const runDir = join(cwd, "run");
      const result = await runCli(["run", "fixture-qa", "--model", "openai:test-model", "--backend-opt", `baseURL=${simulated.baseURL}`, "--run-dir", runDir, "--concurrency", "4", "--system-prompt", "@system.txt", "--schedule", "prefix"], { cwd });
      expect(result.code).toBe(0);
      const records = recordLines(runDir);
      const cached = records.reduce((n, r) => n + (r.usage.cachedPromptTokens ?? 0), 0);
      expect(records.every((r) => typeof r.usage.cachedPromptTokens === "number")).toBe(true);
      expect(cached).toBeGreaterThan(0);
      expect(cached).toBe(sim.stats.cachedTokens);
      expect(JSON.parse(readFileSync(join(runDir, "manifest.json"), "utf8")).totals.cachedPromptTokens).toBe(cached);
      const report = await runCli(["report", runDir, "--format", "md"], { cwd });
      expect(report.stdout).toContain(`; ${cached} of `);
    } finally {
      sim.dispose();
      await simulated.close();
    }
  });

  it("refuses an unknown policy with the allowed ones", async () => {
    const cwd = project({ plugins: [FIXTURE_BENCHMARK, OPENAI_BACKEND] });
    const result = await runCli(["run", "fixture-qa", "--model", "openai:test-model", "--backend-opt", `baseURL=${server.baseURL}`, "--schedule", "fastest"], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--schedule must be one of official, prefix, longest, got "fastest"/);
  });
});
