/**
 * Python 3.11's `ast.literal_eval(text)`, for scorers that parse model output with it (Needle
 * Threading's README evaluation) or `eval` a Python-repr answer (LOOM-Scope's NThread scorer).
 *
 * What it reproduces, in CPython 3.11's order:
 * - `text.lstrip(" \t")`, then `ast.parse(text, mode="eval")`: null bytes (ValueError), lone
 *   surrogates (UnicodeEncodeError), the tokenizer (universal newlines, line joining inside
 *   brackets and after `\`, comments, indentation, number literals with `_` and the 3.11
 *   end-of-number check, string prefixes and escapes, 4300-digit int limit, 200 nesting levels) and
 *   the expression grammar (every Python expression parses, so `x`, `a.b`, `f(x)`, `[x for x in y]`,
 *   `lambda: 0`… give ValueError like CPython, while broken syntax gives SyntaxError /
 *   IndentationError);
 * - `_convert`: constants, tuples, lists, sets, dicts, `set()`, `+`/`-` on numbers and
 *   `real ± complex`; everything else is "malformed node or string" (ValueError); unhashable set
 *   members / dict keys raise TypeError in the order CPython meets them.
 * Not reproduced: `\N{name}` escapes (no Unicode name table here: `UnsupportedLiteralError`), the
 * exact parse of f-string replacement fields (they are checked for the common errors and otherwise
 * give ValueError as CPython does), and the error *messages*, which differ; the error *class*
 * (`pythonError`) is CPython's.
 */
import type { JsonValue } from "@loomscope/spec";
import { PythonError } from "./errors.js";
import { PyFloat, pyFloatRepr } from "./python.js";
import { isPyPrintable } from "./unicode.js";


/** Input this port cannot decide (`\N{…}` escapes); not a Python error. */
export class UnsupportedLiteralError extends Error {
  readonly code = "UNSUPPORTED";
  constructor(message: string) {
    super(message);
    this.name = "UnsupportedLiteralError";
  }
}

export type PyValue =
  | { kind: "str"; cps: number[] }
  | { kind: "bytes"; bytes: number[] }
  | { kind: "int"; value: bigint }
  | { kind: "float"; value: number }
  | { kind: "complex"; re: number; im: number }
  | { kind: "bool"; value: boolean }
  | { kind: "none" }
  | { kind: "ellipsis" }
  | { kind: "tuple" | "list" | "set"; items: PyValue[] }
  | { kind: "dict"; entries: [PyValue, PyValue][] };

/** A Python str from JavaScript text (code point by code point). */
export const pyStr = (text: string): PyValue => ({ kind: "str", cps: Array.from(text, (c) => c.codePointAt(0) as number) });
/** The text of a Python str (lone surrogates stay lone). */
export const pyStrText = (v: { cps: number[] }): string => v.cps.map((c) => String.fromCodePoint(c)).join("");

// ---------------------------------------------------------------------------------------------
// Tokenizer

type TokType = "NAME" | "NUMBER" | "STRING" | "OP" | "NEWLINE" | "INDENT" | "DEDENT" | "ENDMARKER" | "ERROR";
interface Token {
  type: TokType;
  text: string;
  /** For ERROR tokens: the exception the tokenizer raises when the parser reaches it. */
  error?: PythonError;
}

const KEYWORDS = new Set([
  "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif",
  "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal", "not", "or",
  "pass", "raise", "return", "try", "while", "with", "yield",
]);
const OPS3 = ["**=", "//=", ">>=", "<<=", "..."];
const OPS2 = ["**", "//", "<<", ">>", "<=", ">=", "==", "!=", "->", ":=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "@="];
const OPS1 = new Set(["(", ")", "[", "]", "{", "}", ",", ":", ";", ".", "+", "-", "*", "/", "%", "&", "|", "^", "~", "<", ">", "=", "@"]);
const MAXLEVEL = 200;
const INT_MAX_STR_DIGITS = 4300;
const XID_START = /^[\p{XID_Start}_]$/u;
const XID_CONTINUE = /^\p{XID_Continue}$/u;

const isDigit = (c: number | undefined): boolean => c !== undefined && c >= 0x30 && c <= 0x39;
const isHex = (c: number | undefined): boolean =>
  c !== undefined && (isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46));
const isIdStart = (c: number | undefined): boolean =>
  c !== undefined && ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c >= 128);
const isIdChar = (c: number | undefined): boolean => isIdStart(c) || isDigit(c);
const syntax = (message: string): PythonError => new PythonError("SyntaxError", message);

