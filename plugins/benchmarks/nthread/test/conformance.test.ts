/**
 * Conformance on the official-format fixture. The README rule raises on what is not a Python literal
 * (an empty response, the bare UUID the conformance suite offers as a perfect answer), as the README
 * loop would stop there; so the suite runs on LOOM-Scope's scorer, which scores every text, and
 * test/plugin.test.ts checks the official rule's empty / perfect cases.
 */
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { optionDefaults, type KitBenchmark } from "@loomscope/benchmark-kit";
import { runBenchmarkConformance } from "@loomscope/testkit";
import nthread from "../src/index.js";
import { FIXTURES } from "./helpers.js";

runBenchmarkConformance(nthread.configure!({ protocol: "loom", options: optionDefaults(nthread.options) }) as KitBenchmark, {
  packageDir: fileURLToPath(new URL("..", import.meta.url)),
  context: { dataDir: join(FIXTURES, "data") },
  requests: [{ task: "Single_Needle" }, { task: "Multi_Needle" }],
});
