/**
 * @loomscope/benchmark-longbench: LongBench (v1) and LongBench-E (THUDM/LongBench, `LongBench/`
 * folder) on the benchmark kit. The default export is the plugin; the named exports are its pieces
 * (task table, data format, metrics, aggregation, the official-format re-scorer).
 */
export { default } from "./plugin.js";
export {
  DATASETS,
  E_DATASETS,
  DATASET2PROMPT,
  DATASET2MAXLEN,
  DATASET2METRIC,
  MODEL2MAXLEN,
  NO_CHAT_DATASETS,
  FIRST_LINE_DATASETS,
  DATASET_CATEGORY,
  DATASET_LANGUAGE,
  CATEGORIES,
  E_BUCKETS,
  RETRIEVAL_UNSUITABLE,
  eBucket,
  isDataset,
  isEDataset,
  type Dataset,
  type EDataset,
  type EBucket,
  type Category,
  type OfficialMetricName,
} from "./config.js";
export {
  HF_REPO,
  HF_REVISION,
  DATA_ZIP,
  TASK_IDS,
  OFFICIAL_COUNTS,
  LongBenchRecordSchema,
  localCandidates,
  parseTask,
  toSample,
  zipMember,
  type LongBenchRecord,
  type TaskId,
  type ToSampleOptions,
} from "./data.js";
export {
  LONGBENCH_METRICS,
  ROUGE_CALLER_FRAMES,
  classificationScore,
  codeSimScore,
  countScore,
  datasetOfTask,
  firstLine,
  officialMetric,
  retrievalScore,
  retrievalZhScore,
  scoreSample,
} from "./metrics.js";
export { GENERATION, LOOM_QUERY_KEY, LOOM_RAG_QUERY, TASKS, TRUNCATION, taskRow, type LongBenchTaskRow } from "./tasks.js";
export { LOOM_TOTAL_GROUP, UNOFFICIAL_MEAN_GROUP, aggregateLongBench, bucketScore, datasetScore, loomTotal, scoreBuckets } from "./aggregate.js";
export {
  evaluateLoom,
  evaluateOfficial,
  resultJson,
  scoreOfficialDir,
  type LongBenchResult,
  type LoomResult,
} from "./official.js";
export { PythonScriptError } from "./official.js";
