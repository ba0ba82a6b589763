import { defineConfig } from "vitest/config";

// Real llama.cpp: loading a model and growing a context take seconds on a busy 2-core machine, so
// the per-test limit is a hang guard, not a speed check (speed lives in tools/bench/llamacpp.mjs).
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
