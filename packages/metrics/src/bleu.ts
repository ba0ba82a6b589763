/**
 * nltk 3.8's BLEU (nltk/translate/bleu_score.py): `sentence_bleu` / `corpus_bleu` over
 * pre-tokenised sentences, without smoothing (`SmoothingFunction().method0`, nltk's default and
 * what LooGLE uses), `auto_reweigh` included.
 *
 * Code paths kept:
 * - modified precision per order n = 1..len(weights) (the longest weight tuple), as an unreduced
 *   fraction with denominator max(1, hypothesis n-gram count), summed over the corpus;
 * - no unigram match at all: the int 0 (before any smoothing);
 * - method0: an order with numerator 0 becomes `sys.float_info.min` (with a warning), so a weight
 *   of 0 on it contributes `0 * log(2.2e-308) = -0.0` and a positive weight gives ~1e-308 scores;
 * - brevity penalty exp(1 - r/c) against the closest reference length (ties: the shorter), 1 when
 *   c > r, 0 when c == 0;
 * - the score is `bp * exp(fsum(w_i * log(p_i)))` with Python's libm semantics (see libm.ts).
 */
import { fsum, pyExp, pyLog } from "./libm.js";

/** `sys.float_info.min`. */
export const FLOAT_MIN = 2.2250738585072014e-308;

function ngramCounts(tokens: readonly string[], n: number): Map<string, number> {
  const counts = new Map<string, number>();
  // JSON of the tuple: equal exactly when the tuples are.
  for (let i = 0; i + n <= tokens.length; i++) {
    const key = JSON.stringify(tokens.slice(i, i + n));
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** nltk `modified_precision(references, hypothesis, n)` as [numerator, denominator] (unreduced). */
export function modifiedPrecision(references: ReadonlyArray<readonly string[]>, hypothesis: readonly string[], n: number): [number, number] {
  const counts = hypothesis.length >= n ? ngramCounts(hypothesis, n) : new Map<string, number>();
  const maxCounts = new Map<string, number>();
  for (const reference of references) {
    const refCounts = reference.length >= n ? ngramCounts(reference, n) : new Map<string, number>();
    for (const ngram of counts.keys()) maxCounts.set(ngram, Math.max(maxCounts.get(ngram) ?? 0, refCounts.get(ngram) ?? 0));
  }
  let numerator = 0;
  let total = 0;
  for (const [ngram, count] of counts) {
    numerator += Math.min(count, maxCounts.get(ngram) ?? 0);
    total += count;
  }
  return [numerator, Math.max(1, total)];
}

/** nltk `closest_ref_length`: the reference length nearest the hypothesis length, the shorter on ties. */
export function closestRefLength(references: ReadonlyArray<readonly string[]>, hypLen: number): number {
  let best: number | undefined;
  for (const r of references) {
    const len = r.length;
    if (best === undefined || Math.abs(len - hypLen) < Math.abs(best - hypLen) || (Math.abs(len - hypLen) === Math.abs(best - hypLen) && len < best)) best = len;
  }
  if (best === undefined) throw new Error("ValueError: min() arg is an empty sequence");
  return best;
}

/** nltk `brevity_penalty(closest_ref_len, hyp_len)`. */
export function brevityPenalty(closestRefLen: number, hypLen: number): number {
  if (hypLen > closestRefLen) return 1;
  if (hypLen === 0) return 0;
  return pyExp(1 - closestRefLen / hypLen);
}

export interface BleuOptions {
  /** nltk `auto_reweigh`: uniform weights over the hypothesis length when it is < 4 and the weights are the default. */
  autoReweigh?: boolean;
}

const DEFAULT_WEIGHTS = [0.25, 0.25, 0.25, 0.25] as const;

/**
 * nltk `corpus_bleu(list_of_references, hypotheses, weights)` with no smoothing function. One
 * weight tuple gives one number; several give one number each (nltk's list form).
 */
export function corpusBleu(
  listOfReferences: ReadonlyArray<ReadonlyArray<readonly string[]>>,
  hypotheses: ReadonlyArray<readonly string[]>,
  weights: readonly number[] | ReadonlyArray<readonly number[]> = DEFAULT_WEIGHTS,
  options: BleuOptions = {},
): number[] {
  if (listOfReferences.length !== hypotheses.length) throw new Error("The number of hypotheses and their reference(s) should be the same ");
  const weightList: ReadonlyArray<readonly number[]> = typeof weights[0] === "number" ? [weights as readonly number[]] : (weights as ReadonlyArray<readonly number[]>);
  const maxOrder = Math.max(...weightList.map((w) => w.length));
  const numerators = new Array<number>(maxOrder + 1).fill(0);
  const denominators = new Array<number>(maxOrder + 1).fill(0);
  let hypLengths = 0;
  let refLengths = 0;
  hypotheses.forEach((hypothesis, k) => {
    const references = listOfReferences[k] as ReadonlyArray<readonly string[]>;
    for (let i = 1; i <= maxOrder; i++) {
      const [num, den] = modifiedPrecision(references, hypothesis, i);
      numerators[i] = (numerators[i] as number) + num;
      denominators[i] = (denominators[i] as number) + den;
    }
    hypLengths += hypothesis.length;
    refLengths += closestRefLength(references, hypothesis.length);
  });
  const bp = brevityPenalty(refLengths, hypLengths);
  if (numerators[1] === 0) return weightList.map(() => 0);
  // method0: p_i as a fraction, or sys.float_info.min where its numerator is 0.
  const p: number[] = [];
  for (let i = 1; i <= maxOrder; i++) {
    const num = numerators[i] as number;
    p.push(num !== 0 ? num / (denominators[i] as number) : FLOAT_MIN);
  }
  return weightList.map((w0) => {
    let w = w0;
    if (options.autoReweigh && hypLengths < 4 && w.length === 4 && w.every((x, i) => x === DEFAULT_WEIGHTS[i])) {
      w = new Array<number>(hypLengths).fill(1 / hypLengths);
    }
    const terms: number[] = [];
    const n = Math.min(w.length, p.length);
    for (let i = 0; i < n; i++) if ((p[i] as number) > 0) terms.push((w[i] as number) * pyLog(p[i] as number));
    return bp * pyExp(fsum(terms));
  });
}

/** nltk `sentence_bleu(references, hypothesis, weights)` (no smoothing). */
export function sentenceBleu(
  references: ReadonlyArray<readonly string[]>,
  hypothesis: readonly string[],
  weights: readonly number[] = DEFAULT_WEIGHTS,
  options: BleuOptions = {},
): number {
  return corpusBleu([references], [hypothesis], weights, options)[0] as number;
}
