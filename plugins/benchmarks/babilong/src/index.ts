/**
 * @loomscope/benchmark-babilong: BABILong (github.com/booydar/babilong, arXiv 2406.10149) — bAbI
 * qa1–qa20 hidden in PG-19 text from 0k to 10M tokens — with the official prompt builder and
 * switches, compare_answers, and the collected results table. No default export yet: the plugin is
 * wired into @loomscope/benchmark-kit later.
 */
export {
  TASKS,
  BABI_NAMES,
  COLLECT_LENGTHS,
  COLLECT_TASKS,
  DATASETS,
  DEFAULT_OPTIONS,
  GENERATION,
  TRUNCATION,
  PROMPT_TOKEN_ALLOWANCE,
  TASK_TABLE,
  taskTable,
  levelOf,
  isTask,
  type BabilongTask,
  type BabilongOptions,
  type DatasetId,
  type DatasetInfo,
  type LengthLevel,
  type TaskRow,
} from "./tasks.js";
export { DEFAULT_PROMPTS, DEFAULT_TEMPLATE, TASK_TEMPLATE, USER_TEMPLATE, CUSTOM_SYSTEM_PROMPTS, type TaskPrompt } from "./prompts.js";
export { promptConfig, formatInput, babilongPrompt, promptName, resultStem, resultConfigJson, type PromptConfig } from "./prompt.js";
export {
  BabilongRecordSchema,
  remoteFile,
  localCandidates,
  officialCount,
  toSample,
  parseSampleId,
  readRecords,
  type BabilongRecord,
  type ToSampleContext,
} from "./data.js";
export { TASK_LABELS, preprocessOutput, compareAnswers, babilongAccuracy } from "./metrics.js";
export {
  aggregateBabilong,
  resultsTable,
  bestTableCsv,
  cellAccuracy,
  displayInt,
  displayText,
  type BestTable,
  type ConfigResults,
} from "./aggregate.js";
export { scoreOfficial, scoreCsv, modelResults, allResultsCsv } from "./official.js";
export { readCsv, tokenizeCsv, inferColumn, asStr, PANDAS_NA_STRINGS, type PandasFrame, type PandasColumn } from "./pandas-csv.js";
