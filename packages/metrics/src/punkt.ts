/**
 * NLTK's Punkt sentence tokenizer at inference (nltk/tokenize/punkt.py, NLTK 3.8 as Debian 12 ships
 * it) with the pre-trained English model: `nltk.sent_tokenize(text)` =
 * `load("tokenizers/punkt/english.pickle").tokenize(text)`. LEval's ROUGE post-processing
 * (`"\n".join(nltk.sent_tokenize(text))`, copied from transformers' run_summarization.py) uses it.
 *
 * Ported: the word tokenizer regex, the first (type-based) and second (token-based: collocation,
 * orthographic, sentence-starter, initial/number) annotation passes, `_match_potential_end_contexts`
 * (the post-ReDoS-fix candidate search), `_slices_from_text` and `_realign_boundaries`. Not ported:
 * training. Python regex classes are reproduced with Python's own tables (\s, \w, \d); upper / lower
 * case of a token's first character uses JavaScript's \p{Uppercase} / \p{Lowercase} (the derived
 * properties Python's isupper / islower read), so only characters new since Unicode 14 can differ.
 */
import { PUNKT_EN_ABBREV_TYPES, PUNKT_EN_COLLOCATIONS, PUNKT_EN_ORTHO_CONTEXT, PUNKT_EN_SENT_STARTERS } from "./punkt-english.js";
import { PY_DIGIT_CLASS_SOURCE, PY_WORD_CLASS_SOURCE, pyLower } from "./unicode.js";
import { PY_WHITESPACE } from "./unicode-tables.js";

const ORTHO_BEG_UC = 1 << 1;
const ORTHO_MID_UC = 1 << 2;
const ORTHO_UNK_UC = 1 << 3;
const ORTHO_BEG_LC = 1 << 4;
const ORTHO_MID_LC = 1 << 5;
const ORTHO_UNK_LC = 1 << 6;
const ORTHO_UC = ORTHO_BEG_UC + ORTHO_MID_UC + ORTHO_UNK_UC;
const ORTHO_LC = ORTHO_BEG_LC + ORTHO_MID_LC + ORTHO_UNK_LC;

export interface PunktParameters {
  abbrevTypes: ReadonlySet<string>;
  /** Collocations keyed "first\u0000second". */
  collocations: ReadonlySet<string>;
  sentStarters: ReadonlySet<string>;
  orthoContext: ReadonlyMap<string, number>;
}

let english: PunktParameters | undefined;

/** The parameters of nltk_data's tokenizers/punkt/english.pickle (built on first use). */
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

// ---- Python regex classes --------------------------------------------------------------------

const WS = `[${PY_WHITESPACE.map((cp) => `\\u{${cp.toString(16)}}`).join("")}]`;
const NON_WS = `[^${PY_WHITESPACE.map((cp) => `\\u{${cp.toString(16)}}`).join("")}]`;
const WORD = PY_WORD_CLASS_SOURCE;
const DIGIT = PY_DIGIT_CLASS_SOURCE;
/** `[^\W\d]`: a word character that is not a digit. */
const LETTER = `(?:(?!${DIGIT})${WORD})`;

/** PunktLanguageVars: sent_end_chars ".?!", NonWord, MultiChar, WordStart. */
const NON_WORD = `(?:[)";}\\]*:@'({\\[?!])`;
const MULTI_CHAR = `(?:-{2,}|\\.{2,}|(?:\\.${WS}){2,}\\.)`;
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
const RE_NON_PUNCT = new RegExp(LETTER, "u");
const UPPER = /\p{Uppercase}/u;
const LOWER = /\p{Lowercase}/u;
const WS_SET = new Set(PY_WHITESPACE);
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

function firstUpper(t: Token): boolean {
  return UPPER.test(firstChar(t));
}

function firstLower(t: Token): boolean {
  return LOWER.test(firstChar(t));
}

function isPyStripEmpty(line: string): boolean {
  for (const ch of line) if (!WS_SET.has(ch.codePointAt(0) as number)) return false;
  return true;
}

