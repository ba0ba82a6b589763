/**
 * nltk's PunktSentenceTokenizer (nltk/tokenize/punkt.py, nltk 3.8), the sentence splitting path:
 * word tokenization with PunktLanguageVars' regexes, the first and second annotation passes
 * (abbreviations, ellipses, initials and ordinals, the orthographic heuristic), the candidate
 * contexts of `_match_potential_end_contexts`, `_slices_from_text` and `_realign_boundaries`.
 * Parameters default to an untrained tokenizer (`PunktSentenceTokenizer()`: no abbreviations,
 * collocations, sentence starters or orthographic context), which is what LongCite uses; trained
 * parameters (e.g. nltk's English model) can be passed in.
 * Python's Unicode semantics are kept: `\s`, `\w`, `\d`, `str.isupper`, `str.lower`, `str.strip`.
 */
import { PY_WHITESPACE_CHARS, isPyWhitespace, isPyWordChar, pyLower } from "./unicode.js";
import { pyStrip } from "./python.js";

export interface PunktParameters {
  abbrevTypes: ReadonlySet<string>;
  /** `${first}\u0000${second}` pairs. */
  collocations: ReadonlySet<string>;
  sentStarters: ReadonlySet<string>;
  orthoContext: ReadonlyMap<string, number>;
}

export const UNTRAINED_PUNKT: PunktParameters = {
  abbrevTypes: new Set(),
  collocations: new Set(),
  sentStarters: new Set(),
  orthoContext: new Map(),
};

// Orthographic context flags (punkt.py).
const ORTHO_BEG_UC = 1 << 1;
const ORTHO_MID_UC = 1 << 2;
const ORTHO_UNK_UC = 1 << 3;
const ORTHO_BEG_LC = 1 << 4;
const ORTHO_MID_LC = 1 << 5;
const ORTHO_UNK_LC = 1 << 6;
const ORTHO_UC = ORTHO_BEG_UC + ORTHO_MID_UC + ORTHO_UNK_UC;
const ORTHO_LC = ORTHO_BEG_LC + ORTHO_MID_LC + ORTHO_UNK_LC;

const WS = `[${PY_WHITESPACE_CHARS}]`;
const NWS = `[^${PY_WHITESPACE_CHARS}]`;
/** `_re_non_word_chars`: `(?:[)\";}\]\*:@\'\({\[` + "?!" + `])`. */
const NON_WORD = `(?:[)";}\\]*:@'({\\[?!])`;
/** `_re_multi_char_punct`. */
const MULTI_CHAR = `(?:-{2,}|\\.{2,}|(?:\\.${WS}){2,}\\.)`;
/** `_re_word_start`: not one of ( " \` { [ : ; & # * @ ) } ] - , */
const WORD_START = `[^("\`{\\[:;&#*@)}\\]\\-,]`;
/** `_word_tokenize_fmt` (VERBOSE whitespace removed). */
const WORD_TOKENIZER = new RegExp(
  `${MULTI_CHAR}|(?=${WORD_START})${NWS}+?(?=${WS}|$|${NON_WORD}|${MULTI_CHAR}|,(?=$|${WS}|${NON_WORD}|${MULTI_CHAR}))|${NWS}`,
  "gu",
);
/** `_period_context_fmt`: a sentence-end character followed by punctuation or whitespace and a token. */
const PERIOD_CONTEXT = new RegExp(`[.?!](?=(?<after_tok>${NON_WORD}|${WS}+(?<next_tok>${NWS}+)))`, "gdu");
/** `re_boundary_realignment` with re.MULTILINE (`$` before any "\n" or at the end). */
const BOUNDARY_REALIGNMENT = new RegExp(`^["')\\]}]+?(?:${WS}+|(?=--)|(?=\\n)|$)`, "u");
const NUMERIC = /^-?[.,]?\p{Nd}[\p{Nd},.-]*\.?$/u;
const ELLIPSIS = /^\.\.+$/;
const SENT_END_CHARS = new Set([".", "?", "!"]);
const PUNCTUATION = new Set([";", ":", ",", ".", "!", "?"]);
/** Python's `string.whitespace`. */
const ASCII_WS = new Set([" ", "\t", "\n", "\r", "\x0b", "\x0c"]);

const isDigit = (ch: string): boolean => /^\p{Nd}$/u.test(ch);
const isAlphaLike = (ch: string): boolean => isPyWordChar(ch) && !isDigit(ch); // [^\W\d]
const firstChar = (s: string): string => String.fromCodePoint(s.codePointAt(0) as number);

