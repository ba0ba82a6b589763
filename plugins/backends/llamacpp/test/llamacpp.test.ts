import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hostServices, middleTruncate } from "@loomscope/core";
import { AcceleratorUnsupportedError, type EngineDirective, type GenerateRequest } from "@loomscope/spec";
import { countTokens, createTestBackendOptions, renderChatML, runBackendConformance, writeTinyGguf, type TinyGgufInfo, runDirectiveConformance } from "@loomscope/testkit";
import type { Token } from "node-llama-cpp";
import { streamingllmKeep as engineKeep, streamingllmEraseRange as engineEraseRange } from "@loomscope/engine";
import plugin, { createLlamaCppBackend, streamingllmEraseRange, streamingllmKeep, type LlamaCppBackend } from "../src/index.js";

const dir = mkdtempSync(join(tmpdir(), "loomscope-llamacpp-test-"));
let tiny: TinyGgufInfo;
const backends: LlamaCppBackend[] = [];

beforeAll(async () => {
  tiny = await writeTinyGguf(join(dir, "tiny.gguf"), { contextLength: 2048 });
});
afterAll(async () => {
  for (const b of backends) await b.stop();
});

/** A backend on the tiny GGUF: CPU, 2 threads, as the tests run on 2 shared cores. */
function make(options: Record<string, unknown> = {}, model = tiny.path): LlamaCppBackend {
  const backend = createLlamaCppBackend(
    createTestBackendOptions({ model, options: { gpu: false, threads: 2, ...options }, host: hostServices, cacheDir: join(dir, "cache") }),
  );
  backends.push(backend);
  return backend;
}

const ask = (text: string, maxNewTokens = 8, engine?: EngineDirective[]): GenerateRequest => ({
  prompt: { kind: "raw", text },
  maxNewTokens,
  temperature: 0,
  signal: new AbortController().signal,
  ...(engine ? { engine } : {}),
});

/** ASCII text of exactly `n` tokens for the byte-level vocabulary (one token per byte). */
const asciiText = (n: number, seed = 0): string => {
  const words = ["alpha", "beta", "gamma", "delta", "needle", "river", "stone", "cloud"];
  let out = "";
  for (let i = 0; out.length < n; i++) out += `${words[(i * 7 + seed) % words.length]} `;
  return out.slice(0, n);
};

const streaming = (sinkTokens: number, windowTokens: number, compact = false): EngineDirective[] => [
  { accelerator: "kv-pruning", method: "streamingllm", params: { sinkTokens, windowTokens, compact } },
];

runBackendConformance(() => make(), {
  plugin,
  packageDir: new URL("..", import.meta.url),
  // A prompt long enough that prefill is still running when the abort comes.
  abort: { maxNewTokens: 512, afterMs: 20 },
  prompt: { kind: "raw", text: asciiText(1500) },
  maxNewTokens: 8,
});

