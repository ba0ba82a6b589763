/**
 * ROUGE-L exactly as the Python `rouge` package 1.0.1 computes
 * `Rouge().get_scores([hyp], [ref], avg=True)["rouge-l"]["f"]` (rouge/rouge.py, rouge/rouge_score.py),
 * and the LongBench / LV-Eval wrappers around it (`rouge_score`, `rouge_zh_score`,
 * `rouge_zh_score_blacklist`).
 *
 * What rouge 1.0.1 does, quirks included:
 * - hyp and ref are cut into "sentences" on every "." (`text.split(".")`), empty pieces dropped,
 *   each piece whitespace-collapsed (`" ".join(s.split())`); a piece of only whitespace survives as
 *   an empty sentence whose one word is "".
 * - words are the sentences split on " ". ROUGE-L is summary-level: m and n count *distinct* words
 *   (`exclusive=True` makes them sets), the hit count is the size of the union of the *word sets*
 *   of one reconstructed LCS per (ref sentence, hyp sentence) pair.
 * - f = 2 * (p * r) / (p + r + 1e-8), so identical texts score 0.99999999..., not 1.
 * - the LCS is reconstructed by a recursive function, one Python frame per step. Past Python's
 *   recursion limit it raises RecursionError, which the LongBench / LV-Eval wrappers catch with a
 *   bare `except:` and score 0. Empty hyp or ref (no sentences) raise ValueError: also 0.
 */
import { cutZh } from "./jieba.js";
import { normalizeZhAnswer } from "./normalize.js";
import { ABANDON_WORDS_ZH } from "./f1.js";
import { pySplit } from "./unicode.js";
import { OfficialScorerError } from "./errors.js";

export interface RougeRecursionOptions {
  /** `sys.getrecursionlimit()` of the Python that ran the official scorer. Default 1000; `Infinity` disables the quirk. */
  recursionLimit?: number;
  /**
   * Python frames on the stack when `Rouge.get_scores` is called. Default 4: the LV-Eval and
   * LongBench `rouge_zh_score*` path (module → scorer → rouge_zh_score[_blacklist] → rouge_score).
   * LongBench's English `rouge_score` called straight from its scorer is 3.
   */
  callerFrames?: number;
}

/**
 * Frames `get_scores` adds before the first `_recon` call: get_scores → _get_avg_scores → lambda →
 * rouge_l_summary_level → _union_lcs → _recon_lcs. Measured with Debian 12's Python 3.11.2: the
 * call succeeds while all Python frames together are at most the recursion limit. Through LV-Eval's
 * evaluation.py (4 caller frames) two identical 989-word texts score 0.999999995, 990 words raise.
 */
const GET_SCORES_FRAMES = 6;

/** How many nested `_recon` calls fit: caller + 6 + recon frames <= recursion limit. */
export function maxReconFrames(options: RougeRecursionOptions = {}): number {
  const limit = options.recursionLimit ?? 1000;
  const caller = options.callerFrames ?? 4;
  return limit - caller - GET_SCORES_FRAMES;
}

/** rouge 1.0.1's sentence split: `[" ".join(s.split()) for s in text.split(".") if len(s) > 0]`. */
export function rougeSentences(text: string): string[] {
  const out: string[] = [];
  for (const piece of text.split(".")) if (piece.length > 0) out.push(pySplit(piece).join(" "));
  return out;
}

class RecursionLimit extends Error {}

/**
 * Word set of the LCS `_recon_lcs(x, y)` reconstructs (x = reference words, y = hypothesis
 * words), walking the same path the recursive code takes. Throws RecursionLimit when that path
 * needs more than `maxFrames` nested calls. Only the bottom-right (maxFrames+1)² window of the
 * DP table can be visited before that, so memory stays O(|y| + window²).
 */