class PunktToken {
  readonly type: string;
  readonly periodFinal: boolean;
  parastart = false;
  linestart = false;
  sentbreak = false;
  abbr = false;
  ellipsis = false;
  constructor(readonly tok: string) {
    const lower = pyLower(tok);
    this.type = NUMERIC.test(lower) ? "##number##" : lower;
    this.periodFinal = tok.endsWith(".");
  }
  get typeNoPeriod(): string {
    return this.type.length > 1 && this.type.endsWith(".") ? this.type.slice(0, -1) : this.type;
  }
  get typeNoSentperiod(): string {
    return this.sentbreak ? this.typeNoPeriod : this.type;
  }
  get firstUpper(): boolean {
    return /^\p{Uppercase}/u.test(firstChar(this.tok));
  }
  get firstLower(): boolean {
    return /^\p{Lowercase}/u.test(firstChar(this.tok));
  }
  get isEllipsis(): boolean {
    return ELLIPSIS.test(this.tok);
  }
  get isInitial(): boolean {
    const cps = Array.from(this.tok);
    return cps.length === 2 && cps[1] === "." && isAlphaLike(cps[0] as string);
  }
}

/** `PunktLanguageVars.word_tokenize`. */
export function punktWordTokenize(line: string): string[] {
  return [...line.matchAll(WORD_TOKENIZER)].map((m) => m[0]);
}

function tokenizeWords(text: string): PunktToken[] {
  const out: PunktToken[] = [];
  let parastart = false;
  for (const line of text.split("\n")) {
    if (pyStrip(line) !== "") {
      const toks = punktWordTokenize(line);
      if (toks.length === 0) continue;
      toks.forEach((t, i) => {
        const tok = new PunktToken(t);
        if (i === 0) {
          tok.parastart = parastart;
          tok.linestart = true;
          parastart = false;
        }
        out.push(tok);
      });
    } else {
      parastart = true;
    }
  }
  return out;
}

function firstPass(tok: PunktToken, params: PunktParameters): void {
  const t = tok.tok;
  if (SENT_END_CHARS.has(t)) tok.sentbreak = true;
  else if (tok.isEllipsis) tok.ellipsis = true;
  else if (tok.periodFinal && !t.endsWith("..")) {
    const stem = pyLower(t.slice(0, -1));
    if (params.abbrevTypes.has(stem) || params.abbrevTypes.has(stem.split("-").at(-1) as string)) tok.abbr = true;
    else tok.sentbreak = true;
  }
}

function orthoHeuristic(tok: PunktToken, params: PunktParameters): boolean | "unknown" {
  if (PUNCTUATION.has(tok.tok)) return false;
  const ortho = params.orthoContext.get(tok.typeNoSentperiod) ?? 0;
  if (tok.firstUpper && ortho & ORTHO_LC && !(ortho & ORTHO_MID_UC)) return true;
  if (tok.firstLower && (ortho & ORTHO_UC || !(ortho & ORTHO_BEG_LC))) return false;
  return "unknown";
}

function secondPass(tok1: PunktToken, tok2: PunktToken | undefined, params: PunktParameters): void {
  if (!tok2 || !tok1.periodFinal) return;
  const typ = tok1.typeNoPeriod;
  const nextTyp = tok2.typeNoSentperiod;
  const initial = tok1.isInitial;
  if (params.collocations.has(`${typ}\u0000${nextTyp}`)) {
    tok1.sentbreak = false;
    tok1.abbr = true;
    return;
  }
  if ((tok1.abbr || tok1.ellipsis) && !initial) {
    if (orthoHeuristic(tok2, params) === true) {
      tok1.sentbreak = true;
      return;
    }
    if (tok2.firstUpper && params.sentStarters.has(nextTyp)) {
      tok1.sentbreak = true;
      return;
    }
  }
  if (initial || typ === "##number##") {
    const starter = orthoHeuristic(tok2, params);
    if (starter === false) {
      tok1.sentbreak = false;
      tok1.abbr = true;
      return;
    }
    if (starter === "unknown" && initial && tok2.firstUpper && !((params.orthoContext.get(nextTyp) ?? 0) & ORTHO_LC)) {
      tok1.sentbreak = false;
      tok1.abbr = true;
    }
  }
}

