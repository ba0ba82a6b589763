import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { BackendRequestError } from "@loomscope/spec";
import { loadConfig, parseConfig } from "../src/config.js";
import { AdaptiveLimiter } from "../src/run/limiter.js";
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
      expect(out).toMatch(/^tsx imported: .*\/tsx\/dist\/esm\/api\/index\.mjs/);
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
  it("halves on back-off, pauses for Retry-After, and grows back on success", async () => {
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
    limiter.backoff("429", 30);
    for (let i = 0; i < 3; i++) limiter.release();
    const start = Date.now();
    await limiter.acquire();
    expect(Date.now() - start).toBeGreaterThanOrEqual(25);
  });
});