/** `_tokenize_words`: lines split on "\n"; a blank line marks the next token as a paragraph start. */
function* tokenizeWords(text: string): Generator<Token> {
  let parastart = false;
  for (const line of text.split("\n")) {
    if (!isPyStripEmpty(line)) {
      const matches = line.match(WORD_TOKENIZER) ?? [];
      if (matches.length === 0) continue;
      yield makeToken(matches[0] as string, parastart, true);
      parastart = false;
      for (let i = 1; i < matches.length; i++) yield makeToken(matches[i] as string);
    } else {
      parastart = true;
    }
  }
}

export class PunktSentenceTokenizer {
  constructor(private readonly params: PunktParameters = punktEnglishParameters()) {}

  /** `tokenize(text)`: the sentences, as slices of the text. */
  tokenize(text: string, realignBoundaries = true): string[] {
    return this.spanTokenize(text, realignBoundaries).map(([s, e]) => text.slice(s, e));
  }

  /** `span_tokenize(text)`: [start, end) offsets (UTF-16 code units) of each sentence. */
  spanTokenize(text: string, realignBoundaries = true): [number, number][] {
    let slices = this.slicesFromText(text);
    if (realignBoundaries) slices = this.realignBoundaries(text, slices);
    return slices;
  }

  private firstPass(t: Token): void {
    const tok = t.tok;
    if (tok === "." || tok === "?" || tok === "!") {
      t.sentbreak = true;
    } else if (RE_ELLIPSIS.test(tok)) {
      t.ellipsis = true;
    } else if (t.periodFinal && !tok.endsWith("..")) {
      const base = pyLower(tok.slice(0, -1));
      const parts = base.split("-");
      if (this.params.abbrevTypes.has(base) || this.params.abbrevTypes.has(parts[parts.length - 1] as string)) t.abbr = true;
      else t.sentbreak = true;
    }
  }

  private orthoHeuristic(t: Token): boolean | "unknown" {
    if ([";", ":", ",", ".", "!", "?"].includes(t.tok)) return false;
    const ortho = this.params.orthoContext.get(typeNoSentPeriod(t)) ?? 0;
    if (firstUpper(t) && ortho & ORTHO_LC && !(ortho & ORTHO_MID_UC)) return true;
    if (firstLower(t) && (ortho & ORTHO_UC || !(ortho & ORTHO_BEG_LC))) return false;
    return "unknown";
  }

  private secondPass(t1: Token, t2: Token | undefined): void {
    if (!t2 || !t1.periodFinal) return;
    const typ = typeNoPeriod(t1);
    const nextTyp = typeNoSentPeriod(t2);
    const isInitial = RE_INITIAL.test(t1.tok);
    if (this.params.collocations.has(`${typ}\u0000${nextTyp}`)) {
      t1.sentbreak = false;
      t1.abbr = true;
      return;
    }
    if ((t1.abbr || t1.ellipsis) && !isInitial) {
      const starter = this.orthoHeuristic(t2);
      if (starter === true) {
        t1.sentbreak = true;
        return;
      }
      if (firstUpper(t2) && this.params.sentStarters.has(nextTyp)) {
        t1.sentbreak = true;
        return;
      }
    }
    if (isInitial || typ === "##number##") {
      const starter = this.orthoHeuristic(t2);
      if (starter === false) {
        t1.sentbreak = false;
        t1.abbr = true;
        return;
      }
      if (starter === "unknown" && isInitial && firstUpper(t2) && !((this.params.orthoContext.get(nextTyp) ?? 0) & ORTHO_LC)) {
        t1.sentbreak = false;
        t1.abbr = true;
      }
    }
  }

  /** `_annotate_tokens` over all tokens (first pass, then the second pass on each pair). */
  private annotate(tokens: Token[]): Token[] {
    for (const t of tokens) this.firstPass(t);
    for (let i = 0; i < tokens.length; i++) this.secondPass(tokens[i] as Token, tokens[i + 1]);
    return tokens;
  }

