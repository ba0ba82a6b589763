/**
 * NLTK's Punkt sentence tokenizer at inference (nltk/tokenize/punkt.py, NLTK 3.8 as Debian 12 ships
 * it): `PunktSentenceTokenizer(params).tokenize(text)` / `.span_tokenize(text)`.
 *
 * Ported: the word tokenizer regex, the first (type-based) and second (token-based: collocation,
 * orthographic, sentence-starter, initial/number) annotation passes, `_match_potential_end_contexts`
 * (the post-ReDoS-fix candidate search), `_slices_from_text` and `_realign_boundaries`. Not ported:
 * training.
 *
 * Parameters: `UNTRAINED_PUNKT` is `PunktSentenceTokenizer()` (what LongCite uses);
 * `punktEnglishParameters()` is nltk_data's English model, what `nltk.sent_tokenize(text)` loads
 * (`tokenizers/punkt/english.pickle` in NLTK 3.8, the same parameters as `punkt_tab/english` in
 * NLTK 3.9), committed as data in `punkt-english.ts`; `parsePunktTab` reads another model in NLTK
 * 3.9's punkt_tab layout.
 *
 * Python's semantics are kept: `\s`, `\w`, `\d` from Python's own tables, `str.lower`, `str.strip`.
 * Upper / lower case of a token's first character uses JavaScript's \p{Uppercase} / \p{Lowercase}
 * (the derived properties Python's isupper / islower read), so only characters new since Unicode 14
 * can differ. Offsets are UTF-16 code units (Python's are code points).
 */
import { PUNKT_EN_ABBREV_TYPES, PUNKT_EN_COLLOCATIONS, PUNKT_EN_ORTHO_CONTEXT, PUNKT_EN_SENT_STARTERS } from "./punkt-english.js";
import { PY_DIGIT_CLASS_SOURCE, PY_NON_SPACE_CLASS_SOURCE, PY_SPACE_CLASS_SOURCE, PY_WORD_CLASS_SOURCE, isPyWhitespace, pyLower } from "./unicode.js";

export interface PunktParameters {
  /** Abbreviation types (lower case, no final period). */
  abbrevTypes: ReadonlySet<string>;
  /** Collocations keyed `${first}\u0000${second}`. */
  collocations: ReadonlySet<string>;
  sentStarters: ReadonlySet<string>;
  orthoContext: ReadonlyMap<string, number>;
}

/** `PunktSentenceTokenizer()`: no abbreviations, collocations, sentence starters or orthographic context. */
export const UNTRAINED_PUNKT: PunktParameters = {
  abbrevTypes: new Set(),
  collocations: new Set(),
  sentStarters: new Set(),
  orthoContext: new Map(),
};

let english: PunktParameters | undefined;

/** The parameters of nltk_data's English Punkt model, the one `nltk.sent_tokenize` loads (built on first use). */
export function punktEnglishParameters(): PunktParameters {
  if (english) return english;
  const ortho = new Map<string, number>();
  for (const [flag, types] of Object.entries(PUNKT_EN_ORTHO_CONTEXT)) {
    for (const t of types.split(" ")) if (t) ortho.set(t, Number(flag));
  }
  english = {
    abbrevTypes: new Set(PUNKT_EN_ABBREV_TYPES),
    collocations: new Set(PUNKT_EN_COLLOCATIONS.map(([a, b]) => `${a}\u0000${b}`)),
    sentStarters: new Set(PUNKT_EN_SENT_STARTERS),
    orthoContext: ortho,
  };
  return english;
}

/**
 * Parameters from the four files of an NLTK 3.9 `punkt_tab/<language>/` folder (abbrev_types.txt,
 * collocations.tab, sent_starters.txt, ortho_context.tab), as `PunktTokenizer.load_lang` reads them.
 */
