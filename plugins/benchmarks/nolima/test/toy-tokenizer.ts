/**
 * The regex tokenizer scripts/make-parity-fixture.py gives the official code in place of a model's
 * tokenizer (same pattern, same pieces): every piece is a token, decoding joins the pieces. Ids
 * are assigned on first sight.
 */
import type { Tokenizer } from "@loomscope/spec";

const TOKEN_RE = /[.!?,;:]\n+|\n+| ?[A-Za-z0-9_]+| ?[^\sA-Za-z0-9_]|[ \t]+|\s/g;

export function toyTokenizer(): Tokenizer & { encodeCalls: number } {
  const ids = new Map<string, number>();
  const pieces: string[] = [];
  const t = {
    id: "toy-regex",
    encodeCalls: 0,
    async encode(text: string) {
      t.encodeCalls++;
      const out: number[] = [];
      for (const m of text.matchAll(TOKEN_RE)) {
        let id = ids.get(m[0]);
        if (id === undefined) {
          id = pieces.length;
          pieces.push(m[0]);
          ids.set(m[0], id);
        }
        out.push(id);
      }
      if (out.map((i) => pieces[i]).join("") !== text) throw new Error("toy tokenizer does not cover the text");
      return out;
    },
    async decode(list: readonly number[]) {
      return list.map((i) => pieces[i]).join("");
    },
  };
  return t;
}
