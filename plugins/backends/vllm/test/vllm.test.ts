import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hostServices } from "@loomscope/core";
import { createTestBackendOptions, fakeServerSlowdown, runBackendConformance, startOpenAIServer, type FakeOpenAIServer, runDirectiveConformance } from "@loomscope/testkit";
import plugin, { createVllmBackend, serveArgs } from "../src/index.js";

const STANDIN = fileURLToPath(new URL("./fixtures/vllm-standin.mjs", import.meta.url));

/** A folder holding an executable named `vllm` that runs the stand-in. */
export function standinBin(): string {
  const dir = mkdtempSync(join(tmpdir(), "vllm-bin-"));
  const exe = join(dir, "vllm");
  writeFileSync(exe, `#!/bin/sh\nexec "${process.execPath}" "${STANDIN}" "$@"\n`);
  chmodSync(exe, 0o755);
  return exe;
}

let server: FakeOpenAIServer;
beforeAll(async () => {
  server = await startOpenAIServer({ models: [{ id: "Qwen/Qwen3-8B", maxModelLen: 8192 }], script: { sky: "Blue." } });
});
afterAll(() => server.close());

const attach = (options: Record<string, unknown> = {}) =>
  createVllmBackend(createTestBackendOptions({ model: "Qwen/Qwen3-8B", options: { baseURL: server.baseURL, ...options }, host: hostServices }));

runBackendConformance(
  async () => {
    const backend = attach();
    await backend.probe(new AbortController().signal);
    return backend;
  },
  {
    plugin,
    packageDir: new URL("..", import.meta.url),
    abort: {
      maxNewTokens: 64,
      slowdown: fakeServerSlowdown(() => server),
    },
  },
);

describe("vllm attached", () => {
  it("reads max model length from /v1/models and tokenizes exactly through /tokenize", async () => {
    const backend = attach();
    const caps = await backend.probe(new AbortController().signal);
    // vLLM caches prompt prefixes unless launched with --no-enable-prefix-caching.
    expect(caps).toMatchObject({ maxInputTokens: 8192, exactTokenizer: true, features: ["prefix-cache"] });
    const tokenizer = (await backend.tokenizer())!;
    expect(await tokenizer.encode("a b c")).toEqual(server.tokenizer.encodeSync("a b c"));
    expect(backend.describe()).toMatchObject({ serverVersion: "0.11.0", launched: null });
  });

  it("continues an assistant prefix with continue_final_message", async () => {
    const backend = attach();
    await backend.generate({
      prompt: { kind: "chat", messages: [{ role: "user", content: "sky?" }, { role: "assistant", content: "Answer:" }] },
      maxNewTokens: 4,
      temperature: 0,
      signal: new AbortController().signal,
    });
    expect(server.requests.at(-1)?.body).toMatchObject({ continue_final_message: true, add_generation_prompt: false });
  });

  it("refuses to start without a server to attach to or --launch", () => {
    expect(() => createVllmBackend(createTestBackendOptions({ model: "m", host: hostServices }))).toThrow(/attach to, or launch one/);
  });
});

describe("vllm --launch (real process management against a stand-in executable)", () => {
  it("builds serve arguments from config", () => {
    expect(
      serveArgs(
        { executable: "vllm", model: "Qwen/Qwen3-8B", host: "127.0.0.1", port: 9, maxModelLen: 32768, tensorParallelSize: 2, gpuMemoryUtilization: 0.85, kvCacheDtype: "fp8", extraArgs: ["--enforce-eager"], healthTimeoutMs: 1, stopTimeoutMs: 1 },
        8123,
      ),
    ).toEqual([
      "serve", "Qwen/Qwen3-8B", "--host", "127.0.0.1", "--port", "8123", "--max-model-len", "32768", "--tensor-parallel-size", "2",
      "--gpu-memory-utilization", "0.85", "--kv-cache-dtype", "fp8", "--enforce-eager",
    ]);
  });

  it("starts the server, waits for health, captures its log, serves, and stops it cleanly", async () => {
    const runDir = mkdtempSync(join(tmpdir(), "vllm-run-"));
    const backend = createVllmBackend(
      createTestBackendOptions({
        model: "test-model",
        runDir,
        host: hostServices,
        options: { launch: true, executable: standinBin(), maxModelLen: 4096, kvCacheDtype: "fp8", healthTimeoutMs: 20_000 },
      }),
    );
    await backend.start(new AbortController().signal);
    const caps = await backend.probe(new AbortController().signal);
    expect(caps.maxInputTokens).toBe(4096);
    expect(caps.features).toContain("kv.fp8"); // from the launch flag we control
    const result = await backend.generate({
      prompt: { kind: "chat", messages: [{ role: "user", content: "hi" }] },
      maxNewTokens: 4,
      temperature: 0,
      signal: new AbortController().signal,
    });
    expect(result.text).toBe("ok");
    const described = backend.describe() as { launched: { args: string[] } };
    expect(described.launched.args).toContain("--kv-cache-dtype");
    await backend.stop();
    const log = readFileSync(join(runDir, "vllm.log"), "utf8");
    expect(log).toMatch(/\$ .*vllm serve test-model --host 127\.0\.0\.1 --port \d+ --max-model-len 4096/);
    expect(log).toMatch(/Uvicorn running on/);
    expect(log).toMatch(/Shutting down/);
  });

  it("gives up on a server that never becomes healthy, and kills it", async () => {
    const runDir = mkdtempSync(join(tmpdir(), "vllm-run-"));
    const backend = createVllmBackend(
      createTestBackendOptions({
        model: "m",
        runDir,
        host: hostServices,
        env: {},
        options: { launch: true, executable: standinBin(), healthTimeoutMs: 1500, stopTimeoutMs: 2000 },
      }),
    );
    process.env.STANDIN_NEVER_HEALTHY = "1";
    try {
      await expect(backend.start(new AbortController().signal)).rejects.toMatchObject({ code: "VLLM_LAUNCH", message: expect.stringMatching(/not healthy after 1500 ms/) });
    } finally {
      delete process.env.STANDIN_NEVER_HEALTHY;
    }
    expect(readFileSync(join(runDir, "vllm.log"), "utf8")).toMatch(/loading weights/);
  });

  it("explains a missing executable", async () => {
    const backend = createVllmBackend(
      createTestBackendOptions({ model: "m", runDir: mkdtempSync(join(tmpdir(), "vllm-run-")), host: hostServices, options: { launch: true, executable: "/nonexistent/vllm" } }),
    );
    await expect(backend.start(new AbortController().signal)).rejects.toMatchObject({ code: "VLLM_LAUNCH", hint: expect.stringMatching(/pip install vllm/) });
  });
});

runDirectiveConformance(plugin, []);
