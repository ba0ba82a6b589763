import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countChatTokens, countTokens, startOpenAIServer, type FakeOpenAIServer } from "../src/index.js";
import { postJson, sseEvents } from "./helpers.js";

let server: FakeOpenAIServer;
beforeAll(async () => {
  server = await startOpenAIServer({ models: ["test-model", { id: "small", maxModelLen: 64 }] });
});
afterAll(async () => {
  await server.close();
});

const chatUrl = (): string => `${server.baseURL}/chat/completions`;

describe("OpenAI/vLLM fake: discovery routes", () => {
  it("listens on loopback with an ephemeral port", () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.port).toBeGreaterThan(0);
    expect(server.baseURL).toBe(`${server.url}/v1`);
  });

  it("GET /v1/models answers in vLLM's shape with max_model_len", async () => {
    const res = await fetch(`${server.baseURL}/models`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    const body = (await res.json()) as { object: string; data: { id: string; object: string; owned_by: string; root: string; max_model_len: number }[] };
    expect(body.object).toBe("list");
    expect(body.data.map((m) => [m.id, m.object, m.owned_by, m.root, m.max_model_len])).toEqual([
      ["test-model", "model", "vllm", "test-model", 32768],
      ["small", "model", "vllm", "small", 64],
    ]);
  });

  it("GET /health is 200 with an empty body and /version reports the version", async () => {
    const health = await fetch(`${server.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.text()).toBe("");
    const version = await fetch(`${server.url}/version`);
    expect(await version.json()).toEqual({ version: "0.11.0" });
  });

  it("answers unknown paths 404 and wrong methods 405 as FastAPI does", async () => {
    const missing = await fetch(`${server.url}/v1/nothing`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ detail: "Not Found" });
    const wrong = await fetch(chatUrl());
    expect(wrong.status).toBe(405);
    expect(await wrong.json()).toEqual({ detail: "Method Not Allowed" });
  });
});

describe("OpenAI/vLLM fake: chat completions", () => {
  it("answers non-streaming chat with usage the shared tokenizer predicts", async () => {
    const messages = [
      { role: "system" as const, content: "You are terse." },
      { role: "user" as const, content: "Tell me the capital of France" },
    ];
    const res = await postJson(chatUrl(), { model: "test-model", messages, max_tokens: 100 });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      id: string;
      object: string;
      model: string;
      created: number;
      choices: { index: number; message: { role: string; content: string }; finish_reason: string; logprobs: null; stop_reason: null }[];
      usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
    };
    expect(body.object).toBe("chat.completion");
    expect(body.id).toMatch(/^chatcmpl-/);
    expect(body.model).toBe("test-model");
    expect(Number.isInteger(body.created)).toBe(true);
    const choice = body.choices[0];
    expect(choice?.message.role).toBe("assistant");
    // default responder: the last 16 words of the last user message
    expect(choice?.message.content).toBe("Tell me the capital of France");
    expect(choice?.finish_reason).toBe("stop");
    expect(choice?.logprobs).toBeNull();
    expect(body.usage).toEqual({
      prompt_tokens: countChatTokens(messages),
      completion_tokens: countTokens("Tell me the capital of France"),
      total_tokens: countChatTokens(messages) + countTokens("Tell me the capital of France"),
      prompt_tokens_details: null,
    });
  });

  it("works with the official openai client, streaming and not", async () => {
    const client = new OpenAI({ apiKey: "unused", baseURL: server.baseURL, maxRetries: 0 });
    server.setScript({ France: "Paris is the capital." });
    try {
      const plain = await client.chat.completions.create({ model: "test-model", messages: [{ role: "user", content: "Capital of France?" }] });
      expect(plain.choices[0]?.message.content).toBe("Paris is the capital.");
      expect(plain.usage?.completion_tokens).toBe(countTokens("Paris is the capital."));

      const stream = await client.chat.completions.create({
        model: "test-model",
        messages: [{ role: "user", content: "Capital of France?" }],
        stream: true,
        stream_options: { include_usage: true },
      });
      let text = "";
      let finish: string | null = null;
      let usage: OpenAI.CompletionUsage | undefined | null;
      let emptyChoiceChunks = 0;
      for await (const chunk of stream) {
        if (chunk.choices.length === 0) emptyChoiceChunks++;
        for (const c of chunk.choices) {
          text += c.delta.content ?? "";
          if (c.finish_reason !== null) finish = c.finish_reason;
        }
        if (chunk.usage) usage = chunk.usage;
      }
      expect(text).toBe("Paris is the capital.");
      expect(finish).toBe("stop");
      expect(emptyChoiceChunks).toBe(1);
      const promptTokens = countChatTokens([{ role: "user", content: "Capital of France?" }]);
      expect(usage).toMatchObject({ prompt_tokens: promptTokens, completion_tokens: 21, total_tokens: promptTokens + 21 });
    } finally {
      server.setScript(undefined);
    }
  });

  it("frames SSE exactly: role chunk, per-character deltas, finish on the last, usage chunk, [DONE]", async () => {
    server.setScript("Hé!");
    try {
      const res = await postJson(chatUrl(), {
        messages: [{ role: "user", content: "x" }],
        stream: true,
        stream_options: { include_usage: true },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
      const events = sseEvents(await res.text());
      expect(events.at(-1)).toBe("[DONE]");
      const chunks = events.slice(0, -1).map((e) => JSON.parse(e) as { id: string; object: string; choices: { index: number; delta: { role?: string; content?: string }; finish_reason: string | null }[]; usage?: { completion_tokens: number } });
      expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
      expect(chunks.every((c) => c.object === "chat.completion.chunk")).toBe(true);
      expect(chunks[0]?.choices[0]?.delta).toEqual({ role: "assistant", content: "" });
      expect(chunks.slice(1, 4).map((c) => c.choices[0]?.delta.content)).toEqual(["H", "é", "!"]);
      expect(chunks.slice(1, 4).map((c) => c.choices[0]?.finish_reason)).toEqual([null, null, "stop"]);
      const usageChunk = chunks[4];
      expect(usageChunk?.choices).toEqual([]);
      expect(usageChunk?.usage?.completion_tokens).toBe(4);
      expect(chunks).toHaveLength(5);
    } finally {
      server.setScript(undefined);
    }
  });

  it("omits the usage chunk unless stream_options.include_usage is set", async () => {
    const res = await postJson(chatUrl(), { messages: [{ role: "user", content: "a b" }], stream: true });
    const events = sseEvents(await res.text());
    expect(events.at(-1)).toBe("[DONE]");
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e) as { choices: unknown[]; usage?: unknown });
    expect(chunks.every((c) => c.choices.length === 1 && c.usage === undefined)).toBe(true);
  });

  it("cuts at max_tokens with finish_reason length, and at stop strings with stop_reason", async () => {
    server.setScript("alpha beta gamma");
    try {
      const cut = (await (await postJson(chatUrl(), { messages: [{ role: "user", content: "q" }], max_tokens: 5 })).json()) as {
        choices: { message: { content: string }; finish_reason: string }[];
        usage: { completion_tokens: number };
      };
      expect(cut.choices[0]?.message.content).toBe("alpha");
      expect(cut.choices[0]?.finish_reason).toBe("length");
      expect(cut.usage.completion_tokens).toBe(5);
      const stopped = (await (await postJson(chatUrl(), { messages: [{ role: "user", content: "q" }], stop: [" gamma", "beta"] })).json()) as {
        choices: { message: { content: string }; finish_reason: string; stop_reason: string }[];
      };
      expect(stopped.choices[0]?.message.content).toBe("alpha ");
      expect(stopped.choices[0]?.finish_reason).toBe("stop");
      expect(stopped.choices[0]?.stop_reason).toBe("beta");
    } finally {
      server.setScript(undefined);
    }
  });

  it("serves scripted answers whole when cutAtMaxTokens is false (a judge stand-in), still honouring stop strings", async () => {
    const whole = await startOpenAIServer({ models: ["judge"], cutAtMaxTokens: false, script: "Rating: [[Fully supported]] Analysis: fine" });
    try {
      const body = (await (await postJson(`${whole.baseURL}/chat/completions`, { messages: [{ role: "user", content: "q" }], max_tokens: 10, stop: "Analysis:" })).json()) as {
        choices: { message: { content: string }; finish_reason: string }[];
      };
      expect(body.choices[0]?.message.content).toBe("Rating: [[Fully supported]] ");
      expect(body.choices[0]?.finish_reason).toBe("stop");
    } finally {
      await whole.close();
    }
  });

  it("passes responders the templated prompt, last user message, limits and headers", async () => {
    const seen: { prompt: string; last: string; max: number | undefined; stop: readonly string[]; header: unknown; api: string }[] = [];
    server.setScript((req) => {
      seen.push({ prompt: req.prompt, last: req.lastUserMessage, max: req.maxTokens, stop: req.stop, header: req.headers["x-test"], api: req.api });
      return `#${req.index}`;
    });
    try {
      const res = await postJson(chatUrl(), { messages: [{ role: "user", content: "first" }], max_tokens: 9, stop: "END" }, { "x-test": "yes" });
      const body = (await res.json()) as { choices: { message: { content: string } }[] };
      expect(body.choices[0]?.message.content).toMatch(/^#\d+$/);
      expect(seen[0]).toEqual({
        prompt: "<|im_start|>user\nfirst<|im_end|>\n<|im_start|>assistant\n",
        last: "first",
        max: 9,
        stop: ["END"],
        header: "yes",
        api: "openai.chat",
      });
    } finally {
      server.setScript(undefined);
    }
  });

  it("matches a Map script in insertion order and falls back to the default answer", async () => {
    server.setScript(
      new Map([
        ["needle", "found it"],
        ["need", "too early"],
      ]),
    );
    try {
      const a = (await (await postJson(chatUrl(), { messages: [{ role: "user", content: "a needle here" }] })).json()) as { choices: { message: { content: string } }[] };
      expect(a.choices[0]?.message.content).toBe("found it");
      const b = (await (await postJson(chatUrl(), { messages: [{ role: "user", content: "nothing" }] })).json()) as { choices: { message: { content: string } }[] };
      expect(b.choices[0]?.message.content).toBe("nothing");
    } finally {
      server.setScript(undefined);
    }
  });

  it("returns n identical choices", async () => {
    const body = (await (await postJson(chatUrl(), { messages: [{ role: "user", content: "hi" }], n: 3 })).json()) as {
      choices: { index: number; message: { content: string } }[];
      usage: { completion_tokens: number };
    };
    expect(body.choices.map((c) => c.index)).toEqual([0, 1, 2]);
    expect(body.usage.completion_tokens).toBe(6);
  });
});

