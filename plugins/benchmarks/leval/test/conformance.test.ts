/** The v1 contract on the official-format data fixture (test/fixtures/data: the repository's LEval-data layout). */
import { fileURLToPath } from "node:url";
import { runBenchmarkConformance } from "@loomscope/testkit";
import leval from "../src/index.js";

const dataDir = fileURLToPath(new URL("./fixtures/data/", import.meta.url));
const requests = ["coursera", "quality", "topic_retrieval_longchat", "gsm100", "sci_fi", "financial_qa", "gov_report_summ", "meeting_summ"].map((task) => ({ task }));

for (const protocol of ["official", "loom"] as const) {
  runBenchmarkConformance(leval.configure!({ protocol, options: { promptStyle: "turbo16k", openEval: "ngram_eval" } }), { packageDir: new URL("..", import.meta.url), context: { dataDir }, requests });
}
runBenchmarkConformance(leval.configure!({ protocol: "official", options: { promptStyle: "llama2-chat", openEval: "ngram_eval" } }), { packageDir: new URL("..", import.meta.url), context: { dataDir }, requests });
