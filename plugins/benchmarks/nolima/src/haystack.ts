/**
 * Needle placement, data/book_haystack.py `BookHaystack` (adobe-research/NoLiMa @ 7532e4e), with the
 * evaluated model's tokenizer as the official code uses it (`encode` without special tokens,
 * `decode` of token lists):
 * 1. the whole book is encoded once; every token is decoded on its own, and the positions of the
 *    tokens whose text holds "\n" (plus position 0) are the places a needle may go;
 * 2. for depth d and context length L: p = the first such position with (p - shift) / (L + 1) >= d
 *    (position 0 when none); the haystack is tokens [p - round(L * d), p - round(L * d) + L)
 *    (numpy's round, half to even), so it spans exactly L book tokens;
 * 3. text = decode(tokens[start:p+1]) cut before its last "\n" + " " + needle + "\n" + decode(tokens[p+1:end]).
 * With a distractor, a second placement at a random depth (np.random.uniform outside a 20 % zone
 * around the needle; fixed depths below 500 tokens) locates where the distractor goes, and it is
 * inserted into the needle's text after the 49 (23) characters that preceded it.
 * `static_depth` (not used by any official run config) is not ported.
 */
import { createHash } from "node:crypto";
import { NumpyRandomState, rint } from "@loomscope/metrics";
import type { Tokenizer } from "@loomscope/spec";

export class PlacementError extends Error {
  constructor(
    readonly pythonError: string,
    message: string,
  ) {
    super(`${pythonError}: ${message}`);
    this.name = "PlacementError";
  }
}

/** `tokenizer.decode(ids)`; an empty list decodes to "" as in Python (some JS tokenizers throw on it). */
const decodeIds = async (tokenizer: Pick<Tokenizer, "decode">, ids: readonly number[]): Promise<string> =>
  ids.length === 0 ? "" : tokenizer.decode(ids);

/** A book encoded as the official code encodes it, with its newline positions. */
export interface EncodedBook {
  text: string;
  /** `hashlib.sha256(text.encode()).hexdigest()`, recorded as `haystack_hash`. */
  hash: string;
  ids: number[];
  /** `valid_positions_token_counts`: 0, then every token index whose decoded text holds "\n". */
  validPositions: number[];
}

export async function encodeBook(text: string, tokenizer: Pick<Tokenizer, "encode" | "decode">): Promise<EncodedBook> {
  const ids = await tokenizer.encode(text, { addSpecialTokens: false });
  const validPositions = [0];
  // decode([t]) depends on t alone: each distinct token is decoded once (a server tokenizer answers
  // one request per decode, and a book repeats its few thousand tokens many times).
  const holdsNewline = new Map<number, boolean>();
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i] as number;
    let has = holdsNewline.get(id);
    if (has === undefined) {
      has = (await decodeIds(tokenizer, [id])).includes("\n");
      holdsNewline.set(id, has);
    }
    if (has) validPositions.push(i);
  }
  return { text, hash: createHash("sha256").update(text, "utf8").digest("hex"), ids, validPositions };
}

export interface Placement {
  text: string;
  static_depth: number;
  token_depth: number;
  depth: number;
  context_length_wo_needle: number;
  distractor_depth?: number;
  /** Book token span of the haystack (not in the official metadata; end - start is L). */
  span: { start: number; end: number; needleAfter: number };
}

/** `_generate_w_needle_placement` with `static_depth == -1`. */
export async function placeNeedle(
  book: EncodedBook,
  tokenizer: Pick<Tokenizer, "decode">,
  needle: string,
  contextLength: number,
  depth: number,
  shift = 0,
): Promise<Placement> {
  const valid = book.validPositions;
  let best = 0;
  let bestDelta = Infinity;
  for (let i = 0; i < valid.length; i++) {
    let delta = ((valid[i] as number) - shift) / (contextLength + 1) - depth;
    if (delta < 0) delta = Infinity;
    if (delta < bestDelta) {
      bestDelta = delta;
      best = i;
    }
  }
  const p = valid[best] as number;
  const tokenDepth = rint(contextLength * depth);
  const start = p - tokenDepth;
  const end = start + contextLength;
  if (!(start >= 0)) throw new PlacementError("AssertionError", `start_pos ${start} < 0 (depth ${depth}, context length ${contextLength})`);
  if (!(end <= book.ids.length)) throw new PlacementError("AssertionError", `end_pos ${end} > ${book.ids.length} book tokens`);
  let pre = await decodeIds(tokenizer, book.ids.slice(start, p + 1));
  pre = pre.slice(0, Math.max(pre.lastIndexOf("\n"), 0));
  const post = await decodeIds(tokenizer, book.ids.slice(p + 1, end));
  return {
    text: pre + " " + needle + "\n" + post,
    static_depth: -1,
    token_depth: tokenDepth,
    depth,
    context_length_wo_needle: contextLength,
    span: { start, end, needleAfter: p },
  };
}