export function parsePunktTab(files: { abbrevTypes: string; collocations: string; sentStarters: string; orthoContext: string }): PunktParameters {
  const lines = (t: string): string[] => t.split("\n").map((l) => l.replace(/\r$/, "")).filter((l) => l !== "");
  const orthoContext = new Map<string, number>();
  for (const l of lines(files.orthoContext)) {
    const [k, v] = l.split("\t");
    orthoContext.set(k as string, Number.parseInt(v as string, 10));
  }
  return {
    abbrevTypes: new Set(lines(files.abbrevTypes)),
    collocations: new Set(lines(files.collocations).map((l) => l.split("\t").join("\u0000"))),
    sentStarters: new Set(lines(files.sentStarters)),
    orthoContext,
  };
}

// Orthographic context flags (punkt.py).
const ORTHO_BEG_UC = 1 << 1;
const ORTHO_MID_UC = 1 << 2;
const ORTHO_UNK_UC = 1 << 3;
const ORTHO_BEG_LC = 1 << 4;
const ORTHO_MID_LC = 1 << 5;
const ORTHO_UNK_LC = 1 << 6;
const ORTHO_UC = ORTHO_BEG_UC + ORTHO_MID_UC + ORTHO_UNK_UC;
const ORTHO_LC = ORTHO_BEG_LC + ORTHO_MID_LC + ORTHO_UNK_LC;

// ---- PunktLanguageVars' regexes, with Python's classes -----------------------------------------

const WS = PY_SPACE_CLASS_SOURCE;
const NON_WS = PY_NON_SPACE_CLASS_SOURCE;
const DIGIT = PY_DIGIT_CLASS_SOURCE;
/** `[^\W\d]`: a word character that is not a digit. */
const LETTER = `(?:(?!${DIGIT})${PY_WORD_CLASS_SOURCE})`;
/** `_re_non_word_chars`. */
const NON_WORD = `(?:[)";}\\]*:@'({\\[?!])`;
/** `_re_multi_char_punct`. */
const MULTI_CHAR = `(?:-{2,}|\\.{2,}|(?:\\.${WS}){2,}\\.)`;
/** `_re_word_start`: not one of ( " \` { [ : ; & # * @ ) } ] - , */
const WORD_START = `[^("\`{\\[:;&#*@)}\\]\\-,]`;

/** `_word_tokenize_fmt`, findall over one line (no "\n" inside, so Python's `$` is the end). */
const WORD_TOKENIZER = new RegExp(
  `${MULTI_CHAR}` +
    `|(?=${WORD_START})${NON_WS}+?(?=${WS}|$|${NON_WORD}|${MULTI_CHAR}|,(?=$|${WS}|${NON_WORD}|${MULTI_CHAR}))` +
    `|${NON_WS}`,
  "gu",
);

/** `_period_context_fmt`: a sentence-end character and, in a lookahead, what follows it. */
const PERIOD_CONTEXT = new RegExp(`[.?!](?=(?<after_tok>${NON_WORD}|${WS}+(?<next_tok>${NON_WS}+)))`, "gu");

/** `re_boundary_realignment` (MULTILINE: `$` before "\n" or at the end). */
const BOUNDARY_REALIGNMENT = new RegExp(`^["')\\]}]+?(?:${WS}+|(?=--)|(?=\\n)|(?![\\s\\S]))`, "u");

const RE_ELLIPSIS = /^\.\.+$/u;
const RE_NUMERIC = new RegExp(`^-?[.,]?${DIGIT}[${DIGIT.slice(1, -1)},.\\-]*\\.?$`, "u");
const RE_INITIAL = new RegExp(`^${LETTER}\\.$`, "u");
const UPPER = /\p{Uppercase}/u;
const LOWER = /\p{Lowercase}/u;
const SENT_END = new Set([".", "?", "!"]);
const PUNCTUATION = new Set([";", ":", ",", ".", "!", "?"]);
/** Python's `string.whitespace`, which `_get_last_whitespace_index` uses. */
const ASCII_WS = new Set([" ", "\t", "\n", "\r", "\x0b", "\x0c"]);

// ---- tokens -----------------------------------------------------------------------------------

interface Token {
  tok: string;
  type: string;
  periodFinal: boolean;
  parastart: boolean;
  linestart: boolean;
  sentbreak: boolean;
  abbr: boolean;
  ellipsis: boolean;
}

