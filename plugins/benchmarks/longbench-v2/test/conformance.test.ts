/** The v1 contract on the official-format data fixture (test/fixtures/data/data.json, one malformed record). */
import { fileURLToPath } from "node:url";
import { runBenchmarkConformance } from "@loomscope/testkit";
import longbenchV2 from "../src/index.js";

const context = { dataDir: fileURLToPath(new URL("./fixtures/data/", import.meta.url)) };
runBenchmarkConformance(longbenchV2, {
  packageDir: new URL("..", import.meta.url),
  context,
  requests: ["short", "medium", "long"].map((length) => ({ task: "longbench_v2", length })),
});
// pred.py's chain of thought: the same contract with the second turn's settings.
runBenchmarkConformance(longbenchV2.configure!({ protocol: "official", options: { cot: true, noContext: false, rag: 0, compensated: false } }), {
  context,
  requests: [{ task: "longbench_v2", length: "short" }],
});