function tokenize(cps: readonly number[]): Token[] {
  const tokens: Token[] = [];
  const parens: number[] = [];
  const indents = [0];
  let pos = 0;
  let atLineStart = true;
  let lineHasTokens = false;
  const at = (i: number): number | undefined => cps[i];
  const str = (a: number, b: number): string => String.fromCodePoint(...cps.slice(a, b));
  const fail = (error: PythonError): Token[] => {
    tokens.push({ type: "ERROR", text: "", error });
    return tokens;
  };
  /** 3.11 verify_end_of_number: a keyword may follow a number (with a warning); any other identifier char may not. */
  const endOfNumberOk = (i: number): boolean => {
    const c = at(i);
    const follows = (s: string): boolean => str(i, i + s.length) === s;
    if (follows("and") || follows("else") || follows("for") || follows("or") || follows("not")) return true;
    if (c === 0x69 /* i */ && (at(i + 1) === 0x66 || at(i + 1) === 0x6e || at(i + 1) === 0x73)) return true;
    return !isIdChar(c);
  };
  /** tok_decimal_tail from `i` (at a digit): index after the digits, or -1 on a bad `_`. */
  const decimalTail = (i: number): number => {
    for (;;) {
      while (isDigit(at(i))) i++;
      if (at(i) !== 0x5f) return i;
      i++;
      if (!isDigit(at(i))) return -1;
    }
  };

  for (;;) {
    if (atLineStart && parens.length === 0) {
      let col = 0;
      while (pos < cps.length) {
        const c = cps[pos];
        if (c === 0x20) col++;
        else if (c === 0x09) col = (Math.floor(col / 8) + 1) * 8;
        else if (c === 0x0c) col = 0;
        else break;
        pos++;
      }
      const c = at(pos);
      if (c === 0x23 || c === 0x0a) {
        // A blank line (or a comment line): no tokens, no indentation.
        while (pos < cps.length && cps[pos] !== 0x0a) pos++;
        if (pos < cps.length) pos++;
        if (pos >= cps.length) atLineStart = false;
        continue;
      }
      if (c !== undefined || col !== indents[indents.length - 1]) {
        const top = indents[indents.length - 1] as number;
        if (col > top) {
          indents.push(col);
          tokens.push({ type: "INDENT", text: "" });
        } else if (col < top) {
          while (col < (indents[indents.length - 1] as number)) {
            indents.pop();
            tokens.push({ type: "DEDENT", text: "" });
          }
          if (col !== indents[indents.length - 1]) {
            return fail(new PythonError("IndentationError", "unindent does not match any outer indentation level"));
          }
        }
      }
      atLineStart = false;
    }
    while (pos < cps.length && (cps[pos] === 0x20 || cps[pos] === 0x09 || cps[pos] === 0x0c)) pos++;
    const c = at(pos);
    if (c === undefined) {
      if (parens.length > 0) return fail(syntax(`'${String.fromCodePoint(parens[parens.length - 1] as number)}' was never closed`));
      if (lineHasTokens) tokens.push({ type: "NEWLINE", text: "" });
      while (indents.length > 1) {
        indents.pop();
        tokens.push({ type: "DEDENT", text: "" });
      }
      tokens.push({ type: "ENDMARKER", text: "" });
      return tokens;
    }
    if (c === 0x23) {
      while (pos < cps.length && cps[pos] !== 0x0a) pos++;
      continue;
    }
    if (c === 0x0a) {
      pos++;
      if (parens.length === 0) {
        if (lineHasTokens) tokens.push({ type: "NEWLINE", text: "" });
        lineHasTokens = false;
        atLineStart = true;
      }
      continue;
    }
    if (c === 0x5c) {
      if (at(pos + 1) === 0x0a) {
        pos += 2;
        if (pos >= cps.length) return fail(syntax("unexpected EOF while parsing"));
        continue;
      }
      if (at(pos + 1) === undefined) return fail(syntax("unexpected EOF while parsing"));
      return fail(syntax("unexpected character after line continuation character"));
    }
    lineHasTokens = true;
    const start = pos;
    // Names and string prefixes.
    if (isIdStart(c)) {
      let sawB = false, sawR = false, sawU = false, sawF = false;
      let quote = false;
      for (;;) {
        const ch = at(pos);
        const lower = ch === undefined ? "" : String.fromCodePoint(ch).toLowerCase();
        if (!(sawB || sawU || sawF) && lower === "b") sawB = true;
        else if (!(sawB || sawU || sawR || sawF) && lower === "u") sawU = true;
        else if (!(sawR || sawU) && lower === "r") sawR = true;
        else if (!(sawF || sawB || sawU) && lower === "f") sawF = true;
        else break;
        pos++;
        if (at(pos) === 0x22 || at(pos) === 0x27) {
          quote = true;
          break;
        }
      }
      if (!quote) {
        while (isIdChar(at(pos))) pos++;
        const name = cps.slice(start, pos);
        if (name.some((x) => x >= 128)) {
          const chars = name.map((x) => String.fromCodePoint(x));
          const bad = chars.findIndex((ch, i) => !(i === 0 ? XID_START.test(ch) : XID_CONTINUE.test(ch)));
          if (bad >= 0) return fail(syntax(`invalid character '${chars[bad]}'`));
        }
        tokens.push({ type: "NAME", text: str(start, pos) });
        continue;
      }
    }
    // Strings (pos is at the quote; start may include a prefix).
    if (at(pos) === 0x22 || at(pos) === 0x27) {
      const q = at(pos) as number;
      const triple = at(pos + 1) === q && at(pos + 2) === q;
      pos += triple ? 3 : 1;
      for (;;) {
        const ch = at(pos);
        if (ch === undefined) {
          return fail(syntax(triple ? "unterminated triple-quoted string literal" : "unterminated string literal"));
        }
        if (ch === 0x0a && !triple) return fail(syntax("unterminated string literal"));
        if (ch === 0x5c) {
          if (at(pos + 1) === undefined) {
            return fail(syntax(triple ? "unterminated triple-quoted string literal" : "unterminated string literal"));
          }
          pos += 2;
          continue;
        }
        if (ch === q && (!triple || (at(pos + 1) === q && at(pos + 2) === q))) {
          pos += triple ? 3 : 1;
          break;
        }
        pos++;
      }
      tokens.push({ type: "STRING", text: str(start, pos) });
      continue;
    }
    // Numbers.
    if (isDigit(c) || (c === 0x2e && isDigit(at(pos + 1)))) {
      const r = scanNumber(pos);
      if (r instanceof PythonError) return fail(r);
      pos = r;
      tokens.push({ type: "NUMBER", text: str(start, pos) });
      continue;
    }
    // Operators.
    const three = str(pos, pos + 3);
    const two = str(pos, pos + 2);
    const one = String.fromCodePoint(c);
    let op: string | undefined;
    if (OPS3.includes(three)) op = three;
    else if (OPS2.includes(two)) op = two;
    else if (OPS1.has(one)) op = one;
    if (op === undefined) {
      return fail(syntax(c >= 128 ? `invalid character '${one}'` : "invalid syntax"));
    }
    if (op === "(" || op === "[" || op === "{") {
      if (parens.length >= MAXLEVEL) return fail(syntax("too many nested parentheses"));
      parens.push(c);
    } else if (op === ")" || op === "]" || op === "}") {
      const open = parens.pop();
      if (open === undefined) return fail(syntax(`unmatched '${op}'`));
      const want = open === 0x28 ? ")" : open === 0x5b ? "]" : "}";
      if (want !== op) return fail(syntax(`closing parenthesis '${op}' does not match opening parenthesis`));
    }
    pos += op.length;
    tokens.push({ type: "OP", text: op });
  }

  /** Scan a number from `i` (a digit, or '.' followed by a digit); the index after it, or the error. */
  function scanNumber(i: number): number | PythonError {
    const invalid = (kind: string): PythonError => syntax(`invalid ${kind} literal`);
    let ch = at(i);
    const fraction = (j: number): number | PythonError => {
      // at j: just after '.'
      if (isDigit(at(j))) {
        j = decimalTail(j);
        if (j < 0) return invalid("decimal");
      }
      return exponent(j);
    };
    const exponent = (j: number): number | PythonError => {
      const e = at(j);
      if (e === 0x65 || e === 0x45) {
        let k = j + 1;
        if (at(k) === 0x2b || at(k) === 0x2d) {
          k++;
          if (!isDigit(at(k))) return invalid("decimal");
        } else if (!isDigit(at(k))) {
          return endOfNumberOk(j) ? j : invalid("decimal");
        }
        k = decimalTail(k);
        if (k < 0) return invalid("decimal");
        j = k;
      }
      return imaginary(j);
    };
    const imaginary = (j: number): number | PythonError => {
      if (at(j) === 0x6a || at(j) === 0x4a) {
        j++;
        return endOfNumberOk(j) ? j : invalid("imaginary");
      }
      return endOfNumberOk(j) ? j : invalid("decimal");
    };
    if (ch === 0x2e) return fraction(i + 1);
    if (ch === 0x30) {
      i++;
      ch = at(i);
      const radix = (test: (x: number | undefined) => boolean, kind: string, digitCheck?: (x: number | undefined) => boolean): number | PythonError => {
        i++;
        do {
          if (at(i) === 0x5f) i++;
          if (!test(at(i))) {
            if (digitCheck && isDigit(at(i))) return syntax(`invalid digit '${String.fromCodePoint(at(i) as number)}' in ${kind} literal`);
            return invalid(kind);
          }
          while (test(at(i))) i++;
        } while (at(i) === 0x5f);
        if (digitCheck && isDigit(at(i))) return syntax(`invalid digit '${String.fromCodePoint(at(i) as number)}' in ${kind} literal`);
        return endOfNumberOk(i) ? i : invalid(kind);
      };
      if (ch === 0x78 || ch === 0x58) return radix(isHex, "hexadecimal");
      if (ch === 0x6f || ch === 0x4f) return radix((x) => x !== undefined && x >= 0x30 && x <= 0x37, "octal", isDigit);
      if (ch === 0x62 || ch === 0x42) return radix((x) => x === 0x30 || x === 0x31, "binary", isDigit);
      let nonzero = false;
      for (;;) {
        if (at(i) === 0x5f) {
          i++;
          if (!isDigit(at(i))) return invalid("decimal");
        }
        if (at(i) !== 0x30) break;
        i++;
      }
      if (isDigit(at(i))) {
        nonzero = true;
        i = decimalTail(i);
        if (i < 0) return invalid("decimal");
      }
      if (at(i) === 0x2e) return fraction(i + 1);
      if (at(i) === 0x65 || at(i) === 0x45) return exponent(i);
      if (at(i) === 0x6a || at(i) === 0x4a) return imaginary(i);
      if (nonzero) return syntax("leading zeros in decimal integer literals are not permitted");
      return endOfNumberOk(i) ? i : invalid("decimal");
    }
    i = decimalTail(i);
    if (i < 0) return invalid("decimal");
    if (at(i) === 0x2e) return fraction(i + 1);
    return exponent(i);
  }
}

