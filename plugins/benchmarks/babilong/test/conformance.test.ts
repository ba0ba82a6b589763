import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { runBenchmarkConformance } from "@loomscope/testkit";
import babilong from "../src/index.js";
import { FIXTURES } from "./helpers.js";

// A --data-dir in the official layouts: create_tasks.py's JSON arrays (one malformed record each) and a JSON Lines file.
runBenchmarkConformance(babilong, {
  packageDir: fileURLToPath(new URL("..", import.meta.url)),
  context: { dataDir: join(FIXTURES, "data") },
  requests: [
    { task: "qa1", length: "0k" },
    { task: "qa8", length: "1k" },
    { task: "qa19", length: "0k" },
  ],
});
