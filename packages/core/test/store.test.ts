import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readRunDirectory, type SampleRecord } from "@loomscope/spec";
import { commitFiles, RunStore, recordsFile } from "../src/run/store.js";
import { RunLock } from "../src/run/lock.js";

export const record = (id: string, status: "ok" | "error" = "ok", task = "t1"): SampleRecord => ({
  v: 1,
  id,
  benchmark: "bench",
  task,
  length: null,
  status,
  prediction: status === "ok" ? `answer ${id}` : null,
  references: ["ref"],
  scores: status === "ok" ? { acc: 1 } : {},
  score: status === "ok" ? 1 : null,
  prompt: null,
  usage: { promptTokens: null, completionTokens: null },
  timings: { startedAt: new Date(0).toISOString(), totalMs: 1 },
  accelerators: [],
  attempts: 1,
  error: status === "error" ? { code: "BACKEND_REQUEST", message: "boom" } : null,
});

describe("RunStore", () => {
  it("appends records per (benchmark, task) and reads them back, last record per sample winning", async () => {
    const dir = mkdtempSync(join(tmpdir(), "loom-store-"));
    const store = RunStore.open(dir);
    store.append(record("a"));
    store.append(record("b", "error"));
    store.append(record("b"));
    store.append(record("c", "ok", "t2"));
    store.close();
    const lines = readFileSync(join(dir, recordsFile("bench", "t1")), "utf8").trim().split("\n");
    expect(lines.length).toBe(3);
    const all = await RunStore.open(dir).records();
    expect([...all.values()].map((r) => `${r.task}/${r.id}/${r.status}`).sort()).toEqual(["t1/a/ok", "t1/b/ok", "t2/c/ok"]);
  });

  it("repairs a torn last line: the torn bytes are kept in a side file, whole lines stay", async () => {
    const dir = mkdtempSync(join(tmpdir(), "loom-store-"));
    const store = RunStore.open(dir);
    store.append(record("a"));
    store.append(record("b"));
    store.close();
    const file = join(dir, recordsFile("bench", "t1"));
    appendFileSync(file, JSON.stringify(record("c")).slice(0, 40)); // a crash mid-write
    const notices: string[] = [];
    const reopened = RunStore.open(dir, { onNotice: (n) => notices.push(n.message) });
    expect(notices.join()).toMatch(/torn/);
    expect(readFileSync(`${file}.torn`, "utf8")).toContain('"id":"c"');
    const all = await reopened.records();
    expect([...all.keys()].length).toBe(2);
    reopened.append(record("c"));
    reopened.close();
    const again = await RunStore.open(dir).records();
    expect(again.size).toBe(3);
    expect(readFileSync(file, "utf8").endsWith("\n")).toBe(true);
  });

  it("reports, but keeps, a corrupt line in the middle of a file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "loom-store-"));
    const store = RunStore.open(dir);
    store.append(record("a"));
    store.close();
    const file = join(dir, recordsFile("bench", "t1"));
    appendFileSync(file, "{not json}\n");
    appendFileSync(file, JSON.stringify(record("b")) + "\n");
    const notices: string[] = [];
    const all = await RunStore.open(dir).records((n) => notices.push(n.message));
    expect(all.size).toBe(2);
    expect(notices[0]).toMatch(/:2: not JSON/);
    expect(readFileSync(file, "utf8")).toContain("{not json}");
    expect(existsSync(`${file}.torn`)).toBe(false);
  });

  it("reads through spec's readRunDirectory, the reader the report and `loom view` use: same records, same notices", async () => {
    const dir = mkdtempSync(join(tmpdir(), "loom-store-"));
    const store = RunStore.open(dir);
    store.append(record("a"));
    store.append(record("b", "error"));
    store.append(record("b"));
    store.close();
    appendFileSync(join(dir, recordsFile("bench", "t1")), '{"v":1,"id":"x"}\n{oops\n');
    const fromStore: string[] = [];
    const fromSpec: string[] = [];
    const viaStore = await RunStore.openForReading(dir).records((n) => fromStore.push(n.message));
    const viaSpec = await readRunDirectory(dir).latestRecords({ onNotice: (n) => fromSpec.push(n.message) });
    expect([...viaStore.entries()]).toEqual([...viaSpec.entries()]);
    expect(fromStore).toEqual(fromSpec);
    expect(fromStore).toHaveLength(2);
  });
});

