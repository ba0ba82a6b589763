/**
 * Python 3 `str` semantics the official scorers rely on, independent of the Unicode version of
 * the running Node: `str.lower()`, `str.split()` (Unicode whitespace) and the `\w` / `\b` of `re`.
 * The tables come from Python 3.11 (Unicode 14), the `python3` Debian 12 ships with jieba 0.42.1.
 */
import {
  PY_DECIMAL_RANGES,
  PY_ISDIGIT_RANGES,
  PY_LOWER_TABLE,
  PY_PRINTABLE_RANGES,
  PY_UPPER_TABLE,
  PY_WHITESPACE,
  PY_WORD_RANGES,
} from "./unicode-tables.js";

let lowerMap: Map<number, string> | undefined;
let upperMap: Map<number, string> | undefined;
function getLowerMap(): Map<number, string> {
  lowerMap ??= parseCaseTable(PY_LOWER_TABLE);
  return lowerMap;
}

function parseCaseTable(table: string): Map<number, string> {
  const map = new Map<number, string>();
  for (const entry of table.split(";")) {
    if (!entry) continue;
    const [cp, chars] = entry.split(":") as [string, string];
    const text = chars
      .split(",")
      .filter((h) => h.length > 0)
      .map((h) => String.fromCodePoint(parseInt(h, 16)))
      .join("");
    map.set(parseInt(cp, 16), text);
  }
  return map;
}

const ASCII_ONLY = /^[\x00-\x7f]*$/;
const CASED = /\p{Cased}/u;
const CASE_IGNORABLE = /\p{Case_Ignorable}/u;

/** Python's `str.lower()`: full Unicode lower-casing, with the Final_Sigma rule for U+03A3. */
export function pyLower(text: string): string {
  if (ASCII_ONLY.test(text)) return text.toLowerCase();
  const map = getLowerMap();
  const cps = Array.from(text);
  let out = "";
  for (let i = 0; i < cps.length; i++) {
    const ch = cps[i] as string;
    const cp = ch.codePointAt(0) as number;
    if (cp < 0x80) {
      out += cp >= 0x41 && cp <= 0x5a ? String.fromCharCode(cp + 32) : ch;
    } else if (cp === 0x3a3) {
      out += finalSigma(cps, i) ? "\u03c2" : "\u03c3";
    } else {
      out += map.get(cp) ?? ch;
    }
  }
  return out;
}

/** Python's `str.upper()`: full Unicode upper-casing ("ß" → "SS", "ŉ" → "ʼN"), Python 3.11's tables. */
export function pyUpper(text: string): string {
  if (ASCII_ONLY.test(text)) return text.toUpperCase();
  upperMap ??= parseCaseTable(PY_UPPER_TABLE);
  let out = "";
  for (const ch of text) {
    const cp = ch.codePointAt(0) as number;
    if (cp < 0x80) out += cp >= 0x61 && cp <= 0x7a ? String.fromCharCode(cp - 32) : ch;
    else out += upperMap.get(cp) ?? ch;
  }
  return out;
}

/** CPython's handle_capital_sigma: \p{cased}\p{case-ignorable}* Σ !(\p{case-ignorable}* \p{cased}). */
function finalSigma(cps: readonly string[], i: number): boolean {
  let j = i - 1;
  while (j >= 0 && CASE_IGNORABLE.test(cps[j] as string)) j--;
  if (j < 0 || !CASED.test(cps[j] as string)) return false;
  j = i + 1;
  while (j < cps.length && CASE_IGNORABLE.test(cps[j] as string)) j++;
  return j === cps.length || !CASED.test(cps[j] as string);
}

const WS_CLASS = PY_WHITESPACE.map((cp) => `\\u{${cp.toString(16)}}`).join("");
/** A character class source matching one character Python's `re` calls `\s` (str patterns) = `str.isspace()`. */
export const PY_SPACE_CLASS_SOURCE = `[${WS_CLASS}]`;
/** A character class source matching one character that is not `\s` (Python's `\S`). */
export const PY_NON_SPACE_CLASS_SOURCE = `[^${WS_CLASS}]`;
/** One or more characters for which Python's `str.isspace()` is true. */
export const PY_WHITESPACE_RUN = new RegExp(`[${WS_CLASS}]+`, "u");
const WS_RUN_GLOBAL = new RegExp(`[${WS_CLASS}]+`, "gu");
const WS_SET = new Set(PY_WHITESPACE);

