/**
 * @loomscope/benchmark-l-citeeval: L-CiteEval (ZetangForward/L-CITEEVAL, arXiv 2410.02115) as
 * loomscope knowledge: tasks and length buckets, the citation prompts, generation-quality scores,
 * NLI-judged citation recall / precision / F1, aggregation and official re-scoring.
 * (No default export yet: the benchmark-kit wiring comes later.)
 */
export { PROMPT_FILES, type PromptFile } from "./prompt-files.js";
export { NDOC, makeDemo, makeDocPrompt, officialPrompt, promptFileOf, promptTemplate, templateValues, type DemoItem, type Doc } from "./prompt.js";
export { CATEGORY, DATASETS, GENERATION, LENGTH_BUCKETS, TASKS, TASK_IDS, TRUNCATION, VARIANT_DATASETS, bucketOf, maxGenLen, type Experiment, type Language, type TaskRow } from "./tasks.js";
export { EXPERIMENT_FOLDER, HF_REPO, HF_REVISION, LCiteEvalRecordSchema, localCandidates, remoteFile, toSample, type LCiteEvalRecord } from "./data.js";
export {
  QA_TASKS,
  SUMMARY_TASKS,
  countingStarsAnswer,
  countingStarsCorrectness,
  countingStarsGold,
  firstLine,
  niahCorrectness,
  qaCorrectness,
  qaF1Triple,
  removeCitations,
  summaryCorrectness,
  type Answer,
} from "./correctness.js";
export {
  AT_MOST_CITATIONS,
  NLI_MODEL,
  NoSentencesError,
  autoaisScores,
  citedIndexes,
  countingStarsCitationScores,
  formatDocument,
  niahCitationScores,
  nliEntails,
  nliRequest,
  type CitationScores,
} from "./citation.js";
export { CITATION_METRICS, CORRECTNESS_METRICS, useSentenceParameters } from "./metrics.js";
export { loadPunktTab } from "./punkt-tab.js";
export { aggregateLCiteEval, citationReport, correctnessBucket, correctnessReport, type BucketKey, type CitationItem, type CorrectnessItem } from "./aggregate.js";
export { citationFile, punktTabCandidates, scoreOfficialLCiteEval } from "./official.js";
export { LOOM_TASK_METRICS, LoomSkippedError, loomCitationF1, loomCorrectness, loomTaskScore } from "./loom.js";
