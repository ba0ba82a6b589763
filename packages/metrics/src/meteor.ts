/**
 * nltk 3.8's METEOR (nltk/translate/meteor_score.py): `single_meteor_score(reference, hypothesis)`
 * and `meteor_score(references, hypothesis)` over pre-tokenised input, with the defaults
 * preprocess=str.lower, PorterStemmer() (NLTK_EXTENSIONS), WordNet 3.0, alpha 0.9, beta 3, gamma 0.5.
 *
 * Alignment is nltk's greedy one: exact matches, then Porter-stem matches, then WordNet synonym
 * matches (a ref word among the single-word lemma names of the hypothesis word's synsets), each
 * stage scanning hypothesis and reference from the end and taking the first hit. Chunks are
 * counted over the matches sorted by hypothesis position. No match, or an empty side: 0.0.
 * The result depends on token order, so a caller that passes a Python `set` (as LooGLE does)
 * must pass its iteration order: see `pySetOrder`.
 */
import { pyCube } from "./libm.js";
import { PorterStemmer } from "./porter.js";
import { pyLower } from "./unicode.js";
import { wordnetSynonyms } from "./wordnet.js";

type Enum = [index: number, word: string];
type Match = [hypIndex: number, refIndex: number];

const STEMMER = new PorterStemmer();

function matchEnums(hyp: Enum[], ref: Enum[]): Match[] {
  const matches: Match[] = [];
  for (let i = hyp.length - 1; i >= 0; i--) {
    for (let j = ref.length - 1; j >= 0; j--) {
      if ((hyp[i] as Enum)[1] === (ref[j] as Enum)[1]) {
        matches.push([(hyp[i] as Enum)[0], (ref[j] as Enum)[0]]);
        hyp.splice(i, 1);
        ref.splice(j, 1);
        break;
      }
    }
  }
  return matches;
}

function stemMatch(hyp: Enum[], ref: Enum[]): { matches: Match[]; hyp: Enum[]; ref: Enum[] } {
  const sh: Enum[] = hyp.map(([i, w]) => [i, STEMMER.stem(w)]);
  const sr: Enum[] = ref.map(([i, w]) => [i, STEMMER.stem(w)]);
  const matches = matchEnums(sh, sr);
  // nltk returns the stemmed leftovers; the synonym stage then looks those up in WordNet.
  return { matches, hyp: sh, ref: sr };
}

function wordnetMatch(hyp: Enum[], ref: Enum[]): Match[] {
  const matches: Match[] = [];
  for (let i = hyp.length - 1; i >= 0; i--) {
    const syns = wordnetSynonyms((hyp[i] as Enum)[1]);
    for (let j = ref.length - 1; j >= 0; j--) {
      if (syns.has((ref[j] as Enum)[1])) {
        matches.push([(hyp[i] as Enum)[0], (ref[j] as Enum)[0]]);
        hyp.splice(i, 1);
        ref.splice(j, 1);
        break;
      }
    }
  }
  return matches;
}

/** nltk `_count_chunks`. */
function countChunks(matches: readonly Match[]): number {
  let chunks = 1;
  for (let i = 0; i < matches.length - 1; i++) {
    const a = matches[i] as Match;
    const b = matches[i + 1] as Match;
    if (!(b[0] === a[0] + 1 && b[1] === a[1] + 1)) chunks++;
  }
  return chunks;
}

export interface MeteorOptions {
  alpha?: number;
  beta?: number;
  gamma?: number;
}

/** The aligned (hypothesis index, reference index) pairs, sorted by hypothesis index (nltk `align_words`). */
export function meteorAlignment(reference: readonly string[], hypothesis: readonly string[]): Match[] {
  let hyp: Enum[] = hypothesis.map((w, i) => [i, pyLower(w)]);
  let ref: Enum[] = reference.map((w, i) => [i, pyLower(w)]);
  const exact = matchEnums(hyp, ref);
  const stem = stemMatch(hyp, ref);
  hyp = stem.hyp;
  ref = stem.ref;
  const syn = wordnetMatch(hyp, ref);
  // Python's sort is stable: equal hypothesis indexes cannot occur (each is matched once).
  return [...exact, ...stem.matches, ...syn].sort((a, b) => a[0] - b[0]);
}

/** nltk `single_meteor_score(reference, hypothesis)`. */
export function singleMeteorScore(reference: readonly string[], hypothesis: readonly string[], options: MeteorOptions = {}): number {
  const alpha = options.alpha ?? 0.9;
  const beta = options.beta ?? 3.0;
  const gamma = options.gamma ?? 0.5;
  const translationLength = hypothesis.length;
  const referenceLength = reference.length;
  const matches = meteorAlignment(reference, hypothesis);
  const matchesCount = matches.length;
  // nltk catches ZeroDivisionError from any of these divisions and returns 0.0.
  if (translationLength === 0 || referenceLength === 0 || matchesCount === 0) return 0.0;
  const precision = matchesCount / translationLength;
  const recall = matchesCount / referenceLength;
  const denominator = alpha * precision + (1 - alpha) * recall;
  if (denominator === 0) return 0.0;
  const fmean = (precision * recall) / denominator;
  const fragFrac = countChunks(matches) / matchesCount;
  const penalty = gamma * (beta === 3.0 ? pyCube(fragFrac) : fragFrac ** beta);
  return (1 - penalty) * fmean;
}

/** nltk `meteor_score(references, hypothesis)`: the best single score over the references. */
export function meteorScore(references: ReadonlyArray<readonly string[]>, hypothesis: readonly string[], options: MeteorOptions = {}): number {
  if (references.length === 0) throw new Error("ValueError: max() arg is an empty sequence");
  return Math.max(...references.map((r) => singleMeteorScore(r, hypothesis, options)));
}