/** Whether a single character is whitespace to Python (`str.isspace()`). */
export function isPyWhitespace(ch: string): boolean {
  return WS_SET.has(ch.codePointAt(0) as number);
}

/** Python's `str.split()` with no argument: split on runs of Unicode whitespace, drop empty parts. */
export function pySplit(text: string): string[] {
  if (text.length === 0) return [];
  const parts = text.split(WS_RUN_GLOBAL);
  const out: string[] = [];
  for (const p of parts) if (p.length > 0) out.push(p);
  return out;
}

/** `"".join(text.split())`: every Python whitespace character removed. */
export function pyRemoveWhitespace(text: string): string {
  return text.replace(WS_RUN_GLOBAL, "");
}

/** A character class source matching what Python's `re` calls `\w` for str patterns. */
export const PY_WORD_CLASS_SOURCE = rangeClass(PY_WORD_RANGES);

/** Whether one character is a word character to Python's `re` (`\w`). */
export function isPyWordChar(ch: string): boolean {
  return rangeIndex(PY_WORD_RANGES, ch.codePointAt(0) as number) >= 0;
}

function rangeClass(ranges: readonly number[]): string {
  let s = "";
  for (let i = 0; i < ranges.length; i += 2) {
    const a = ranges[i] as number;
    const b = ranges[i + 1] as number;
    s += a === b ? `\\u{${a.toString(16)}}` : `\\u{${a.toString(16)}}-\\u{${b.toString(16)}}`;
  }
  return `[${s}]`;
}

/** Index of the range holding `cp` in a flattened [start, end, ...] list, or -1. */
function rangeIndex(ranges: readonly number[], cp: number): number {
  let lo = 0;
  let hi = ranges.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const a = ranges[mid * 2] as number;
    const b = ranges[mid * 2 + 1] as number;
    if (cp < a) hi = mid - 1;
    else if (cp > b) lo = mid + 1;
    else return mid;
  }
  return -1;
}

/** A character class source matching Python's `re` `\d` for str patterns (Unicode decimal digits). */
export const PY_DIGIT_CLASS_SOURCE = rangeClass(PY_DECIMAL_RANGES);

/** Whether one character is a Python decimal digit (`re` `\d`, `str.isdecimal()`, what `int()` reads). */
export function isPyDecimal(ch: string): boolean {
  return rangeIndex(PY_DECIMAL_RANGES, ch.codePointAt(0) as number) >= 0;
}

/** Python's `str.isdigit()` for one character (decimal digits plus superscripts, circled digits, ...). */
export function isPyIsdigit(ch: string): boolean {
  return rangeIndex(PY_ISDIGIT_RANGES, ch.codePointAt(0) as number) >= 0;
}

/** The value 0-9 of a Python decimal digit, or -1. Unicode lays decimal digits out in runs of ten from 0. */
export function pyDecimalValue(ch: string): number {
  const cp = ch.codePointAt(0) as number;
  const i = rangeIndex(PY_DECIMAL_RANGES, cp);
  return i < 0 ? -1 : (cp - (PY_DECIMAL_RANGES[i * 2] as number)) % 10;
}

const DIGIT_RUNS = new RegExp(`${PY_DIGIT_CLASS_SOURCE}+`, "gu");

/** Python `re.findall(r"\d+", text)`: every maximal run of Unicode decimal digits, as written. */
export function pyDigitRuns(text: string): string[] {
  return text.match(DIGIT_RUNS) ?? [];
}

/** Python's `<` on two str (what `sorted()` uses): code point by code point, a prefix first. */
export function pyStrCompare(a: string, b: string): number {
  const x = Array.from(a);
  const y = Array.from(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    const d = ((x[i] as string).codePointAt(0) as number) - ((y[i] as string).codePointAt(0) as number);
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/** Python's `str.isprintable()` for one code point: what `repr()` shows as is rather than escaped. */
export function isPyPrintable(cp: number): boolean {
  return rangeIndex(PY_PRINTABLE_RANGES, cp) >= 0;
}