/** Python `s[a:b]` on code points (negative and out-of-range bounds as Python clips them). */
function pySlice(cps: readonly string[], a: number, b: number): string[] {
  const n = cps.length;
  const norm = (x: number): number => (x < 0 ? Math.max(0, n + x) : Math.min(x, n));
  return cps.slice(norm(a), norm(b));
}
function cpIndexOf(hay: readonly string[], sub: readonly string[], from = 0): number {
  outer: for (let i = from; i + sub.length <= hay.length; i++) {
    for (let j = 0; j < sub.length; j++) if (hay[i + j] !== sub[j]) continue outer;
    return i;
  }
  return -1;
}
/** Python `str.count(sub)`: non-overlapping occurrences; an empty sub counts len + 1. */
function cpCount(hay: readonly string[], sub: readonly string[]): number {
  if (sub.length === 0) return hay.length + 1;
  let n = 0;
  let i = cpIndexOf(hay, sub);
  while (i >= 0) {
    n++;
    i = cpIndexOf(hay, sub, i + sub.length);
  }
  return n;
}

/**
 * `generate_w_needle_placement`: without a distractor, `placeNeedle`; with one, draws its depth from
 * `rng` (np.random.uniform, always one draw) and inserts it as the official code does.
 */
export async function generateWithNeedle(
  book: EncodedBook,
  tokenizer: Pick<Tokenizer, "decode">,
  needle: string,
  contextLength: number,
  depth: number,
  shift: number,
  distractor: string | null,
  rng: NumpyRandomState,
  distractorFreeZone = 0.2,
): Promise<Placement> {
  if (distractor === null) return placeNeedle(book, tokenizer, needle, contextLength, depth, shift);
  if (distractorFreeZone < 0 || distractorFreeZone > 0.25) throw new PlacementError("ValueError", "Distractor free zone should be between 0 and 0.25");
  const left = Math.max(0, depth - 2 * distractorFreeZone);
  const right = Math.max(0, 1 - (depth + 2 * distractorFreeZone));
  let distDepth = rng.uniform(0, left + right);
  if (distDepth > left) distDepth = depth + distractorFreeZone + (distDepth - left);
  else distDepth += distractorFreeZone;
  if (contextLength < 500) {
    if (depth < 0.6) distDepth = 0.7;
    else if (depth > 0.75) distDepth = 0.6;
    else distDepth = 0.5;
  }
  const withDistractor = await placeNeedle(book, tokenizer, distractor, contextLength, distDepth, shift);
  const dText = Array.from(withDistractor.text);
  const dPos = cpIndexOf(dText, Array.from(distractor));
  if (dPos < 0) throw new PlacementError("ValueError", "substring not found");
  const back = contextLength >= 500 ? 50 : 25;
  const span = pySlice(dText, Math.max(dPos - back, 0), dPos - 1);
  const withNeedle = await placeNeedle(book, tokenizer, needle, contextLength, depth, shift);
  const nText = Array.from(withNeedle.text);
  if (cpCount(nText, span) > 1) throw new PlacementError("IndexError", "Multiple spans found with same pre-distractor text");
  const at = cpIndexOf(nText, span);
  if (at < 0) throw new PlacementError("ValueError", "substring not found");
  const loc = at + (contextLength >= 500 ? 49 : 23);
  const text = nText.slice(0, loc).join("") + " " + distractor + "\n" + nText.slice(loc).join("");
  return { ...withNeedle, text, distractor_depth: distDepth };
}
