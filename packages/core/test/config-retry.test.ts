import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BackendRequestError } from "@loomscope/spec";
import { loadConfig, parseConfig } from "../src/config.js";
import { AdaptiveLimiter, Queue } from "../src/run/limiter.js";
import { classifyError, withRetry } from "../src/retry.js";
import { parseAcceleratorSpec, parseModelSpec, parseShard } from "../src/run/specs.js";

describe("config", () => {
  it("loads loom.config.ts through tsx with defineConfig typing", async () => {
    const dir = mkdtempSync(join(tmpdir(), "loom-cfg-"));
    writeFileSync(join(dir, "loom.config.ts"), `const n: number = 8;\nexport default { model: "ollama:qwen3:8b", concurrency: n, benchmarks: { lveval: { x: 1 } } };\n`);
    const { config, file } = await loadConfig(dir);
    expect(file).toBe(join(dir, "loom.config.ts"));
    expect(config).toEqual({ model: "ollama:qwen3:8b", concurrency: 8, benchmarks: { lveval: { x: 1 } } });
  });
  it("rejects unknown keys and anything that looks like a secret", () => {
    expect(() => parseConfig({ modle: "x" }, "cfg")).toThrow(/Unrecognized key/);
    expect(() => parseConfig({ backends: { openai: { apiKey: "sk-123" } } }, "cfg")).toThrow(/backends\.openai\.apiKey look like secrets/);
  });
});

describe("specs", () => {
  it("parses model, accelerator and shard specs", () => {
    expect(parseModelSpec("ollama:qwen3:8b")).toEqual({ backend: "ollama", model: "qwen3:8b" });
    expect(() => parseModelSpec("qwen3")).toThrow(/<backend>:<model>/);
    expect(parseAcceleratorSpec("rag-lancedb:bm25,k=15,order=score")).toEqual({ id: "rag-lancedb", method: "bm25", params: { k: 15, order: "score" } });
    expect(parseAcceleratorSpec("kv-pruning")).toEqual({ id: "kv-pruning", method: undefined, params: {} });
    expect(parseShard("1/4")).toEqual({ index: 1, count: 4 });
    expect(() => parseShard("4/4")).toThrow();
  });
});

describe("withRetry", () => {
  it("retries retryable errors, honouring Retry-After, and gives up on others", async () => {
    const delays: number[] = [];
    let calls = 0;
    const { value, attempts } = await withRetry(
      async () => {
        calls++;
        if (calls === 1) throw new BackendRequestError("rate limited", { status: 429, retryable: true, retryAfterMs: 7 });
        if (calls === 2) throw new BackendRequestError("down", { status: 503, retryable: true });
        return "ok";
      },
      { policy: { attempts: 5, baseDelayMs: 2, maxDelayMs: 10 }, onRetry: (info) => delays.push(info.delayMs), random: () => 1 },
    );
    expect([value, attempts]).toEqual(["ok", 3]);
    expect(delays).toEqual([7, 4]);
    await expect(withRetry(async () => Promise.reject(new BackendRequestError("bad", { status: 400, retryable: false })))).rejects.toMatchObject({
      attempts: 1,
    });
  });
});

describe("classifyError", () => {
  it("retries resets and refusals but not a host that does not resolve", () => {
    const wrap = (code: string) => Object.assign(new TypeError("fetch failed"), { cause: Object.assign(new Error(code), { code }) });
    expect(classifyError(wrap("ECONNRESET")).retryable).toBe(true);
    expect(classifyError(wrap("ECONNREFUSED")).retryable).toBe(true);
    expect(classifyError(wrap("ENOTFOUND")).retryable).toBe(false);
  });
});

describe("AdaptiveLimiter", () => {
  it("halves on back-off and grows back on success", async () => {
    const changes: number[] = [];
    const limiter = new AdaptiveLimiter(8, (limit) => changes.push(limit));
    limiter.backoff("429");
    limiter.backoff("429");
    expect(limiter.limit).toBe(2);
    for (let i = 0; i < 2; i++) limiter.success();
    expect(limiter.limit).toBe(3);
    expect(changes).toEqual([4, 2, 3]);
    await limiter.acquire();
    await limiter.acquire();
    await limiter.acquire();
    let fourth = false;
    const pending = limiter.acquire().then(() => (fourth = true));
    await new Promise((r) => setTimeout(r, 5));
    expect(fourth).toBe(false);
    limiter.release();
    await pending;
    expect(limiter.inFlight).toBe(3);
  });

  it("counts one burst of pushback once, and pauses nothing while it can still lower the limit", async () => {
    const limiter = new AdaptiveLimiter(16);
    // Eight requests start together; all are refused.
    const epochs = Array.from({ length: 8 }, () => limiter.epoch);
    for (const epoch of epochs) limiter.backoff("HTTP 429", 1000, epoch);
    expect(limiter.limit).toBe(8); // one decrease, not 16 → 1
    // A Retry-After is the refused request's own wait: new requests still start.
    expect(limiter.paused).toBe(false);
    await limiter.acquire();
    expect(limiter.inFlight).toBe(1);
    // Pushback from a request that started after the decrease counts again.
    limiter.backoff("HTTP 429", 1000, limiter.epoch);
    expect(limiter.limit).toBe(4);
  });

  it("at one request at a time, a Retry-After holds every new request until it is over", async () => {
    const limiter = new AdaptiveLimiter(2);
    limiter.backoff("HTTP 429");
    expect(limiter.limit).toBe(1);
    limiter.backoff("HTTP 429", 40, limiter.epoch);
    expect(limiter.paused).toBe(true);
    let started = false;
    const pending = limiter.acquire().then(() => (started = true));
    await new Promise((r) => setTimeout(r, 5));
    expect(started).toBe(false);
    await pending; // the pause timer wakes it
    expect(limiter.paused).toBe(false);
    limiter.dispose();
  });

  it("wakes a hundred thousand waiters in order (the queue is O(1) per operation)", async () => {
    const queue = new Queue<number>();
    for (let i = 0; i < 100_000; i++) queue.push(i);
    const out: number[] = [];
    for (let i = 0; i < 50_000; i++) out.push(queue.shift()!);
    for (let i = 100_000; i < 150_000; i++) queue.push(i);
    expect(queue.length).toBe(100_000);
    while (queue.length > 0) out.push(queue.shift()!);
    expect(out.length).toBe(150_000);
    expect(out.every((v, i) => v === i)).toBe(true);
    expect(queue.shift()).toBeUndefined();

    const limiter = new AdaptiveLimiter(1);
    await limiter.acquire();
    const order: number[] = [];
    const waiting = Array.from({ length: 100_000 }, (_, i) => limiter.acquire().then(() => {
      order.push(i);
      limiter.release();
    }));
    limiter.release();
    await Promise.all(waiting);
    expect(order.length).toBe(100_000);
    expect(order.every((v, i) => v === i)).toBe(true);
  });
});
