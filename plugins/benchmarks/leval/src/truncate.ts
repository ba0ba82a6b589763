/**
 * The baseline scripts' document truncation (Baselines/*-test.py main loop): while the document has
 * more than `maxLength` tokens, keep its first `maxLength - cnt` pieces split on " " (codeU: its
 * last, `[cnt - maxLength:]`), `cnt` growing by 250 each round. `maxLength` is
 * `k_to_number(--max_length) - 512` officially; LOOM-Scope uses its max_length as it is.
 */
import { TRUNCATION } from "./tasks.js";

/** `k_to_number("16k")` = 16000: `int(float(k.rstrip('k')) * 1000)`. */
export function kToNumber(k: string): number {
  const num = Number(k.replace(/k+$/, ""));
  if (!Number.isFinite(num)) throw new Error(`could not convert string to float: '${k.replace(/k+$/, "")}'`);
  return Math.trunc(num * 1000);
}

/** Python `seq[a:b]` for an array with possibly negative bounds. */
function pySlice<T>(seq: readonly T[], start: number | undefined, end: number | undefined): T[] {
  const n = seq.length;
  const norm = (i: number | undefined, dflt: number) => (i === undefined ? dflt : i < 0 ? Math.max(0, n + i) : Math.min(i, n));
  return seq.slice(norm(start, 0), norm(end, n));
}

/**
 * Cut a document as the official loop does. `countTokens` is the model tokenizer's count of the
 * document (BOS included, as `tokenizer(string)` counts). Returns the document and the rounds taken.
 */
export async function truncateDocument(
  document: string,
  maxLength: number,
  countTokens: (text: string) => number | Promise<number>,
  fromLeft: boolean,
): Promise<{ document: string; rounds: number }> {
  let doc = document;
  let cnt = 0;
  let rounds = 0;
  let tokens = await countTokens(doc);
  while (tokens > maxLength) {
    // An empty document still over the budget (a budget below the BOS) loops forever officially.
    if (doc === "" && rounds > 0) throw new Error(`the document cannot be cut to ${maxLength} tokens (the official loop would not end)`);
    const pieces = doc.split(" ");
    doc = fromLeft ? pySlice(pieces, cnt - maxLength, undefined).join(" ") : pySlice(pieces, undefined, maxLength - cnt).join(" ");
    cnt += TRUNCATION.step;
    rounds++;
    tokens = await countTokens(doc);
  }
  return { document: doc, rounds };
}
