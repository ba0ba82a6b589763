import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hostServices } from "@loomscope/core";
import { BackendRequestError } from "@loomscope/spec";
import { createTestBackendOptions, fakeServerSlowdown, runBackendConformance, runDirectiveConformance, ServingSimulator, startOpenAIServer, type FakeOpenAIServer } from "@loomscope/testkit";
import { cachedPromptTokensOf } from "../src/protocol.js";
import plugin, { createOpenAIBackend } from "../src/index.js";

let server: FakeOpenAIServer;
beforeAll(async () => {
  server = await startOpenAIServer({ models: [{ id: "test-model", maxModelLen: 4096 }], script: { sky: "Blue." } });
});
afterAll(() => server.close());

const make = (options: Record<string, unknown> = {}, env: Record<string, string> = {}) =>
  createOpenAIBackend(createTestBackendOptions({ options: { baseURL: server.baseURL, ...options }, env, host: hostServices }));

runBackendConformance(async () => {
  const backend = make();
  await backend.probe(new AbortController().signal);
  return backend;
}, { plugin, packageDir: new URL("..", import.meta.url), abort: {
    maxNewTokens: 64,
    slowdown: fakeServerSlowdown(() => server),
  },
});

describe("openai backend against the OpenAI/vLLM fake", () => {
  it("streams a chat answer with usage and time to first token", async () => {
    const backend = make();
    const result = await backend.generate({
      prompt: { kind: "chat", messages: [{ role: "user", content: "what colour is the sky?" }] },
      maxNewTokens: 8,
      temperature: 0,
      signal: new AbortController().signal,
    });
    expect(result.text).toBe("Blue.");
    expect(result.usage.promptTokens).toBeGreaterThan(0);
    expect(result.usage.completionTokens).toBeGreaterThan(0);
    expect(result.timings.ttftMs).toBeGreaterThanOrEqual(0);
    expect(server.requests.at(-1)?.body).toMatchObject({ stream: true, stream_options: { include_usage: true }, temperature: 0, max_tokens: 8 });
  });

  it("prices each request when given per-million-token prices", async () => {
    const backend = make({ stream: false, pricing: { inputPerMTok: 2, outputPerMTok: 8 } });
    const result = await backend.generate({ prompt: { kind: "chat", messages: [{ role: "user", content: "sky?" }] }, maxNewTokens: 8, temperature: 0, signal: new AbortController().signal });
    const { promptTokens, completionTokens, costUsd } = result.usage;
    expect(costUsd).toBeCloseTo((promptTokens! * 2 + completionTokens! * 8) / 1e6, 12);
  });

  it("uses /v1/completions for raw prompts when in completions mode, non-streaming", async () => {
    const backend = make({ mode: "completions", stream: false });
    const result = await backend.generate({ prompt: { kind: "raw", text: "the sky is" }, maxNewTokens: 16, temperature: 0, signal: new AbortController().signal });
    expect(result.text).toBe("Blue.");
    expect(server.requests.at(-1)?.path).toBe("/v1/completions");
  });

  it("finds the max model length and the server's exact tokenizer in the probe", async () => {
    const backend = make();
    const caps = await backend.probe(new AbortController().signal);
    expect(caps.maxInputTokens).toBe(4096);
    expect(caps.exactTokenizer).toBe(true);
    const tokenizer = (await backend.tokenizer())!;
    const ids = await tokenizer.encode("hello world, hello");
    expect(ids).toEqual(server.tokenizer.encodeSync("hello world, hello"));
    expect(await tokenizer.decode(ids)).toBe("hello world, hello");
  });

  it("names the models a server has when ours is missing", async () => {
    const backend = createOpenAIBackend(createTestBackendOptions({ model: "nope", options: { baseURL: server.baseURL }, host: hostServices }));
    await expect(backend.probe(new AbortController().signal)).rejects.toMatchObject({ code: "MODEL_NOT_FOUND", hint: expect.stringContaining("test-model") });
  });

  it.each([
    [{ kind: "rate-limit", retryAfterSeconds: 2 }, { status: 429, retryable: true, retryAfterMs: 2000 }],
    [{ kind: "error", status: 500 }, { status: 500, retryable: true }],
    [{ kind: "reset" }, { retryable: true }],
    [{ kind: "malformed-json" }, { retryable: true }],
  ] as const)("classifies the fault %j for the runner's retry loop", async (fault, expected) => {
    for (const stream of [false, true]) {
      server.setFaults({ sequence: [fault] });
      const backend = make({ stream });
      const error = await backend
        .generate({ prompt: { kind: "chat", messages: [{ role: "user", content: "hi" }] }, maxNewTokens: 4, temperature: 0, signal: new AbortController().signal })
        .catch((e: unknown) => e);
      expect(error, `stream=${stream}`).toBeInstanceOf(BackendRequestError);
      expect(error).toMatchObject(expected);
    }
    server.setFaults(undefined);
  });

  it("sends the API key from the environment variable it is told to read", async () => {
    server.setApiKey("sk-test-123");
    try {
      const missing = make();
      await expect(
        missing.generate({ prompt: { kind: "chat", messages: [{ role: "user", content: "hi" }] }, maxNewTokens: 2, temperature: 0, signal: new AbortController().signal }),
      ).rejects.toMatchObject({ status: 401, retryable: false });
      // A 401 is about the key: its hint names the variable to set, never the base URL.
      const probeError = (await missing.probe(new AbortController().signal).catch((e: unknown) => e)) as { status: number; hint: string };
      expect(probeError.status).toBe(401);
      expect(probeError.hint).toBe("the server wants an API key and OPENAI_API_KEY is not set: export OPENAI_API_KEY=… (or name another variable with --backend-opt apiKeyEnv=NAME)");
      const wrong = make({ apiKeyEnv: "MY_KEY" }, { MY_KEY: "sk-wrong" });
      const wrongError = (await wrong
        .generate({ prompt: { kind: "chat", messages: [{ role: "user", content: "hi" }] }, maxNewTokens: 2, temperature: 0, signal: new AbortController().signal })
        .catch((e: unknown) => e)) as { status: number; hint: string };
      expect(wrongError).toMatchObject({ status: 401, hint: "the server rejected the API key in MY_KEY: check that it is valid for this server" });
      expect(wrongError.hint).not.toMatch(/base URL/);
      const backend = make({ apiKeyEnv: "MY_KEY" }, { MY_KEY: "sk-test-123" });
      const result = await backend.generate({ prompt: { kind: "chat", messages: [{ role: "user", content: "hi" }] }, maxNewTokens: 2, temperature: 0, signal: new AbortController().signal });
      expect(typeof result.text).toBe("string");
      expect(JSON.stringify(backend.describe())).not.toContain("sk-test-123");
    } finally {
      server.setApiKey(undefined);
    }
  });

  it("requires a key for api.openai.com and counts with tiktoken there", async () => {
    expect(() => createOpenAIBackend(createTestBackendOptions({ model: "gpt-4.1-mini", host: hostServices }))).toThrow(/no API key in OPENAI_API_KEY/);
    const backend = createOpenAIBackend(createTestBackendOptions({ model: "gpt-4.1-mini", env: { OPENAI_API_KEY: "sk-x" }, host: hostServices }));
    expect((await backend.tokenizer())?.id).toBe("tiktoken:o200k_base");
  });

  it("recognises llama-server and runs streamingllm as its context shift (n_keep)", async () => {
    const llama = await startOpenAIServer({ models: [{ id: "test-model", maxModelLen: 4096 }], llamaServer: true });
    try {
      const backend = createOpenAIBackend(createTestBackendOptions({ options: { baseURL: llama.baseURL }, host: hostServices }));
      const caps = await backend.probe(new AbortController().signal);
      expect(caps.features).toEqual(["prefix-cache", "kv.context-shift"]);
      expect(backend.describe()).toMatchObject({ server: "llama-server" });
      await backend.generate({
        prompt: { kind: "chat", messages: [{ role: "user", content: "hi" }] },
        maxNewTokens: 4,
        temperature: 0,
        engine: [{ accelerator: "kv-pruning", method: "streamingllm", params: { sinkTokens: 4, windowTokens: 1020, compact: false } }],
        signal: new AbortController().signal,
      });
      expect(llama.requests.at(-1)?.body).toMatchObject({ n_keep: 4 });
      // A plain OpenAI-compatible server proves no such control; it caches prompt prefixes (as OpenAI, vLLM and SGLang do).
      expect((await make().probe(new AbortController().signal)).features).toEqual(["prefix-cache"]);
    } finally {
      await llama.close();
    }
  });

  it("balances several endpoints by outstanding requests", async () => {
    const second = await startOpenAIServer({ models: ["test-model"], latency: { ttftMs: 50 } });
    try {
      server.setLatency({ ttftMs: 50 });
      const backend = make({ baseURL: [server.baseURL, second.baseURL], stream: false });
      const before = [server.stats.completions, second.stats.completions];
      await Promise.all(
        Array.from({ length: 8 }, () =>
          backend.generate({ prompt: { kind: "chat", messages: [{ role: "user", content: "x" }] }, maxNewTokens: 2, temperature: 0, signal: new AbortController().signal }),
        ),
      );
      expect(server.stats.completions - before[0]!).toBe(4);
      expect(second.stats.completions - before[1]!).toBe(4);
    } finally {
      server.setLatency(undefined);
      await second.close();
    }
  });
});

