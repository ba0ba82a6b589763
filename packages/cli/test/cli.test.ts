import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { EventBus } from "@loomscope/core";
import type { RunResults } from "@loomscope/spec";
import { EXIT, main } from "../src/index.js";
import { attachProgress } from "../src/progress.js";
import { resultsTable } from "../src/table.js";

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out, err };
}

const cwd = process.cwd();
afterEach(() => process.chdir(cwd));

describe("loom main()", () => {
  it("prints help with the exit codes and returns 0", async () => {
    const t = io();
    expect(await main(["--help"], t.io)).toBe(EXIT.ok);
    expect(t.out.join("\n")).toMatch(/Exit codes: 0 ok/);
  });

  it("returns 2 for an unknown command or a bad flag value", async () => {
    const t = io();
    expect(await main(["frobnicate"], t.io)).toBe(EXIT.usage);
    expect(await main(["run", "x", "--limit", "zero"], t.io)).toBe(EXIT.usage);
    expect(t.err.join("\n")).toMatch(/--limit must be an integer, got "zero"/);
    expect(await main(["run", "x", "--seed", "abc"], t.io)).toBe(EXIT.usage);
    expect(t.err.join("\n")).toMatch(/--seed must be an integer, got "abc"/);
    expect(await main(["run", "x", "--gen", "temperatur=0.7"], t.io)).toBe(EXIT.usage);
    expect(await main(["score", "ruler", "--predictions", ".", "--protocol", "lom"], t.io)).toBe(EXIT.usage);
    expect(t.err.join("\n")).toMatch(/option '--protocol <protocol>' argument 'lom' is invalid. Allowed choices are official, loom/);
  });

  it("explains a missing model and a non-run directory", async () => {
    process.chdir(mkdtempSync(join(tmpdir(), "loom-cli-")));
    const t = io();
    expect(await main(["run", "something"], t.io)).toBe(EXIT.usage);
    expect(t.err.join("\n")).toMatch(/no model given/);
    expect(await main(["score", "./nowhere"], t.io)).toBe(EXIT.usage);
    expect(t.err.join("\n")).toMatch(/not a run directory/);
  });
});

describe("results table", () => {
  it("shows tasks by length, the overall score and the suite", () => {
    const results: RunResults = {
      v: 1,
      runId: "r",
      complete: true,
      benchmarks: [
        {
          benchmark: "lveval",
          capability: "reasoning",
          score: 41.5,
          tasks: { factrecall_en: 41.5 },
          cells: { factrecall_en: { "16k": 50, "32k": 33 } },
          samples: { ok: 4, errors: 1 },
        },
      ],
      suite: { id: "s", version: "1", score: 41.5, rule: "mean", capabilities: { reasoning: 41.5 } },
    };
    const text = resultsTable(results);
    expect(text).toMatch(/factrecall_en\s+50\.00\s+33\.00\s+41\.50/);
    expect(text).toMatch(/overall\s+41\.50/);
    expect(text).toMatch(/1 sample\(s\) failed/);
    expect(text).toMatch(/reasoning\s+41\.50/);
  });
});

describe("progress display", () => {
  it("prints plain lines when not on a terminal", () => {
    const bus = new EventBus();
    const stream = new PassThrough() as unknown as NodeJS.WriteStream;
    let written = "";
    (stream as unknown as PassThrough).on("data", (d: Buffer) => (written += d.toString()));
    const detach = attachProgress(bus, stream);
    bus.emit("run:start", { runId: "r", runDir: "/tmp/r", manifest: {} as never, plan: [{ benchmark: "b", task: "t", length: null, total: 2, resumed: 0 }] });
    bus.emit("task:start", { benchmark: "b", task: "t", length: null, total: 2, resumed: 0 });
    bus.emit("sample:error", { record: { benchmark: "b", task: "t", length: null, id: "s1", error: { code: "X", message: "boom" } } as never });
    bus.emit("task:done", { benchmark: "b", task: "t", length: null, ok: 1, errors: 1 });
    detach();
    expect(written).toMatch(/run directory: \/tmp\/r/);
    expect(written).toMatch(/start b\/t \(2 samples\)/);
    expect(written).toMatch(/error b\/t s1: boom/);
    expect(written).toMatch(/b\/t\s+1\/2 .*done\s+errors 1/);
  });

  it("-q hides progress only: warnings and errors are still printed", () => {
    const bus = new EventBus();
    const stream = new PassThrough() as unknown as NodeJS.WriteStream;
    let written = "";
    (stream as unknown as PassThrough).on("data", (d: Buffer) => (written += d.toString()));
    const detach = attachProgress(bus, stream, { quiet: true });
    bus.emit("run:start", { runId: "r", runDir: "/tmp/r", manifest: {} as never, plan: [{ benchmark: "b", task: "t", length: null, total: 2, resumed: 0 }] });
    bus.emit("task:start", { benchmark: "b", task: "t", length: null, total: 2, resumed: 0 });
    bus.emit("log", { level: "info", message: "an informational line" });
    bus.emit("log", { level: "warn", message: "data file rows.jsonl:3: not JSON; skipped", source: "b" });
    bus.emit("log", { level: "error", message: "b/t: the data could not be read" });
    bus.emit("request:retry", { sampleId: "s1", attempt: 1, delayMs: 10, reason: "HTTP 500" });
    for (let i = 0; i < 30; i++) bus.emit("sample:error", { record: { benchmark: "b", task: "t", length: null, id: `s${i}`, error: { code: "X", message: "boom" } } as never });
    bus.emit("task:done", { benchmark: "b", task: "t", length: null, ok: 0, errors: 30 });
    detach();
    expect(written).not.toMatch(/run directory|start b\/t|informational|retry s1|done/);
    expect(written).toMatch(/^warn: \[b\] data file rows\.jsonl:3: not JSON; skipped$/m);
    expect(written).toMatch(/^error: b\/t: the data could not be read$/m);
    expect(written.match(/^error b\/t s\d+: boom$/gm)?.length).toBe(20);
    expect(written).toMatch(/more sample errors are not printed/);
  });
});
