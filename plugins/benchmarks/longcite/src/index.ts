/**
 * @loomscope/benchmark-longcite: LongBench-Cite (THUDM/LongCite, arXiv 2409.02897) as loomscope
 * knowledge: the one-shot citation prompt, citation parsing, the GPT-4o judge prompts for citation
 * quality and correctness with the official verdict parsing, aggregation and official re-scoring.
 * (No default export yet: the benchmark-kit wiring comes later.)
 */
export * from "./prompts.js";
export { COMMIT, DATA_GIT_BLOB, DATA_PATH, LOCAL_CANDIDATES, LongCiteRecordSchema, FewShotSchema, REPO, remoteFile, toSample, type LongCiteRecord } from "./data.js";
export {
  DATASET_CORRECTNESS,
  JUDGE_MODEL,
  MAX_STATEMENTS,
  UnexpectedVerdictError,
  catQaAndStatement,
  catQuestionStatementContext,
  citationJudgeRequest,
  citationScores,
  correctnessPrompt,
  correctnessRequest,
  correctnessScore,
  formatPositional,
  itemCorrectness,
  needCitationPrompt,
  needCitationToScore,
  parseRating,
  relevantLevelToScore,
  relevantPrompt,
  stripCitations,
  supportLevelToScore,
  supportPrompt,
  type CitationJudgement,
  type CitedStatement,
  type CorrectnessCall,
  type CorrectnessKind,
  type FewShot,
} from "./judge.js";
export { AVERAGE_EXCLUDED, CITE_DATASETS, citeItem, citeResult, correctItem, correctResult, scoreOfficialLongCite } from "./official.js";
export {
  chunkedPassage,
  chunksOf,
  getCitations,
  oneShotPrompt,
  postprocess,
  splitByPunctuation,
  statementsOf,
  textSplitByPunctuation,
  type Chunk,
  type Citation,
  type ContextSentence,
  type Statement,
} from "./citations.js";
export { GENERATION, ONE_SHOT_FORMAT, TASKS, TASK_IDS, TRUNCATION, type Language, type TaskRow } from "./tasks.js";
export { LONGCITE_METRICS, citationF1, citationPrecision, citationRecall, correctness } from "./metrics.js";
export { REPORTED, aggregateLongCite, datasetMeans } from "./aggregate.js";