describe("llamacpp tokenizer: the model's own, with Hugging Face special-token semantics", () => {
  it("encodes bytes as the GGUF's vocabulary says, ChatML markers as single special tokens", async () => {
    const tokenizer = await make().tokenizer();
    expect(tokenizer.id).toMatch(/^llamacpp:vocab:sha256:[0-9a-f]{16}$/);
    const text = "<|im_start|>user\nhé<|im_end|>";
    const ids = await tokenizer.encode(text);
    expect(ids).toEqual([258, ...Buffer.from("user\nhé", "utf8"), 259]);
    expect(ids.length).toBe(countTokens(text));
    expect(await tokenizer.decode(ids)).toBe(text);
    expect(await tokenizer.decode(ids, { skipSpecialTokens: true })).toBe("user\nhé");
  });

  it("adds BOS only when the GGUF asks for it (tokenizer.ggml.add_bos_token)", async () => {
    const withBos = await writeTinyGguf(join(dir, "bos.gguf"), { addBos: true, contextLength: 2048 });
    const tokenizer = await make({}, withBos.path).tokenizer();
    expect(await tokenizer.encode("ab")).toEqual([256, 97, 98]);
    expect(await tokenizer.encode("ab", { addSpecialTokens: false })).toEqual([97, 98]);
    expect(await (await make().tokenizer()).encode("ab")).toEqual([97, 98]);
  });

  it("tokenize → middle-truncate to an exact token count → generate on that many prompt tokens", async () => {
    const backend = make();
    const tokenizer = await backend.tokenizer();
    const text = asciiText(3000, 3);
    const cut = await middleTruncate(text, 700, tokenizer);
    expect(cut.truncated).toBe(true);
    expect(cut.tokens).toBe(700);
    expect((await tokenizer.encode(cut.text)).length).toBe(700);
    expect(cut.text.startsWith(text.slice(0, 350))).toBe(true);
    expect(cut.text.endsWith(text.slice(-350))).toBe(true);
    const result = await backend.generate(ask(cut.text, 6));
    expect(result.usage.promptTokens).toBe(700);
    expect(result.usage.completionTokens).toBeLessThanOrEqual(6);
    expect(result.timings.prefillMs).toBeGreaterThan(0);
    expect(result.timings.ttftMs).toBeGreaterThanOrEqual(result.timings.prefillMs ?? 0);
    expect(result.timings.decodeMs).toBeGreaterThanOrEqual(0);
  });

  it("renders chat prompts with the GGUF's own chat template (tokenizer.chat_template)", async () => {
    const backend = make();
    const templater = await backend.chatTemplate();
    expect(templater).toBeDefined();
    const messages = [{ role: "user" as const, content: "ping" }];
    expect(templater?.apply(messages, { addGenerationPrompt: true })).toBe(renderChatML(messages));
    const result = await backend.generate({ prompt: { kind: "chat", messages }, maxNewTokens: 2, temperature: 0, signal: new AbortController().signal });
    expect(result.usage.promptTokens).toBe(countTokens(renderChatML(messages)));
    expect(backend.capabilities()).toMatchObject({ promptModes: ["raw"], exactTokenizer: true, maxInputTokens: 2048, features: ["kv.erase-range", "kv.compaction"] });
  });
});

describe("llamacpp generation", () => {
  it("stops at a stop string and leaves it out; greedy decoding repeats itself", async () => {
    const backend = make();
    const prompt = asciiText(120, 0);
    const free = await backend.generate(ask(prompt, 24));
    expect(free.usage.completionTokens).toBe(24);
    expect(free.finishReason).toBe("length");
    const again = await backend.generate(ask(prompt, 24));
    expect(again.text).toBe(free.text);
    const at = free.text.slice(1).search(/[A-Za-z0-9]/) + 1;
    expect(at, "the tiny model writes an ASCII letter after its first character").toBeGreaterThan(0);
    const stop = free.text.charAt(at);
    const cut = await backend.generate({ ...ask(prompt, 24), stop: [stop] });
    expect(cut.finishReason).toBe("stop");
    expect(cut.text).toBe(free.text.slice(0, free.text.indexOf(stop)));
    expect(cut.usage.completionTokens).toBeLessThan(24);
  });

  it("an end-of-generation token ends the answer with finishReason stop, short of the budget", async () => {
    const backend = make();
    // This prompt makes the tiny model emit </s> (id 257) after a few tokens.
    const result = await backend.generate(ask(asciiText(120, 1), 24));
    expect(result.finishReason).toBe("stop");
    expect(result.usage.completionTokens).toBeLessThan(24);
  });
});