describe("OpenAI/vLLM fake: completions", () => {
  it("answers raw prompts (default max_tokens 16) echoing the last ChatML user turn", async () => {
    const prompt = "<|im_start|>user\nname three colours<|im_end|>\n<|im_start|>assistant\n";
    const res = await postJson(`${server.baseURL}/completions`, { model: "test-model", prompt });
    const body = (await res.json()) as { object: string; id: string; choices: { text: string; index: number; finish_reason: string }[]; usage: { prompt_tokens: number } };
    expect(body.object).toBe("text_completion");
    expect(body.id).toMatch(/^cmpl-/);
    expect(body.choices[0]?.text).toBe("name three colou"); // 16 tokens: the completions default max_tokens
    expect(body.choices[0]?.finish_reason).toBe("length");
    expect(body.usage.prompt_tokens).toBe(countTokens(prompt));
  });

  it("streams text chunks and a usage chunk", async () => {
    server.setScript("abc");
    try {
      const client = new OpenAI({ apiKey: "x", baseURL: server.baseURL, maxRetries: 0 });
      const stream = await client.completions.create({ model: "test-model", prompt: "p", stream: true, max_tokens: 10, stream_options: { include_usage: true } });
      const texts: string[] = [];
      let finish: string | null = null;
      let usage: OpenAI.CompletionUsage | undefined;
      for await (const chunk of stream) {
        for (const c of chunk.choices) {
          texts.push(c.text);
          if (c.finish_reason) finish = c.finish_reason;
        }
        if (chunk.usage) usage = chunk.usage;
      }
      expect(texts).toEqual(["a", "b", "c"]);
      expect(finish).toBe("stop");
      expect(usage).toMatchObject({ prompt_tokens: 1, completion_tokens: 3, total_tokens: 4 });
    } finally {
      server.setScript(undefined);
    }
  });

  it("accepts several prompts and token-id prompts", async () => {
    server.setScript((r) => r.prompt.toUpperCase());
    try {
      const many = (await (await postJson(`${server.baseURL}/completions`, { prompt: ["ab", "cd"] })).json()) as { choices: { index: number; text: string }[]; usage: { prompt_tokens: number } };
      expect(many.choices).toMatchObject([
        { index: 0, text: "AB" },
        { index: 1, text: "CD" },
      ]);
      expect(many.usage.prompt_tokens).toBe(4);
      const ids = (await (await postJson(`${server.baseURL}/completions`, { prompt: [104, 105] })).json()) as { choices: { text: string }[] };
      expect(ids.choices[0]?.text).toBe("HI");
    } finally {
      server.setScript(undefined);
    }
  });
});

