import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOpenAIServer, type FakeOpenAIServer } from "@loomscope/testkit";
import { FIXTURE_BENCHMARK, OPENAI_BACKEND, project, REPO, runCli } from "../helpers.js";

const ENGINE = join(REPO, "plugins/backends/engine");
const KV = join(REPO, "plugins/accelerators/kv-pruning");
const SPARSE = join(REPO, "plugins/accelerators/sparse-attention");
const VLLM = join(REPO, "plugins/backends/vllm");

interface EngineRecord {
  status: string;
  accelerators: { accelerator: string; method: string; label: string }[];
  engineStats?: Record<string, unknown>;
}

describe("engine accelerators through the CLI", () => {
  let server: FakeOpenAIServer;
  beforeAll(async () => {
    server = await startOpenAIServer({ models: ["test-model"] });
  });
  afterAll(() => server.close());

  const cwd = () => project({ plugins: [FIXTURE_BENCHMARK, ENGINE, KV, SPARSE, OPENAI_BACKEND, VLLM], benchmarks: { "fixture-qa": { samples: 2, words: 60 } } });

  it("runs KV pruning and sparse prefill inside the reference engine, recorded on every record", async () => {
    for (const accelerator of ["kv-pruning:snapkv,budget=32", "sparse-attention:xattention"]) {
      const dir = cwd();
      const runDir = join(dir, "run");
      const result = await runCli(["run", "fixture-qa", "--tasks", "lookup", "--model", "engine:random:tiny", "--accelerator", accelerator, "--run-dir", runDir], { cwd: dir });
      expect(result.stderr.split("\n").filter((l) => /^error/.test(l))).toEqual([]);
      expect(result.code).toBe(0);
      const records = readFileSync(join(runDir, "records", "fixture-qa", "lookup.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as EngineRecord);
      expect(records.length).toBe(2);
      for (const r of records) {
        expect(r.status).toBe("ok");
        expect(r.accelerators[0]?.accelerator).toBe(accelerator.split(":")[0]);
        expect(r.engineStats).toBeDefined();
      }
      const manifest = JSON.parse(readFileSync(join(runDir, "manifest.json"), "utf8"));
      expect(manifest.accelerators[0].label.length).toBeGreaterThan(0);
    }
  });

  it("binds streamingllm to llama-server's context shift through the openai backend", async () => {
    const llama = await startOpenAIServer({ models: ["test-model"], llamaServer: true });
    try {
      const dir = cwd();
      const runDir = join(dir, "run");
      const result = await runCli(
        ["run", "fixture-qa", "--tasks", "lookup", "--model", "openai:test-model", "--backend-opt", `baseURL=${llama.baseURL}`, "--accelerator", "kv-pruning:streamingllm", "--run-dir", runDir],
        { cwd: dir },
      );
      expect(result.code).toBe(0);
      const records = readFileSync(join(runDir, "records", "fixture-qa", "lookup.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as EngineRecord);
      expect(records[0]?.accelerators[0]?.label).toMatch(/streamingllm as openai context shift .*fires only when the context overflows/);
      expect(llama.requests.filter((r) => r.path === "/v1/chat/completions").every((r) => (r.body as { n_keep?: number }).n_keep === 4)).toBe(true);
    } finally {
      await llama.close();
    }
  });

  it.each([
    ["vllm", "kv-pruning:snapkv"],
    ["vllm", "sparse-attention:minference"],
    ["openai", "kv-pruning:h2o"],
  ])("refuses %s with %s before any request is sent", async (backend, accelerator) => {
    const dir = cwd();
    const before = server.stats.requests;
    const result = await runCli(
      ["run", "fixture-qa", "--model", `${backend}:test-model`, "--backend-opt", `baseURL=${server.baseURL}`, "--accelerator", accelerator, "--run-dir", join(dir, "run")],
      { cwd: dir },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`accelerator ${accelerator.split(":")[0]} cannot run on backend ${backend}`));
    // Probing is all that reached the server: no generation request.
    expect(server.stats.completions).toBe(0);
    expect(server.stats.requests - before).toBeLessThanOrEqual(3);
  });

  /** A third-party accelerator asking for a directive outside the catalogue, written into the project. */
  function customAccelerator(dir: string): string {
    const root = join(dir, "accelerator-quantize");
    mkdirSync(root, { recursive: true });
    writeFileSync(join(root, "package.json"), JSON.stringify({ name: "accelerator-quantize", version: "0.0.1", type: "module", loomscope: { kind: "accelerator", id: "kv-quantize", apiVersion: 1, entry: "./index.js" } }));
    writeFileSync(
      join(root, "index.js"),
      `export default { kind: "accelerator", apiVersion: 1, id: "kv-quantize", stage: "engine", description: "test", methods: [{ id: "int4", description: "", defaults: {} }], defaultMethod: "int4",
        bind: () => ({ stage: "engine", accelerator: "kv-quantize", method: "int4", params: {}, label: "int4", directive: { accelerator: "kv-quantize", method: "int4", params: {} } }) };\n`,
    );
    return root;
  }

  it.each(["openai", "vllm", "engine"])("%s refuses a directive it does not honour at bind time, exit 2, naming backend and directive", async (backend) => {
    const dir = project({});
    writeFileSync(
      join(dir, "loom.config.json"),
      JSON.stringify({ plugins: [FIXTURE_BENCHMARK, ENGINE, OPENAI_BACKEND, VLLM, customAccelerator(dir)], benchmarks: { "fixture-qa": { samples: 2, words: 60 } } }),
    );
    const before = server.stats.completions;
    const model = backend === "engine" ? "engine:random:tiny" : `${backend}:test-model`;
    const endpoint = backend === "engine" ? [] : ["--backend-opt", `baseURL=${server.baseURL}`];
    const result = await runCli(["run", "fixture-qa", "--model", model, ...endpoint, "--accelerator", "kv-quantize:int4", "--run-dir", join(dir, "run")], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`backend ${backend} does not honour directive kv-quantize:int4`));
    expect(result.stderr).toMatch(/no installed backend honours kv-quantize:int4/);
    expect(server.stats.completions).toBe(before);
  });
});
