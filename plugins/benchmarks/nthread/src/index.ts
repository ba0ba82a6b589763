/**
 * @loomscope/benchmark-nthread: Needle Threading (github.com/jonathan-roberts1/needle-threading,
 * arXiv 2411.05000): single / multiple / conditional needles and single / multi threads in UUID
 * key-value haystacks, scored by the README's literal_eval rule or LOOM-Scope's scorer. No default
 * export yet: the plugin is wired into @loomscope/benchmark-kit later.
 */
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
export { HF_REPO, JSON_DATA_ZIP, NThreadRecordSchema, zipMember, localCandidates, toSample, readRecords, type NThreadRecord } from "./data.js";
export { officialCorrect, prefixEquals, loomScore, nthreadAccuracy } from "./metrics.js";
export { aggregateNThread } from "./aggregate.js";
export { scoreOfficial, scoreLinesOfficial } from "./official.js";
