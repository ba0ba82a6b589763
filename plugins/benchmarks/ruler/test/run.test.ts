/**
 * Counted work through a real run: core's runEvaluation with the vLLM backend against the testkit's
 * fake server (its /tokenize is the testkit byte tokenizer, so a 128k prompt is 128k bytes). The kit
 * counts the samples it generated (`stats.loaded`): resuming a finished 128k task generates none, and
 * `--shard 1/4` generates only the samples of its quarter. A misspelt or invalid option stops the
 * run before it starts, naming the option (exit 2 from the CLI).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PluginRegistry, runEvaluation, sampleKey, stableHash, type RunOptions } from "@loomscope/core";
import type { KitBenchmark } from "@loomscope/benchmark-kit";
import { startOpenAIServer, type FakeOpenAIServer } from "@loomscope/testkit";

const REPO = fileURLToPath(new URL("../../../../", import.meta.url));
const PACKAGES = [join(REPO, "plugins/benchmarks/ruler"), join(REPO, "plugins/backends/vllm")];

let server: FakeOpenAIServer;
beforeAll(async () => {
  server = await startOpenAIServer({ models: [{ id: "tiny", maxModelLen: 200_000 }], script: () => "none" });
});
afterAll(() => server.close());

function setup() {
  const cwd = mkdtempSync(join(tmpdir(), "ruler-run-"));
  const registry = new PluginRegistry({ cwd, packages: PACKAGES });
  const base: RunOptions = {
    targets: ["ruler"],
    model: "vllm:tiny",
    backends: { vllm: { baseURL: server.baseURL } },
    tasks: ["niah_single_1"],
    lengths: ["128k"],
    benchmarkOptions: { ruler: { samples: 8 } },
    cacheDir: join(cwd, "cache"),
    cwd,
    registry,
    concurrency: 4,
  };
  return { cwd, registry, base };
}

describe("RULER in a run: ids first, so resume and shards generate only what runs", () => {
  it("a finished 128k task, run again, generates 0 haystacks", async () => {
    const { cwd, registry, base } = setup();
    const bench = (await registry.load("benchmark", "ruler")) as KitBenchmark;
    const runDir = join(cwd, "run");
    const before = bench.stats.loaded;
    const first = await runEvaluation({ ...base, runDir });
    expect(first.counts.ok).toBe(8);
    expect(bench.stats.loaded - before).toBe(8);
    const again = await runEvaluation({ ...base, runDir });
    expect(again.counts).toMatchObject({ ok: 0, errors: 0, resumed: 8 });
    expect(bench.stats.loaded - before).toBe(8);
    // The prompts are 128k tokens: RULER's budget, the template reserve inside it.
    const tokens = first.manifest.provenance["ruler"]?.["samples:niah_single_1/128k"]?.["tokens"] as Record<string, number>;
    expect(Object.values(tokens).every((t) => t <= 131072 && t > 131072 - 200)).toBe(true);
  }, 120_000);

  it("--shard 1/4 generates only its quarter", async () => {
    const { cwd, registry, base } = setup();
    const bench = (await registry.load("benchmark", "ruler")) as KitBenchmark;
    const before = bench.stats.loaded;
    const out = await runEvaluation({ ...base, runDir: join(cwd, "shard"), shard: "1/4", benchmarkOptions: { ruler: { samples: 24 } } });
    const mine = Array.from({ length: 24 }, (_, i) => `niah_single_1-128k-${i}`).filter(
      (id) => stableHash(sampleKey({ benchmark: "ruler", task: "niah_single_1", length: "128k", id })) % 4 === 1,
    );
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.length).toBeLessThan(24);
    expect(out.counts.ok).toBe(mine.length);
    expect(bench.stats.loaded - before).toBe(mine.length);
  }, 120_000);
});

function loom(args: string[], cwd: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(REPO, "packages/cli/bin/loom.js"), ...args], { cwd, env: { ...process.env, CI: "1" }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    child.on("close", (code) => resolve({ code, out }));
  });
}

describe("RULER's options are declared: a bad one is a usage error before the run", () => {
  const cwd = mkdtempSync(join(tmpdir(), "ruler-opts-"));
  writeFileSync(join(cwd, "loom.config.json"), JSON.stringify({ plugins: PACKAGES }));
  it("a misspelt option exits 2 naming it and the nearest name", async () => {
    const r = await loom(["run", "ruler", "--model", `vllm:tiny`, "--backend-opt", `baseURL=${server.baseURL}`, "--benchmark-opt", "ruler.sampels=3", "--run-dir", join(cwd, "a")], cwd);
    expect(r.code, r.out).toBe(2);
    expect(r.out).toMatch(/ruler has no option "sampels".*did you mean "samples"/s);
  }, 60_000);
  it("an invalid value exits 2 naming the option and the allowed values", async () => {
    const r = await loom(["run", "ruler", "--model", `vllm:tiny`, "--backend-opt", `baseURL=${server.baseURL}`, "--benchmark-opt", "ruler.template=llama3", "--run-dir", join(cwd, "b")], cwd);
    expect(r.code, r.out).toBe(2);
    expect(r.out).toMatch(/ruler option template: "llama3" is not allowed/);
    expect(r.out).toMatch(/meta-llama3/);
  }, 60_000);
});
