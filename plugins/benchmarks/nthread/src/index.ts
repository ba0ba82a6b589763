/**
 * @loomscope/benchmark-nthread: Needle Threading (github.com/jonathan-roberts1/needle-threading,
 * arXiv 2411.05000) on the benchmark kit: single / multiple / conditional needles and single / multi
 * threads in UUID key-value haystacks, with the README's prompt and generation settings, scored by
 * the README's literal_eval rule (official) or LOOM-Scope's scorer (`--protocol loom`).
 */
import { defineDatasetBenchmark } from "@loomscope/benchmark-kit";
import { aggregateNThread } from "./aggregate.js";
import { NThreadRecordSchema, localCandidates, remoteFile, toSample } from "./data.js";
import { scoreOfficial } from "./official.js";
import { OFFICIAL_COUNTS, TASK_TABLE, type NThreadTask } from "./tasks.js";

const nthread = defineDatasetBenchmark({
  id: "nthread",
  version: "0.2.0",
  capability: "retrieval",
  description:
    "Needle Threading: retrieve values, lists of values and threads of values from JSON haystacks of UUID pairs up to ~900k tokens; the README's literal_eval rule or LOOM-Scope's substring scorer.",
  tasks: TASK_TABLE,
  protocols: ["official", "loom"],
  // The README loop has no try: a sample without a response stops it, so nothing is scored for it (the score is partial).
  failedSamples: "exclude",
  source: {
    remote: ({ task }) => remoteFile(task.id as NThreadTask),
    local: ({ task }) => localCandidates(task.id as NThreadTask),
    count: ({ task }) => OFFICIAL_COUNTS[task.id as NThreadTask],
  },
  record: NThreadRecordSchema,
  toSample: (record) => toSample(record),
  aggregate: (cells, { protocol }) => aggregateNThread(cells, protocol),
  scoreOfficial,
});

export default nthread;

export {
  TASKS,
  DATA_NAMES,
  OFFICIAL_COUNTS,
  GENERATION,
  PROMPT_TEMPLATE,
  TRUNCATION,
  LOOM_INSTRUCTIONS,
  TASK_TABLE,
  isTask,
  taskFromName,
  type NThreadTask,
  type TaskRow,
} from "./tasks.js";
export { HF_REPO, JSON_DATA_ZIP, NThreadRecordSchema, zipMember, remoteFile, localCandidates, toSample, type NThreadRecord } from "./data.js";
export { officialCorrect, prefixEquals, loomScore, nthreadAccuracy } from "./metrics.js";
export { aggregateNThread } from "./aggregate.js";
export { scoreOfficial, scoreLinesOfficial } from "./official.js";
