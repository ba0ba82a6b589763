/** The v1 contract on the official-format data fixture (test/fixtures/data: `<task>.jsonl` as on the hub), for each family's table and LOOM-Scope's. */
import { fileURLToPath } from "node:url";
import { runBenchmarkConformance } from "@loomscope/testkit";
import infinitebench, { MODEL_FAMILIES } from "../src/index.js";

const dataDir = fileURLToPath(new URL("./fixtures/data/", import.meta.url));
const packageDir = new URL("..", import.meta.url);

for (const family of MODEL_FAMILIES) {
  const bench = infinitebench.configure!({ protocol: "official", options: { family } });
  runBenchmarkConformance(bench, { packageDir, context: { dataDir }, requests: bench.tasks.map((t) => ({ task: t.id })) });
}
runBenchmarkConformance(infinitebench.configure!({ protocol: "loom", options: {} }), { packageDir, context: { dataDir } });
