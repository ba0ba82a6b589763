import { fileURLToPath } from "node:url";
import { dirname } from "node:path";
import type { Judge } from "@loomscope/spec";
import { runBenchmarkConformance } from "@loomscope/testkit";
import longcite from "../src/index.js";

// --data-dir holding LongBench-Cite.json in the official format (its last row is malformed: a string idx).
const dataDir = dirname(fileURLToPath(new URL("./fixtures/data/LongBench-Cite.json", import.meta.url)));

// One reply every judge prompt can read: the first [[…]] is a support/relevance verdict, the last a rating.
const judge: Judge = { id: "fake:judge", complete: async () => "Rating: [[Fully supported]] then [[3]]" };

runBenchmarkConformance(longcite, {
  packageDir: new URL("..", import.meta.url),
  context: { dataDir },
  judge,
  requests: [{ task: "longbench-chat" }, { task: "dureader", limit: 1 }, { task: "gov_report" }],
});