function reconLcsWords(x: readonly string[], y: readonly string[], maxFrames: number): Set<string> {
  const n = x.length;
  const m = y.length;
  // The walk ends when i or j hits 0 and takes >= min(n, m) steps; frames = steps + 1.
  if (Math.min(n, m) + 1 > maxFrames) throw new RecursionLimit();
  const budget = Number.isFinite(maxFrames) ? Math.max(0, maxFrames) : n + m + 1;
  const r0 = Math.max(0, n - budget - 1);
  const c0 = Math.max(0, m - budget - 1);
  const rows = n - r0 + 1;
  const cols = m - c0 + 1;
  // Intern words so comparisons are integer compares.
  const ids = new Map<string, number>();
  const xi = new Int32Array(n);
  const yi = new Int32Array(m);
  for (let i = 0; i < n; i++) {
    const w = x[i] as string;
    let id = ids.get(w);
    if (id === undefined) ids.set(w, (id = ids.size));
    xi[i] = id;
  }
  for (let j = 0; j < m; j++) {
    const w = y[j] as string;
    let id = ids.get(w);
    if (id === undefined) ids.set(w, (id = -1 - j));
    yi[j] = id;
  }
  const window = new Int32Array(rows * cols);
  let prev = new Int32Array(m + 1);
  let cur = new Int32Array(m + 1);
  if (r0 === 0) for (let j = c0; j <= m; j++) window[j - c0] = 0;
  for (let i = 1; i <= n; i++) {
    const xv = xi[i - 1] as number;
    cur[0] = 0;
    for (let j = 1; j <= m; j++) {
      if (xv === yi[j - 1]) cur[j] = (prev[j - 1] as number) + 1;
      else {
        const up = prev[j] as number;
        const left = cur[j - 1] as number;
        cur[j] = up > left ? up : left;
      }
    }
    if (i >= r0) {
      const base = (i - r0) * cols;
      for (let j = c0; j <= m; j++) window[base + j - c0] = cur[j] as number;
    }
    const t = prev;
    prev = cur;
    cur = t;
  }
  const at = (i: number, j: number): number => window[(i - r0) * cols + (j - c0)] as number;
  const words = new Set<string>();
  let i = n;
  let j = m;
  let frames = 1;
  while (i > 0 && j > 0) {
    if (frames >= maxFrames) throw new RecursionLimit();
    frames++;
    if (xi[i - 1] === yi[j - 1]) {
      words.add(x[i - 1] as string);
      i--;
      j--;
    } else if (at(i - 1, j) > at(i, j - 1)) {
      i--;
    } else {
      j--;
    }
  }
  return words;
}

/** rouge 1.0.1's result for one metric, in its key order `{"r", "p", "f"}`. */
export interface RougeFpr {
  r: number;
  p: number;
  f: number;
}

/** `rouge_l_summary_level(hyp_sentences, ref_sentences)` with exclusive=True. */
function rougeLSummaryLevel(hyp: readonly string[], ref: readonly string[], maxFrames: number): RougeFpr {
  const refWords = ref.flatMap((s) => s.split(" "));
  const hypWords = hyp.map((s) => s.split(" "));
  const m = new Set(refWords).size;
  const n = new Set(hypWords.flat()).size;
  const union = new Set<string>();
  for (const r of ref) {
    const rw = r.split(" ");
    for (const hw of hypWords) for (const w of reconLcsWords(rw, hw, maxFrames)) union.add(w);
  }
  const llcs = union.size;
  const rLcs = llcs / m;
  const pLcs = llcs / n;
  return { r: rLcs, p: pLcs, f: 2.0 * ((pLcs * rLcs) / (pLcs + rLcs + 1e-8)) };
}

/** `rouge_n(hyp_sentences, ref_sentences, n)` with exclusive=True: n-gram *sets* over all words, across sentence ends. */
function rougeN(hyp: readonly string[], ref: readonly string[], n: number): RougeFpr {
  const grams = (sentences: readonly string[]): Set<string> => {
    const words = sentences.flatMap((s) => s.split(" "));
    const out = new Set<string>();
    for (let i = 0; i + n <= words.length; i++) out.add(JSON.stringify(words.slice(i, i + n)));
    return out;
  };
  const evaluated = grams(hyp);
  const reference = grams(ref);
  let overlap = 0;
  for (const g of evaluated) if (reference.has(g)) overlap++;
  const p = evaluated.size === 0 ? 0.0 : overlap / evaluated.size;
  const r = reference.size === 0 ? 0.0 : overlap / reference.size;
  return { r, p, f: 2.0 * ((p * r) / (p + r + 1e-8)) };
}

export type Rouge101Metric = "rouge-1" | "rouge-2" | "rouge-3" | "rouge-4" | "rouge-5" | "rouge-l";

/**
 * `Rouge(metrics).get_scores([hypothesis], [reference])[0]` of rouge 1.0.1 (the per-pair path,
 * `avg=False`), raising where it raises: an empty side (no sentence after the "." split) is
 * `ValueError`, an LCS walk deeper than the recursion limit is `RecursionError`, both as
 * `OfficialScorerError`. Callers that catch (LongBench) score 0; callers that do not (LooGLE) stop.
 */