describe("RunStore: interrupted writers", () => {
  it("finishes a commit that a killed `loom score` had begun, and drops its temporary files", () => {
    const dir = mkdtempSync(join(tmpdir(), "loom-store-"));
    const store = RunStore.open(dir);
    store.append(record("a"));
    store.writeResults({ v: 1, runId: "r", complete: true, benchmarks: [], suite: null });
    store.close();
    // The state a kill leaves after the journal was written and one of two renames happened.
    const file = join(dir, recordsFile("bench", "t1"));
    writeFileSync(`${file}.999.1.tmp`, JSON.stringify({ ...record("a"), score: 0 }) + "\n");
    writeFileSync(join(dir, "results.json"), JSON.stringify({ v: 1, runId: "r", complete: true, benchmarks: [{ rescored: true }], suite: null }));
    writeFileSync(join(dir, ".commit.json"), JSON.stringify({ renames: [[`${recordsFile("bench", "t1")}.999.1.tmp`, recordsFile("bench", "t1")], ["results.json.999.2.tmp", "results.json"]] }));
    writeFileSync(join(dir, "manifest.json.123.4.tmp"), "{"); // a stray temporary file, no journal entry
    const notices: string[] = [];
    const reopened = RunStore.open(dir, { onNotice: (n) => notices.push(n.message) });
    reopened.close();
    expect(JSON.parse(readFileSync(file, "utf8").trim()).score).toBe(0);
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp") || f === ".commit.json")).toEqual([]);
    expect(readdirSync(join(dir, "records", "bench")).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    expect(notices.join("\n")).toMatch(/finished replacing 2 file\(s\)/);
    expect(notices.join("\n")).toMatch(/removed 1 temporary file/);
  });

  it("commits records and results together, leaving nothing behind", () => {
    const dir = mkdtempSync(join(tmpdir(), "loom-store-"));
    commitFiles(dir, new Map([[recordsFile("bench", "t1"), "x\n"], ["results.json", "{}\n"]]));
    expect(readFileSync(join(dir, recordsFile("bench", "t1")), "utf8")).toBe("x\n");
    expect(readdirSync(dir).sort()).toEqual(["records", "results.json"]);
  });

  it("reads a run without writing anything (a read-only location), torn tail and all", async () => {
    const dir = mkdtempSync(join(tmpdir(), "loom-store-"));
    const store = RunStore.open(dir);
    store.append(record("a"));
    store.close();
    const file = join(dir, recordsFile("bench", "t1"));
    appendFileSync(file, '{"v":1,"id":"b"');
    const before = readdirSync(join(dir, "records", "bench"));
    const size = statSync(file).size;
    const reader = RunStore.openForReading(dir);
    expect([...(await reader.records()).keys()].length).toBe(1);
    expect(statSync(file).size).toBe(size);
    expect(readdirSync(join(dir, "records", "bench"))).toEqual(before);
    expect(() => reader.append(record("c"))).toThrow(/opened for reading only/);
    expect(() => RunStore.openForReading(join(dir, "missing"))).toThrow(/does not exist/);
    expect(existsSync(join(dir, "missing"))).toBe(false);
  });

  it("names the file and the reason when a record cannot be written", () => {
    const dir = mkdtempSync(join(tmpdir(), "loom-store-"));
    const store = RunStore.open(dir);
    // A file where the benchmark's records folder should be: every write under it fails.
    writeFileSync(join(dir, "records", "bench"), "");
    expect(() => store.append(record("a"))).toThrow(/cannot write .*records\/bench\/t1\.jsonl \(saving the record of sample a\): .*\((ENOTDIR|EEXIST)\)/);
    store.close();
  });

  it("reports a corrupt manifest with its line and column, and how to recover", () => {
    const dir = mkdtempSync(join(tmpdir(), "loom-store-"));
    writeFileSync(join(dir, "manifest.json"), '{\n  "v": 1,\n  "runId": \n');
    const store = RunStore.openForReading(dir);
    expect(() => store.readManifest()).toThrow(/manifest\.json:4:1: invalid JSON/);
    rmSync(join(dir, "manifest.json"));
  });
});

describe("RunLock", () => {
  it("refuses a second writer, names the holder, and frees the directory on release", () => {
    const dir = mkdtempSync(join(tmpdir(), "loom-lock-"));
    const lock = RunLock.acquire(dir, "loom run");
    expect(() => RunLock.acquire(dir, "loom score")).toThrow(new RegExp(`is being written by loom run \\(process ${process.pid}`));
    expect(() => RunStore.open(dir, { lock: "loom merge" })).toThrow(/loom merge cannot use it/);
    lock.release();
    const again = RunLock.acquire(dir, "loom score");
    again.release();
    expect(existsSync(join(dir, ".lock"))).toBe(false);
  });
});
