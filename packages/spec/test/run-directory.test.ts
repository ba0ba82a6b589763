/**
 * The run-directory reader on a corrupt, a partial and a 50,000-record run directory, each written
 * here. Streaming is proven by counting: bytes read from disk ahead of the records handed out.
 */
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readRunDirectory, RUN_LOCK_FILE, sampleKey, type RunDirectoryNotice, type RunManifest, type RunResults, type SampleRecord } from "../src/index.js";

const temp = () => mkdtempSync(join(tmpdir(), "loom-rundir-"));

function record(id: string, over: Partial<SampleRecord> = {}): SampleRecord {
  return {
    v: 1,
    id,
    benchmark: "bench",
    task: "t1",
    length: "4k",
    status: "ok",
    prediction: `prediction of ${id}`,
    references: ["ref"],
    scores: { f1: 1 },
    score: 1,
    prompt: null,
    usage: { promptTokens: 10, completionTokens: 1 },
    timings: { startedAt: "2026-01-01T00:00:00.000Z", totalMs: 12 },
    accelerators: [],
    attempts: 1,
    error: null,
    ...over,
  };
}

const manifest: RunManifest = {
  v: 1,
  runId: "r1",
  createdAt: "2026-01-01T00:00:00.000Z",
  configHash: "abc",
  config: {},
  loomscope: { core: "0.1.0", spec: "1.0.0" },
  plugins: [],
  model: { spec: "openai:m", backend: "openai", info: {} },
  tokenizer: null,
  chatTemplate: null,
  accelerators: [],
  seed: 0,
  provenance: {},
  git: null,
  machine: { platform: "linux", arch: "x64", cpus: 2, memoryBytes: 1, node: "v20" },
};

const cell = (o: { planned: number; scored: number; failed?: number; notRun?: number; skipped?: number; unitError?: string }) => ({
  planned: o.planned,
  scored: o.scored,
  failed: o.failed ?? 0,
  notRun: o.notRun ?? 0,
  skipped: o.skipped ?? 0,
  skipReason: o.skipped ? "prompt of 9000 tokens does not fit the 8192-token window" : null,
  unitError: o.unitError ?? null,
  firstError: null,
  metrics: {},
});

function results(complete: boolean, c: ReturnType<typeof cell>): RunResults {
  return {
    v: 1,
    runId: "r1",
    complete,
    benchmarks: [{ benchmark: "bench", capability: "general", score: 50, tasks: { t1: 50 }, cells: { t1: { "4k": 50 } }, samples: { ok: c.scored, errors: c.failed }, status: { cells: { t1: { "4k": c } }, tasks: { t1: c }, total: c } }],
    suite: null,
  };
}

function writeRun(dir: string, records: readonly SampleRecord[], extra: { results?: RunResults; manifest?: RunManifest | string } = {}): void {
  mkdirSync(join(dir, "records", "bench"), { recursive: true });
  writeFileSync(join(dir, "manifest.json"), typeof extra.manifest === "string" ? extra.manifest : JSON.stringify(extra.manifest ?? manifest));
  const byTask = new Map<string, string[]>();
  for (const r of records) byTask.set(r.task, [...(byTask.get(r.task) ?? []), JSON.stringify(r)]);
  for (const [task, lines] of byTask) writeFileSync(join(dir, "records", "bench", `${task}.jsonl`), lines.join("\n") + "\n");
  if (extra.results) writeFileSync(join(dir, "results.json"), JSON.stringify(extra.results));
}

