/**
 * @loomscope/benchmark-ada-leval: Ada-LEval (github.com/open-compass/Ada-LEval, arXiv 2404.06480)
 * for loomscope: BestAnswer (stackselect) and TSort (textsort) at 1k–128k, the prompts, answer
 * extraction and accuracy of dataset.py, and `loom score` over run.py's pickled predictions
 * (read by a safe pickle reader) into result.json. Both protocols: `official` and `loom`
 * (LOOM-Scope 0.1). No default export yet: wired into @loomscope/benchmark-kit later.
 */
export {
  ADA_TASKS,
  GENERATION,
  LENGTHS,
  SETTINGS,
  STACKSELECT_META_PROMPT,
  STACKSELECT_TAIL,
  STACKSELECT_TEMPLATE,
  TASKS,
  TEXTSORT_TEMPLATE,
  TRUNCATION,
  isUltraLong,
  sampleCount,
  type AdaTask,
  type TaskRow,
} from "./tasks.js";
export {
  StackSelectRecordSchema,
  TextSortRecordSchema,
  dataDirLayouts,
  officialDataPath,
  officialIndex,
  stackselectAnswersBlock,
  toSample,
  type StackSelectRecord,
  type TextSortRecord,
  type ToSampleOptions,
} from "./data.js";
export {
  PERMUTATIONS_1234,
  bestAnswerAccuracy,
  extractBestAnswer,
  extractTsort,
  isSubseq,
  tsortAccuracy,
  tsortAnswerText,
  tsortHitLoom,
  tsortHitOfficial,
  tsortReference,
} from "./metrics.js";
export { aggregateAdaLeval, datasetAccuracy } from "./aggregate.js";
export { API_MODELS, evaluateDataset, loadPredictions, scoreOfficial } from "./official.js";
export { PyTuple, UnpicklingError, unpickle, type PickleValue } from "./pickle.js";
