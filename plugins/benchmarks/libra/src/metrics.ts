/**
 * LIBRA's metrics as evaluation/metrics.py and eval.py (ai-forever/LIBRA @ 94dcac0) compute them,
 * and LOOM-Scope's variants (benchmarks/Specialization/LIBRA/utils/evaluation/metrics.py,
 * loom-scope 0.1) under protocol "loom".
 *
 * Official, per sample (eval.py `__main__`):
 *   score = max(metric(str(model_answer), str(p)) for p in positive_outputs)
 *   if negative_outputs: n = #negatives that are substrings of model_answer;
 *     score = 0.0 if n == len(negatives) else max(0, score - n / len(negatives))
 * - "em" is `ground_truth in prediction`: a case-sensitive substring test, no normalisation.
 * - "count_score": the share of `re.findall(r"\d+", prediction)` runs equal to the answer; Python's
 *   `\d` is every Unicode decimal digit (١٢ and １２ are runs too, and never equal "12").
 * - "f1": token F1 after `str.lower`, removing ASCII `string.punctuation` only (« » — … stay),
 *   `" ".join(text.split())`; ё and е are different letters.
 * LOOM-Scope replaces em and f1 normalisation with pymorphy2 lemmas (see `LoomLemmatizer`).
 */
import {
  defineMetric,
  OfficialScorerError,
  pyDigitRuns,
  pyLower,
  pySplit,
  removeAsciiPunctuation,
  tokenF1,
  type Metric,
  type MetricInput,
} from "@loomscope/metrics";
import { LoomError, type JsonObject, type Protocol } from "@loomscope/spec";

export type LibraMetricName = "em" | "count_score" | "f1";

/** evaluation/metrics.py `exact_match_score`: 1.0 when the answer is a substring of the prediction. */
export function exactMatchScore(prediction: string, groundTruth: string): number {
  return prediction.includes(groundTruth) ? 1.0 : 0.0;
}

/** evaluation/metrics.py `count_score`. */
export function countScore(prediction: string, groundTruth: string): number {
  const numbers = pyDigitRuns(prediction);
  if (numbers.length === 0) return 0.0;
  let right = 0;
  for (const n of numbers) if (n === groundTruth) right++;
  return right / numbers.length;
}

/** evaluation/metrics.py `normalize_answer`: lower, drop ASCII punctuation, collapse whitespace. */
export function normalizeLibraAnswer(text: string): string {
  return pySplit(removeAsciiPunctuation(pyLower(text))).join(" ");
}

/** evaluation/metrics.py `qa_f1_score`. */
export function qaF1Score(prediction: string, groundTruth: string): number {
  return tokenF1(pySplit(normalizeLibraAnswer(prediction)), pySplit(normalizeLibraAnswer(groundTruth)));
}

/**
 * pymorphy2's `MorphAnalyzer().parse(token)[0].normal_form` (with the pymorphy2-dicts-ru
 * dictionary), which LOOM-Scope's normalisation calls per token. Not shipped: pymorphy2 and its
 * OpenCorpora dictionary are neither Debian packages nor npm packages, so protocol "loom" needs
 * one supplied (`setLoomLemmatizer`) and refuses em / f1 without it.
 */
export interface LoomLemmatizer {
  readonly id: string;
  normalForm(token: string): string;
}
let loomLemmatizer: LoomLemmatizer | undefined;
export function setLoomLemmatizer(lemmatizer: LoomLemmatizer | undefined): void {
  loomLemmatizer = lemmatizer;
}
const noLemmatizer = (what: string): LoomError =>
  new LoomError("SCORING", `LIBRA protocol loom scores ${what} on pymorphy2 lemmas, and no pymorphy2-compatible lemmatizer is installed`, {
    hint: "call setLoomLemmatizer() with a port of pymorphy2 MorphAnalyzer (pymorphy2-dicts-ru 2.4.417127.4579844), or use protocol official",
  });

function requireLemmatizer(): LoomLemmatizer {
  if (!loomLemmatizer) throw noLemmatizer("em and f1");
  return loomLemmatizer;
}

/**
 * Refuses, before anything runs, a dataset protocol loom cannot score: em and f1 need pymorphy2
 * lemmas (count_score does not).
 */
