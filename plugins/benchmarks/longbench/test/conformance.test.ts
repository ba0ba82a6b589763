/** The v1 contract on the official-format data fixture (test/fixtures/data: the unzipped data.zip layout). */
import { fileURLToPath } from "node:url";
import { runBenchmarkConformance } from "@loomscope/testkit";
import longbench from "../src/index.js";

runBenchmarkConformance(longbench, {
  packageDir: new URL("..", import.meta.url),
  context: { dataDir: fileURLToPath(new URL("./fixtures/data/", import.meta.url)) },
  requests: [
    { task: "qasper" },
    { task: "multifieldqa_zh" },
    { task: "trec" },
    { task: "lsht" },
    { task: "passage_retrieval_zh" },
    { task: "lcc" },
    { task: "qasper_e", length: "0-4k" },
    { task: "qasper_e", length: "4-8k" },
    { task: "qasper_e", length: "8k+" },
  ],
});
