/**
 * RULER generation measured with the tiny GGUF's own tokenizer, loaded through the llama.cpp
 * backend (the model's vocabulary as llama.cpp reads it), as the official generator measures with
 * the model's tokenizer. Where the llama.cpp backend is not built, the testkit's byte-level
 * tokenizer stands in (the GGUF's vocabulary is byte-level with the same ids).
 */
import { existsSync, mkdtempSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hostServices } from "@loomscope/core";
import { countTokens, createTestBackendOptions, createTestBenchmarkContext, fakeTokenizer, writeTinyGguf } from "@loomscope/testkit";
import type { Backend, Sample, Tokenizer } from "@loomscope/spec";
import ruler from "../src/index.js";
import { collect as collectSamples, configured } from "./helpers.js";

const require = createRequire(import.meta.url);
const dir = mkdtempSync(join(tmpdir(), "ruler-gguf-"));
let tokenizer: Tokenizer;
let backend: Backend | undefined;
let via: "llamacpp" | "testkit-bytes";

/** Built means its dist entry exists; a built backend that fails to load fails these tests. */
function llamacppEntry(): string | undefined {
  try {
    // Resolves to the package's dist entry, and throws when that file does not exist.
    const entry = require.resolve("@loomscope/backend-llamacpp");
    return existsSync(entry) ? entry : undefined;
  } catch {
    return undefined;
  }
}

beforeAll(async () => {
  const gguf = await writeTinyGguf(join(dir, "tiny.gguf"), { contextLength: 8192 });
  const entry = llamacppEntry();
  if (entry) {
    const plugin = ((await import(entry)) as { default: { create(o: ReturnType<typeof createTestBackendOptions>): Backend | Promise<Backend> } }).default;
    backend = await plugin.create(createTestBackendOptions({ model: gguf.path, options: { gpu: false, threads: 2 }, host: hostServices, cacheDir: join(dir, "cache") }));
    tokenizer = await (backend.tokenizer as () => Promise<Tokenizer>)();
    via = "llamacpp";
  } else {
    tokenizer = fakeTokenizer;
    via = "testkit-bytes";
  }
}, 120_000);
afterAll(async () => {
  await backend?.stop?.();
});

async function collect(task: string, n: number, seed = 5): Promise<Sample[]> {
  const ctx = createTestBenchmarkContext({ tokenizer, seed, dataDir: dir });
  return collectSamples(configured({ samples: n, template: "base" }), { task, length: "4k" }, ctx);
}

const GEN: Record<string, number> = Object.fromEntries(ruler.tasks.map((t) => [t.id, t.maxNewTokens]));
// Within one official increment of the budget: a sample that does not fit at the searched size drops by
// `incremental` (25 noises or distractors, 1/32 of the words), as the official loop does.
const SLACK: Record<string, number> = { niah_single_1: 2500, niah_multikey_2: 2000, niah_multikey_3: 3200, fwe: 1200 };

describe("RULER generation with the tiny GGUF's tokenizer", () => {
  it("the tokenizer is the GGUF's byte-level vocabulary", async () => {
    expect(tokenizer.id).toMatch(via === "llamacpp" ? /^llamacpp:/ : /^testkit-bytes/);
    console.log(`RULER GGUF test tokenizer: ${via} (${tokenizer.id})`);
    const text = "VAR ABCDE = 12345\nThe grass is green. é";
    expect((await tokenizer.encode(text, { addSpecialTokens: false })).length).toBe(countTokens(text));
  });
  it.each(Object.keys(SLACK))("%s at 4k: prompt tokens + tokens_to_generate <= 4096 and tight; needles present once", async (task) => {
    const out = await collect(task, 2);
    expect(out.length).toBe(2);
    for (const s of out) {
      const prompt = (s.input["input"] ?? "") + (s.input["answer_prefix"] ?? "");
      const exact = (await tokenizer.encode(prompt, { addSpecialTokens: false })).length + (GEN[task] as number);
      expect(s.meta?.["tokens"]).toBe(exact);
      expect(exact).toBeLessThanOrEqual(4096);
      expect(exact).toBeGreaterThan(4096 - (SLACK[task] as number));
      expect(s.meta?.["tokenizer"]).toBe(tokenizer.id);
      for (const r of s.references) expect(prompt).toContain(r);
      if (task.startsWith("niah")) {
        for (const r of s.references) expect(prompt.split(`is: ${r}.`).length - 1, `${task} ${r}`).toBe(1);
      }
    }
  });
  it("vt's in-context example cannot fit variable_tracking.py's 500 tokens of bytes: a clear error, where the official loops forever", async () => {
    await expect(collect("vt", 1)).rejects.toThrow(/no sample fits in 500 tokens/);
  });
  it("a fixed seed gives the same hashes on a second run; another seed differs", async () => {
    const a = (await collect("niah_multikey_3", 2, 9)).map((s) => s.meta?.["hash"]);
    const b = (await collect("niah_multikey_3", 2, 9)).map((s) => s.meta?.["hash"]);
    const c = (await collect("niah_multikey_3", 2, 10)).map((s) => s.meta?.["hash"]);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });
});
