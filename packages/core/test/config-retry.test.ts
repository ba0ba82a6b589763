import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { BackendRequestError, type Tokenizer } from "@loomscope/spec";
import { createRedactor, findSecretKeys, redactJson } from "../src/redact.js";
import { checkPromptCount, checkTokenizer } from "../src/run/tokenizer-check.js";
import { loadConfig, parseConfig } from "../src/config.js";
import { AdaptiveLimiter, Queue } from "../src/run/limiter.js";
import { classifyError, withRetry } from "../src/retry.js";
import { autoShard, parseAcceleratorSpec, parseModelSpec, parseShard } from "../src/run/specs.js";

describe("config", () => {
  it("loads loom.config.ts through tsx with defineConfig typing", async () => {
    const dir = mkdtempSync(join(tmpdir(), "loom-cfg-"));
    writeFileSync(join(dir, "loom.config.ts"), `const n: number = 8;\nexport default { model: "ollama:qwen3:8b", concurrency: n, benchmarks: { lveval: { x: 1 } } };\n`);
    const { config, file } = await loadConfig(dir);
    expect(file).toBe(join(dir, "loom.config.ts"));
    expect(config).toEqual({ model: "ollama:qwen3:8b", concurrency: 8, benchmarks: { lveval: { x: 1 } } });
  });
  it("loads .json, .mjs and .js configs with Node alone: tsx is never imported for them", () => {
    // A child Node whose module resolution refuses tsx: any import of it would throw.
    const dir = mkdtempSync(join(tmpdir(), "loom-cfg-notsx-"));
    writeFileSync(
      join(dir, "no-tsx.mjs"),
      `import { register } from "node:module";\n` +
        `register("data:text/javascript," + encodeURIComponent('export async function resolve(s, c, next) { if (s === "tsx" || s.startsWith("tsx/") || s.includes("/node_modules/tsx/")) throw new Error("tsx imported: " + s); return next(s, c); }'));\n`,
    );
    const configs: Record<string, string> = {
      "loom.config.json": JSON.stringify({ model: "ollama:qwen3:8b", concurrency: 3 }),
      "loom.config.mjs": `export default { model: "ollama:qwen3:8b", concurrency: 3 };\n`,
      "loom.config.js": `export default { model: "ollama:qwen3:8b", concurrency: 3 };\n`,
    };
    const core = pathToFileURL(join(fileURLToPath(new URL("..", import.meta.url)), "dist/config.js")).href;
    for (const [name, text] of Object.entries(configs)) {
      const project = mkdtempSync(join(tmpdir(), "loom-cfg-"));
      writeFileSync(join(project, "package.json"), JSON.stringify({ type: "module" }));
      writeFileSync(join(project, name), text);
      const script = `const { loadConfig } = await import(${JSON.stringify(core)}); const { config } = await loadConfig(${JSON.stringify(project)}); console.log(JSON.stringify(config));`;
      const out = execFileSync(process.execPath, ["--import", pathToFileURL(join(dir, "no-tsx.mjs")).href, "--input-type=module", "-e", script], { encoding: "utf8" });
      expect(JSON.parse(out), name).toEqual({ model: "ollama:qwen3:8b", concurrency: 3 });
    }
    // The blocker works: a TypeScript config on a Node without type stripping does reach for tsx.
    if (!(process.features as { typescript?: unknown }).typescript) {
      const project = mkdtempSync(join(tmpdir(), "loom-cfg-"));
      writeFileSync(join(project, "loom.config.ts"), `export default { concurrency: 3 as number };\n`);
      const script = `const { loadConfig } = await import(${JSON.stringify(core)}); try { await loadConfig(${JSON.stringify(project)}); } catch (e) { console.log(e.message); }`;
      const out = execFileSync(process.execPath, ["--import", pathToFileURL(join(dir, "no-tsx.mjs")).href, "--input-type=module", "-e", script], { encoding: "utf8" });
      expect(out).toMatch(/tsx imported: .*\/tsx\/dist\/esm\/api\/index\.mjs/);
    }
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

  it("--shard auto reads a Kubernetes Indexed Job, a Slurm array, or LOOM_SHARD_*", () => {
    expect(autoShard({ JOB_COMPLETION_INDEX: "3", LOOM_SHARD_COUNT: "8" })).toEqual({ index: 3, count: 8, source: "a Kubernetes Indexed Job (JOB_COMPLETION_INDEX=3, LOOM_SHARD_COUNT=8)" });
    expect(parseShard("auto", { JOB_COMPLETION_INDEX: "0", LOOM_SHARD_COUNT: "2" })).toEqual({ index: 0, count: 2 });
    expect(() => autoShard({ JOB_COMPLETION_INDEX: "3" })).toThrow(/LOOM_SHARD_COUNT is not/);
    expect(() => autoShard({ JOB_COMPLETION_INDEX: "8", LOOM_SHARD_COUNT: "8" })).toThrow(/shard 8 of 8, outside 0\.\.7/);
    // Slurm: --array=0-3, --array=1-4 (MIN 1), --array=0-12:4 (STEP 4).
    expect(autoShard({ SLURM_ARRAY_TASK_ID: "2", SLURM_ARRAY_TASK_COUNT: "4", SLURM_ARRAY_TASK_MIN: "0" })).toMatchObject({ index: 2, count: 4 });
    expect(autoShard({ SLURM_ARRAY_TASK_ID: "4", SLURM_ARRAY_TASK_COUNT: "4", SLURM_ARRAY_TASK_MIN: "1", SLURM_ARRAY_TASK_MAX: "4" })).toMatchObject({ index: 3, count: 4 });
    expect(autoShard({ SLURM_ARRAY_TASK_ID: "8", SLURM_ARRAY_TASK_COUNT: "4", SLURM_ARRAY_TASK_STEP: "4" })).toMatchObject({ index: 2, count: 4 });
    expect(() => autoShard({ SLURM_ARRAY_TASK_ID: "5", SLURM_ARRAY_TASK_COUNT: "4", SLURM_ARRAY_TASK_STEP: "4" })).toThrow(/not on the array's grid/);
    expect(() => autoShard({ SLURM_ARRAY_TASK_ID: "2" })).toThrow(/SLURM_ARRAY_TASK_COUNT is not/);
    expect(autoShard({ LOOM_SHARD_INDEX: "1", LOOM_SHARD_COUNT: "3" })).toMatchObject({ index: 1, count: 3 });
    expect(() => autoShard({ JOB_COMPLETION_INDEX: "x", LOOM_SHARD_COUNT: "2" })).toThrow(/not a whole number/);
    // No scheduler: a usage error that names the variables.
    const error = (() => {
      try {
        parseShard("auto", {});
      } catch (e) {
        return e as { code: string; message: string; hint: string };
      }
    })();
    expect(error?.code).toBe("SHARD_SPEC");
    expect(error?.message).toBe("--shard auto found no shard index in the environment");
    expect(error?.hint).toMatch(/JOB_COMPLETION_INDEX.*SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT.*--shard i\/n/);
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

  it("keeps the back-off at its base while the server answers most requests, and grows it for a server in trouble", async () => {
    const run = async (healthy: boolean) => {
      const delays: number[] = [];
      await withRetry(
        async (attempt) => {
          if (attempt < 4) throw new BackendRequestError("HTTP 500", { status: 500, retryable: true });
          return "ok";
        },
        { policy: { attempts: 5, baseDelayMs: 2, maxDelayMs: 100 }, onRetry: (info) => delays.push(info.delayMs), random: () => 1, healthy: () => healthy },
      );
      return delays;
    };
    expect(await run(true)).toEqual([2, 2, 2]);
    expect(await run(false)).toEqual([2, 4, 8]);
  });

  it("stops retrying when the next wait would pass the deadline, saying so", async () => {
    let calls = 0;
    const failing = withRetry(
      async () => {
        calls++;
        throw new BackendRequestError("HTTP 500", { status: 500, retryable: true });
      },
      { policy: { attempts: 10, baseDelayMs: 50, maxDelayMs: 50 }, random: () => 1, deadline: Date.now() + 120, deadlineLabel: "the sample's time limit" },
    );
    await expect(failing).rejects.toThrow(/gave up after \d attempts: the sample's time limit is spent; last error: HTTP 500/);
    expect(calls).toBeLessThanOrEqual(3);
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
    expect(limiter.limit).toBe(8); // two answers are too few to say the server is overloaded
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

  it("lowers nothing for occasional pushback: the refused request retries, the others go on", () => {
    const limiter = new AdaptiveLimiter(16);
    for (let i = 0; i < 200; i++) {
      if (i % 5 === 0) limiter.backoff("HTTP 429", 1000, limiter.epoch); // 20 % of answers
      else limiter.success();
    }
    expect(limiter.limit).toBe(16);
    expect(limiter.paused).toBe(false);
    expect(limiter.healthy).toBe(true);
    for (let i = 0; i < 10; i++) limiter.failure(); // 500s, resets: half the answers now fail
    expect(limiter.healthy).toBe(false);
    expect(limiter.limit).toBe(16); // failures other than pushback do not lower the limit
    // A server over its capacity refuses most requests: then the limit comes down.
    for (let i = 0; i < 10; i++) limiter.backoff("HTTP 429", 1000, limiter.epoch);
    expect(limiter.limit).toBeLessThan(16);
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
    for (let i = 0; i < 3; i++) limiter.backoff("HTTP 429");
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

  it("serves a retry before first attempts that queued earlier", async () => {
    const limiter = new AdaptiveLimiter(1);
    await limiter.acquire();
    const order: string[] = [];
    const first = limiter.acquire().then(() => order.push("first attempt"));
    const retry = limiter.acquire(undefined, true).then(() => order.push("retry"));
    limiter.release();
    await retry;
    limiter.release();
    await first;
    expect(order).toEqual(["retry", "first attempt"]);
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

describe("redaction", () => {
  it("removes secret values of the environment, bearer tokens and URL userinfo", () => {
    const redact = createRedactor({ OPENAI_API_KEY: "sk-abcdef123456", MY_SERVICE_TOKEN: "tok-987654321", HOME: "/root", PORT: "8000", CUSTOM: "custom-secret-1" }, ["CUSTOM"]);
    const text = "key sk-abcdef123456 failed; Authorization: Bearer xyz.abc-12345678; http://user:p4ss@host:1/v1 tok-987654321 custom-secret-1 at /root:8000";
    expect(redact(text)).toBe("key [redacted] failed; Authorization: Bearer [redacted]; http://[redacted]@host:1/v1 [redacted] [redacted] at /root:8000");
    expect(redactJson({ a: ["http://u:p@h/x"], "sk-abcdef123456": 1 }, redact)).toEqual({ a: ["http://[redacted]@h/x"], "[redacted]": 1 });
  });

  it("finds credentials under any common name, not names of variables", () => {
    expect(findSecretKeys({ backends: { openai: { apiKeyEnv: "X", extraBody: { accessKey: "a", credentials: "b", bearer: "c", token: "d", tokenizer: "e", maxTokens: 3, eos_token: "</s>" } } } })).toEqual([
      "backends.openai.extraBody.accessKey",
      "backends.openai.extraBody.credentials",
      "backends.openai.extraBody.bearer",
      "backends.openai.extraBody.token",
    ]);
  });
});

describe("tokenizer checks", () => {
  const vocab: string[] = [];
  const exact: Tokenizer = {
    id: "words",
    encode: async (text) => text.split(/(?<= )/).map((piece) => (vocab.includes(piece) ? vocab.indexOf(piece) : vocab.push(piece) - 1)),
    decode: async (ids) => ids.map((id) => vocab[id]).join(""),
  };
  it("passes a real tokenizer and refuses one that under-counts, decodes to nothing, or cannot decode", async () => {
    await expect(checkTokenizer(exact, "words")).resolves.toBeUndefined();
    await expect(checkTokenizer({ ...exact, encode: async () => [1, 2] }, "t")).rejects.toThrow(/under-counts/);
    await expect(checkTokenizer({ ...exact, decode: async () => "" }, "t")).rejects.toThrow(/back into empty text/);
    const missing = new BackendRequestError("POST /detokenize: HTTP 404", { status: 404, retryable: false });
    await expect(checkTokenizer({ ...exact, decode: async () => Promise.reject(missing) }, "t")).rejects.toThrow(/no detokenize route/);
  });

  it("stops the run when the server counts far more prompt tokens than its own tokenizer did; warns for one the user chose", () => {
    expect(checkPromptCount(230, 250, "t")).toBeUndefined();
    expect(checkPromptCount(1000, 2100, "t")).toBeUndefined();
    expect(checkPromptCount(null, 5000, "t")).toBeUndefined();
    expect(checkPromptCount(20, 160, "t")).toBeUndefined(); // within the chat template's slack
    expect(() => checkPromptCount(23, 230, "server-tok")).toThrow(/counted 230 prompt tokens where the tokenizer server-tok counted 23/);
    expect(checkPromptCount(8192, 36677, "hf-json", false)).toMatch(/counted 36677 prompt tokens where the tokenizer hf-json counted 8192/);
  });
});

describe("config errors", () => {
  it("name the file and the line of invalid JSON, and of a config that throws", async () => {
    const dir = mkdtempSync(join(tmpdir(), "loom-config-"));
    writeFileSync(join(dir, "loom.config.json"), '{\n  "concurrency": 4,\n  "limit": 2,\n}\n');
    await expect(loadConfig(dir)).rejects.toThrow(/loom\.config\.json:4:1: invalid JSON/);
    rmSync(join(dir, "loom.config.json"));
    writeFileSync(join(dir, "loom.config.mjs"), 'throw new Error("no config today");\n');
    await expect(loadConfig(dir)).rejects.toThrow(/loom\.config\.mjs failed to load: no config today/);
  });
});
