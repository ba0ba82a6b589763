/**
 * Google's `rouge_score` package (google-research/rouge, released on PyPI as rouge-score 0.1.2):
 * `rouge_scorer.RougeScorer` with its `DefaultTokenizer` (tokenize.py / tokenizers.py), the NLTK
 * Porter stemmer it builds for `use_stemmer=True`, rouge1…rouge9, rougeL and rougeLsum, and
 * `score_multi`. This is the ROUGE of HF `evaluate.load("rouge")`, LEval's Evaluation/rouge.py and
 * InfiniteBench's compute_scores.py — not the `rouge` 1.0.1 package of `rouge.ts`.
 *
 * What it does, quirks included:
 * - tokenize: Python `str.lower()`, every run of characters outside `[a-z0-9]` becomes one space,
 *   split on whitespace, Porter-stem tokens longer than 3 characters, keep tokens matching
 *   `^[a-z0-9]+$`. So non-ASCII letters (Chinese, accented Latin) are dropped entirely, while
 *   characters whose Python lower case is ASCII (U+212A KELVIN SIGN → "k", U+0130 → "i" + U+0307)
 *   survive as ASCII.
 * - rougeN: clipped n-gram counts; precision = hits / max(#pred n-grams, 1), recall likewise.
 * - rougeL: LCS over the whole token lists; 0 when either side has no tokens.
 * - rougeLsum: texts split on "\n" only (empty lines dropped), summary-level union-LCS with the
 *   ROUGE-1.5.5 double-counting guard; 0 when either side has no lines or no tokens.
 * - fmeasure = 2 * p * r / (p + r), 0 when p + r == 0.
 * - `score_multi` keeps, per rouge type, the score of the first target with the highest fmeasure
 *   (`np.argmax`); an empty target list raises.
 *
 * Not ported: `split_summaries=True` (nltk.sent_tokenize inside rougeLsum; callers that need it
 * split sentences themselves and join them with "\n", as LEval does) and
 * `scoring.BootstrapAggregator`, whose intervals come from unseeded numpy resampling.
 */
import { PorterStemmer } from "./porter.js";
import { pyLower } from "./unicode.js";

export interface RougeScore {
  precision: number;
  recall: number;
  fmeasure: number;
}

/** A tokenizer object as `RougeScorer(tokenizer=...)` accepts: anything with `tokenize(text)`. */
export interface RougeTokenizer {
  tokenize(text: string): string[];
}

const NON_ALPHANUM = /[^a-z0-9]+/g;
/** Python's `\s` (str patterns): Unicode whitespace plus \x1c-\x1f. After NON_ALPHANUM only " " remains. */
const SPACES = / +/;
const VALID_TOKEN = /^[a-z0-9]+$/;

/** tokenize.py `tokenize(text, stemmer)`. */
export function rougeScoreTokenize(text: string, stemmer: PorterStemmer | null = null): string[] {
  const lowered = pyLower(text).replace(NON_ALPHANUM, " ");
  let tokens = lowered.split(SPACES);
  if (stemmer) tokens = tokens.map((token) => (token.length > 3 ? stemmer.stem(token) : token));
  return tokens.filter((token) => VALID_TOKEN.test(token));
}

/** tokenizers.py `DefaultTokenizer(use_stemmer)`. */
export class DefaultRougeTokenizer implements RougeTokenizer {
  private readonly stemmer: PorterStemmer | null;
  constructor(useStemmer = false) {
    this.stemmer = useStemmer ? new PorterStemmer() : null;
  }
  tokenize(text: string): string[] {
    return rougeScoreTokenize(text, this.stemmer);
  }
}

/** scoring.py `fmeasure`. */
export function rougeFmeasure(precision: number, recall: number): number {
  return precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
}

const ZERO: RougeScore = Object.freeze({ precision: 0, recall: 0, fmeasure: 0 });

export interface RougeScorerOptions {
  useStemmer?: boolean;
  tokenizer?: RougeTokenizer;
}

/** `rouge_scorer.RougeScorer(rouge_types, use_stemmer=False, tokenizer=None)`. */
export class RougeScorer {
  readonly rougeTypes: readonly string[];
  private readonly tokenizer: RougeTokenizer;