// ---------------------------------------------------------------------------------------------
// AST (only what _convert looks at is kept; every other node is "Other")

type UnaryOpName = "UAdd" | "USub" | "Not" | "Invert";
type Node =
  | { t: "Constant"; v: PyValue }
  | { t: "Tuple" | "List" | "Set"; elts: Node[] }
  | { t: "Dict"; keys: (Node | null)[]; values: Node[] }
  | { t: "Call"; func: Node; nargs: number; nkeywords: number }
  | { t: "Name"; id: string }
  | { t: "UnaryOp"; op: UnaryOpName; operand: Node }
  | { t: "BinOp"; op: string; left: Node; right: Node }
  | { t: "Starred"; value: Node }
  | { t: "NamedExpr" }
  /** An f-string: its text where it has no replacement fields, else null. */
  | { t: "JoinedStr"; value: number[] | null }
  | { t: "Other"; kind: string; assignable?: boolean };

class Parser {
  private i = 0;
  private furthest = 0;
  constructor(private readonly toks: Token[]) {}

  private peek(k = 0): Token {
    const idx = Math.min(this.i + k, this.toks.length - 1);
    if (idx > this.furthest) this.furthest = idx;
    const t = this.toks[idx] as Token;
    if (t.type === "ERROR") throw t.error as PythonError;
    return t;
  }
  private isOp(text: string, k = 0): boolean {
    const t = this.peek(k);
    return t.type === "OP" && t.text === text;
  }
  private isKw(text: string, k = 0): boolean {
    const t = this.peek(k);
    return t.type === "NAME" && t.text === text;
  }
  private eatOp(text: string): boolean {
    if (this.isOp(text)) {
      this.i++;
      return true;
    }
    return false;
  }
  private eatKw(text: string): boolean {
    if (this.isKw(text)) {
      this.i++;
      return true;
    }
    return false;
  }
  private expectOp(text: string): void {
    if (!this.eatOp(text)) throw this.error();
  }
  /** The parse error at the furthest token examined: IndentationError at an INDENT, else SyntaxError. */
  error(message = "invalid syntax"): PythonError {
    const t = this.toks[Math.min(this.furthest, this.toks.length - 1)] as Token;
    if (t.type === "ERROR") return t.error as PythonError;
    if (t.type === "INDENT") return new PythonError("IndentationError", "unexpected indent");
    if (t.type === "DEDENT") return new PythonError("IndentationError", "unexpected unindent");
    return syntax(message);
  }
  private startsExpression(): boolean {
    const t = this.peek();
    if (t.type === "NUMBER" || t.type === "STRING") return true;
    if (t.type === "NAME") return !KEYWORDS.has(t.text) || ["True", "False", "None", "not", "lambda", "await"].includes(t.text);
    return t.type === "OP" && ["(", "[", "{", "-", "+", "~", "..."].includes(t.text);
  }

  parseEval(): Node {
    const node = this.expressions();
    while (this.peek().type === "NEWLINE") this.i++;
    if (this.peek().type !== "ENDMARKER") throw this.error();
    return node;
  }

  private expressions(): Node {
    const first = this.expression();
    if (!this.isOp(",")) return first;
    const elts = [first];
    while (this.eatOp(",")) {
      if (!this.startsExpression()) break;
      elts.push(this.expression());
    }
    return { t: "Tuple", elts };
  }

  expression(): Node {
    if (this.isKw("lambda")) return this.lambdef();
    const body = this.disjunction();
    if (this.isKw("if")) {
      this.i++;
      this.disjunction();
      if (!this.eatKw("else")) throw this.error("expected 'else' after 'if' expression");
      this.expression();
      return { t: "Other", kind: "IfExp" };
    }
    return body;
  }

  private lambdef(): Node {
    this.i++; // lambda
    let bareStar = false;
    let namedAfterStar = false;
    while (!this.isOp(":")) {
      if (this.eatOp("**")) {
        this.name();
      } else if (this.eatOp("*")) {
        if (this.peek().type === "NAME" && !KEYWORDS.has(this.peek().text)) this.name();
        else bareStar = true;
      } else if (this.eatOp("/")) {
        // positional-only marker
      } else {
        this.name();
        if (bareStar) namedAfterStar = true;
        if (this.eatOp("=")) this.expression();
      }
      if (!this.eatOp(",")) break;
    }
    if (bareStar && !namedAfterStar) throw syntax("named arguments must follow bare *");
    this.expectOp(":");
    this.expression();
    return { t: "Other", kind: "Lambda" };
  }

  private name(): string {
    const t = this.peek();
    if (t.type !== "NAME" || KEYWORDS.has(t.text)) throw this.error();
    this.i++;
    return t.text;
  }