describe("readRunDirectory: a corrupt run directory", () => {
  it("skips lines that are not JSON or not records, naming file and line, and keeps the rest", async () => {
    const dir = temp();
    writeRun(dir, [record("a"), record("b")]);
    const file = join(dir, "records", "bench", "t1.jsonl");
    appendFileSync(file, "{not json\n" + JSON.stringify({ v: 1, id: "x" }) + "\n\n" + JSON.stringify(record("a", { score: 0 })) + "\n" + '{"v":1,"id":"torn"');
    const notices: RunDirectoryNotice[] = [];
    const run = readRunDirectory(dir);
    const latest = await run.latestRecords({ onNotice: (n) => notices.push(n) });
    expect([...latest.values()].map((r) => [r.id, r.score])).toEqual([["a", 0], ["b", 1]]);
    expect(notices.map((n) => [n.line, n.message.replace(/\(.*\)/, "(…)")])).toEqual([
      [3, `${file}:3: not JSON (…); line kept, skipped`],
      [4, `${file}:4: not a record (…); line kept, skipped`],
      [7, `${file}:7: not JSON (…); line kept, skipped`],
    ]);
    expect(notices[1]!.message).toMatch(/benchmark/);
  });

  it("throws RUN_DIR with line and column for a corrupt manifest, or notes it and reads on", async () => {
    const dir = temp();
    writeRun(dir, [record("a")], { manifest: '{\n  "v": 1,\n  "runId": \n' });
    expect(() => readRunDirectory(dir).manifest).toThrow(/manifest\.json:4:1: invalid JSON/);
    const lenient = readRunDirectory(dir, { invalid: "notice" });
    expect(lenient.manifest).toBeNull();
    expect(lenient.notices[0]?.message).toMatch(/manifest\.json:4:1: invalid JSON/);
    expect((await lenient.latestRecords()).size).toBe(1);
  });

  it("validates manifest and results against the schemas, and reads parts only when asked", () => {
    const dir = temp();
    writeRun(dir, [record("a")], { manifest: JSON.stringify({ ...manifest, seed: "zero" }) });
    writeFileSync(join(dir, "results.json"), "{ not json");
    const run = readRunDirectory(dir);
    // The records list needs neither file: a writer that only appends is not stopped by them.
    expect(run.recordFiles).toHaveLength(1);
    expect(() => run.manifest).toThrow(/is not a loomscope run manifest: seed: /);
    expect(() => run.results).toThrow(/results\.json:1:3: invalid JSON/);
    expect(() => readRunDirectory(dir).results).toThrow(expect.objectContaining({ code: "RUN_DIR", hint: expect.stringMatching(/loom score/) }));
  });

  it("lists regular records files only and refuses a directory that does not exist", () => {
    const dir = temp();
    writeRun(dir, [record("a")]);
    mkdirSync(join(dir, "records", "bench", "folder.jsonl"));
    writeFileSync(join(dir, "records", "stray.jsonl"), "");
    writeFileSync(join(dir, "records", "bench", "notes.txt"), "");
    expect(readRunDirectory(dir).recordFiles.map((f) => f.slice(dir.length + 1))).toEqual([join("records", "bench", "t1.jsonl")]);
    expect(() => readRunDirectory(join(dir, "missing"))).toThrow(/does not exist/);
  });
});

