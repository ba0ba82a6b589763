import { runBenchmarkConformance } from "@loomscope/testkit";
import clongeval, { DATASETS } from "../src/index.js";
import { fixturePath } from "./helpers.js";

// A --data-dir in the official layout (hand-made rows, one malformed line), every task's small set.
runBenchmarkConformance(clongeval, {
  packageDir: new URL("..", import.meta.url),
  context: { dataDir: fixturePath("data") },
  requests: DATASETS.map((task) => ({ task, length: "small" })),
});