runDirectiveConformance(plugin, ["kv-pruning:streamingllm"]);

describe("the server's prefix-cache figure", () => {
  it("records usage.prompt_tokens_details.cached_tokens as vLLM reports it, streaming and not", async () => {
    const sim = new ServingSimulator({ clock: { settleMs: 1 } });
    const simulated = await startOpenAIServer({ models: [{ id: "test-model", maxModelLen: 32768 }], simulator: sim });
    try {
      const doc = "A long shared document about the sky and its colours. ".repeat(100);
      for (const stream of [false, true]) {
        const backend = createOpenAIBackend(createTestBackendOptions({ options: { baseURL: simulated.baseURL, stream }, host: hostServices }));
        const ask = (q: string) => backend.generate({ prompt: { kind: "chat", messages: [{ role: "user", content: `${doc}\n${q}` }] }, maxNewTokens: 8, temperature: 0, signal: new AbortController().signal });
        const first = await ask(`first question, stream ${stream}`);
        const second = await ask(`second question, stream ${stream}`);
        if (!stream) expect(first.usage.cachedPromptTokens).toBe(0);
        expect(second.usage.cachedPromptTokens).toBeGreaterThan(second.usage.promptTokens! * 0.9);
      }
    } finally {
      sim.dispose();
      await simulated.close();
    }
  });

  it("reads llama-server's timings.cache_n, and leaves the figure out where the server gives none", () => {
    expect(cachedPromptTokensOf({ usage: { prompt_tokens: 10, completion_tokens: 1 }, timings: { cache_n: 7, prompt_n: 3 } })).toBe(7);
    expect(cachedPromptTokensOf({ usage: { prompt_tokens: 10, completion_tokens: 1, prompt_tokens_details: { cached_tokens: 4 } } })).toBe(4);
    expect(cachedPromptTokensOf({ usage: { prompt_tokens: 10, completion_tokens: 1, prompt_tokens_details: null } })).toBeUndefined();
    expect(cachedPromptTokensOf({ usage: { prompt_tokens: 10, completion_tokens: 1, prompt_tokens_details: { cached_tokens: null } } })).toBeUndefined();
  });

  it("leaves cachedPromptTokens out when the server does not report it", async () => {
    const result = await make({ stream: false }).generate({ prompt: { kind: "chat", messages: [{ role: "user", content: "sky?" }] }, maxNewTokens: 8, temperature: 0, signal: new AbortController().signal });
    expect("cachedPromptTokens" in result.usage).toBe(false);
  });
});
