/**
 * LongBench-Cite's context chunking and citation parsing (THUDM/LongCite @ d7d772e3):
 * - utils/retrieve.py `text_split_by_punctuation`: nltk's untrained PunktSentenceTokenizer, then a
 *   split after each of 。；！？, a fallback to "\n\n" paragraphs when that gives one piece, strip;
 *   positions by `original_text.find(sent, pos)` (in code points, as Python counts);
 * - LongBench-Cite/pred_one_shot.py: the `<C{i}>` passage of the one-shot prompt, `postprocess`
 *   (statements inside and between `<statement>…</statement>`) and `get_citations`
 *   (`<cite>[a-b][c-d]</cite>` spans over the chunks, clipped, consecutive spans merged, at most 3).
 */
import { punktSentences, pyStrip } from "@loomscope/metrics";
import { ONE_SHOT_TEMPLATE } from "./prompts.js";

export interface ContextSentence {
  c_idx: number;
  content: string;
  /** Code-point offsets into the context. */
  start_idx: number;
  end_idx: number;
}

/** A sentence extended to the next one's start: what a citation of it quotes. */
export interface Chunk {
  content: string;
  start: number;
  end: number;
  c_idx: number;
}

export interface Citation {
  st_sent: number;
  ed_sent: number;
  start_char: number;
  end_char: number;
  cite: string;
}

export interface Statement {
  statement: string;
  citation: Citation[];
}

const CJK_PUNCT = /([。；！？])/u;
const cpLength = (s: string): number => {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xdc00 || c > 0xdfff || i === 0 || (s.charCodeAt(i - 1) & 0xfc00) !== 0xd800) n++;
  }
  return n;
};

/** `text_split_by_punctuation(original_text)`: the sentence strings. */
export function splitByPunctuation(originalText: string): string[] {
  let separated = punktSentences(originalText).flatMap((s) => s.split(CJK_PUNCT));
  for (let i = 1; i < separated.length; i++) {
    if (/^[。；！？]/u.test(separated[i] as string)) {
      separated[i - 1] += separated[i] as string;
      separated[i] = "";
    }
  }
  separated = separated.filter((s) => s !== "");
  if (separated.length === 1) separated = originalText.split("\n\n");
  return separated.filter((s) => pyStrip(s) !== "").map(pyStrip);
}

/** `text_split_by_punctuation(original_text, return_dict=True)`. */
export function textSplitByPunctuation(originalText: string): ContextSentence[] {
  const out: ContextSentence[] = [];
  let pos = 0; // UTF-16
  for (const [i, sent] of splitByPunctuation(originalText).entries()) {
    const st = originalText.indexOf(sent, pos);
    if (st === -1) throw new Error(`AssertionError: ${sent}`);
    const ed = st + sent.length;
    const startCp = cpLength(originalText.slice(0, st));
    out.push({ c_idx: i, content: sent, start_idx: startCp, end_idx: startCp + cpLength(sent) });
    pos = ed;
  }
  return out;
}

/** Code-point slice of `text`. */
function cpSlice(text: string, cps: readonly string[] | undefined, start: number, end: number): string {
  return (cps ?? Array.from(text)).slice(start, end).join("");
}

/** pred_one_shot.py `process`: the context with `<C{i}>` before each sentence (each running to the next one's start). */
export function chunkedPassage(context: string, sents: readonly ContextSentence[]): string {
  const cps = Array.from(context);
  let passage = "";
  sents.forEach((c, i) => {
    const ed = i < sents.length - 1 ? (sents[i + 1] as ContextSentence).start_idx : cps.length;
    passage += `<C${i}>` + cpSlice(context, cps, c.start_idx, ed);
  });
  return passage;
}

/** The one-shot prompt: `prompt_format.replace('<<context>>', passage).replace('<<question>>', query)`. */
export function oneShotPrompt(context: string, query: string): string {
  const passage = chunkedPassage(context, textSplitByPunctuation(context));
  return ONE_SHOT_TEMPLATE.split("<<context>>").join(passage).split("<<question>>").join(query);
}

/** `postprocess`'s chunks: each sentence extended to the next sentence's start. */
export function chunksOf(context: string, sents: readonly ContextSentence[]): Chunk[] {
  const cps = Array.from(context);
  return sents.map((s, k) => {
    const sed = k < sents.length - 1 ? (sents[k + 1] as ContextSentence).start_idx : s.end_idx;
    return { content: cpSlice(context, cps, s.start_idx, sed), start: s.start_idx, end: sed, c_idx: s.c_idx };
  });
}

/** `get_citations(statement, sents)`: the statement without its cite tags, and its merged citations (at most 3). */
export function getCitations(statement: string, chunks: readonly Chunk[]): [string, Citation[]] {
  const cTexts = [...statement.matchAll(/<cite>([\s\S]*?)<\/cite>/g)].map((m) => m[1] as string);
  const spans = cTexts.flatMap((t) => [...t.matchAll(/\[([0-9]+-[0-9]+)\]/g)].map((m) => m[1] as string));
  const text = statement.replace(/<cite>[\s\S]*?<\/cite>/g, "");
  const merged: Citation[] = [];
  const n = chunks.length;
  const join = (a: number, b: number): string => chunks.slice(a, b + 1).map((x) => x.content).join("");
  for (const s of spans) {
    const [a, b] = s.split("-").map((x) => Number.parseInt(x, 10)) as [number, number];
    let st = a;
    let ed = b;
    if (st > n - 1 || ed < st) continue;
    st = Math.max(0, st);
    ed = Math.min(ed, n - 1);
    const last = merged.at(-1);
    if (last && st === last.ed_sent + 1) {
      last.ed_sent = ed;
      last.end_char = (chunks[ed] as Chunk).end;
      last.cite = join(last.st_sent, ed);
    } else {
      merged.push({ st_sent: st, ed_sent: ed, start_char: (chunks[st] as Chunk).start, end_char: (chunks[ed] as Chunk).end, cite: join(st, ed) });
    }
  }
  return [text, merged.slice(0, 3)];
}

/** `postprocess(answer, context, sents)`: statements with their citations, in order. */
export function postprocess(answer: string, chunks: readonly Chunk[]): Statement[] {
  const res: Statement[] = [];
  let pos = 0;
  for (;;) {
    let st = answer.indexOf("<statement>", pos);
    if (st === -1) st = answer.length;
    const ed = answer.indexOf("</statement>", st);
    const between = answer.slice(pos, st);
    if (cpLength(pyStrip(between)) > 5) res.push({ statement: pyStrip(between), citation: [] });
    if (ed === -1) break;
    const inside = answer.slice(st + "<statement>".length, ed);
    if (pyStrip(inside).length > 0) {
      const [text, citations] = getCitations(inside, chunks);
      res.push({ statement: pyStrip(text), citation: citations });
    }
    pos = ed + "</statement>".length;
  }
  return res;
}

/** pred_one_shot.py on a model reply: "statement>…" gets its "<" back, then postprocess over the context's chunks. */
export function statementsOf(output: string, context: string): Statement[] {
  const fixed = output.startsWith("statement>") ? "<" + output : output;
  return postprocess(fixed, chunksOf(context, textSplitByPunctuation(context)));
}
