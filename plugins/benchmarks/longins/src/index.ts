/**
 * @loomscope/benchmark-longins: LongIns (github.com/Ins-Bench/LongIns-Bench, arXiv 2406.17588)
 * for loomscope: the GIST and LIST settings at 256–16384 tokens, their prompts, generation settings,
 * data layout, F1 over wrongly answered question numbers, and eval.py's f1.json. Both protocols:
 * `official` (the repository) and `loom` (LOOM-Scope 0.1's LongIns).
 * No default export yet: the benchmark is wired into @loomscope/benchmark-kit later.
 */
export { GENERATION, INSTRUCTIONS, LENGTHS, MODES, TASKS, TRUNCATION, promptTemplate, type Mode, type TaskRow } from "./tasks.js";
export {
  LonginsFileSchema,
  LonginsRecordSchema,
  LOOM_HF,
  dataDirLayouts,
  loomDataPath,
  officialDataPath,
  parseOfficialFile,
  toSample,
  type LonginsRecord,
  type ToSampleOptions,
} from "./data.js";
export { errorsOf, longinsF1, longinsScore, predictedIndices, pythonKey, setF1, UnhashableError } from "./metrics.js";
export { aggregateLongins, cellScore } from "./aggregate.js";
export { pySetOf, scoreOfficial, scoreResultFile } from "./official.js";