describe("OpenAI/vLLM fake: validation errors", () => {
  type ErrorBody = { error: { message: string; type: string; param: string | null; code: number | string } };

  it("answers malformed JSON with an OpenAI-shaped 400", async () => {
    const res = await fetch(chatUrl(), { method: "POST", headers: { "content-type": "application/json" }, body: "{nope" });
    expect(res.status).toBe(400);
    const body = (await res.json()) as ErrorBody;
    expect(body.error.type).toBe("BadRequestError");
    expect(body.error.code).toBe(400);
    expect(body.error.message).toMatch(/JSON decode error/);
    expect(Object.keys(body.error).sort()).toEqual(["code", "message", "param", "type"]);
  });

  it("names the bad field in param", async () => {
    const missing = await postJson(chatUrl(), { model: "test-model" });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as ErrorBody).error.param).toBe("messages");
    const role = await postJson(chatUrl(), { messages: [{ role: "wizard", content: "x" }] });
    expect(((await role.json()) as ErrorBody).error.param).toBe("messages.0.role");
    const zero = await postJson(chatUrl(), { messages: [{ role: "user", content: "x" }], max_tokens: 0 });
    expect(zero.status).toBe(400);
    expect(((await zero.json()) as ErrorBody).error.message).toMatch(/max_tokens must be at least 1/);
    const empty = await postJson(chatUrl(), { messages: [] });
    expect(empty.status).toBe(400);
  });

  it("answers 404 for an unknown model", async () => {
    const res = await postJson(chatUrl(), { model: "gpt-nope", messages: [{ role: "user", content: "x" }] });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { message: "The model `gpt-nope` does not exist.", type: "NotFoundError", param: "model", code: 404 } });
  });

  it("enforces max_model_len like vLLM", async () => {
    const long = "x".repeat(100);
    const tooLong = await postJson(chatUrl(), { model: "small", messages: [{ role: "user", content: long }] });
    expect(tooLong.status).toBe(400);
    expect(((await tooLong.json()) as ErrorBody).error.message).toContain("maximum context length is 64 tokens");
    const prompt = countChatTokens([{ role: "user", content: "hi" }]);
    const tooMany = await postJson(chatUrl(), { model: "small", messages: [{ role: "user", content: "hi" }], max_tokens: 64 - prompt + 1 });
    expect(tooMany.status).toBe(400);
    expect(((await tooMany.json()) as ErrorBody).error.message).toContain("'max_tokens' or 'max_completion_tokens' is too large");
    const fits = await postJson(chatUrl(), { model: "small", messages: [{ role: "user", content: "hi" }], max_tokens: 64 - prompt });
    expect(fits.status).toBe(200);
  });
});