/** `text_contains_sentbreak`: a sentence break that is not the last token. */
function textContainsSentbreak(text: string, params: PunktParameters): boolean {
  const toks = tokenizeWords(text);
  for (const t of toks) firstPass(t, params);
  for (let i = 0; i < toks.length; i++) {
    secondPass(toks[i] as PunktToken, toks[i + 1], params);
    if ((toks[i] as PunktToken).sentbreak && i + 1 < toks.length) return true;
  }
  return false;
}

/** `_get_last_whitespace_index` (ASCII whitespace; 0 when none, as when it is at index 0). */
function lastWhitespaceIndex(text: string): number {
  for (let i = text.length - 1; i >= 0; i--) if (ASCII_WS.has(text[i] as string)) return i;
  return 0;
}

interface EndMatch {
  start: number;
  end: number;
  afterTok: string;
  nextTokStart: number | undefined;
}

function* potentialEndContexts(text: string): Generator<[EndMatch, string]> {
  let prev: { start: number; stop: number } = { start: 0, stop: 0 };
  let prevMatch: EndMatch | undefined;
  for (const m of text.matchAll(PERIOD_CONTEXT)) {
    const start = m.index as number;
    const before = text.slice(prev.stop, start);
    let after = lastWhitespaceIndex(before);
    after = after ? after + prev.stop + 1 : prev.start;
    const word = { start: after, stop: start };
    const groups = (m as RegExpMatchArray & { indices: { groups: Record<string, [number, number] | undefined> } }).indices.groups;
    const match: EndMatch = {
      start,
      end: start + m[0].length,
      afterTok: m.groups?.["after_tok"] ?? "",
      nextTokStart: groups["next_tok"]?.[0],
    };
    if (prevMatch && prev.stop <= word.start) {
      yield [prevMatch, text.slice(prev.start, prev.stop) + text.slice(prevMatch.start, prevMatch.end) + prevMatch.afterTok];
    }
    prevMatch = match;
    prev = word;
  }
  if (prevMatch) yield [prevMatch, text.slice(prev.start, prev.stop) + text.slice(prevMatch.start, prevMatch.end) + prevMatch.afterTok];
}

function rstripLength(text: string): number {
  let end = text.length;
  while (end > 0) {
    const cp = text.codePointAt(end - 1) as number;
    const isLow = cp >= 0xdc00 && cp <= 0xdfff && end >= 2;
    const ch = isLow ? text.slice(end - 2, end) : (text[end - 1] as string);
    if (!isPyWhitespace(ch)) break;
    end -= ch.length;
  }
  return end;
}

function slicesFromText(text: string, params: PunktParameters): [number, number][] {
  const out: [number, number][] = [];
  let lastBreak = 0;
  for (const [m, context] of potentialEndContexts(text)) {
    if (textContainsSentbreak(context, params)) {
      out.push([lastBreak, m.end]);
      lastBreak = m.nextTokStart !== undefined ? m.nextTokStart : m.end;
    }
  }
  out.push([lastBreak, rstripLength(text)]);
  return out;
}

function realignBoundaries(text: string, slices: [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  let realign = 0;
  for (let i = 0; i < slices.length; i++) {
    const s1: [number, number] = [(slices[i] as [number, number])[0] + realign, (slices[i] as [number, number])[1]];
    const s2 = slices[i + 1];
    if (!s2) {
      if (text.slice(s1[0], s1[1])) out.push(s1);
      continue;
    }
    const m = BOUNDARY_REALIGNMENT.exec(text.slice(s2[0], s2[1]));
    if (m) {
      out.push([s1[0], s2[0] + rstripLength(m[0])]);
      realign = m[0].length;
    } else {
      realign = 0;
      if (text.slice(s1[0], s1[1])) out.push(s1);
    }
  }
  return out;
}

/** `PunktSentenceTokenizer.span_tokenize` (UTF-16 offsets into `text`). */
export function punktSpans(text: string, params: PunktParameters = UNTRAINED_PUNKT, realign = true): [number, number][] {
  const slices = slicesFromText(text, params);
  return realign ? realignBoundaries(text, slices) : slices;
}

/** `PunktSentenceTokenizer.tokenize(text)`. */
export function punktSentences(text: string, params: PunktParameters = UNTRAINED_PUNKT, realign = true): string[] {
  return punktSpans(text, params, realign).map(([s, e]) => text.slice(s, e));
}
