/**
 * @loomscope/metrics: every scoring function the benchmark plugins share, each a port of the
 * official Python code with its normalisation, parity-tested against that code.
 */
export { OfficialScorerError, PythonError } from "./errors.js";
export {
  PY_DIGIT_CLASS_SOURCE,
  PY_NON_SPACE_CLASS_SOURCE,
  PY_SPACE_CLASS_SOURCE,
  PY_WORD_CLASS_SOURCE,
  isPyDecimal,
  isPyIsdigit,
  isPyPrintable,
  isPyWhitespace,
  isPyWordChar,
  pyDecimalValue,
  pyDigitRuns,
  pyLower,
  pyRemoveWhitespace,
  pySplit,
  pyStrCompare,
  pyUpper,
} from "./unicode.js";
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
  rougeLOrRaise,
  rougeLZh,
  rougeLZhBlacklist,
  rougeScores,
  rougeSentences,
  type Rouge101Metric,
  type RougeFpr,
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
  pyCsvField,
  pyFloat,
  pyFloatRepr,
  pyFormat,
  pyFormatFields,
  pyFormatFixed,
  pyJsonDumps,
  pyMean,
  pyLen,
  pyLstrip,
  pyRstrip,
  pyStrip,
  pyStripChars,
  pyDecodeUtf8,
  pyReadText,
  pyTextLines,
  type PyJsonDumpsOptions,
  type PyJsonValue,
} from "./python.js";
export { PyJsonDecodeError, pyDictsToObjects, pyJsonLoads, pyJsonToJson } from "./python-json.js";
export { PyRandom } from "./python-random.js";
export { mulberry32 } from "./mulberry32.js";
export { SequenceMatcher, fuzzRatio, type MatchingBlock } from "./fuzz.js";
export { pyContains, pyFloatFromString, pyFloatOf, pyHashKey, pyIndex, pyInt, pyIntOf, pyIter, pyJsonEquals, pyJsonStr, pyTypeName } from "./python-builtins.js";
export {
  UNTRAINED_PUNKT,
  parsePunktTab,
  punktEnglishParameters,
  punktSentences,
  punktSpans,
  punktWordTokenize,
  sentTokenize,
  type PunktParameters,
} from "./punkt.js";
export { METRICS, bestOver, defineMetric, metricById, metricInfo, type AnyMetric, type Metric, type MetricDefinition, type MetricInput } from "./metric.js";
export { accuracyOf, containsAny } from "./match-metrics.js";
export { closest, didYouMean, editDistance } from "./suggest.js";
export { fsum, pyCube, pyExp, pyLog, roundDyadic } from "./libm.js";
export { pyHashSecret, pySetOrder, pyStrHash, type PyHashSecret } from "./pyset.js";
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
export { morphy, wordnetSynonyms } from "./wordnet.js";
export { FLOAT_MIN, brevityPenalty, closestRefLength, corpusBleu, modifiedPrecision, sentenceBleu, type BleuOptions } from "./bleu.js";
export { meteorAlignment, meteorScore, singleMeteorScore, type MeteorOptions } from "./meteor.js";
export {
  UnsupportedLiteralError,
  fromJson,
  literalEval,
  pyDictGet,
  pyEquals,
  pyRepr,
  pyStr,
  pyStrOf,
  pyStrText,
  pyValueToJson,
  pyValueTypeName,
  type LiteralMode,
  type PyValue,
} from "./literal-eval.js";
export { NumpyRandomState } from "./numpy-random.js";
export { categorizeLength, categorizeLengthOf, constructResultTable2Overall, loomWeightedTotal, loomScopeSaveResults, type LoomScopeSaved, type LoomScopeSaveOptions, type LoomScopeTable } from "./loom-scope.js";
export { bootstrapInterval, mcnemarExact, meanStderr, pairedBootstrap, quantile, resamplingRandom, type BootstrapOptions } from "./stats.js";
export { JSON_REPAIR_VERSION, isPyAlpha, jsonRepairLoads } from "./json-repair.js";
