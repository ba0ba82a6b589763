/**
 * @loomscope/benchmark-longwriter: LongBench-Write (THUDM/LongWriter, arXiv 2408.07055) as
 * loomscope knowledge: task table, data, the length score S_l, the GPT-4o quality score S_q with
 * the official judge prompt and verdict parsing, aggregation and official re-scoring.
 * (No default export yet: the benchmark-kit wiring comes later.)
 */
export { GENERATION, TRUNCATION, TASKS, TASK_IDS, taskRow, type TaskRow, type Language } from "./tasks.js";
export { COMMIT, DATA_FILES, REPO, LongWriterRecordSchema, localCandidates, remoteFile, toSample, type LongWriterRecord } from "./data.js";
export {
  DIMS,
  JUDGE,
  JudgeGaveUpError,
  LONGWRITER_METRICS,
  LOOM_QUALITY_CRASH,
  countWords,
  dimensionMetricId,
  dimensionMetrics,
  dimensionScore,
  dimensionValue,
  judgePrompt,
  judgeQuality,
  judgeRequest,
  lengthScore,
  lengthScoreMetric,
  parseVerdictAttempt,
  qualityMetric,
  qualityOfDimensions,
  sampleDimensions,
  totalQuality,
  verdictDimensions,
  type Dim,
  type QualityVerdict,
  type VerdictAttempt,
} from "./metrics.js";
export { JUDGE_TEMPLATE } from "./judge-template.js";
export { aggregateLongWriter, loomTaskScore, officialNumbers, type TaskNumbers } from "./aggregate.js";
export { JUDGE_CONCURRENCY, judgeFile, lengthScores, readJsonLines, scoreOfficialLongWriter } from "./official.js";
