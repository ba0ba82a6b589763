import { copyFileSync, mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Judge } from "@loomscope/spec";
import { runBenchmarkConformance } from "@loomscope/testkit";
import lciteeval, { loadPunktTab, useSentenceParameters } from "../src/index.js";
import { fixturePath } from "./helpers.js";

// --data-dir in the Hugging Face layout (L-CiteEval-Data/<task>.json); narrativeqa's last record is malformed.
const dataDir = mkdtempSync(join(tmpdir(), "lciteeval-conformance-"));
mkdirSync(join(dataDir, "L-CiteEval-Data"));
for (const task of ["narrativeqa", "dialsim"]) copyFileSync(fixturePath(`data/L-CiteEval-Data_${task}.json`), join(dataDir, "L-CiteEval-Data", `${task}.json`));

// The sentence splitter's parameters (a made-up Punkt set in nltk's punkt_tab format) and an NLI judge that always entails.
useSentenceParameters(await loadPunktTab(fixturePath("punkt_tab/english")));
const judge: Judge = { id: "fake:nli", complete: async () => "entailment" };

const requests = [
  { task: "narrativeqa", length: "8k" },
  { task: "narrativeqa", length: "24k" },
  { task: "dialsim", length: "24k" },
];
runBenchmarkConformance(lciteeval, { packageDir: new URL("..", import.meta.url), context: { dataDir }, judge, requests });
// The LLM substitute and LOOM-Scope's protocol (its four-message prompt) pass the same contract.
runBenchmarkConformance(lciteeval.configure!({ protocol: "official", options: { newlineStop: true, citationJudge: "llm" } }), { context: { dataDir }, judge, requests });
runBenchmarkConformance(lciteeval.configure!({ protocol: "loom", options: { newlineStop: false, citationJudge: "nli" } }), { context: { dataDir }, judge, requests });