  private disjunction(): Node {
    const first = this.conjunction();
    if (!this.isKw("or")) return first;
    while (this.eatKw("or")) this.conjunction();
    return { t: "Other", kind: "BoolOp" };
  }
  private conjunction(): Node {
    const first = this.inversion();
    if (!this.isKw("and")) return first;
    while (this.eatKw("and")) this.inversion();
    return { t: "Other", kind: "BoolOp" };
  }
  private inversion(): Node {
    if (this.eatKw("not")) return { t: "UnaryOp", op: "Not", operand: this.inversion() };
    return this.comparison();
  }
  private compareOp(): boolean {
    const t = this.peek();
    if (t.type === "OP" && ["==", "!=", "<=", "<", ">=", ">"].includes(t.text)) {
      this.i++;
      return true;
    }
    if (this.isKw("in")) {
      this.i++;
      return true;
    }
    if (this.isKw("not") && this.isKw("in", 1)) {
      this.i += 2;
      return true;
    }
    if (this.isKw("is")) {
      this.i++;
      this.eatKw("not");
      return true;
    }
    return false;
  }
  private comparison(): Node {
    const first = this.bitwiseOr();
    let compared = false;
    while (this.compareOp()) {
      this.bitwiseOr();
      compared = true;
    }
    return compared ? { t: "Other", kind: "Compare" } : first;
  }
  private binary(next: () => Node, ops: readonly string[]): Node {
    let left = next();
    for (;;) {
      const t = this.peek();
      if (t.type !== "OP" || !ops.includes(t.text)) return left;
      this.i++;
      const right = next();
      left = { t: "BinOp", op: t.text, left, right };
    }
  }
  bitwiseOr(): Node {
    return this.binary(() => this.binary(() => this.binary(() => this.binary(() => this.binary(() => this.binary(() => this.factor(), ["*", "/", "//", "%", "@"]), ["+", "-"]), ["<<", ">>"]), ["&"]), ["^"]), ["|"]);
  }
  private factor(): Node {
    const t = this.peek();
    if (t.type === "OP" && (t.text === "+" || t.text === "-" || t.text === "~")) {
      this.i++;
      const operand = this.factor();
      return { t: "UnaryOp", op: t.text === "+" ? "UAdd" : t.text === "-" ? "USub" : "Invert", operand };
    }
    return this.power();
  }
  private power(): Node {
    let base: Node;
    if (this.eatKw("await")) {
      this.primary();
      base = { t: "Other", kind: "Await" };
    } else base = this.primary();
    if (this.eatOp("**")) {
      const exp = this.factor();
      return { t: "BinOp", op: "**", left: base, right: exp };
    }
    return base;
  }
  private primary(): Node {
    let node = this.atom();
    for (;;) {
      if (this.eatOp(".")) {
        this.name();
        node = { t: "Other", kind: "Attribute", assignable: true };
      } else if (this.isOp("(")) {
        const { nargs, nkeywords } = this.callArguments();
        node = { t: "Call", func: node, nargs, nkeywords };
      } else if (this.eatOp("[")) {
        this.slices();
        this.expectOp("]");
        node = { t: "Other", kind: "Subscript", assignable: true };
      } else return node;
    }
  }
  private slices(): void {
    let first = true;
    for (;;) {
      if (!first && this.isOp("]")) return;
      if (this.isOp("*")) {
        this.i++;
        this.bitwiseOr();
      } else this.slice();
      first = false;
      if (!this.eatOp(",")) return;
    }
  }
  private slice(): void {
    if (!this.isOp(":")) {
      this.namedExpression();
      if (!this.isOp(":")) return;
    }
    this.expectOp(":");
    if (!this.isOp(":") && !this.isOp("]") && !this.isOp(",")) this.expression();
    if (this.eatOp(":")) {
      if (!this.isOp("]") && !this.isOp(",")) this.expression();
    }
  }
  private callArguments(): { nargs: number; nkeywords: number } {
    this.expectOp("(");
    let nargs = 0;
    let nkeywords = 0;
    let sawKeyword = false;
    let sawDoubleStar = false;
    let sawGenexp = false;
    let count = 0;
    while (!this.isOp(")")) {
      count++;
      if (this.eatOp("**")) {
        this.expression();
        sawDoubleStar = true;
        nkeywords++;
      } else if (this.eatOp("*")) {
        if (sawDoubleStar) throw syntax("iterable argument unpacking follows keyword argument unpacking");
        this.expression();
        nargs++;
      } else if (this.peek().type === "NAME" && !KEYWORDS.has(this.peek().text) && this.isOp("=", 1)) {
        this.i += 2;
        this.expression();
        sawKeyword = true;
        nkeywords++;
      } else {
        const value = this.namedExpression();
        if (this.isOp("=")) throw syntax("expression cannot contain assignment, perhaps you meant \"==\"?");
        if (this.isKw("for") || this.isKw("async")) {
          this.forIfClauses();
          sawGenexp = true;
        }
        if (sawDoubleStar) throw syntax("positional argument follows keyword argument unpacking");
        if (sawKeyword) throw syntax("positional argument follows keyword argument");
        void value;
        nargs++;
      }
      if (!this.eatOp(",")) break;
    }
    this.expectOp(")");
    if (sawGenexp && count > 1) throw syntax("Generator expression must be parenthesized");
    return { nargs, nkeywords };
  }
  private namedExpression(): Node {
    if (this.peek().type === "NAME" && !KEYWORDS.has(this.peek().text) && this.isOp(":=", 1)) {
      this.i += 2;
      this.expression();
      return { t: "NamedExpr" };
    }
    const node = this.expression();
    if (this.isOp(":=")) throw this.error();
    return node;
  }
  private starNamedExpression(): Node {
    if (this.eatOp("*")) return { t: "Starred", value: this.bitwiseOr() };
    return this.namedExpression();
  }
  private isComprehension(): boolean {
    return this.isKw("for") || (this.isKw("async") && this.isKw("for", 1));
  }
  private forIfClauses(): void {
    if (!this.isComprehension()) throw this.error();
    while (this.isComprehension()) {
      this.eatKw("async");
      this.i++; // for
      this.starTargets();
      if (!this.eatKw("in")) throw this.error();
      this.disjunction();
      while (this.eatKw("if")) this.disjunction();
    }
  }
  private starTargets(): void {
    const check = (n: Node): void => {
      if (n.t === "Name") return;
      if (n.t === "Other" && n.assignable) return;
      if (n.t === "Starred") return check(n.value);
      if (n.t === "Tuple" || n.t === "List") return n.elts.forEach(check);
      throw syntax("cannot assign to expression");
    };
    for (;;) {
      const target = this.isOp("*") ? (this.i++, { t: "Starred" as const, value: this.bitwiseOr() }) : this.bitwiseOr();
      check(target);
      if (!this.eatOp(",")) return;
      if (this.isKw("in")) return;
    }
  }

  private atom(): Node {
    const t = this.peek();
    if (t.type === "NAME") {
      if (t.text === "True" || t.text === "False") {
        this.i++;
        return { t: "Constant", v: { kind: "bool", value: t.text === "True" } };
      }
      if (t.text === "None") {
        this.i++;
        return { t: "Constant", v: { kind: "none" } };
      }
      if (KEYWORDS.has(t.text)) throw this.error();
      this.i++;
      return { t: "Name", id: t.text };
    }
    if (t.type === "NUMBER") {
      this.i++;
      return { t: "Constant", v: numberValue(t.text) };
    }
    if (t.type === "STRING") {
      const parts: string[] = [];
      while (this.peek().type === "STRING") {
        parts.push(this.peek().text);
        this.i++;
      }
      return stringNode(parts);
    }
    if (t.type === "OP") {
      if (t.text === "...") {
        this.i++;
        return { t: "Constant", v: { kind: "ellipsis" } };
      }
      if (t.text === "(") return this.parenthesized();
      if (t.text === "[") return this.bracketed();
      if (t.text === "{") return this.braced();
    }
    throw this.error();
  }