describe("llamacpp contexts and parallel sequences", () => {
  it("sizes the context to the request, grows it when needed, never past the trained context", async () => {
    const backend = make();
    await backend.generate(ask(asciiText(300), 8));
    expect(backend.poolStats()).toMatchObject({ contextSize: 512, contextsCreated: 1 });
    await backend.generate(ask(asciiText(100), 8));
    expect(backend.poolStats()).toMatchObject({ contextSize: 512, contextsCreated: 1 });
    await backend.generate(ask(asciiText(600), 8));
    expect(backend.poolStats()).toMatchObject({ contextSize: 768, contextsCreated: 2 });
    const error = await backend.generate(ask(asciiText(2100), 8)).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "BACKEND_REQUEST", retryable: false });
    // The generation budget is cut to what the trained context leaves, not the prompt.
    const edge = await backend.generate(ask(asciiText(2040), 64));
    expect(edge.usage.promptTokens).toBe(2040);
    expect(edge.usage.completionTokens).toBeLessThanOrEqual(8);
  });

  it("the run's --max-length sizes the first context (plus generation headroom)", async () => {
    const backend = createLlamaCppBackend(
      createTestBackendOptions({ model: tiny.path, options: { gpu: false, threads: 2, generationHeadroom: 64 }, host: hostServices, maxInputTokens: 900 }),
    );
    backends.push(backend);
    await backend.generate(ask("hi", 2));
    expect(backend.poolStats()?.contextSize).toBe(1024);
  });

  it("runs parallel requests as sequences of one context, N requests on N sequences", async () => {
    const backend = make({ sequences: 2 });
    const results = await Promise.all([0, 1, 2].map((i) => backend.generate(ask(asciiText(200, i), 6))));
    const stats = backend.poolStats();
    expect(stats).toMatchObject({ sequences: 2, contextsCreated: 1, peakBusy: 2, busy: 0 });
    expect(new Set(results.map((r) => r.engineStats?.sequence))).toEqual(new Set([0, 1]));
    for (const r of results) {
      expect(r.usage.promptTokens).toBe(200);
      expect(r.timings.prefillMs).toBeGreaterThan(0);
    }
  });

  it("an aborted request gives its sequence back", async () => {
    const backend = make({ sequences: 1 });
    const controller = new AbortController();
    const pending = backend.generate({ ...ask(asciiText(1200), 256), signal: controller.signal });
    setTimeout(() => controller.abort(new Error("stop")), 30);
    await expect(pending).rejects.toThrow("stop");
    const next = await backend.generate(ask("again", 2));
    expect(next.usage.promptTokens).toBe(5);
    expect(backend.poolStats()?.busy).toBe(0);
  });
});