export function assertLoomScorable(dataset: string, metric: LibraMetricName): void {
  if (metric !== "count_score" && !loomLemmatizer) throw noLemmatizer(`${dataset} (${metric})`);
}

// LOOM-Scope: re.sub(r'[^a-zа-яй0-9_]+', '', word.lower()). а-я is U+0430–U+044F, so ё (U+0451)
// is deleted, as is every non-ASCII digit, hyphen and accent.
const LOOM_STRIP = /[^a-zа-яй0-9_]+/gu;

/** LOOM-Scope `normalize_answer`: per whitespace word, strip to [a-zа-яй0-9_], lemmatise, lower. */
export function loomNormalizeAnswer(sentence: string, lemmatizer: LoomLemmatizer = requireLemmatizer()): string {
  const out: string[] = [];
  for (const word of pySplit(sentence)) {
    const token = pyLower(word).replace(LOOM_STRIP, "");
    out.push(pyLower(lemmatizer.normalForm(token)));
  }
  return out.join(" ");
}

/** LOOM-Scope `exact_match_score`: substring test on the normalised strings. */
export function loomExactMatchScore(prediction: string, groundTruth: string, lemmatizer?: LoomLemmatizer): number {
  return loomNormalizeAnswer(prediction, lemmatizer).includes(loomNormalizeAnswer(groundTruth, lemmatizer)) ? 1.0 : 0.0;
}

/** LOOM-Scope `qa_f1_score`. */
export function loomQaF1Score(prediction: string, groundTruth: string, lemmatizer?: LoomLemmatizer): number {
  return tokenF1(pySplit(loomNormalizeAnswer(prediction, lemmatizer)), pySplit(loomNormalizeAnswer(groundTruth, lemmatizer)));
}

export function metricFunction(name: LibraMetricName, protocol: Protocol): (prediction: string, groundTruth: string) => number {
  if (name === "count_score") return countScore;
  if (protocol === "loom") return name === "em" ? loomExactMatchScore : loomQaF1Score;
  return name === "em" ? exactMatchScore : qaF1Score;
}

/**
 * One sample's score as eval.py computes it: best metric value over positive_outputs, then the
 * negative_outputs penalty (the same in LOOM-Scope's eval.py). Python's `max([])` raises, so a
 * sample without positive outputs is an error, not a 0.
 */
export function libraSampleScore(
  metric: LibraMetricName,
  modelAnswer: string,
  positiveOutputs: readonly string[],
  negativeOutputs: readonly string[],
  protocol: Protocol = "official",
): number {
  if (positiveOutputs.length === 0) {
    throw new OfficialScorerError("ValueError", "positive_outputs is empty: max() arg is an empty sequence");
  }
  const f = metricFunction(metric, protocol);
  let score = -Infinity;
  for (const p of positiveOutputs) score = Math.max(score, f(modelAnswer, p));
  if (negativeOutputs.length > 0) {
    let n = 0;
    for (const neg of negativeOutputs) if (modelAnswer.includes(neg)) n++;
    if (n === negativeOutputs.length) score = 0.0;
    else {
      score -= (1.0 / negativeOutputs.length) * n;
      if (score < 0) score = 0.0;
    }
  }
  return score;
}

function negativesOf(scoring: JsonObject | undefined): string[] {
  const v = scoring?.["negative_outputs"];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

const DESCRIPTIONS: Record<LibraMetricName, string> = {
  em: "LIBRA em: 1 when a positive output is a substring of the answer (case-sensitive), less the negative_outputs penalty",
  count_score: "LIBRA count_score: share of the answer's digit runs equal to the count, less the negative_outputs penalty",
  f1: "LIBRA f1: token F1 after lower-casing and ASCII punctuation removal, best over positive outputs, less the negative_outputs penalty",
};

function libraMetric(name: LibraMetricName): Metric {
  return defineMetric({
    id: name,
    description: DESCRIPTIONS[name],
    binary: false,
    score: (input: MetricInput) =>
      libraSampleScore(name, input.prediction, input.references, negativesOf(input.scoring), input.protocol),
  });
}

export const LIBRA_METRICS: Readonly<Record<LibraMetricName, Metric>> = {
  em: libraMetric("em"),
  count_score: libraMetric("count_score"),
  f1: libraMetric("f1"),
};