  private parenthesized(): Node {
    this.i++;
    if (this.eatOp(")")) return { t: "Tuple", elts: [] };
    if (this.isKw("yield")) {
      this.i++;
      if (this.eatKw("from")) this.expression();
      else if (!this.isOp(")")) this.starExpressions();
      this.expectOp(")");
      return { t: "Other", kind: "Yield" };
    }
    const first = this.starNamedExpression();
    if (first.t !== "Starred" && this.isComprehension()) {
      this.forIfClauses();
      this.expectOp(")");
      return { t: "Other", kind: "GeneratorExp" };
    }
    if (this.eatOp(")")) {
      if (first.t === "Starred") throw syntax("cannot use starred expression here");
      return first;
    }
    this.expectOp(",");
    const elts = [first];
    while (!this.isOp(")")) {
      elts.push(this.starNamedExpression());
      if (!this.eatOp(",")) break;
    }
    this.expectOp(")");
    return { t: "Tuple", elts };
  }
  private starExpressions(): void {
    for (;;) {
      if (this.eatOp("*")) this.bitwiseOr();
      else this.expression();
      if (!this.eatOp(",")) return;
      if (this.isOp(")")) return;
    }
  }
  private bracketed(): Node {
    this.i++;
    if (this.eatOp("]")) return { t: "List", elts: [] };
    const first = this.starNamedExpression();
    if (first.t !== "Starred" && this.isComprehension()) {
      this.forIfClauses();
      this.expectOp("]");
      return { t: "Other", kind: "ListComp" };
    }
    const elts = [first];
    while (this.eatOp(",")) {
      if (this.isOp("]")) break;
      elts.push(this.starNamedExpression());
    }
    this.expectOp("]");
    return { t: "List", elts };
  }
  private braced(): Node {
    this.i++;
    if (this.eatOp("}")) return { t: "Dict", keys: [], values: [] };
    if (this.isOp("**")) return this.dictRest([], []);
    const first = this.starNamedExpression();
    if (this.eatOp(":")) {
      if (first.t === "Starred" || first.t === "NamedExpr") throw this.error();
      if (this.isOp("}") || this.isOp(",")) throw syntax("expression expected after dictionary key and ':'");
      const value = this.expression();
      if (this.isComprehension()) {
        this.forIfClauses();
        this.expectOp("}");
        return { t: "Other", kind: "DictComp" };
      }
      return this.dictRest([first], [value]);
    }
    if (first.t !== "Starred" && this.isComprehension()) {
      this.forIfClauses();
      this.expectOp("}");
      return { t: "Other", kind: "SetComp" };
    }
    const elts = [first];
    while (this.eatOp(",")) {
      if (this.isOp("}")) break;
      elts.push(this.starNamedExpression());
    }
    this.expectOp("}");
    return { t: "Set", elts };
  }
  private dictRest(keys: (Node | null)[], values: Node[]): Node {
    if (keys.length > 0 && !this.eatOp(",")) {
      this.expectOp("}");
      return { t: "Dict", keys, values };
    }
    while (!this.isOp("}")) {
      if (this.eatOp("**")) {
        keys.push(null);
        values.push(this.bitwiseOr());
      } else {
        keys.push(this.expression());
        if (!this.eatOp(":")) throw this.error();
        if (this.isOp("}") || this.isOp(",")) throw syntax("expression expected after dictionary key and ':'");
        values.push(this.expression());
      }
      if (!this.eatOp(",")) break;
    }
    this.expectOp("}");
    return { t: "Dict", keys, values };
  }
}

// ---------------------------------------------------------------------------------------------
// Literals

function numberValue(text: string): PyValue {
  const clean = text.replace(/_/g, "");
  const last = clean[clean.length - 1];
  if (last === "j" || last === "J") return { kind: "complex", re: 0, im: Number(clean.slice(0, -1)) };
  const lower = clean.toLowerCase();
  if (lower.startsWith("0x") || lower.startsWith("0o") || lower.startsWith("0b")) return { kind: "int", value: BigInt(lower) };
  if (/[.e]/i.test(clean)) return { kind: "float", value: Number(clean) };
  if (clean.length > INT_MAX_STR_DIGITS) {
    throw syntax(`Exceeds the limit (${INT_MAX_STR_DIGITS} digits) for integer string conversion: value has ${clean.length} digits`);
  }
  return { kind: "int", value: BigInt(clean) };
}

interface StringPart {
  bytes: boolean;
  fstring: boolean;
  /** The text; for an f-string with replacement fields, empty. */
  value: number[];
  fields: boolean;
}

function parseStringToken(text: string): StringPart {
  const cps = Array.from(text, (c) => c.codePointAt(0) as number);
  let p = 0;
  let raw = false, bytes = false, fstring = false;
  while (cps[p] !== 0x22 && cps[p] !== 0x27) {
    const ch = String.fromCodePoint(cps[p] as number).toLowerCase();
    if (ch === "r") raw = true;
    else if (ch === "b") bytes = true;
    else if (ch === "f") fstring = true;
    p++;
  }
  const q = cps[p] as number;
  const triple = cps[p + 1] === q && cps[p + 2] === q && cps.length - p >= 6;
  const open = triple ? 3 : 1;
  const body = cps.slice(p + open, cps.length - open);
  if (bytes && body.some((c) => c >= 128)) throw syntax("bytes can only contain ASCII literal characters");
  if (fstring) {
    if (checkFString(body, raw)) return { bytes: false, fstring: true, value: [], fields: true };
    // No replacement field: the text, "{{" and "}}" read as braces.
    const text = raw ? body : decodeEscapes(body, false);
    const value: number[] = [];
    for (let i = 0; i < text.length; i++) {
      value.push(text[i] as number);
      if ((text[i] === 0x7b || text[i] === 0x7d) && text[i + 1] === text[i]) i++;
    }
    return { bytes: false, fstring: true, value, fields: false };
  }
  if (raw) return { bytes, fstring: false, value: body, fields: false };
  return { bytes, fstring: false, value: decodeEscapes(body, bytes), fields: false };
}

