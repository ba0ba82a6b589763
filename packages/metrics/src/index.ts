/**
 * @loomscope/metrics: every scoring function the benchmark plugins share, each a port of the
 * official Python code with its normalisation, parity-tested against that code.
 */
export { OfficialScorerError } from "./errors.js";
export { pyLower, pySplit, pyRemoveWhitespace, isPyWhitespace, isPyWordChar, pyDigitRuns, pyIntOfDigits, PY_DIGIT_CLASS_SOURCE, PY_SPACE_CLASS_SOURCE, PY_WHITESPACE_CHARS, PY_WORD_CLASS_SOURCE } from "./unicode.js";
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
export { pythonRound, numpyRound, rint, officialPercent, loomWeightedTotal } from "./rounding.js";
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
  pyDecodeUtf8,
  pyTextLines,
  type PyJsonDumpsOptions,
  type PyJsonValue,
} from "./python.js";
export { PyJsonDecodeError, pyJsonLoads } from "./python-json.js";
export { PyRandom } from "./python-random.js";
export { SequenceMatcher, fuzzRatio, type MatchingBlock } from "./fuzz.js";
export { PyValueError, pyContains, pyFloatFromString, pyFloatOf, pyTypeName } from "./pyjson.js";
export { UNTRAINED_PUNKT, punktSentences, punktSpans, punktWordTokenize, type PunktParameters } from "./punkt.js";
export { METRICS, bestOver, defineMetric, metricById, metricInfo, type AnyMetric, type Metric, type MetricDefinition, type MetricInput } from "./metric.js";
export { accuracyOf, containsAny } from "./match-metrics.js";
export { closest, didYouMean, editDistance } from "./suggest.js";
export { fsum, pyCube, pyExp, pyLog, roundDyadic } from "./libm.js";
export { pyHashSecret, pySetOrder, pyStrHash, type PyHashSecret } from "./pyset.js";
export { PorterStemmer, type PorterMode } from "./porter.js";
export { morphy, wordnetSynonyms } from "./wordnet.js";
export { FLOAT_MIN, brevityPenalty, closestRefLength, corpusBleu, modifiedPrecision, sentenceBleu, type BleuOptions } from "./bleu.js";
export { meteorAlignment, meteorScore, singleMeteorScore, type MeteorOptions } from "./meteor.js";
export { PyEvalError, pyDictGet, pyLiteralEval, pyValueRepr, type PyValue } from "./pyliteral.js";
export {
  PythonError,
  UnsupportedLiteralError,
  literalEval,
  pyEquals,
  pyRepr,
  pyStr,
  pyStrOf,
  pyStrText,
  fromJson,
  type PyValue as PyLiteralValue,
} from "./literal-eval.js";
export { NumpyRandomState } from "./numpy-random.js";
export { categorizeLength, constructResultTable2Overall } from "./loom-scope.js";