describe("readRunDirectory: partial run directories and their state", () => {
  it("a run with records and no results stopped before it finished; a live lock means it is running", () => {
    const dir = temp();
    writeRun(dir, [record("a")]);
    expect(readRunDirectory(dir).results).toBeNull();
    expect(readRunDirectory(dir).state).toBe("interrupted");
    writeFileSync(join(dir, RUN_LOCK_FILE), JSON.stringify({ pid: process.pid, host: hostname(), command: "loom run", startedAt: "now", token: "t" }));
    const running = readRunDirectory(dir);
    expect(running.state).toBe("running");
    expect(running.writer?.command).toBe("loom run");
    // A lock of a process that is gone is no writer.
    writeFileSync(join(dir, RUN_LOCK_FILE), JSON.stringify({ pid: 2 ** 22 + 17, host: hostname(), command: "loom run", startedAt: "then", token: "t" }));
    expect(readRunDirectory(dir).state).toBe("interrupted");
  });

  it("complete, incomplete (failed, skipped as too long, a unit that could not run) and interrupted from the results", () => {
    const judge = (r: RunResults) => {
      const dir = temp();
      writeRun(dir, [record("a")], { results: r });
      const run = readRunDirectory(dir);
      return [run.state, run.stateReason];
    };
    expect(judge(results(true, cell({ planned: 2, scored: 2 })))).toEqual(["complete", "every planned sample was scored"]);
    expect(judge(results(false, cell({ planned: 3, scored: 2, failed: 1 })))).toEqual(["incomplete", "1 failed sample(s)"]);
    expect(judge(results(false, cell({ planned: 3, scored: 1, notRun: 2, skipped: 2 })))).toEqual(["incomplete", "2 sample(s) not run (too long for the model's window)"]);
    expect(judge(results(false, cell({ planned: 3, scored: 0, notRun: 3, unitError: "data missing" })))).toEqual(["incomplete", "1 unit(s) could not run"]);
    expect(judge(results(false, cell({ planned: 5, scored: 2, notRun: 3 })))).toEqual(["interrupted", "3 planned sample(s) were never run"]);
  });

  it("records newer than results.json: a resumed run stopped before it finished", () => {
    const dir = temp();
    writeRun(dir, [record("a")], { results: results(true, cell({ planned: 1, scored: 1 })) });
    const old = new Date(Date.now() - 60_000);
    utimesSync(join(dir, "results.json"), old, old);
    expect(readRunDirectory(dir).state).toBe("interrupted");
  });

  it("an empty directory: no manifest, no results, no records", async () => {
    const dir = temp();
    const run = readRunDirectory(dir);
    expect([run.manifest, run.results, run.recordFiles.length, (await run.latestRecords()).size]).toEqual([null, null, 0, 0]);
  });
});

describe("readRunDirectory: a 50,000-record run", () => {
  it("streams: the bytes read ahead of the records handed out stay a small, fixed window", async () => {
    const dir = temp();
    const padding = "x".repeat(300);
    const records: SampleRecord[] = [];
    for (let i = 0; i < 50_000; i++) {
      records.push(record(`s${i}`, { task: `t${i % 4}`, prediction: `${padding}${i}`, status: i % 97 === 0 ? "error" : "ok", score: i % 97 === 0 ? null : 1, error: i % 97 === 0 ? { code: "BACKEND_REQUEST", message: "503" } : null }));
    }
    writeRun(dir, records);
    const total = readdirSync(join(dir, "records", "bench")).reduce((a, f) => a + statSync(join(dir, "records", "bench", f)).size, 0);
    expect(total).toBeGreaterThan(20_000_000);

    const run = readRunDirectory(dir);
    let handed = 0;
    let bytesHanded = 0;
    let maxAhead = 0;
    let maxParsedAhead = 0;
    for await (const r of run.records()) {
      handed++;
      bytesHanded += Buffer.byteLength(JSON.stringify(r)) + 1;
      // Within the file being read: what was read from disk but not yet handed out.
      maxAhead = Math.max(maxAhead, run.stats.bytesRead - bytesHanded);
      maxParsedAhead = Math.max(maxParsedAhead, run.stats.linesParsed - handed);
    }
    console.log(`50,000 records, ${total} bytes: at most ${maxAhead} bytes read ahead of the records handed out`);
    expect(handed).toBe(50_000);
    expect(run.stats.linesParsed).toBe(50_000);
    expect(run.stats.bytesRead).toBe(total);
    // One line is parsed at a time, and no more than a read-stream chunk or two (64 KiB each) of a
    // >20 MB run is ever read ahead.
    expect(maxParsedAhead).toBe(0);
    expect(maxAhead).toBeLessThan(256 * 1024);

    // Keeping one small value per sample: 50,000 keys, the failed ones counted apart.
    const latest = await readRunDirectory(dir).latestRecords({ map: (r) => r.status });
    expect(latest.size).toBe(50_000);
    expect([...latest.values()].filter((s) => s === "error")).toHaveLength(Math.ceil(50_000 / 97));
    expect(latest.get(sampleKey(records[12_345]!))).toBe("ok");
  }, 120_000);
});