function decodeEscapes(body: number[], bytes: boolean): number[] {
  const out: number[] = [];
  const unicodeError = (): PythonError => syntax("(unicode error) 'unicodeescape' codec can't decode bytes");
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as number;
    if (c !== 0x5c) {
      out.push(c);
      continue;
    }
    const n = body[i + 1];
    i++;
    switch (n) {
      case 0x0a: break; // line continuation inside the literal
      case 0x5c: out.push(0x5c); break;
      case 0x27: out.push(0x27); break;
      case 0x22: out.push(0x22); break;
      case 0x61: out.push(7); break;
      case 0x62: out.push(8); break;
      case 0x66: out.push(12); break;
      case 0x6e: out.push(10); break;
      case 0x72: out.push(13); break;
      case 0x74: out.push(9); break;
      case 0x76: out.push(11); break;
      case 0x78: {
        const h = body.slice(i + 1, i + 3);
        if (h.length < 2 || !h.every((x) => isHex(x))) {
          throw bytes ? syntax("(value error) invalid \\x escape") : unicodeError();
        }
        out.push(parseInt(String.fromCodePoint(...h), 16));
        i += 2;
        break;
      }
      default: {
        if (n !== undefined && n >= 0x30 && n <= 0x37) {
          let v = n - 0x30;
          let k = 1;
          while (k < 3 && body[i + k] !== undefined && (body[i + k] as number) >= 0x30 && (body[i + k] as number) <= 0x37) {
            v = v * 8 + ((body[i + k] as number) - 0x30);
            k++;
          }
          i += k - 1;
          out.push(bytes ? v & 0xff : v);
          break;
        }
        if (!bytes && (n === 0x75 || n === 0x55)) {
          const len = n === 0x75 ? 4 : 8;
          const h = body.slice(i + 1, i + 1 + len);
          if (h.length < len || !h.every((x) => isHex(x))) throw unicodeError();
          const v = parseInt(String.fromCodePoint(...h), 16);
          if (v > 0x10ffff) throw unicodeError();
          out.push(v);
          i += len;
          break;
        }
        if (!bytes && n === 0x4e) {
          const closeAt = body.indexOf(0x7d, i + 1);
          if (body[i + 1] !== 0x7b || closeAt < 0 || closeAt === i + 2) throw unicodeError();
          throw new UnsupportedLiteralError("\\N{...} escapes are not supported by this port of ast.literal_eval");
        }
        out.push(0x5c);
        if (n !== undefined) out.push(n);
      }
    }
  }
  return out;
}

/**
 * The f-string errors CPython 3.11 raises at parse time; a valid f-string is a JoinedStr (never a
 * literal to ast.literal_eval). Whether it has a replacement field.
 */
function checkFString(body: number[], raw: boolean): boolean {
  let fields = false;
  let i = 0;
  const ch = (k: number): string | undefined => (body[k] === undefined ? undefined : String.fromCodePoint(body[k] as number));
  while (i < body.length) {
    const c = ch(i);
    if (c === "{") {
      if (ch(i + 1) === "{") {
        i += 2;
        continue;
      }
      i = fieldEnd(i + 1);
      fields = true;
      continue;
    }
    if (c === "}") {
      if (ch(i + 1) === "}") {
        i += 2;
        continue;
      }
      throw syntax("f-string: single '}' is not allowed");
    }
    if (c === "\\" && !raw) i++;
    i++;
  }
  return fields;
  function fieldEnd(k: number): number {
    const start = k;
    const stack: string[] = [];
    let quote: string | undefined;
    for (; k < body.length; k++) {
      const c = ch(k) as string;
      if (quote) {
        if (c === quote) quote = undefined;
        continue;
      }
      if (c === "\\") throw syntax("f-string expression part cannot include a backslash");
      if (c === "'" || c === '"') quote = c;
      else if (c === "#") throw syntax("f-string expression part cannot include '#'");
      else if (c === "(" || c === "[" || c === "{") stack.push(c);
      else if (c === ")" || c === "]" || (c === "}" && stack.length > 0)) stack.pop();
      else if (stack.length === 0 && (c === "}" || c === "!" || c === ":") && !(c === "!" && ch(k + 1) === "=")) {
        const expr = String.fromCodePoint(...body.slice(start, k)).replace(/=\s*$/, "");
        if (expr.trim() === "") throw syntax("f-string: empty expression not allowed");
        try {
          new Parser(tokenize(Array.from(`(${expr})`, (x) => x.codePointAt(0) as number))).parseEval();
        } catch (e) {
          if (e instanceof PythonError) throw syntax("f-string: invalid syntax");
          throw e;
        }
        if (c === "!") {
          const conv = ch(k + 1);
          if (conv !== "s" && conv !== "r" && conv !== "a") throw syntax("f-string: invalid conversion character");
          k += 2;
        }
        if (ch(k) === ":") {
          // A format spec: literal text with nested replacement fields.
          k++;
          while (k < body.length && ch(k) !== "}") {
            if (ch(k) === "{") k = fieldEnd(k + 1);
            else k++;
          }
        }
        if (ch(k) !== "}") throw syntax("f-string: expecting '}'");
        return k + 1;
      }
    }
    throw syntax("f-string: expecting '}'");
  }
}

function stringNode(tokens: string[]): Node {
  const parts = tokens.map(parseStringToken);
  const anyBytes = parts.some((p) => p.bytes);
  if (anyBytes && !parts.every((p) => p.bytes)) throw syntax("cannot mix bytes and nonbytes literals");
  const all = parts.flatMap((p) => p.value);
  if (parts.some((p) => p.fstring)) return { t: "JoinedStr", value: parts.some((p) => p.fields) ? null : all };
  return { t: "Constant", v: anyBytes ? { kind: "bytes", bytes: all } : { kind: "str", cps: all } };
}

// ---------------------------------------------------------------------------------------------
// _convert

const malformed = (node: Node): PythonError =>
  new PythonError("ValueError", `malformed node or string: ${node.t === "Other" ? node.kind : node.t}`);

function convertNum(node: Node): PyValue {
  if (node.t !== "Constant" || !(node.v.kind === "int" || node.v.kind === "float" || node.v.kind === "complex")) throw malformed(node);
  return node.v;
}

function negate(v: PyValue): PyValue {
  if (v.kind === "int") return { kind: "int", value: -v.value };
  if (v.kind === "float") return { kind: "float", value: -v.value };
  if (v.kind === "complex") return { kind: "complex", re: -v.re, im: -v.im };
  return v;
}

function convertSignedNum(node: Node): PyValue {
  if (node.t === "UnaryOp" && (node.op === "UAdd" || node.op === "USub")) {
    const operand = convertNum(node.operand);
    return node.op === "UAdd" ? operand : negate(operand);
  }
  return convertNum(node);
}

function toFloat(v: PyValue): number {
  if (v.kind === "float") return v.value;
  const x = Number((v as { value: bigint }).value);
  if (!Number.isFinite(x)) throw new PythonError("OverflowError", "int too large to convert to float");
  return x;
}

/** Which Python call the text goes through: `ast.literal_eval(text)` or `eval(text)`. */
export type LiteralMode = "literal_eval" | "eval";

/** Where eval() would run code to get the value (a name, a call, an operator, a comprehension, …): refused, never run. */
function needsCode(node: Node): UnsupportedLiteralError {
  const what = node.t === "Other" ? node.kind : node.t;
  return new UnsupportedLiteralError(`eval() would run code here (${what}); not evaluated`);
}