describe("OpenAI/vLLM fake: tokenize and detokenize", () => {
  it("tokenizes prompts and messages in vLLM's shape", async () => {
    const res = await postJson(`${server.url}/tokenize`, { model: "test-model", prompt: "héllo" });
    expect(await res.json()).toEqual({ count: 6, max_model_len: 32768, tokens: [104, 195, 169, 108, 108, 111], token_strs: null });
    const messages = [{ role: "user", content: "hi" }];
    const chat = (await (await postJson(`${server.url}/tokenize`, { model: "small", messages })).json()) as { count: number; max_model_len: number };
    expect(chat).toMatchObject({ count: countChatTokens(messages), max_model_len: 64 });
    const strs = (await (await postJson(`${server.url}/tokenize`, { prompt: "a\n", return_token_strs: true })).json()) as { token_strs: string[] };
    expect(strs.token_strs).toEqual(["a", "<0x0A>"]);
  });

  it("detokenizes and rejects ids outside the vocabulary", async () => {
    expect(await (await postJson(`${server.url}/detokenize`, { tokens: [104, 105] })).json()).toEqual({ prompt: "hi" });
    const bad = await postJson(`${server.url}/detokenize`, { tokens: [99999] });
    expect(bad.status).toBe(400);
  });

  it("answers 404 for an unknown model on /tokenize", async () => {
    const res = await postJson(`${server.url}/tokenize`, { model: "nope", prompt: "x" });
    expect(res.status).toBe(404);
  });
});

