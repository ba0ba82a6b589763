import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOpenAIServer, type FakeOpenAIServer } from "@loomscope/testkit";
import { answerLookup, FIXTURE_BENCHMARK, OPENAI_BACKEND, project, recordLines, runCli, sleep, startCli, walk } from "../helpers.js";

describe("run lifecycle: Ctrl-C, re-scoring, shards", () => {
  let server: FakeOpenAIServer;
  beforeAll(async () => {
    server = await startOpenAIServer({ models: ["test-model"], script: answerLookup });
  });
  afterAll(() => server.close());

  const base = (extra: string[] = []) => [
    "run",
    "fixture-qa",
    "--model",
    "openai:test-model",
    "--backend-opt",
    `baseURL=${server.baseURL}`,
    ...extra,
  ];
  const cwdWith = (samples: number) => project({ plugins: [FIXTURE_BENCHMARK, OPENAI_BACKEND], benchmarks: { "fixture-qa": { samples } } });

  it("Ctrl-C cancels in-flight requests, keeps finished records and exits 130; a re-run completes", async () => {
    server.setLatency({ ttftMs: 60 });
    const cwd = cwdWith(40);
    const runDir = join(cwd, "run");
    const { child, done } = startCli(base(["--run-dir", runDir, "--concurrency", "4"]), { cwd });
    for (let i = 0; i < 400 && recordLines(runDir).length < 8; i++) await sleep(25);
    child.kill("SIGINT");
    const result = await done;
    expect(result.code).toBe(130);
    expect(result.stderr).toMatch(/interrupted: cancelling in-flight requests/);
    const kept = recordLines(runDir);
    expect(kept.length).toBeGreaterThanOrEqual(8);
    expect(kept.every((l) => l.status === "ok")).toBe(true); // cancelled samples leave no error record
    const results = JSON.parse(readFileSync(join(runDir, "results.json"), "utf8"));
    expect(results.complete).toBe(false);
    server.setLatency(undefined);
    const again = await runCli(base(["--run-dir", runDir]), { cwd });
    expect(again.code).toBe(0);
    expect(recordLines(runDir).length).toBe(80);
  });

  it("loom score re-scores a run without calling the model", async () => {
    const cwd = cwdWith(5);
    const runDir = join(cwd, "run");
    const first = await runCli(base(["--run-dir", runDir]), { cwd });
    expect(first.stderr).not.toMatch(/error/);
    expect(first.code).toBe(0);
    // Corrupt the stored scores; `loom score` must restore them from predictions alone.
    const file = join(runDir, "records", "fixture-qa", "lookup.jsonl");
    const lines = readFileSync(file, "utf8").trim().split("\n").map((l) => ({ ...JSON.parse(l), scores: { exact_match: 0 }, score: 0 }));
    writeFileSync(file, lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
    const requestsBefore = server.stats.completions;
    const scored = await runCli(["score", runDir], { cwd });
    expect(scored.code).toBe(0);
    expect(scored.stdout).toMatch(/re-scored 10 records \(5 changed\)/);
    expect(server.stats.completions).toBe(requestsBefore);
    expect(JSON.parse(readFileSync(join(runDir, "results.json"), "utf8")).benchmarks[0].score).toBe(100);
  });

  it("--shard i/n splits the samples deterministically and loom merge joins them", async () => {
    const cwd = cwdWith(30);
    const dirs = [join(cwd, "s0"), join(cwd, "s1"), join(cwd, "s2")];
    for (const [i, dir] of dirs.entries()) {
      const shard = await runCli(base(["--run-dir", dir, "--shard", `${i}/3`]), { cwd });
      expect(shard.stderr).not.toMatch(/error/);
      expect(shard.code).toBe(0);
    }
    const counts = dirs.map((d) => recordLines(d).length);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(60);
    expect(Math.min(...counts)).toBeGreaterThan(5);
    const merged = join(cwd, "merged");
    const result = await runCli(["merge", ...dirs, "--out", merged], { cwd });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/merged 60 records/);
    const lines = recordLines(merged);
    expect(new Set(lines.map((l) => `${l.task}/${l.id}`)).size).toBe(60);
    expect(JSON.parse(readFileSync(join(merged, "results.json"), "utf8")).benchmarks[0].score).toBe(100);
    expect(walk(merged).some((f) => f.endsWith("manifest.json"))).toBe(true);
    // Each shard listed the whole plan: every shard's plan.jsonl names all 60 samples.
    for (const dir of dirs) {
      const listed = readFileSync(join(dir, "plan.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as { ids: string[] });
      expect(listed.reduce((n, u) => n + u.ids.length, 0)).toBe(60);
    }
    // Shards of different sample selections are refused, naming the unit.
    const other = join(cwd, "other");
    await runCli(base(["--run-dir", other, "--limit", "2", "--shard", "1/3"]), { cwd });
    const refused = await runCli(["merge", dirs[0]!, other, "--out", join(cwd, "bad")], { cwd });
    expect(refused.code).toBe(2);
    // --limit is not part of the run's identity (a larger limit resumes the same run), so the shards'
    // listed samples differ: the merge names the unit and both directories.
    expect(refused.stderr).toMatch(new RegExp(`error: shards saw different samples for fixture-qa/lookup: \\d+ only in ${dirs[0]}.*only in ${other}`));
    expect(refused.stderr).toContain("--limit");
    // Shards of different splits, or one shard twice, are refused too.
    const twice = await runCli(["merge", dirs[0]!, dirs[0]!, "--out", join(cwd, "bad")], { cwd });
    expect(twice.stderr).toMatch(/shard 0\/3 is given twice/);
  });

  it("loom merge refuses missing or incomplete shards and names the missing sample ids", async () => {
    const cwd = cwdWith(12);
    const dirs = [join(cwd, "s0"), join(cwd, "s1"), join(cwd, "s2")];
    for (const [i, dir] of dirs.entries()) expect((await runCli(base(["--run-dir", dir, "--shard", `${i}/3`]), { cwd })).code).toBe(0);
    const idsOf = (dir: string) => recordLines(dir).map((l) => `${l.task}/${l.id}`).sort();

    // Shard 2 never ran: its samples are named, with their shard.
    const missingShard = await runCli(["merge", dirs[0]!, dirs[1]!, "--out", join(cwd, "m1")], { cwd });
    expect(missingShard.code).toBe(2);
    expect(missingShard.stderr).toMatch(/the shards are incomplete: shard 2\/3 is missing \(no run directory given\)/);
    const named = [...missingShard.stderr.matchAll(/fixture-qa\/([\w-]+): ([^\n]+)/g)].flatMap(([, task, list]) =>
      list!.split(", ").map((item) => `${task}/${/^(\S+) \(shard 2\)$/.exec(item)?.[1] ?? `UNEXPECTED:${item}`}`),
    );
    expect(named.sort()).toEqual(idsOf(dirs[2]!));
    expect(missingShard.stderr).toMatch(/fix: run the missing shards with the same command/);

    // Shard 1 lost two records (killed before they finished): exactly those two are named.
    const file = join(dirs[1]!, "records", "fixture-qa", "lookup.jsonl");
    const lines = readFileSync(file, "utf8").trim().split("\n");
    const lost = lines.slice(0, 2).map((l) => (JSON.parse(l) as { id: string }).id);
    writeFileSync(file, lines.slice(2).join("\n") + "\n");
    const incomplete = await runCli(["merge", ...dirs, "--out", join(cwd, "m2")], { cwd });
    expect(incomplete.code).toBe(2);
    expect(incomplete.stderr).toContain(`2 planned samples have no record:\n  fixture-qa/lookup: ${lost.map((id) => `${id} (shard 1)`).join(", ")}`);

    // --allow-incomplete merges what there is and says so; a re-run of shard 1 completes it.
    const allowed = await runCli(["merge", ...dirs, "--out", join(cwd, "m3"), "--allow-incomplete"], { cwd });
    expect(allowed.code).toBe(3);
    expect(allowed.stdout).toMatch(/\(incomplete\)/);
    expect(JSON.parse(readFileSync(join(cwd, "m3", "results.json"), "utf8")).complete).toBe(false);
    expect((await runCli(base(["--run-dir", dirs[1]!, "--shard", "1/3"]), { cwd })).code).toBe(0);
    const whole = await runCli(["merge", ...dirs, "--out", join(cwd, "m4")], { cwd });
    expect(whole.code).toBe(0);
    expect(whole.stdout).toMatch(/merged 24 records from 3 of 3 shards/);
    expect(JSON.parse(readFileSync(join(cwd, "m4", "results.json"), "utf8")).complete).toBe(true);
  });

  it("--shard auto takes the shard from the scheduler's variables, and is a usage error without them", async () => {
    const cwd = cwdWith(6);
    const k8s = await runCli(base(["--run-dir", join(cwd, "k"), "--shard", "auto"]), { cwd, env: { JOB_COMPLETION_INDEX: "1", LOOM_SHARD_COUNT: "2" } });
    expect(k8s.code).toBe(0);
    expect(k8s.stderr).toMatch(/shard 1\/2, from a Kubernetes Indexed Job \(JOB_COMPLETION_INDEX=1, LOOM_SHARD_COUNT=2\)/);
    expect(JSON.parse(readFileSync(join(cwd, "k", "manifest.json"), "utf8")).config.shard).toBe("1/2");
    const slurm = await runCli(base(["--run-dir", join(cwd, "s"), "--shard", "auto"]), {
      cwd,
      env: { SLURM_ARRAY_TASK_ID: "5", SLURM_ARRAY_TASK_MIN: "4", SLURM_ARRAY_TASK_COUNT: "2" },
    });
    expect(slurm.code).toBe(0);
    expect(JSON.parse(readFileSync(join(cwd, "s", "manifest.json"), "utf8")).config.shard).toBe("1/2");
    const none = await runCli(base(["--run-dir", join(cwd, "n"), "--shard", "auto"]), { cwd });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/error: --shard auto found no shard index in the environment/);
    expect(none.stderr).toMatch(/fix: --shard auto reads a Kubernetes Indexed Job/);
  });
});
