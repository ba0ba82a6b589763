/**
 * @loomscope/benchmark-nolima: NoLiMa (github.com/adobe-research/NoLiMa, arXiv 2502.05167) on the
 * benchmark kit — needles with minimal lexical overlap with their questions, placed in shuffled books
 * at 26 depths and 250 to 32K tokens with the run's tokenizer, as the official generator places them,
 * scored by its response evaluation, re-scored into gathered_results.csv.
 */
import nolima from "./benchmark.js";

export default nolima;
export { NOLIMA_OPTIONS } from "./benchmark.js";
export { needleSetTests, book } from "./load.js";
export {
  NEEDLE_SETS,
  BOOKS,
  LENGTHS,
  LENGTH_TOKENS,
  RUN_CONFIG,
  DEFAULT_TASK_TEMPLATE,
  DEFAULT_SYSTEM_PROMPT,
  GENERATION,
  TASK_TABLE,
  isNeedleSet,
  type NeedleSetName,
  type TaskRow,
} from "./tasks.js";
export {
  HF_REPO,
  NeedleSetRowSchema,
  NeedleSetSchema,
  needleSetFile,
  bookFile,
  localCandidates,
  buildTests,
  testerGoldAnswers,
  type NeedleSetRow,
  type NolimaTest,
} from "./data.js";
export { encodeBook, placeNeedle, generateWithNeedle, PlacementError, type EncodedBook, type Placement } from "./haystack.js";
export { ids, parseId, generate, depthPercents, nolimaPrompt, filledTemplate, DEFAULT_NOLIMA_OPTIONS, type NolimaOptions, type GenerateContext } from "./generate.js";
export { evaluateResponse, nolimaMetric, NOLIMA_METRICS, type NolimaMetricName } from "./metrics.js";
export { aggregateNolima } from "./aggregate.js";
export { scoreOfficial, gatherResults, gatheredCsv, summarize, pyJoin } from "./official.js";