describe("streamingllm on llama.cpp: erasing KV ranges after prefill", () => {
  it("keeps [0, sink) and [n − window, n): the same positions as the reference engine's rule", () => {
    expect(streamingllmKeep(10, 2, 3)).toEqual([0, 1, 7, 8, 9]);
    expect(streamingllmKeep(5, 2, 3)).toEqual([0, 1, 2, 3, 4]);
    expect(streamingllmKeep(4, 4, 256)).toEqual([0, 1, 2, 3]);
    expect(streamingllmKeep(8192, 4, 256).length).toBe(260);
    expect(streamingllmEraseRange(10, 2, 3)).toEqual({ start: 2, end: 7 });
    expect(streamingllmEraseRange(5, 2, 3)).toBeUndefined();
    expect(streamingllmKeep(10, 0, 3)).toEqual([7, 8, 9]);
    expect(() => streamingllmKeep(10, -1, 3)).toThrow(RangeError);
    // The reference engine's rule (the kv-pruning accelerator's) gives the same positions everywhere.
    for (const length of [0, 1, 5, 10, 100, 263, 8192]) {
      for (const [sink, window] of [[0, 0], [4, 0], [0, 8], [4, 256], [2, 3], [4, 1020], [300, 10]] as const) {
        expect(streamingllmKeep(length, sink, window), `${length} ${sink} ${window}`).toEqual(engineKeep(length, sink, window));
        expect(streamingllmEraseRange(length, sink, window)).toEqual(engineEraseRange(length, sink, window));
      }
    }
  });

  it("erasing a token range really shrinks the sequence's KV state (llama.cpp's own state size)", async () => {
    const model = await make().llamaModel();
    const context = await model.createContext({ contextSize: 1024, sequences: 1, threads: 2 });
    try {
      const sequence = context.getSequence();
      const tokens = model.tokenize(asciiText(800, 5), true);
      await sequence.evaluateWithoutGeneratingNewTokens(tokens);
      expect(sequence.nextTokenIndex).toBe(800);
      const before = await sequence.saveStateToFile(join(dir, "before.state"));
      const range = streamingllmEraseRange(800, 4, 64);
      await sequence.eraseContextTokenRanges([range!]);
      expect(sequence.nextTokenIndex).toBe(68);
      expect(sequence.contextTokens.length).toBe(68);
      expect(sequence.contextTokens).toEqual(streamingllmKeep(800, 4, 64).map((i) => tokens[i]));
      const after = await sequence.saveStateToFile(join(dir, "after.state"));
      // The state llama.cpp writes holds one K and V entry per cell kept: 68 of 800.
      expect(after.fileSize).toBeLessThan(before.fileSize * 0.15);
      // Generation continues at position 68, right after the kept window.
      const next = await sequence.evaluate([tokens.at(-1) as Token], { temperature: 0 }).next();
      expect(next.done).toBe(false);
      expect(sequence.nextTokenIndex).toBe(69);
    } finally {
      await context.dispose();
    }
  });

  it("generate() with the directive erases after prefill and reports the KV tokens before and after", async () => {
    const backend = make();
    const result = await backend.generate(ask(asciiText(400), 6, streaming(4, 64)));
    expect(result.usage.promptTokens).toBe(400);
    expect(result.engineStats).toMatchObject({ method: "streamingllm", kvTokensBefore: 400, kvTokensAfter: 68, erased: [4, 336], compacted: false });
    expect(backend.counters.erasedTokens).toBe(332);
    expect(result.timings.prefillMs).toBeGreaterThan(0);
  });

  it("compaction reloads the kept cells (state of 68 tokens) and decoding goes on", async () => {
    const backend = make();
    const result = await backend.generate(ask(asciiText(400), 6, streaming(4, 64, true)));
    expect(result.engineStats).toMatchObject({ kvTokensBefore: 400, kvTokensAfter: 68, compacted: true });
    expect(backend.counters.compactions).toBe(1);
    const plain = await backend.generate(ask(asciiText(68), 1));
    expect(plain.usage.promptTokens).toBe(68);
    expect(Number(result.engineStats?.stateBytes)).toBeGreaterThan(0);
  });

  it("a window covering the whole prompt changes nothing: the same text as without the directive", async () => {
    const backend = make();
    const prompt = asciiText(300, 1);
    const dense = await backend.generate(ask(prompt, 12));
    const kept = await backend.generate(ask(prompt, 12, streaming(4, 512, true)));
    expect(kept.engineStats).toMatchObject({ kvTokensBefore: 300, kvTokensAfter: 300, erased: null, compacted: false });
    expect(kept.text).toBe(dense.text);
    expect(kept.usage.completionTokens).toBe(dense.usage.completionTokens);
  });

  it("refuses methods it cannot really run (no keys or attention weights exposed), never ignores them", async () => {
    const backend = make();
    const error = await backend
      .generate(ask("x", 2, [{ accelerator: "kv-pruning", method: "snapkv", params: {} }]))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AcceleratorUnsupportedError);
    expect(error).toMatchObject({ code: "ACCELERATOR_UNSUPPORTED", missing: ["kv-pruning:snapkv"] });
    await expect(backend.generate(ask("x", 2, [{ accelerator: "kv-pruning", method: "streamingllm", params: { sinkTokens: 4.5 } }]))).rejects.toMatchObject({
      code: "ENGINE_DIRECTIVE",
    });
  });
});

runDirectiveConformance(plugin, ["kv-pruning:streamingllm"]);
