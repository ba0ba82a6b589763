/**
 * @loomscope/metrics: every scoring function the benchmark plugins share, each a port of the
 * official Python code with its normalisation, parity-tested against that code.
 */
export { OfficialScorerError } from "./errors.js";
export { pyLower, pySplit, pyRemoveWhitespace, isPyWhitespace, isPyWordChar } from "./unicode.js";
export { PY_UNICODE_VERSION } from "./unicode-tables.js";
export {
  ASCII_PUNCTUATION,
  CHINESE_PUNCTUATION,
  normalizeAnswer,
  normalizeZhAnswer,
  englishTokens,
  removeArticles,
  removeAsciiPunctuation,
  removeChinesePunctuation,
  whiteSpaceFix,
} from "./normalize.js";
export { cutZh, warmUpJieba } from "./jieba.js";
export {
  ABANDON_WORDS_EN,
  ABANDON_WORDS_ZH,
  KEYWORD_GATE,
  chineseTokens,
  keywordGatedF1,
  keywordGatedF1Zh,
  qaF1,
  qaF1Zh,
  qaRecall,
  qaRecallZh,
  tokenF1,
  tokenRecall,
} from "./f1.js";
export {
  maxReconFrames,
  rougeL,
  rougeLZh,
  rougeLZhBlacklist,
  rougeSentences,
  type RougeRecursionOptions,
} from "./rouge.js";
export { exactMatch, exactMatchAny, accuracy, type MatchNormalization } from "./match.js";
export { pythonRound, numpyRound, rint, officialPercent } from "./rounding.js";
export {
  PyFloat,
  PyFormatError,
  linspace,
  linspaceRoundInt,
  numpyMean,
  pairwiseSum,
  pandasCsv,
  pyFloat,
  pyFloatRepr,
  pyFormat,
  pyFormatFields,
  pyJsonDumps,
  pyMean,
  pyStrip,
  pyStripChars,
  type PyJsonDumpsOptions,
  type PyJsonValue,
} from "./python.js";
export { METRICS, bestOver, defineMetric, metricById, metricInfo, type Metric, type MetricDefinition, type MetricInput } from "./metric.js";
export { accuracyOf, containsAny } from "./match-metrics.js";
export { PorterStemmer, type PorterMode } from "./porter.js";
export {
  DefaultRougeTokenizer,
  RougeScorer,
  backtrackLcs,
  createNgrams,
  findUnion,
  lcsIndices,
  lcsTable,
  rougeFmeasure,
  rougeScoreTokenize,
  scoreLcs,
  scoreNgrams,
  summaryLevelLcs,
  unionLcs,
  type RougeScore,
  type RougeScorerOptions,
  type RougeTokenizer,
} from "./rouge-score.js";
export { pyUpper, isPyDecimal, isPyIsdigit, pyDecimalValue, PY_DIGIT_CLASS_SOURCE, PY_SPACE_CLASS_SOURCE, PY_NON_SPACE_CLASS_SOURCE, PY_WORD_CLASS_SOURCE } from "./unicode.js";
export { pyFloatParse, pyInt, pyJsonLoads, PyJsonDecodeError, type PyJsonLoaded } from "./python.js";
export { PunktSentenceTokenizer, punktEnglishParameters, sentTokenize, type PunktParameters } from "./punkt.js";