  /** `text_contains_sentbreak`: a sentence break before the last token of the context. */
  private containsSentbreak(text: string): boolean {
    const tokens = this.annotate([...tokenizeWords(text)]);
    let found = false;
    for (const t of tokens) {
      if (found) return true;
      if (t.sentbreak) found = true;
    }
    return false;
  }

  /** `_match_potential_end_contexts`: each candidate and the word before it + the match + what follows. */
  private *potentialEndContexts(text: string): Generator<{ match: RegExpExecArray; context: string }> {
    let prevStart = 0;
    let prevStop = 0;
    let previous: RegExpExecArray | undefined;
    PERIOD_CONTEXT.lastIndex = 0;
    for (let m = PERIOD_CONTEXT.exec(text); m !== null; m = PERIOD_CONTEXT.exec(text)) {
      const before = text.slice(prevStop, m.index);
      let lastWs = 0;
      for (let i = before.length - 1; i >= 0; i--) {
        if (ASCII_WS.has(before[i] as string)) {
          lastWs = i;
          break;
        }
      }
      const wordStart = lastWs ? lastWs + prevStop + 1 : prevStart;
      if (previous && prevStop <= wordStart) {
        yield { match: previous, context: text.slice(prevStart, prevStop) + previous[0] + (previous.groups?.["after_tok"] ?? "") };
      }
      previous = m;
      prevStart = wordStart;
      prevStop = m.index;
      if (m[0].length === 0) PERIOD_CONTEXT.lastIndex++;
    }
    if (previous) {
      yield { match: previous, context: text.slice(prevStart, prevStop) + previous[0] + (previous.groups?.["after_tok"] ?? "") };
    }
  }

  /** `_slices_from_text`. */
  private slicesFromText(text: string): [number, number][] {
    const out: [number, number][] = [];
    let lastBreak = 0;
    for (const { match, context } of this.potentialEndContexts(text)) {
      if (this.containsSentbreak(context)) {
        const end = match.index + match[0].length;
        out.push([lastBreak, end]);
        const next = match.groups?.["next_tok"];
        // The next sentence starts at the next token, or at the punctuation right after the break.
        lastBreak = next !== undefined ? end + (match.groups?.["after_tok"] as string).length - next.length : end;
      }
    }
    let stop = text.length;
    while (stop > 0 && WS_SET.has(text.charCodeAt(stop - 1))) stop--;
    out.push([lastBreak, stop]);
    return out;
  }

  /** `_realign_boundaries`: closing quotes/brackets after a break move to the sentence before. */
  private realignBoundaries(text: string, slices: [number, number][]): [number, number][] {
    const out: [number, number][] = [];
    let realign = 0;
    for (let i = 0; i < slices.length; i++) {
      const [s1Start0, s1Stop] = slices[i] as [number, number];
      const s1Start = s1Start0 + realign;
      const next = slices[i + 1];
      if (!next) {
        if (s1Start < s1Stop) out.push([s1Start, s1Stop]);
        continue;
      }
      const m = BOUNDARY_REALIGNMENT.exec(text.slice(next[0], next[1]));
      if (m) {
        out.push([s1Start, next[0] + pyRstrip(m[0]).length]);
        realign = m[0].length;
      } else {
        realign = 0;
        if (s1Start < s1Stop) out.push([s1Start, s1Stop]);
      }
    }
    return out;
  }
}

function pyRstrip(text: string): string {
  let end = text.length;
  while (end > 0 && WS_SET.has(text.charCodeAt(end - 1))) end--;
  return text.slice(0, end);
}

let defaultTokenizer: PunktSentenceTokenizer | undefined;

/** `nltk.sent_tokenize(text)` (language "english"). */
export function sentTokenize(text: string): string[] {
  defaultTokenizer ??= new PunktSentenceTokenizer();
  return defaultTokenizer.tokenize(text);
}