function makeToken(tok: string, parastart = false, linestart = false): Token {
  // `_get_type`: the lower-cased token, a number-looking one replaced by "##number##".
  const lowered = pyLower(tok);
  const type = RE_NUMERIC.test(lowered) ? "##number##" : lowered;
  return { tok, type, periodFinal: tok.endsWith("."), parastart, linestart, sentbreak: false, abbr: false, ellipsis: false };
}

function typeNoPeriod(t: Token): string {
  return t.type.length > 1 && t.type.endsWith(".") ? t.type.slice(0, -1) : t.type;
}

function typeNoSentPeriod(t: Token): string {
  return t.sentbreak ? typeNoPeriod(t) : t.type;
}

function firstChar(t: Token): string {
  return String.fromCodePoint(t.tok.codePointAt(0) as number);
}

const firstUpper = (t: Token): boolean => UPPER.test(firstChar(t));
const firstLower = (t: Token): boolean => LOWER.test(firstChar(t));

/** The length of `text.rstrip()` (Python whitespace, all of it in the BMP). */
function rstripLength(text: string): number {
  let end = text.length;
  while (end > 0 && isPyWhitespace(text[end - 1] as string)) end--;
  return end;
}

/** `PunktLanguageVars.word_tokenize` of one line. */
export function punktWordTokenize(line: string): string[] {
  return line.match(WORD_TOKENIZER) ?? [];
}

/** `_tokenize_words`: lines split on "\n"; a blank line marks the next token as a paragraph start. */
function tokenizeWords(text: string): Token[] {
  const out: Token[] = [];
  let parastart = false;
  for (const line of text.split("\n")) {
    if (rstripLength(line) > 0) {
      const words = punktWordTokenize(line);
      if (words.length === 0) continue;
      out.push(makeToken(words[0] as string, parastart, true));
      parastart = false;
      for (let i = 1; i < words.length; i++) out.push(makeToken(words[i] as string));
    } else {
      parastart = true;
    }
  }
  return out;
}

// ---- annotation -------------------------------------------------------------------------------

function firstPass(t: Token, params: PunktParameters): void {
  const tok = t.tok;
  if (SENT_END.has(tok)) {
    t.sentbreak = true;
  } else if (RE_ELLIPSIS.test(tok)) {
    t.ellipsis = true;
  } else if (t.periodFinal && !tok.endsWith("..")) {
    const base = pyLower(tok.slice(0, -1));
    const parts = base.split("-");
    if (params.abbrevTypes.has(base) || params.abbrevTypes.has(parts[parts.length - 1] as string)) t.abbr = true;
    else t.sentbreak = true;
  }
}

function orthoHeuristic(t: Token, params: PunktParameters): boolean | "unknown" {
  if (PUNCTUATION.has(t.tok)) return false;
  const ortho = params.orthoContext.get(typeNoSentPeriod(t)) ?? 0;
  if (firstUpper(t) && ortho & ORTHO_LC && !(ortho & ORTHO_MID_UC)) return true;
  if (firstLower(t) && (ortho & ORTHO_UC || !(ortho & ORTHO_BEG_LC))) return false;
  return "unknown";
}

function secondPass(t1: Token, t2: Token | undefined, params: PunktParameters): void {
  if (!t2 || !t1.periodFinal) return;
  const typ = typeNoPeriod(t1);
  const nextTyp = typeNoSentPeriod(t2);
  const isInitial = RE_INITIAL.test(t1.tok);
  if (params.collocations.has(`${typ}\u0000${nextTyp}`)) {
    t1.sentbreak = false;
    t1.abbr = true;
    return;
  }
  if ((t1.abbr || t1.ellipsis) && !isInitial) {
    if (orthoHeuristic(t2, params) === true) {
      t1.sentbreak = true;
      return;
    }
    if (firstUpper(t2) && params.sentStarters.has(nextTyp)) {
      t1.sentbreak = true;
      return;
    }
  }
  if (isInitial || typ === "##number##") {
    const starter = orthoHeuristic(t2, params);
    if (starter === false) {
      t1.sentbreak = false;
      t1.abbr = true;
      return;
    }
    if (starter === "unknown" && isInitial && firstUpper(t2) && !((params.orthoContext.get(nextTyp) ?? 0) & ORTHO_LC)) {
      t1.sentbreak = false;
      t1.abbr = true;
    }
  }
}

