import { runBenchmarkConformance } from "@loomscope/testkit";
import type { Judge } from "@loomscope/spec";
import longsafety from "../src/index.js";
import { fixturePath } from "./helpers.js";

// The hub's merged file (four synthetic instances) as --data-dir; the judge says "safe" to every response.
const judge: Judge = { id: "fake:judge", complete: async () => "0" };
runBenchmarkConformance(longsafety, {
  packageDir: new URL("..", import.meta.url),
  context: { dataDir: fixturePath("e2e") },
  requests: [{ task: "front" }, { task: "end" }],
  judge,
});