describe("OpenAI/vLLM fake: auth, request log, latency, aborts", () => {
  it("requires the API key on /v1 routes only, and logs the headers sent", async () => {
    const secured = await startOpenAIServer({ apiKey: "sk-test-123" });
    try {
      const none = await postJson(`${secured.baseURL}/chat/completions`, { messages: [{ role: "user", content: "x" }] });
      expect(none.status).toBe(401);
      expect(((await none.json()) as { error: { code: string } }).error.code).toBe("invalid_api_key");
      const wrong = await fetch(`${secured.baseURL}/models`, { headers: { authorization: "Bearer sk-wrong" } });
      expect(wrong.status).toBe(401);
      const right = await fetch(`${secured.baseURL}/models`, { headers: { authorization: "Bearer sk-test-123" } });
      expect(right.status).toBe(200);
      expect((await fetch(`${secured.url}/health`)).status).toBe(200);
      const client = new OpenAI({ apiKey: "sk-test-123", baseURL: secured.baseURL, maxRetries: 0 });
      await client.chat.completions.create({ model: "test-model", messages: [{ role: "user", content: "x" }] });
      const last = secured.requests.at(-1);
      expect(last?.path).toBe("/v1/chat/completions");
      expect(last?.headers.authorization).toBe("Bearer sk-test-123");
      expect(last?.status).toBe(200);
      expect(last?.body).toMatchObject({ model: "test-model" });
      expect(secured.stats.statuses["401"]).toBe(2);
      secured.setApiKey(undefined);
      expect((await fetch(`${secured.baseURL}/models`)).status).toBe(200);
    } finally {
      await secured.close();
    }
  });

  it("keeps at most logLimit requests, newest last", async () => {
    const s = await startOpenAIServer({ logLimit: 3 });
    try {
      for (let i = 0; i < 5; i++) await fetch(`${s.url}/version?i=${i}`);
      expect(s.requests.map((r) => r.index)).toEqual([2, 3, 4]);
      expect(s.stats.requests).toBe(5);
      expect(s.stats.byRoute["GET /version"]).toBe(5);
    } finally {
      await s.close();
    }
  });

  it("applies time-to-first-token and per-token latency", async () => {
    const s = await startOpenAIServer({ script: "abcde", latency: { ttftMs: 120, perTokenMs: 20 } });
    try {
      let t = performance.now();
      await (await postJson(`${s.baseURL}/chat/completions`, { messages: [{ role: "user", content: "x" }] })).json();
      expect(performance.now() - t).toBeGreaterThanOrEqual(215);
      t = performance.now();
      const res = await postJson(`${s.baseURL}/chat/completions`, { messages: [{ role: "user", content: "x" }], stream: true });
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      await reader.read();
      const first = performance.now() - t;
      while (!(await reader.read()).done) {
        /* drain */
      }
      const total = performance.now() - t;
      expect(first).toBeGreaterThanOrEqual(115);
      expect(total).toBeGreaterThanOrEqual(215);
    } finally {
      await s.close();
    }
  });

  it("stops streaming when the client aborts, leaving nothing in flight", async () => {
    const s = await startOpenAIServer({ script: "x".repeat(200), latency: { perTokenMs: 10 } });
    try {
      const controller = new AbortController();
      const pending = fetch(`${s.baseURL}/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ messages: [{ role: "user", content: "x" }], stream: true }),
        signal: controller.signal,
      });
      const r = await pending;
      const reader = (r.body as ReadableStream<Uint8Array>).getReader();
      await reader.read();
      controller.abort();
      await expect(reader.read()).rejects.toThrow();
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(s.stats.inFlight).toBe(0);
    } finally {
      await s.close();
    }
  });
});