export function rougeScores<M extends Rouge101Metric = "rouge-1" | "rouge-2" | "rouge-l">(
  hypothesis: string,
  reference: string,
  metrics: readonly M[] = ["rouge-1", "rouge-2", "rouge-l"] as readonly Rouge101Metric[] as readonly M[],
  options: RougeRecursionOptions = {},
): Record<M, RougeFpr> {
  const hyp = rougeSentences(hypothesis);
  const ref = rougeSentences(reference);
  const out = {} as Record<M, RougeFpr>;
  for (const metric of metrics) {
    if (metric === "rouge-l") {
      if (hyp.length === 0 || ref.length === 0) throw new OfficialScorerError("ValueError", "Collections must contain at least 1 sentence.");
      try {
        out[metric] = rougeLSummaryLevel(hyp, ref, maxReconFrames(options));
      } catch (e) {
        if (e instanceof RecursionLimit) throw new OfficialScorerError("RecursionError", "maximum recursion depth exceeded in rouge's _recon");
        throw e;
      }
    } else {
      if (hyp.length === 0) throw new OfficialScorerError("ValueError", "Hypothesis is empty.");
      if (ref.length === 0) throw new OfficialScorerError("ValueError", "Reference is empty.");
      out[metric] = rougeN(hyp, ref, Number(metric.slice("rouge-".length)));
    }
  }
  return out;
}

/**
 * `Rouge().get_scores([hypothesis], [reference], avg=True)["rouge-l"]["f"]`, returning 0 where
 * that call raises (what LongBench / LV-Eval `rouge_score` does with its bare `except:`).
 */
export function rougeL(hypothesis: string, reference: string, options: RougeRecursionOptions = {}): number {
  const hyp = rougeSentences(hypothesis);
  const ref = rougeSentences(reference);
  // rouge-1 / rouge-2 run first and raise ValueError on an empty side; rouge-l would too.
  if (hyp.length === 0 || ref.length === 0) return 0.0;
  try {
    return rougeLSummaryLevel(hyp, ref, maxReconFrames(options)).f;
  } catch (e) {
    if (e instanceof RecursionLimit) return 0.0;
    throw e;
  }
}

/**
 * `Rouge().get_scores(hypothesis, reference)[0]["rouge-l"]["f"]` called with no try/except around
 * it (CLongEval's `rouge_zh_score`): where rouge 1.0.1 raises, this throws OfficialScorerError
 * with the Python exception (ValueError for an empty side, RecursionError past the limit).
 */
export function rougeLOrRaise(hypothesis: string, reference: string, options: RougeRecursionOptions = {}): number {
  const hyp = rougeSentences(hypothesis);
  const ref = rougeSentences(reference);
  if (hyp.length === 0) throw new OfficialScorerError("ValueError", "rouge: Hypothesis is empty.");
  if (ref.length === 0) throw new OfficialScorerError("ValueError", "rouge: Reference is empty.");
  try {
    return rougeLSummaryLevel(hyp, ref, maxReconFrames(options)).f;
  } catch (e) {
    if (e instanceof RecursionLimit) {
      throw new OfficialScorerError("RecursionError", "rouge: maximum recursion depth exceeded in _recon");
    }
    throw e;
  }
}

/** LongBench `rouge_zh_score`: ROUGE-L over space-joined jieba tokens. */
export function rougeLZh(prediction: string, groundTruth: string, options: RougeRecursionOptions = {}): number {
  return rougeL(cutZh(prediction).join(" "), cutZh(groundTruth).join(" "), options);
}

const BLACKLIST_ZH = new Set(ABANDON_WORDS_ZH);

function blacklistTokens(text: string): string {
  // As LV-Eval writes it: cut, join with spaces, cut that again, normalise each token, drop
  // blacklisted ones (empty tokens stay), join with spaces.
  const twice = cutZh(cutZh(text).join(" "));
  const kept: string[] = [];
  for (const t of twice) {
    const n = normalizeZhAnswer(t);
    if (!BLACKLIST_ZH.has(n)) kept.push(n);
  }
  return kept.join(" ");
}

/** LV-Eval `rouge_zh_score_blacklist` (dureader_mixup). */
export function rougeLZhBlacklist(
  prediction: string,
  groundTruth: string,
  options: RougeRecursionOptions = {},
): number {
  return rougeL(blacklistTokens(prediction), blacklistTokens(groundTruth), options);
}