/** `text_contains_sentbreak`: a sentence break before the last token of the context. */
function containsSentbreak(text: string, params: PunktParameters): boolean {
  const tokens = tokenizeWords(text);
  for (const t of tokens) firstPass(t, params);
  for (let i = 0; i < tokens.length; i++) {
    secondPass(tokens[i] as Token, tokens[i + 1], params);
    if ((tokens[i] as Token).sentbreak && i + 1 < tokens.length) return true;
  }
  return false;
}

// ---- sentence boundaries ----------------------------------------------------------------------

/** `_match_potential_end_contexts`: each candidate and the word before it + the match + what follows. */
function* potentialEndContexts(text: string): Generator<{ match: RegExpExecArray; context: string }> {
  let prevStart = 0;
  let prevStop = 0;
  let previous: RegExpExecArray | undefined;
  const contextOf = (m: RegExpExecArray): string => text.slice(prevStart, prevStop) + m[0] + (m.groups?.["after_tok"] ?? "");
  PERIOD_CONTEXT.lastIndex = 0;
  for (let m = PERIOD_CONTEXT.exec(text); m !== null; m = PERIOD_CONTEXT.exec(text)) {
    const before = text.slice(prevStop, m.index);
    let lastWs = 0; // `_get_last_whitespace_index`: 0 when there is none
    for (let i = before.length - 1; i >= 0; i--) {
      if (ASCII_WS.has(before[i] as string)) {
        lastWs = i;
        break;
      }
    }
    const wordStart = lastWs ? lastWs + prevStop + 1 : prevStart;
    if (previous && prevStop <= wordStart) yield { match: previous, context: contextOf(previous) };
    previous = m;
    prevStart = wordStart;
    prevStop = m.index;
  }
  if (previous) yield { match: previous, context: contextOf(previous) };
}

/** `_slices_from_text`. */
function slicesFromText(text: string, params: PunktParameters): [number, number][] {
  const out: [number, number][] = [];
  let lastBreak = 0;
  for (const { match, context } of potentialEndContexts(text)) {
    if (containsSentbreak(context, params)) {
      const end = match.index + match[0].length;
      out.push([lastBreak, end]);
      const next = match.groups?.["next_tok"];
      // The next sentence starts at the next token, or right after the break.
      lastBreak = next !== undefined ? end + (match.groups?.["after_tok"] as string).length - next.length : end;
    }
  }
  out.push([lastBreak, rstripLength(text)]);
  return out;
}

/** `_realign_boundaries`: closing quotes/brackets after a break move to the sentence before. */
function realignBoundaries(text: string, slices: [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  let realign = 0;
  for (let i = 0; i < slices.length; i++) {
    const [start0, stop] = slices[i] as [number, number];
    const start = start0 + realign;
    const next = slices[i + 1];
    if (!next) {
      if (start < stop) out.push([start, stop]);
      continue;
    }
    const m = BOUNDARY_REALIGNMENT.exec(text.slice(next[0], next[1]));
    if (m) {
      out.push([start, next[0] + rstripLength(m[0])]);
      realign = m[0].length;
    } else {
      realign = 0;
      if (start < stop) out.push([start, stop]);
    }
  }
  return out;
}

/** `PunktSentenceTokenizer(params).span_tokenize(text)`: [start, end) UTF-16 offsets of each sentence. */
export function punktSpans(text: string, params: PunktParameters = UNTRAINED_PUNKT, realign = true): [number, number][] {
  const slices = slicesFromText(text, params);
  return realign ? realignBoundaries(text, slices) : slices;
}

/** `PunktSentenceTokenizer(params).tokenize(text)`: the sentences, as slices of the text. */
export function punktSentences(text: string, params: PunktParameters = UNTRAINED_PUNKT, realign = true): string[] {
  return punktSpans(text, params, realign).map(([s, e]) => text.slice(s, e));
}

/** `nltk.sent_tokenize(text)` (language "english"): Punkt with the English model. */
export function sentTokenize(text: string): string[] {
  return punktSentences(text, punktEnglishParameters());
}