/** Python's truth value of a literal value. */
function truthy(v: PyValue): boolean {
  switch (v.kind) {
    case "none": return false;
    case "ellipsis": return true;
    case "bool": return v.value;
    case "int": return v.value !== 0n;
    case "float": return v.value !== 0;
    case "complex": return v.re !== 0 || v.im !== 0;
    case "str": return v.cps.length > 0;
    case "bytes": return v.bytes.length > 0;
    case "tuple": case "list": case "set": return v.items.length > 0;
    case "dict": return v.entries.length > 0;
  }
}

/** eval() of a unary operator on a value (what `-True`, `--1`, `~1`, `not ''` compute). */
function unary(op: UnaryOpName, v: PyValue): PyValue {
  if (op === "Not") return { kind: "bool", value: !truthy(v) };
  const n: PyValue = v.kind === "bool" ? { kind: "int", value: v.value ? 1n : 0n } : v;
  const symbol = op === "UAdd" ? "+" : op === "USub" ? "-" : "~";
  if (op === "Invert") {
    if (n.kind === "int") return { kind: "int", value: -n.value - 1n };
  } else if (n.kind === "int" || n.kind === "float" || n.kind === "complex") {
    return op === "UAdd" ? n : negate(n);
  }
  throw new PythonError("TypeError", `bad operand type for unary ${symbol}: '${pyValueTypeName(v)}'`);
}

function convert(node: Node, mode: LiteralMode): PyValue {
  switch (node.t) {
    case "Constant":
      return node.v;
    case "Tuple":
      return { kind: "tuple", items: node.elts.map((e) => convert(e, mode)) };
    case "List":
      return { kind: "list", items: node.elts.map((e) => convert(e, mode)) };
    case "Set": {
      const items: PyValue[] = [];
      for (const e of node.elts) setAdd(items, convert(e, mode));
      return { kind: "set", items };
    }
    case "Call":
      if (node.func.t === "Name" && node.func.id === "set" && node.nargs === 0 && node.nkeywords === 0) return { kind: "set", items: [] };
      break;
    case "Dict": {
      const entries: [PyValue, PyValue][] = [];
      for (let k = 0; k < node.keys.length; k++) {
        const keyNode = node.keys[k] as Node | null;
        if (keyNode === null) {
          if (mode === "eval") throw needsCode(node);
          throw new PythonError("ValueError", "malformed node or string: None");
        }
        const key = convert(keyNode, mode);
        const value = convert(node.values[k] as Node, mode);
        dictSet(entries, key, value);
      }
      return { kind: "dict", entries };
    }
    case "UnaryOp":
      if (mode === "eval") return unary(node.op, convert(node.operand, mode));
      break;
    case "JoinedStr":
      if (mode === "eval") {
        if (node.value === null) throw needsCode(node);
        return { kind: "str", cps: node.value };
      }
      break;
    case "BinOp":
      if (node.op === "+" || node.op === "-") {
        // `real ± complex`, the one operator ast.literal_eval allows; eval() computes it the same way.
        const left = mode === "eval" ? convert(node.left, mode) : convertSignedNum(node.left);
        const right = mode === "eval" ? convert(node.right, mode) : convertNum(node.right);
        if ((left.kind === "int" || left.kind === "float") && right.kind === "complex") {
          const l = toFloat(left);
          return node.op === "+"
            ? { kind: "complex", re: l + right.re, im: 0 + right.im }
            : { kind: "complex", re: l - right.re, im: 0 - right.im };
        }
      }
      break;
    default:
      break;
  }
  if (mode === "eval") throw needsCode(node);
  return convertSignedNum(node);
}

function hashCheck(v: PyValue): void {
  if (v.kind === "list" || v.kind === "dict" || v.kind === "set") throw new PythonError("TypeError", `unhashable type: '${v.kind}'`);
  if (v.kind === "tuple") v.items.forEach(hashCheck);
}

/** Python `==` between two literal values. */
export function pyEquals(a: PyValue, b: PyValue): boolean {
  const num = (v: PyValue): { re: number | bigint; im: number } | undefined => {
    if (v.kind === "int") return { re: v.value, im: 0 };
    if (v.kind === "bool") return { re: v.value ? 1n : 0n, im: 0 };
    if (v.kind === "float") return { re: v.value, im: 0 };
    if (v.kind === "complex") return { re: v.re, im: v.im };
    return undefined;
  };
  const na = num(a);
  const nb = num(b);
  if (na && nb) {
    if (na.im !== nb.im) return false;
    const x = na.re, y = nb.re;
    if (typeof x === "bigint" && typeof y === "bigint") return x === y;
    const f = typeof x === "bigint" ? y as number : x;
    const g = typeof x === "bigint" ? x : y;
    if (typeof g === "number") return f === g;
    return Number.isInteger(f) && BigInt(f) === g;
  }
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case "str":
      return a.cps.length === (b as typeof a).cps.length && a.cps.every((c, i) => c === (b as typeof a).cps[i]);
    case "bytes":
      return a.bytes.length === (b as typeof a).bytes.length && a.bytes.every((c, i) => c === (b as typeof a).bytes[i]);
    case "none":
    case "ellipsis":
      return true;
    case "tuple":
    case "list":
      return a.items.length === (b as typeof a).items.length && a.items.every((x, i) => pyEquals(x, (b as typeof a).items[i] as PyValue));
    case "set": {
      const bi = (b as typeof a).items;
      return a.items.length === bi.length && a.items.every((x) => bi.some((y) => pyEquals(x, y)));
    }
    case "dict": {
      const be = (b as typeof a).entries;
      return a.entries.length === be.length && a.entries.every(([k, v]) => be.some(([k2, v2]) => pyEquals(k, k2) && pyEquals(v, v2)));
    }
    default:
      return false;
  }
}

function setAdd(items: PyValue[], v: PyValue): void {
  hashCheck(v);
  if (!items.some((x) => pyEquals(x, v))) items.push(v);
}
function dictSet(entries: [PyValue, PyValue][], key: PyValue, value: PyValue): void {
  hashCheck(key);
  const found = entries.find(([k]) => pyEquals(k, key));
  if (found) found[1] = value;
  else entries.push([key, value]);
}

/**
 * `ast.literal_eval(text)` of Python 3.11; throws PythonError with the class CPython raises.
 * With `mode: "eval"`, Python's `eval(text)` (what LooGLE's scorer calls on model output) where the
 * value needs no code to run: the same parse, plus what eval computes on literals (unary `+ - ~ not`
 * on any literal, f-strings without fields); a name, call (but `set()`), operator, subscript,
 * comprehension, `**` unpacking or f-string field throws `UnsupportedLiteralError`: it is never run.
 */
export function literalEval(text: string, options: { mode?: LiteralMode } = {}): PyValue {
  const cps = Array.from(text, (c) => c.codePointAt(0) as number);
  // compile() encodes the source to UTF-8 first (surrogates fail), then refuses null bytes.
  if (cps.some((c) => c >= 0xd800 && c <= 0xdfff)) throw new PythonError("UnicodeEncodeError", "'utf-8' codec can't encode surrogates");
  if (cps.includes(0)) throw new PythonError("ValueError", "source code string cannot contain null bytes");
  let s = 0;
  while (s < cps.length && (cps[s] === 0x20 || cps[s] === 0x09)) s++;
  const body: number[] = [];
  for (let i = s; i < cps.length; i++) {
    const c = cps[i] as number;
    if (c === 0x0d) {
      body.push(0x0a);
      if (cps[i + 1] === 0x0a) i++;
    } else body.push(c);
  }
  const parser = new Parser(tokenize(body));
  return convert(parser.parseEval(), options.mode ?? "literal_eval");
}

