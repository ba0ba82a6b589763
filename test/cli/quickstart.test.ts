import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeTinyGguf } from "@loomscope/testkit";
import { project, recordLines, REPO, runCli } from "../helpers.js";

const PLUGINS = [
  "plugins/suites/quickstart",
  "plugins/benchmarks/niah",
  "plugins/benchmarks/ruler",
  "plugins/benchmarks/counting-stars",
  "plugins/backends/llamacpp",
].map((p) => join(REPO, p));

describe("npx loom run quickstart on the embedded llama.cpp backend", () => {
  it("runs end to end on a tiny random-weight GGUF, offline: records, results table, report", async () => {
    const gguf = join(mkdtempSync(join(tmpdir(), "gguf-")), "tiny.gguf");
    // A 16k window, as a small model has: byte-level tokens make Counting-Stars' 8k level ~36k of them,
    // so those samples cannot fit. They are recorded as not run before anything is sent; the run exits 0.
    await writeTinyGguf(gguf, { contextLength: 16384 });
    const cwd = project({ plugins: PLUGINS });
    const runDir = join(cwd, "run");
    const result = await runCli(["run", "quickstart", "--model", `llamacpp:${gguf}`, "--run-dir", runDir, "--offline", "--cache-dir", join(cwd, "cache")], { cwd });
    expect(result.stderr.split("\n").filter((l) => /^(error|unexpected)/.test(l))).toEqual([]);
    expect(result.code).toBe(0);
    // Scores are near zero with random weights: assert the run, the records and the table.
    const records = recordLines(runDir);
    expect(records.length).toBeGreaterThan(15);
    const skipped = records.filter((r) => r.status === "skipped");
    expect(skipped.length).toBeGreaterThan(0);
    for (const r of skipped) {
      expect(r.benchmark).toBe("counting-stars");
      expect(["4k", "8k"]).toContain(r.length);
      expect(r.error?.message).toMatch(/^the prompt is [\d,]+ tokens, longer than the 16,128 the model's 16,384-token window leaves after the 256-token answer$/);
      expect(r.attempts).toBe(0);
    }
    expect(records.filter((r) => r.status !== "skipped").every((r) => r.status === "ok")).toBe(true);
    // Listed at the end, and the cells say so.
    expect(result.stderr).toMatch(/not run: samples whose prompt cannot fit the model's window/);
    expect(result.stderr).toMatch(/counting-stars\/en_acquisition\/8k: \d+ of \d+ \(the prompt is/);
    expect(result.stdout).toMatch(new RegExp(`${skipped.length} not run \\(too long for the model's window\\)`));
    expect(new Set(records.map((r) => (r as unknown as { benchmark: string }).benchmark))).toEqual(new Set(["niah", "ruler", "counting-stars"]));
    expect(result.stdout).toMatch(/suite quickstart@0\.2\.0/);
    expect(result.stdout).toMatch(/score \(mean of benchmarks\)/);
    expect(result.stdout).toMatch(new RegExp(`report: ${join(runDir, "report.html").replaceAll("/", "\\/")}`));
    expect(existsSync(join(runDir, "report.html"))).toBe(true);
    const manifest = JSON.parse(readFileSync(join(runDir, "manifest.json"), "utf8"));
    expect(manifest.model.backend).toBe("llamacpp");
    expect(manifest.tokenizer.id).toMatch(/llamacpp/);
    expect(Object.keys(manifest.provenance).sort()).toEqual(["counting-stars", "niah", "ruler"]);
    const results = JSON.parse(readFileSync(join(runDir, "results.json"), "utf8"));
    expect(results.suite.id).toBe("quickstart");
    // Not every planned sample ran, so the run is not complete (the exit code is still 0: nothing failed).
    expect(results.complete).toBe(false);
    const stars = results.benchmarks.find((b: { benchmark: string }) => b.benchmark === "counting-stars");
    expect(stars.partial).toBe(true);
    expect(stars.status.cells.en_acquisition["8k"].skipped).toBeGreaterThan(0);
    expect(stars.status.cells.en_acquisition["8k"].notRun).toBe(stars.status.cells.en_acquisition["8k"].skipped);
  }, 240_000);
});
