// A dataset benchmark: the task table, where the rows are, what a row is, and how it becomes a sample.
import { z } from "zod";
import { defineMetric, metricById, pythonRound } from "@loomscope/metrics";
import { defineDatasetBenchmark, defineTasks, hfFile, lengthTable, tokenLevels } from "@loomscope/benchmark-kit";

// Official prompt, byte for byte (Python str.format placeholders), limits and metrics per task.
const TEMPLATE = "Read the passage and answer.\n\n{context}\n\nQuestion: {question}\nAnswer:";
const contains = defineMetric({
  id: "contains_answer",
  description: "1 when the first reference appears in the prediction (case-sensitive, as the official script)",
  binary: true,
  score: ({ prediction, references }) => (references[0] !== undefined && prediction.includes(references[0]) ? 1 : 0),
});

export const tasks = defineTasks([
  {
    id: "capitals",
    language: "en",
    levels: tokenLevels("4k", "8k"),
    maxNewTokens: 32,
    prompt: { template: TEMPLATE, contextKey: "context", queryKey: "question" },
    metrics: [contains, metricById("qa_f1")],
    // LOOM-Scope's code generates fewer tokens and sends the prompt without a chat template.
    loom: { maxNewTokens: 16, prompt: { chat: "raw" } },
  },
]);

const Row = z.object({ context: z.string(), question: z.string(), answers: z.array(z.string()) }).passthrough();

export default defineDatasetBenchmark({
  id: "capitals",
  version: "1.0.0",
  capability: "general",
  description: "A toy QA benchmark showing the kit",
  tasks,
  protocols: ["official", "loom"],
  options: { strict: { type: "boolean", default: true, description: "an option users set with --benchmark-opt capitals.strict=false" } },
  source: {
    // The official files: one jsonl per level inside a zip on the hub, or unpacked under --data-dir.
    remote: ({ task, length }) => hfFile("example-org/capitals", "data.zip", { member: `${task.id}_${length}.jsonl` }),
    local: ({ task, length }) => [`${task.id}_${length}.jsonl`],
    count: () => 100,
  },
  record: Row,
  toSample: (row) => ({ input: { context: row.context, question: row.question }, references: row.answers }),
  // The official table: task × length, `round(100 * mean, 2)` as Python rounds, and their average.
  aggregate: (cells) =>
    lengthTable({
      cells,
      tasks: ["capitals"],
      lengths: ["4k", "8k"],
      metricOf: () => "contains_answer",
      cellScore: (v) => (v.length ? pythonRound((100 * v.reduce((a, b) => a + b, 0)) / v.length, 2) : null),
      mean: (s) => {
        const present = s.filter((x): x is number => x !== null);
        return present.length ? pythonRound(present.reduce((a, b) => a + b, 0) / present.length, 2) : null;
      },
      groups: [{ key: "avg", label: "Average", members: (t) => t }],
      title: "capitals (score × 100)",
    }),
});
