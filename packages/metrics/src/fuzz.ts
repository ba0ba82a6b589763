/**
 * fuzzywuzzy 0.18.0 `fuzz.ratio` as LongBench's `code_sim_score` calls it, on the path its
 * environment takes: LongBench's requirements.txt installs `fuzzywuzzy` without
 * `python-Levenshtein`, so `fuzz.py`'s `from .StringMatcher import ...` fails and it falls back to
 * the standard library's `difflib.SequenceMatcher` (Python 3.11 difflib.py). Both are ported here:
 *
 * - `fuzz.ratio(s1, s2)`: decorators first — `check_for_none` (0), `check_for_equivalence`
 *   (100 when `s1 == s2`, so two empty strings score 100), `check_empty_string` (0) — then
 *   `utils.intr(100 * SequenceMatcher(None, s1, s2).ratio())`, i.e. `int(round(x))` with Python's
 *   round half to even.
 * - `SequenceMatcher(None, a, b)` with `autojunk=True`: when `len(b) >= 200`, every element of b
 *   that occurs more than `len(b) // 100 + 1` times is "popular" and left out of the index, so it
 *   only joins a match by the extension loops around a match found through other elements.
 *   `ratio()` is `2 * M / (len(a) + len(b))`, M the total size of the matching blocks found by
 *   recursive longest-match splitting (ties: earliest in a, then earliest in b).
 *
 * Python strings are sequences of code points; everything below works on code point arrays so
 * characters outside the BMP count once, as in Python.
 */
import { pythonRound } from "./rounding.js";

/** A matching block `(a_start, b_start, size)`, as difflib's `Match`. */
export interface MatchingBlock {
  a: number;
  b: number;
  size: number;
}

function codePoints(text: string): number[] {
  const out: number[] = [];
  for (const ch of text) out.push(ch.codePointAt(0) as number);
  return out;
}

/** difflib.SequenceMatcher with `isjunk=None`, over code points (or any integer sequence). */
export class SequenceMatcher {
  private readonly a: readonly number[];
  private readonly b: readonly number[];
  /** `b2j`: element → increasing positions in b, popular elements removed. */
  private readonly b2j = new Map<number, number[]>();
  /** Elements dropped by the autojunk heuristic (`bpopular`). */
  readonly popular = new Set<number>();
  private blocks: MatchingBlock[] | undefined;

  constructor(a: string | readonly number[], b: string | readonly number[], options: { autojunk?: boolean } = {}) {
    this.a = typeof a === "string" ? codePoints(a) : a;
    this.b = typeof b === "string" ? codePoints(b) : b;
    this.b.forEach((elt, i) => {
      const list = this.b2j.get(elt);
      if (list) list.push(i);
      else this.b2j.set(elt, [i]);
    });
    const n = this.b.length;
    if ((options.autojunk ?? true) && n >= 200) {
      const ntest = Math.floor(n / 100) + 1;
      for (const [elt, idxs] of this.b2j) if (idxs.length > ntest) this.popular.add(elt);
      for (const elt of this.popular) this.b2j.delete(elt);
    }
  }

  /** `find_longest_match(alo, ahi, blo, bhi)`. No junk set (isjunk is None), so only the first two extension loops can move. */
  findLongestMatch(alo: number, ahi: number, blo: number, bhi: number): MatchingBlock {
    const { a, b, b2j } = this;
    let besti = alo;
    let bestj = blo;
    let bestsize = 0;
    let j2len = new Map<number, number>();
    for (let i = alo; i < ahi; i++) {
      const newj2len = new Map<number, number>();
      const js = b2j.get(a[i] as number);
      if (js) {
        for (const j of js) {
          if (j < blo) continue;
          if (j >= bhi) break;
          const k = (j2len.get(j - 1) ?? 0) + 1;
          newj2len.set(j, k);
          if (k > bestsize) {
            besti = i - k + 1;
            bestj = j - k + 1;
            bestsize = k;
          }
        }
      }
      j2len = newj2len;
    }
    while (besti > alo && bestj > blo && a[besti - 1] === b[bestj - 1]) {
      besti--;
      bestj--;
      bestsize++;
    }
    while (besti + bestsize < ahi && bestj + bestsize < bhi && a[besti + bestsize] === b[bestj + bestsize]) {
      bestsize++;
    }
    return { a: besti, b: bestj, size: bestsize };
  }

  /** `get_matching_blocks()`: sorted, adjacent blocks merged, ending with the `(len(a), len(b), 0)` sentinel. */
  matchingBlocks(): MatchingBlock[] {
    if (this.blocks) return this.blocks;
    const la = this.a.length;
    const lb = this.b.length;
    const queue: [number, number, number, number][] = [[0, la, 0, lb]];
    const found: MatchingBlock[] = [];
    while (queue.length > 0) {
      const [alo, ahi, blo, bhi] = queue.pop() as [number, number, number, number];
      const x = this.findLongestMatch(alo, ahi, blo, bhi);
      const { a: i, b: j, size: k } = x;
      if (k) {
        found.push(x);
        if (alo < i && blo < j) queue.push([alo, i, blo, j]);
        if (i + k < ahi && j + k < bhi) queue.push([i + k, ahi, j + k, bhi]);
      }
    }
    found.sort((p, q) => p.a - q.a || p.b - q.b || p.size - q.size);
    const merged: MatchingBlock[] = [];
    let i1 = 0;
    let j1 = 0;
    let k1 = 0;
    for (const { a: i2, b: j2, size: k2 } of found) {
      if (i1 + k1 === i2 && j1 + k1 === j2) {
        k1 += k2;
      } else {
        if (k1) merged.push({ a: i1, b: j1, size: k1 });
        i1 = i2;
        j1 = j2;
        k1 = k2;
      }
    }
    if (k1) merged.push({ a: i1, b: j1, size: k1 });
    merged.push({ a: la, b: lb, size: 0 });
    this.blocks = merged;
    return merged;
  }

  /** `ratio()`: `2.0 * matches / (len(a) + len(b))`, 1.0 when both are empty. */
  ratio(): number {
    let matches = 0;
    for (const block of this.matchingBlocks()) matches += block.size;
    const length = this.a.length + this.b.length;
    return length ? (2.0 * matches) / length : 1.0;
  }
}

/**
 * fuzzywuzzy 0.18.0 `fuzz.ratio(s1, s2)` on the pure-Python (difflib) path: an integer 0–100.
 * `null` / `undefined` stand for Python's None (score 0).
 */
export function fuzzRatio(s1: string | null | undefined, s2: string | null | undefined): number {
  if (s1 === null || s1 === undefined || s2 === null || s2 === undefined) return 0;
  if (s1 === s2) return 100;
  if (s1.length === 0 || s2.length === 0) return 0;
  return pythonRound(100 * new SequenceMatcher(s1, s2).ratio());
}
