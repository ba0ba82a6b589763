import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Judge } from "@loomscope/spec";
import { runBenchmarkConformance } from "@loomscope/testkit";
import longwriter from "../src/index.js";
import { fixturePath } from "./helpers.js";

// A --data-dir in the official layout: the first four rows of the fixture (the fifth is malformed) for every task file.
const dataDir = mkdtempSync(join(tmpdir(), "longwriter-conformance-"));
const rows = readFileSync(fixturePath("data/longbench_write.jsonl"), "utf8").trim().split("\n").slice(0, 4).join("\n") + "\n";
for (const task of ["longbench_write", "longbench_write_en", "longwrite_ruler"]) writeFileSync(join(dataDir, `${task}.jsonl`), rows);

// The judge answers every judge.txt prompt with one well-formed verdict.
const verdict = '```json\n{"Analysis": "ok", "Relevance": 5, "Accuracy": 4, "Coherence": 4, "Clarity": 3, "Breadth and Depth": 2, "Reading Experience": 4}\n```';
const judge: Judge = { id: "fake:judge", complete: async () => verdict };

const common = {
  packageDir: new URL("..", import.meta.url),
  context: { dataDir },
  judge,
  // LongBench-Write has no references; a response of exactly the required length scores S_l = 100.
  referencesRequired: false,
  perfectPrediction: (s: { scoring?: Record<string, unknown> }) => "word ".repeat(Number(s.scoring?.["length"])),
  // eval_length.py divides by zero on a response with no countable words.
  emptyPrediction: "rejects" as const,
  // The six raw judge ratings are 1-5 (their aggregate is ((mean - 1) * 25)).
  aggregateValues: (metric: string) => (metric.startsWith("quality_") ? [1, 3, 5] : [0, 50, 100]),
};

runBenchmarkConformance(longwriter, common);
runBenchmarkConformance(longwriter.configure!({ protocol: "official", options: { quality: false, promptStyle: "llama-inst" } }), common);
