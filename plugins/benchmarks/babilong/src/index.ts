/**
 * @loomscope/benchmark-babilong: BABILong (github.com/booydar/babilong, arXiv 2406.10149) on the
 * benchmark kit — bAbI qa1–qa20 hidden in PG-19 text from 0k to 10M tokens — with the official
 * prompt builder and its switches as declared options, compare_answers, the collected results table,
 * and LOOM-Scope's protocol (middle truncation, its pooled accuracy).
 */
import { defineDatasetBenchmark } from "@loomscope/benchmark-kit";
import type { Protocol } from "@loomscope/spec";
import { aggregateBabilong } from "./aggregate.js";
import { BabilongRecordSchema, localCandidates, officialCount, remoteFile, toSample } from "./data.js";
import { scoreOfficial } from "./official.js";
import { babilongPrompt } from "./prompt.js";
import { BABILONG_OPTIONS, taskTable, type BabilongTask, type DatasetId } from "./tasks.js";

const babilong = defineDatasetBenchmark({
  id: "babilong",
  version: "0.2.0",
  capability: "reasoning",
  description:
    "BABILong: the 20 bAbI reasoning tasks with their facts hidden in PG-19 text from 0k to 10M tokens, the official prompt switches, compare_answers and collect_results' table.",
  tasks: ({ options }) => taskTable(options.dataset as DatasetId, options.useChatTemplate),
  protocols: ["official", "loom"],
  options: BABILONG_OPTIONS,
  // collect_results reads a missing output (NaN in the CSV) as '' (fillna), LOOM-Scope's None as ''.
  failedSamples: "score-empty",
  source: {
    remote: ({ task, length, options }) => remoteFile(options.dataset as DatasetId, task.id as BabilongTask, length!),
    local: ({ task, length, options }) => localCandidates(task.id as BabilongTask, length!, options.dataset as DatasetId),
    count: ({ task, length, options }) => officialCount(options.dataset as DatasetId, task.id as BabilongTask, length!),
  },
  record: BabilongRecordSchema,
  toSample: (record, row) => toSample(record, { dataset: row.options.dataset as DatasetId, index: row.index }),
  // get_formatted_input strips the formatted prompt: the parts carry the switched texts in the template.
  prompt: (sample, task, { options, protocol }) =>
    babilongPrompt(task.id as BabilongTask, sample.input["context"] ?? "", sample.input["question"] ?? "", { ...options, dataset: options.dataset as DatasetId }, protocol),
  aggregate: (cells, { protocol }) => aggregateBabilong(cells, protocol as Protocol),
  scoreOfficial,
});

export default babilong;

export {
  TASKS,
  BABI_NAMES,
  BABILONG_OPTIONS,
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
export { BabilongRecordSchema, hubPath, remoteFile, localCandidates, officialCount, toSample, parseSampleId, type BabilongRecord } from "./data.js";
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