  constructor(rougeTypes: readonly string[], options: RougeScorerOptions = {}) {
    this.rougeTypes = [...rougeTypes];
    this.tokenizer = options.tokenizer ?? new DefaultRougeTokenizer(options.useStemmer ?? false);
  }

  /** `score(target, prediction)`: one Score per rouge type, in the order given. */
  score(target: string, prediction: string): Record<string, RougeScore> {
    const onlyLsum = this.rougeTypes.length === 1 && this.rougeTypes[0] === "rougeLsum";
    const targetTokens = onlyLsum ? [] : this.tokenizer.tokenize(target);
    const predictionTokens = onlyLsum ? [] : this.tokenizer.tokenize(prediction);
    const result: Record<string, RougeScore> = {};
    for (const rougeType of this.rougeTypes) {
      if (rougeType === "rougeL") {
        result[rougeType] = scoreLcs(targetTokens, predictionTokens);
      } else if (rougeType === "rougeLsum") {
        const targetSents = summarySentences(target).map((s) => this.tokenizer.tokenize(s));
        const predictionSents = summarySentences(prediction).map((s) => this.tokenizer.tokenize(s));
        result[rougeType] = summaryLevelLcs(targetSents, predictionSents);
      } else {
        // re.match(r"rouge[0-9]$", ...): `$` also matches before a final "\n", and int() strips it.
        const match = /^rouge([0-9])\n?$/.exec(rougeType);
        if (!match) throw new Error(`Invalid rouge type: ${rougeType}`);
        const n = Number(match[1]);
        if (n <= 0) throw new Error(`rougen requires positive n: ${rougeType}`);
        result[rougeType] = scoreNgrams(createNgrams(targetTokens, n), createNgrams(predictionTokens, n));
      }
    }
    return result;
  }

  /** `score_multi(targets, prediction)`: per type, the first target's Score with the highest fmeasure. */
  scoreMulti(targets: readonly string[], prediction: string): Record<string, RougeScore> {
    if (targets.length === 0) throw new Error("attempt to get argmax of an empty sequence");
    const perTarget = targets.map((target) => this.score(target, prediction));
    const best: Record<string, RougeScore> = {};
    for (const rougeType of this.rougeTypes) {
      let index = 0;
      for (let i = 1; i < perTarget.length; i++) {
        if ((perTarget[i]![rougeType] as RougeScore).fmeasure > (perTarget[index]![rougeType] as RougeScore).fmeasure) index = i;
      }
      best[rougeType] = perTarget[index]![rougeType] as RougeScore;
    }
    return best;
  }
}

/** rougeLsum's `get_sents` without split_summaries: `text.split("\n")`, empty strings dropped. */
function summarySentences(text: string): string[] {
  return text.split("\n").filter((s) => s.length > 0);
}

/** `_create_ngrams`: a Counter of n-gram tuples (keyed here by the tokens joined with U+0001). */
export function createNgrams(tokens: readonly string[], n: number): Map<string, number> {
  const ngrams = new Map<string, number>();
  for (let i = 0; i + n <= tokens.length; i++) {
    const key = tokens.slice(i, i + n).join("\u0001");
    ngrams.set(key, (ngrams.get(key) ?? 0) + 1);
  }
  return ngrams;
}

/** `_score_ngrams`. */
export function scoreNgrams(target: ReadonlyMap<string, number>, prediction: ReadonlyMap<string, number>): RougeScore {
  let hits = 0;
  for (const [ngram, count] of target) hits += Math.min(count, prediction.get(ngram) ?? 0);
  let targetCount = 0;
  for (const count of target.values()) targetCount += count;
  let predictionCount = 0;
  for (const count of prediction.values()) predictionCount += count;
  const precision = hits / Math.max(predictionCount, 1);
  const recall = hits / Math.max(targetCount, 1);
  return { precision, recall, fmeasure: rougeFmeasure(precision, recall) };
}

/** `_score_lcs`. */
export function scoreLcs(target: readonly string[], prediction: readonly string[]): RougeScore {
  if (target.length === 0 || prediction.length === 0) return { ...ZERO };
  const lcs = lcsLength(target, prediction);
  const precision = lcs / prediction.length;
  const recall = lcs / target.length;
  return { precision, recall, fmeasure: rougeFmeasure(precision, recall) };
}

