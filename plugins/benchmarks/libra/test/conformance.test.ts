import { runBenchmarkConformance } from "@loomscope/testkit";
import libra from "../src/index.js";
import { fixturePath } from "./helpers.js";

// The hub layout (one parquet per dataset, every length in it), made by scripts/make-data-fixture.mjs.
runBenchmarkConformance(libra, {
  packageDir: new URL("..", import.meta.url),
  context: { dataDir: fixturePath("hub") },
  requests: [
    { task: "passkey", length: "4k" },
    { task: "passkey", length: "8k" },
    { task: "matreshka_yes_no", length: "4k" },
    { task: "ru_sci_passage_count", length: "4k" },
    { task: "ru_qasper", length: "8k" },
  ],
});
