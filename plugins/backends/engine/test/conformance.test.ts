// The engine backend plugin against the v1 backend contract, on the tiny random model (byte
// tokenizer, seed-fixed weights), with its package manifest checked against the export.
import { createTestBackendOptions, runBackendConformance } from "@loomscope/testkit";
import plugin from "../src/index.js";

runBackendConformance(() => plugin.create(createTestBackendOptions({ model: "random:tiny" })), {
  plugin,
  packageDir: new URL("..", import.meta.url),
  maxNewTokens: 4,
  abort: { maxNewTokens: 4096 },
  tokenizerText: "the quick brown fox",
});