/** The last cell of `_lcs_table(ref, can)`, in two rows. */
function lcsLength(ref: readonly string[], can: readonly string[]): number {
  const cols = can.length;
  let previous = new Int32Array(cols + 1);
  let current = new Int32Array(cols + 1);
  for (let i = 1; i <= ref.length; i++) {
    const r = ref[i - 1];
    for (let j = 1; j <= cols; j++) {
      current[j] = r === can[j - 1] ? (previous[j - 1] as number) + 1 : Math.max(previous[j] as number, current[j - 1] as number);
    }
    [previous, current] = [current, previous];
  }
  return previous[cols] as number;
}

/** `_lcs_table(ref, can)`: (len(ref)+1) × (len(can)+1), row-major. */
export function lcsTable(ref: readonly unknown[], can: readonly unknown[]): Int32Array[] {
  const table: Int32Array[] = [];
  for (let i = 0; i <= ref.length; i++) table.push(new Int32Array(can.length + 1));
  for (let i = 1; i <= ref.length; i++) {
    const row = table[i] as Int32Array;
    const above = table[i - 1] as Int32Array;
    for (let j = 1; j <= can.length; j++) {
      row[j] = ref[i - 1] === can[j - 1] ? (above[j - 1] as number) + 1 : Math.max(above[j] as number, row[j - 1] as number);
    }
  }
  return table;
}

/** `_backtrack_norec(t, ref, can)`: indices into ref of one LCS, with the original tie-breaking. */
export function backtrackLcs(table: readonly Int32Array[], ref: readonly unknown[], can: readonly unknown[]): number[] {
  let i = ref.length;
  let j = can.length;
  const reversed: number[] = [];
  while (i > 0 && j > 0) {
    if (ref[i - 1] === can[j - 1]) {
      reversed.push(i - 1);
      i--;
      j--;
    } else if ((table[i] as Int32Array)[j - 1]! > (table[i - 1] as Int32Array)[j]!) {
      j--;
    } else {
      i--;
    }
  }
  return reversed.reverse();
}

/** `lcs_ind(ref, can)`. */
export function lcsIndices(ref: readonly unknown[], can: readonly unknown[]): number[] {
  return backtrackLcs(lcsTable(ref, can), ref, can);
}

/** `_find_union(lcs_list)`: sorted union of index lists. */
export function findUnion(lcsList: readonly (readonly number[])[]): number[] {
  const union = new Set<number>();
  for (const lcs of lcsList) for (const index of lcs) union.add(index);
  return [...union].sort((a, b) => a - b);
}

/** `_union_lcs(ref, c_list)`: the ref tokens at the union of one LCS per candidate sentence. */
export function unionLcs<T>(ref: readonly T[], candidates: readonly (readonly T[])[]): T[] {
  return findUnion(candidates.map((c) => lcsIndices(ref, c))).map((i) => ref[i] as T);
}

/** `_summary_level_lcs(ref_sent, can_sent)` (ROUGE paper §3.2, with ROUGE-1.5.5's double-count guard). */
export function summaryLevelLcs(refSents: readonly (readonly string[])[], canSents: readonly (readonly string[])[]): RougeScore {
  if (refSents.length === 0 || canSents.length === 0) return { ...ZERO };
  let m = 0;
  for (const s of refSents) m += s.length;
  let n = 0;
  for (const s of canSents) n += s.length;
  if (n === 0 || m === 0) return { ...ZERO };
  const countsR = new Map<string, number>();
  const countsC = new Map<string, number>();
  for (const s of refSents) for (const t of s) countsR.set(t, (countsR.get(t) ?? 0) + 1);
  for (const s of canSents) for (const t of s) countsC.set(t, (countsC.get(t) ?? 0) + 1);
  let hits = 0;
  for (const r of refSents) {
    for (const t of unionLcs(r, canSents)) {
      const c = countsC.get(t) ?? 0;
      const rr = countsR.get(t) ?? 0;
      if (c > 0 && rr > 0) {
        hits++;
        countsC.set(t, c - 1);
        countsR.set(t, rr - 1);
      }
    }
  }
  const recall = hits / m;
  const precision = hits / n;
  return { precision, recall, fmeasure: rougeFmeasure(precision, recall) };
}
