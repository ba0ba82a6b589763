import { fileURLToPath } from "node:url";
import { runBenchmarkConformance } from "@loomscope/testkit";
import loogle from "../src/index.js";

// A --data-dir holding the official rows (data.zip's <task>.json, from LooGLE-testdata).
const dataDir = fileURLToPath(new URL("./fixtures/data/", import.meta.url));

// The judge metrics need --judge: conformance scores without one, as automatic_eval.py does.
runBenchmarkConformance(loogle.configure!({ protocol: "official", options: { promptStyle: "open-source", llmEval: false, pythonHashSeed: 0 } }), {
  packageDir: new URL("..", import.meta.url),
  context: { dataDir },
});
runBenchmarkConformance(loogle.configure!({ protocol: "loom", options: { promptStyle: "open-source", llmEval: false, pythonHashSeed: 0 } }), {
  packageDir: new URL("..", import.meta.url),
  context: { dataDir },
});
