/**
 * wonderwords' word lists as RULER uses them, read from the package's data/wonderwords.json
 * (scripts/make-wonderwords.py; MIT, see data/LICENSE-wonderwords): niah.py's needle keys are
 * `sorted(set(f"{adj}-{noun}"))` over the full lists (6,171,620 pairs, indexed here without building
 * them), and common_words_extraction.py's words `sorted(set(nouns + adjs + verbs))`.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";

const WordsFileSchema = z.object({
  source: z.object({ repository: z.string(), commit: z.string(), files: z.array(z.string()), license: z.string() }),
  nouns: z.array(z.string()),
  adjectives: z.array(z.string()),
  verbs: z.array(z.string()),
  pairs: z.object({ count: z.number().int(), sha256: z.string(), runs: z.array(z.tuple([z.number().int(), z.number().int(), z.number().int()])) }),
  cwe: z.object({ count: z.number().int(), sha256: z.string() }),
});
export type WordsFile = z.infer<typeof WordsFileSchema>;

export interface WonderWords {
  readonly source: WordsFile["source"];
  /** `len(words)` of niah.py's adjective-noun list. */
  readonly pairCount: number;
  /** `words[i]` of niah.py's adjective-noun list. */
  pair(index: number): string;
  /** common_words_extraction.py's `sorted(set(nouns + adjs + verbs))` (before its seeded shuffle). */
  readonly cweWords: readonly string[];
  /** The digests the generator script recorded, for checks. */
  readonly digests: { pairs: string; cwe: string; cweCount: number };
}

/** Python's `sorted()` of strings: code point order (the lists are BMP-only, so UTF-16 order is the same). */
const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

let loaded: WonderWords | undefined;

export function wonderWords(): WonderWords {
  if (loaded) return loaded;
  const file = WordsFileSchema.parse(JSON.parse(readFileSync(new URL("../data/wonderwords.json", import.meta.url), "utf8")));
  const starts: number[] = [];
  let total = 0;
  for (const [, , count] of file.pairs.runs) {
    starts.push(total);
    total += count;
  }
  if (total !== file.pairs.count) throw new Error(`data/wonderwords.json: runs hold ${total} pairs, the file says ${file.pairs.count}`);
  const pair = (index: number): string => {
    if (!Number.isInteger(index) || index < 0 || index >= total) throw new RangeError(`pair index ${index} out of range`);
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= index) lo = mid;
      else hi = mid - 1;
    }
    const [a, n] = file.pairs.runs[lo] as [number, number, number];
    return `${file.adjectives[a] as string}-${file.nouns[n + index - (starts[lo] as number)] as string}`;
  };
  const cweWords = [...new Set([...file.nouns, ...file.adjectives, ...file.verbs])].sort(byCodePoint);
  loaded = { source: file.source, pairCount: total, pair, cweWords, digests: { pairs: file.pairs.sha256, cwe: file.cwe.sha256, cweCount: file.cwe.count } };
  return loaded;
}
