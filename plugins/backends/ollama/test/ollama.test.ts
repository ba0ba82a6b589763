import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hostServices } from "@loomscope/core";
import { BackendRequestError } from "@loomscope/spec";
import { createTestBackendOptions, fakeServerSlowdown, runBackendConformance, startOllamaServer, type FakeOllamaServer, runDirectiveConformance } from "@loomscope/testkit";
import plugin, { createOllamaBackend } from "../src/index.js";

let server: FakeOllamaServer;
beforeAll(async () => {
  server = await startOllamaServer({ models: [{ name: "qwen3:8b", contextLength: 40960 }], script: { sky: "Blue." } });
});
afterAll(() => server.close());

const make = (options: Record<string, unknown> = {}, extra: { maxInputTokens?: number; model?: string } = {}) =>
  createOllamaBackend(
    createTestBackendOptions({
      model: extra.model ?? "qwen3:8b",
      options: { host: server.url, ...options },
      host: hostServices,
      ...(extra.maxInputTokens !== undefined ? { maxInputTokens: extra.maxInputTokens } : {}),
    }),
  );
const ask = (content: string, maxNewTokens = 8) => ({
  prompt: { kind: "chat" as const, messages: [{ role: "user" as const, content }] },
  maxNewTokens,
  temperature: 0,
  signal: new AbortController().signal,
});

runBackendConformance(
  async () => {
    const backend = make({}, { maxInputTokens: 2048 });
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

describe("ollama backend against the Ollama fake", () => {
  it("checks the model is pulled first, with the pull command in the error", async () => {
    await expect(make({}, { model: "llama3" }).probe(new AbortController().signal)).rejects.toMatchObject({
      code: "MODEL_NOT_FOUND",
      hint: expect.stringContaining("ollama pull llama3:latest"),
    });
  });

  it("always sends num_ctx (the run's max length plus headroom), greedy decoding and num_predict", async () => {
    const backend = make({}, { maxInputTokens: 8000 });
    const result = await backend.generate(ask("what colour is the sky?", 12));
    expect(result.text).toBe("Blue.");
    expect(server.requests.at(-1)?.body).toMatchObject({ options: { num_ctx: 9024, num_predict: 12, temperature: 0 }, truncate: false });
    expect(result.usage.promptTokens).toBeGreaterThan(0);
    expect(result.timings.prefillMs).toBeGreaterThan(0);
    expect(result.timings.decodeMs).toBeGreaterThan(0);
  });

  it("takes the model's context length from /api/show when no max length is given", async () => {
    const backend = make();
    const caps = await backend.probe(new AbortController().signal);
    expect(caps.maxInputTokens).toBe(40960 - 1024);
    await backend.generate(ask("hi"));
    expect(server.requests.at(-1)?.body).toMatchObject({ options: { num_ctx: 40960 } });
  });

  it("an over-long prompt is an error, never a quiet score (truncate: false)", async () => {
    const backend = make({ numCtx: 64 });
    const long = Array.from({ length: 300 }, (_, i) => `word${i}`).join(" ");
    const error = await backend.generate(ask(long)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendRequestError);
    expect((error as BackendRequestError).retryable).toBe(false);
    expect(server.stats.truncations).toBe(0);
  });

  it("catches the silent cut of an Ollama that ignores truncate:false: an error on the record, never a score", async () => {
    const old = await startOllamaServer({ models: ["qwen3:8b"], version: "0.5.7", honorTruncateField: false });
    try {
      const backend = createOllamaBackend(createTestBackendOptions({ model: "qwen3:8b", options: { host: old.url, numCtx: 64 }, host: hostServices }));
      const long = Array.from({ length: 300 }, (_, i) => `word${i}`).join(" ");
      const error = await backend.generate({ ...ask(long), expectedPromptTokens: 900 }).catch((e: unknown) => e);
      expect(old.stats.truncations).toBe(1); // the server really did cut it
      expect(error).toMatchObject({ code: "SILENT_TRUNCATION", message: "the engine processed 64 prompt tokens but 900 were sent" });
      expect((error as { hint: string }).hint).toMatch(/raise num_ctx/);
    } finally {
      await old.close();
    }
  });

  it("reads OLLAMA_HOST, which the client itself ignores", async () => {
    const backend = createOllamaBackend(createTestBackendOptions({ model: "qwen3:8b", env: { OLLAMA_HOST: server.url.replace("http://", "") }, host: hostServices }));
    expect(backend.describe()).toMatchObject({ host: server.url });
    await expect(backend.probe(new AbortController().signal)).resolves.toMatchObject({ promptModes: ["chat"] });
  });

  it("retries on 429 and 5xx: the errors say so", async () => {
    server.setFaults({ sequence: [{ kind: "rate-limit", retryAfterSeconds: 1 }, { kind: "error", status: 503 }] });
    const backend = make({ stream: false }, { maxInputTokens: 1000 });
    await expect(backend.generate(ask("x"))).rejects.toMatchObject({ status: 429, retryable: true, retryAfterMs: 1000 });
    await expect(backend.generate(ask("x"))).rejects.toMatchObject({ status: 503, retryable: true });
    server.setFaults(undefined);
  });
});

runDirectiveConformance(plugin, ["kv-pruning:streamingllm"]);
