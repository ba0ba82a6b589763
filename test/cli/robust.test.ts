// Issue 19: the run is never lost, never wrong, never leaks — concurrent writers, changed data,
// secrets, bad configs and manifests, disk errors, untrustworthy tokenizers, rate limits.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOpenAIServer, type FakeOpenAIServer } from "@loomscope/testkit";
import { answerLookup, FIXTURE_BENCHMARK, OPENAI_BACKEND, project, recordLines, runCli, sleep, startCli, walk } from "../helpers.js";

const API_KEY = "sk-robust-4d3c2b1a0f9e8d7c";
/** A secret under a name the backend does not use: redacted because the variable's name says secret. */
const OTHER_SECRET = "svc-token-77aa88bb99cc";

/** One clear error line and no stack trace. */
function expectCleanError(stderr: string): void {
  expect(stderr).not.toMatch(/unexpected error/);
  expect(stderr).not.toMatch(/^\s+at /m);
  expect(stderr).toMatch(/^error: /m);
}

const keysOf = (runDir: string) => recordLines(runDir).map((l) => `${l.task}/${l.id}`);

describe("issue 19: robustness of loom run", () => {
  let server: FakeOpenAIServer;
  beforeAll(async () => {
    server = await startOpenAIServer({ models: ["test-model"], script: answerLookup, apiKey: API_KEY });
  });
  afterAll(() => server.close());
  const reset = () => {
    server.setLatency(undefined);
    server.setFaults(undefined);
    server.setTokenizerFaults(undefined);
    server.resetStats();
  };

  const args = (runDir: string, extra: string[] = [], baseURL = server.baseURL) => [
    "run",
    "fixture-qa",
    "--model",
    "openai:test-model",
    "--backend-opt",
    `baseURL=${baseURL}`,
    "--run-dir",
    runDir,
    "--concurrency",
    "4",
    ...extra,
  ];
  const config = (extra: Record<string, unknown> = {}) =>
    project({ plugins: [FIXTURE_BENCHMARK, OPENAI_BACKEND], benchmarks: { "fixture-qa": { samples: 20 } }, ...extra });
  const env = { OPENAI_API_KEY: API_KEY };

  it("a second writer on a running run directory is refused (run, score, merge), and every sample is recorded exactly once", async () => {
    reset();
    server.setLatency({ ttftMs: 60 });
    const cwd = config({ benchmarks: { "fixture-qa": { samples: 40 } } });
    const runDir = join(cwd, "run");
    const first = startCli(args(runDir, ["--concurrency", "2"]), { cwd, env });
    const file = join(runDir, "records", "fixture-qa", "lookup.jsonl");
    for (let i = 0; i < 400 && !(existsSync(file) && readFileSync(file, "utf8").split("\n").length > 3); i++) await sleep(25);
    const [second, score, merge] = await Promise.all([
      runCli(args(runDir, ["--concurrency", "2"]), { cwd, env }),
      runCli(["score", runDir], { cwd }),
      runCli(["merge", runDir, "--out", join(cwd, "merged")], { cwd }),
    ]);
    expect(existsSync(join(runDir, "results.json"))).toBe(false); // the first run was still going
    const done = await first.done;
    expect(done.code).toBe(0);
    for (const refused of [second, score, merge]) {
      expect(refused.code).toBe(2);
      expectCleanError(refused.stderr);
      expect(refused.stderr).toMatch(new RegExp(`is being written by loom run \\(process ${first.child.pid}`));
    }
    const keys = keysOf(runDir);
    expect(keys.length).toBe(80);
    expect(new Set(keys).size).toBe(80);
    expect(done.stdout).toMatch(/80 ok, 0 failed/);
    expect(existsSync(join(runDir, ".lock"))).toBe(false);

    // A lock left by a killed process is taken over.
    const dead = spawnSync(process.execPath, ["-e", ""]).pid;
    writeFileSync(join(runDir, ".lock"), JSON.stringify({ pid: dead, host: (await import("node:os")).hostname(), command: "loom run", startedAt: "2020-01-01T00:00:00Z", token: "x" }));
    const after = await runCli(["score", runDir], { cwd });
    expect(after.code).toBe(0);
    expect(after.stderr).toMatch(new RegExp(`took over the lock of loom run \\(process ${dead}\\)`));
    expect(keysOf(runDir).length).toBe(80);
  });

  it("a resume on changed --data-dir content is refused, naming the file and both checksums", async () => {
    reset();
    const cwd = project({ plugins: [OPENAI_BACKEND] });
    const rows = (codes: string[]) => codes.map((code, i) => JSON.stringify({ doc: `The code for item ${i} is ${code}.`, q: `What is the code for item ${i}?`, answer: code })).join("\n") + "\n";
    for (const [dir, codes] of [["data-a", ["1111", "2222", "3333", "4444"]], ["data-b", ["1111", "2222", "9999", "4444"]]] as const) {
      mkdirSync(join(cwd, dir));
      writeFileSync(join(cwd, dir, "rows.jsonl"), rows([...codes]));
    }
    writeFileSync(
      join(cwd, "lookups.yaml"),
      ["id: lookups", "data: hf:acme/lookups/rows.jsonl", 'template: "{doc}\\n\\nQuestion: {q}\\nAnswer:"', "context_field: doc", "query_field: q", "references: answer", "metrics: [exact_match]", "max_new_tokens: 8", ""].join("\n"),
    );
    const run = (dataDir: string) =>
      runCli(["run", "./lookups.yaml", "--model", "openai:test-model", "--backend-opt", `baseURL=${server.baseURL}`, "--run-dir", "run", "--data-dir", dataDir, "--offline"], { cwd, env });
    const first = await run("data-a");
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/4 ok, 0 failed/);
    const results = readFileSync(join(cwd, "run", "results.json"), "utf8");

    const changed = await run("data-b");
    expect(changed.code).toBe(2);
    expectCleanError(changed.stderr);
    const sha = (dir: string) => (spawnSync("sha256sum", [join(cwd, dir, "rows.jsonl")]).stdout.toString().split(" ")[0] ?? "").trim();
    expect(changed.stderr).toMatch(/the data changed since this run started/);
    expect(changed.stderr).toContain("rows.jsonl");
    expect(changed.stderr).toContain(sha("data-a"));
    expect(changed.stderr).toContain(sha("data-b"));
    expect(changed.stderr).toMatch(/fix: .*--run-dir/);
    expect(readFileSync(join(cwd, "run", "results.json"), "utf8")).toBe(results);
    expect(recordLines(join(cwd, "run")).length).toBe(4);

    const original = await run("data-a");
    expect(original.code).toBe(0);
    expect(original.stdout).toMatch(/0 ok, 0 failed, 4 resumed/);
  });

  it("no secret reaches the run directory or stderr: echoed keys, URL userinfo, secret-looking options", async () => {
    reset();
    server.setFaults({ rate: 1, seed: 3, faults: [{ kind: "error", status: 500, message: `bad request with key ${API_KEY} (Authorization: Bearer ${API_KEY}); upstream ${OTHER_SECRET}` }] });
    const cwd = config({ retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 5 }, benchmarks: { "fixture-qa": { samples: 3 } } });
    const runDir = join(cwd, "run");
    const userinfo = server.baseURL.replace("http://", "http://svc-user:pa55w0rd-xyz@");
    const result = await runCli(args(runDir, [], userinfo), { cwd, env: { ...env, UPSTREAM_SERVICE_TOKEN: OTHER_SECRET } });
    server.setFaults(undefined);
    expect(result.code).toBe(3);
    const lines = recordLines(runDir);
    expect(lines.length).toBe(6);
    expect(lines.every((l) => l.status === "error" && l.error?.message.includes("[redacted]"))).toBe(true);
    const report = await runCli(["report", runDir], { cwd });
    expect(report.code).toBe(0);
    const files = walk(runDir);
    expect(files.some((f) => f.endsWith("report.html"))).toBe(true);
    for (const file of files) {
      const text = readFileSync(file, "utf8");
      for (const secret of [API_KEY, OTHER_SECRET, "pa55w0rd-xyz", "svc-user"]) expect(text, `${file} holds ${secret}`).not.toContain(secret);
    }
    for (const secret of [API_KEY, OTHER_SECRET, "pa55w0rd-xyz"]) expect(result.stderr).not.toContain(secret);
    const manifest = JSON.parse(readFileSync(join(runDir, "manifest.json"), "utf8"));
    expect(manifest.model.info.baseURLs).toEqual([server.baseURL]);

    // Secret-looking options are refused, on the command line and in config, before anything is written.
    const flag = await runCli(args(join(cwd, "run2"), ["--backend-opt", 'extraBody={"accessKey":"AKIA1234567890"}']), { cwd, env });
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/backendOptions\.extraBody\.accessKey look like secrets/);
    expect(existsSync(join(cwd, "run2"))).toBe(false);
    for (const key of ["credentials", "bearer", "accessKey"]) {
      const bad = config({ backends: { openai: { extraBody: { [key]: "s3cr3t-value-123" } } } });
      const refused = await runCli(args(join(bad, "run")), { cwd: bad, env });
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(new RegExp(`backends\\.openai\\.extraBody\\.${key} look like secrets`));
    }
  });

  it("manifest totals are saved as the run goes: a kill -9 keeps the killed process's usage", async () => {
    reset();
    server.setLatency({ ttftMs: 30 });
    const cwd = config({ benchmarks: { "fixture-qa": { samples: 60 } } });
    const runDir = join(cwd, "run");
    const { child, done } = startCli(args(runDir, ["--concurrency", "2"]), { cwd, env });
    const file = join(runDir, "records", "fixture-qa", "lookup.jsonl");
    for (let i = 0; i < 400 && !(existsSync(file) && readFileSync(file, "utf8").split("\n").length > 20); i++) await sleep(25);
    await sleep(1200); // past one save interval
    child.kill("SIGKILL");
    await done;
    const killedRecords = recordLines(runDir).length;
    const killed = JSON.parse(readFileSync(join(runDir, "manifest.json"), "utf8")).totals;
    expect(killed?.requests).toBeGreaterThanOrEqual(20);
    expect(killed.requests).toBeLessThanOrEqual(killedRecords + 2);
    server.setLatency(undefined);
    const resumed = await runCli(args(runDir), { cwd, env });
    expect(resumed.code).toBe(0);
    const totals = JSON.parse(readFileSync(join(runDir, "manifest.json"), "utf8")).totals;
    // The resumed invocation added its own requests to what the killed one had saved (its usage up
    // to its last save, at most one second old).
    expect(totals.requests - killed.requests).toBe(120 - killedRecords);
  });

  it("bad configs, a corrupt manifest and corrupt results: one clear line, exit 2", async () => {
    reset();
    const throwing = project({});
    rmSync(join(throwing, "loom.config.json"));
    writeFileSync(join(throwing, "loom.config.ts"), `const port: number = 1;\nif (port) throw new Error("config exploded on purpose");\nexport default {};\n`);
    const ts = await runCli(args(join(throwing, "run")), { cwd: throwing, env });
    expect(ts.code).toBe(2);
    expectCleanError(ts.stderr);
    expect(ts.stderr).toMatch(/loom\.config\.ts failed to load: config exploded on purpose/);

    const invalid = project({});
    writeFileSync(join(invalid, "loom.config.json"), `{\n  "plugins": ["x"],\n  "concurrency": 4,\n}\n`);
    const json = await runCli(args(join(invalid, "run")), { cwd: invalid, env });
    expect(json.code).toBe(2);
    expectCleanError(json.stderr);
    expect(json.stderr).toMatch(/loom\.config\.json:4:1: invalid JSON/);

    const cwd = config({ benchmarks: { "fixture-qa": { samples: 2 } } });
    const runDir = join(cwd, "run");
    expect((await runCli(args(runDir), { cwd, env })).code).toBe(0);
    const manifest = readFileSync(join(runDir, "manifest.json"), "utf8");
    writeFileSync(join(runDir, "manifest.json"), manifest.slice(0, 200));
    const resume = await runCli(args(runDir), { cwd, env });
    expect(resume.code).toBe(2);
    expectCleanError(resume.stderr);
    expect(resume.stderr).toMatch(/manifest\.json:\d+:\d+: invalid JSON/);
    writeFileSync(join(runDir, "manifest.json"), manifest);
    writeFileSync(join(runDir, "results.json"), "{ not json");
    const score = await runCli(["score", runDir], { cwd });
    expect(score.code).toBe(2);
    expectCleanError(score.stderr);
    expect(score.stderr).toMatch(/results\.json:1:3: invalid JSON/);
    expect(score.stderr).toMatch(/fix: delete it/);
  });

  it("usage errors: --seed abc, --concurrency beyond the cap, an unknown task, a window smaller than the generation budget", async () => {
    reset();
    const cwd = config();
    const seed = await runCli(args(join(cwd, "a"), ["--seed", "abc"]), { cwd, env });
    expect(seed.code).toBe(2);
    expect(seed.stderr).toMatch(/--seed must be an integer, got "abc"/);
    const many = await runCli(args(join(cwd, "b"), ["--concurrency", "100000"]), { cwd, env });
    expect(many.code).toBe(2);
    expect(many.stderr).toMatch(/at most 4096 requests in flight/);
    const wide = await runCli(args(join(cwd, "c"), ["--concurrency", "4096"]), { cwd, env });
    expect(wide.code).toBe(0);
    expect(recordLines(join(cwd, "c")).length).toBe(40);
    const tasks = await runCli(args(join(cwd, "d"), ["--tasks", "lookup,bogus"]), { cwd, env });
    expect(tasks.code).toBe(2);
    expect(tasks.stderr).toMatch(/--tasks: no planned benchmark has task "bogus"/);

    const small = await startOpenAIServer({ models: [{ id: "test-model", maxModelLen: 600 }], script: answerLookup });
    try {
      for (const [extra, budget] of [[[], 16], [["--gen", "max_tokens=500"], 500]] as const) {
        const tiny = await runCli(args(join(cwd, `e${budget}`), [...extra], small.baseURL), { cwd, env });
        if (budget === 16) {
          expect(tiny.code).toBe(0); // 600 - 16 - 128 tokens of room: it fits
          continue;
        }
        expect(tiny.code).toBe(2);
        expectCleanError(tiny.stderr);
        expect(tiny.stderr.match(/^error: /gm)?.length).toBe(1);
        expect(tiny.stderr).toMatch(/the model's 600-token window leaves no room for a prompt after the 500-token generation budget/);
        expect(recordLines(join(cwd, `e${budget}`)).length).toBe(0);
      }
    } finally {
      await small.close();
    }
  });

  it("a server tokenizer is checked before the run: under-counting /tokenize, empty or missing /detokenize", async () => {
    const cwd = config({ benchmarks: { "fixture-qa": { samples: 4 } } });
    const cases = [
      [{ countScale: 0.05 }, /under-counts/],
      [{ detokenize: "empty" as const }, /back into empty text/],
      [{ detokenize: "missing" as const }, /no detokenize route/],
    ] as const;
    for (const [i, [faults, message]] of cases.entries()) {
      reset();
      server.setTokenizerFaults(faults);
      const runDir = join(cwd, `run${i}`);
      // --max-length 60: the fixture's prompts must be cut, so the tokenizer matters.
      const result = await runCli(args(runDir, ["--max-length", "60"]), { cwd, env });
      expect(result.code).toBe(2);
      expectCleanError(result.stderr);
      expect(result.stderr).toMatch(message);
      expect(result.stderr.match(/^error: /gm)?.length).toBe(1);
      expect(recordLines(runDir).length).toBe(0);
      expect(server.stats.completions).toBe(0);
    }
    server.setTokenizerFaults(undefined);
  });

  it("a disk that fills up stops the run with the file named, exit 4, and the finished samples kept", async () => {
    reset();
    const cwd = config();
    const runDir = join(cwd, "run");
    const first = await runCli(args(runDir, ["--tasks", "lookup-long"]), { cwd, env });
    expect(first.code).toBe(0);
    // Writes to /dev/full fail with ENOSPC, as on a full disk.
    const file = join(runDir, "records", "fixture-qa", "lookup.jsonl");
    symlinkSync("/dev/full", file);
    const full = await runCli(args(runDir), { cwd, env });
    expect(full.code).toBe(4);
    expectCleanError(full.stderr);
    expect(full.stderr).toContain(`cannot write ${file}`);
    expect(full.stderr).toMatch(/no space left on the device \(ENOSPC\)/);
    expect(full.stderr).toMatch(/20 finished sample record\(s\) are saved/);
    rmSync(file);
    const again = await runCli(args(runDir), { cwd, env });
    expect(again.code).toBe(0);
    expect(new Set(keysOf(runDir)).size).toBe(40);
  });

  it("report.html and results.json are replaced atomically; `loom score` leaves no temporary files", async () => {
    reset();
    const cwd = config({ benchmarks: { "fixture-qa": { samples: 3 } } });
    const runDir = join(cwd, "run");
    expect((await runCli(args(runDir), { cwd, env })).code).toBe(0);
    const before = statSync(join(runDir, "report.html")).ino;
    // What a killed writer leaves behind.
    writeFileSync(join(runDir, "results.json.tmp"), "{");
    writeFileSync(join(runDir, "records", "fixture-qa", "lookup.jsonl.tmp"), "{");
    expect((await runCli(args(runDir), { cwd, env })).code).toBe(0);
    // A new file renamed into place, not the old one rewritten (a kill mid-write would truncate it).
    expect(statSync(join(runDir, "report.html")).ino).not.toBe(before);
    const score = await runCli(["score", runDir], { cwd });
    expect(score.code).toBe(0);
    expect(walk(runDir).filter((f) => /\.tmp$|\.commit\.json$|\.lock$/.test(f))).toEqual([]);
    expect(keysOf(runDir).length).toBe(6);
  });

  it("an HTML page where the event stream should be is reported as such", async () => {
    reset();
    server.setFaults({ rate: 1, seed: 1, faults: [{ kind: "html", title: "Corporate proxy login" }] });
    const cwd = config({ retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 5 }, benchmarks: { "fixture-qa": { samples: 2 } } });
    const runDir = join(cwd, "run");
    const result = await runCli(args(runDir), { cwd, env });
    server.setFaults(undefined);
    expect(result.code).toBe(3);
    const lines = recordLines(runDir);
    expect(lines.length).toBe(4);
    for (const l of lines) {
      expect(l.error?.message).toMatch(/answered with an HTML page \("Corporate proxy login"\) instead of an event stream/);
      expect(l.attempts).toBe(1); // not retried: it will not change
    }
  });

  it("a hung server costs at most --sample-timeout per sample, not timeout x attempts", async () => {
    reset();
    server.setFaults({ rate: 1, seed: 1, faults: ["hang"] });
    const cwd = config({ retry: { attempts: 6, baseDelayMs: 10, maxDelayMs: 20 }, benchmarks: { "fixture-qa": { samples: 2 } } });
    const runDir = join(cwd, "run");
    const result = await runCli(args(runDir, ["--timeout", "300", "--sample-timeout", "700"]), { cwd, env });
    server.setFaults(undefined);
    expect(result.code).toBe(3);
    const lines = recordLines(runDir);
    expect(lines.length).toBe(4);
    for (const l of lines) {
      expect(l.status).toBe("error");
      expect(l.error?.message).toMatch(/--sample-timeout 700 ms/);
      expect(l.attempts).toBeLessThanOrEqual(3); // 300 + 300 + 100 ms, not 6 attempts
    }
  });

  it("a server that answers every request with 429 + Retry-After, with the default retry settings: exit 3, every sample recorded, a summary", async () => {
    reset();
    server.setFaults({ rate: 1, seed: 1, faults: [{ kind: "rate-limit", retryAfterSeconds: 0.05 }] });
    const cwd = config({ benchmarks: { "fixture-qa": { samples: 6 } } });
    const runDir = join(cwd, "run");
    const result = await runCli(args(runDir, ["--concurrency", "8"]), { cwd, env });
    server.setFaults(undefined);
    expect(result.code).toBe(3);
    const lines = recordLines(runDir);
    expect(lines.length).toBe(12);
    expect(lines.every((l) => l.status === "error" && l.error?.status === 429 && l.attempts === 6)).toBe(true);
    expect(existsSync(join(runDir, "results.json"))).toBe(true);
    expect(result.stdout).toMatch(/0 ok, 12 failed/);
  });

  it("with several endpoints, one that answers 429 is left alone while the other serves", async () => {
    reset();
    const limited = await startOpenAIServer({ models: ["test-model"], script: answerLookup, apiKey: API_KEY });
    limited.setFaults({ rate: 1, seed: 1, faults: [{ kind: "rate-limit", retryAfterSeconds: 30 }] });
    try {
      const cwd = config();
      const runDir = join(cwd, "run");
      const result = await runCli(args(runDir, ["--backend-opt", `baseURL=${JSON.stringify([limited.baseURL, server.baseURL])}`]), { cwd, env });
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/40 ok, 0 failed/);
      // Only the first requests found it limited; its 30 s Retry-After paused nothing else.
      expect(limited.stats.faults["rate-limit"]).toBeLessThanOrEqual(4);
      expect(server.stats.completions).toBeGreaterThanOrEqual(40);
    } finally {
      await limited.close();
    }
  });
});