// ---------------------------------------------------------------------------------------------
// repr / str


function reprFloatPart(x: number, addDot: boolean): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  const r = pyFloatRepr(x);
  // complex's repr formats its parts with 'r' and no forced ".0".
  return addDot ? r : r.replace(/\.0$/, "");
}

function reprStrBody(cps: readonly number[], quote: number): string {
  let out = "";
  const hex = (v: number, n: number): string => v.toString(16).padStart(n, "0");
  for (const c of cps) {
    if (c === quote || c === 0x5c) out += "\\" + String.fromCodePoint(c);
    else if (c === 0x09) out += "\\t";
    else if (c === 0x0a) out += "\\n";
    else if (c === 0x0d) out += "\\r";
    else if (c < 0x20 || c === 0x7f) out += "\\x" + hex(c, 2);
    else if (c < 0x7f) out += String.fromCodePoint(c);
    else if (c >= 0xd800 && c <= 0xdfff) out += "\\u" + hex(c, 4);
    else if (isPyPrintable(c)) out += String.fromCodePoint(c);
    else if (c <= 0xff) out += "\\x" + hex(c, 2);
    else if (c <= 0xffff) out += "\\u" + hex(c, 4);
    else out += "\\U" + hex(c, 8);
  }
  return out;
}

/**
 * Python `repr()` of a literal value. Sets are shown in insertion order (CPython shows them in hash
 * order), so a set's repr may differ.
 */
export function pyRepr(v: PyValue): string {
  switch (v.kind) {
    case "str": {
      const hasSingle = v.cps.includes(0x27);
      const quote = hasSingle && !v.cps.includes(0x22) ? 0x22 : 0x27;
      const q = String.fromCodePoint(quote);
      return q + reprStrBody(v.cps, quote) + q;
    }
    case "bytes": {
      const hasSingle = v.bytes.includes(0x27);
      const quote = hasSingle && !v.bytes.includes(0x22) ? 0x22 : 0x27;
      let out = "";
      for (const b of v.bytes) {
        if (b === quote || b === 0x5c) out += "\\" + String.fromCharCode(b);
        else if (b === 0x09) out += "\\t";
        else if (b === 0x0a) out += "\\n";
        else if (b === 0x0d) out += "\\r";
        else if (b < 0x20 || b >= 0x7f) out += "\\x" + b.toString(16).padStart(2, "0");
        else out += String.fromCharCode(b);
      }
      const q = String.fromCharCode(quote);
      return "b" + q + out + q;
    }
    case "int":
      return v.value.toString();
    case "float":
      return reprFloatPart(v.value, true);
    case "complex": {
      const im = reprFloatPart(v.im, false);
      if (v.re === 0 && !Object.is(v.re, -0)) return `${im}j`;
      const sign = v.im < 0 || Object.is(v.im, -0) ? "-" : "+";
      const absIm = reprFloatPart(Math.abs(v.im), false);
      return `(${reprFloatPart(v.re, false)}${sign}${absIm}j)`;
    }
    case "bool":
      return v.value ? "True" : "False";
    case "none":
      return "None";
    case "ellipsis":
      return "Ellipsis";
    case "tuple":
      return v.items.length === 1 ? `(${pyRepr(v.items[0] as PyValue)},)` : `(${v.items.map(pyRepr).join(", ")})`;
    case "list":
      return `[${v.items.map(pyRepr).join(", ")}]`;
    case "set":
      return v.items.length === 0 ? "set()" : `{${v.items.map(pyRepr).join(", ")}}`;
    case "dict":
      return `{${v.entries.map(([k, x]) => `${pyRepr(k)}: ${pyRepr(x)}`).join(", ")}}`;
  }
}

/** Python `str()` of a literal value: the text itself for str, repr otherwise. */
export function pyStrOf(v: PyValue): string {
  return v.kind === "str" ? pyStrText(v) : pyRepr(v);
}

/**
 * A JSON value as a Python value: what `pyJsonLoads` returns (a `PyFloat` is a float, a bigint an
 * int, a `Map` a dict in its order) or what `JSON.parse` returns (an integral number is an int as
 * json.loads reads `1`, other numbers floats; objects are dicts).
 */
export function fromJson(value: unknown): PyValue {
  if (value === null) return { kind: "none" };
  if (typeof value === "string") return pyStr(value);
  if (typeof value === "boolean") return { kind: "bool", value };
  if (typeof value === "bigint") return { kind: "int", value };
  if (typeof value === "number") {
    return Number.isInteger(value) && !Object.is(value, -0) ? { kind: "int", value: BigInt(value) } : { kind: "float", value };
  }
  if (value instanceof PyFloat) return { kind: "float", value: value.value };
  if (Array.isArray(value)) return { kind: "list", items: value.map(fromJson) };
  if (value instanceof Map) return { kind: "dict", entries: [...(value as Map<string, unknown>)].map(([k, v]) => [pyStr(k), fromJson(v)]) };
  if (typeof value === "object") {
    return { kind: "dict", entries: Object.entries(value as Record<string, unknown>).map(([k, v]) => [pyStr(k), fromJson(v)]) };
  }
  throw new TypeError(`not a JSON value: ${String(value)}`);
}

/** `d.get(key)` of a dict value (a str key given as text, or any value), undefined where absent. */
export function pyDictGet(dict: Extract<PyValue, { kind: "dict" }>, key: string | PyValue): PyValue | undefined {
  const k = typeof key === "string" ? pyStr(key) : key;
  return dict.entries.find(([x]) => pyEquals(x, k))?.[1];
}

/**
 * A Python value as JSON: str, int (as a number), float, bool, None; lists, tuples and sets as
 * arrays; dicts with str keys as objects. Other values (bytes, complex, Ellipsis, non-str keys) throw.
 */
export function pyValueToJson(v: PyValue): JsonValue {
  switch (v.kind) {
    case "str":
      return pyStrText(v);
    case "int":
      return Number(v.value);
    case "float":
    case "bool":
      return v.value;
    case "none":
      return null;
    case "list":
    case "tuple":
    case "set":
      return v.items.map(pyValueToJson);
    case "dict":
      return Object.fromEntries(
        v.entries.map(([k, x]) => {
          if (k.kind !== "str") throw new TypeError(`a dict key that is not a str (${k.kind}) has no JSON form`);
          return [pyStrText(k), pyValueToJson(x)];
        }),
      );
    default:
      throw new TypeError(`a ${v.kind} value has no JSON form`);
  }
}

/** Python's `type(value).__name__`. */
export function pyValueTypeName(v: PyValue): string {
  return v.kind === "none" ? "NoneType" : v.kind;
}
