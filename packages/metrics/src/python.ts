/**
 * The one home of Python-compatible behaviour the official scripts depend on: output formats
 * (`repr(float)`, `json.dumps`, pandas `to_csv`), `str.format`, `str.strip`, and the float
 * arithmetic of numpy / pandas means. Rounding lives in `rounding.ts`, Unicode string semantics
 * (`str.lower`, `str.split`, `\w`) in `unicode.ts`; both are re-exported from the package root.
 */
import { readFile } from "node:fs/promises";
import { PythonError } from "./errors.js";
import { isPyWhitespace } from "./unicode.js";
import { pythonRound, rint } from "./rounding.js";

/** Python `repr(float)`: shortest round-trip digits, fixed notation for 1e-4 <= |x| < 1e16. */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const sign = x < 0 ? "-" : "";
  const [mant, expText] = Math.abs(x).toExponential().split("e") as [string, string];
  const digits = mant.replace(".", "");
  const decpt = Number(expText) + 1; // value = 0.d1d2... * 10^decpt
  if (decpt > -4 && decpt <= 16) {
    if (decpt <= 0) return `${sign}0.${"0".repeat(-decpt)}${digits}`;
    if (decpt >= digits.length) return `${sign}${digits}${"0".repeat(decpt - digits.length)}.0`;
    return `${sign}${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
  }
  const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  const e = decpt - 1;
  return `${sign}${m}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
}

/** Python `f"{x:.{digits}f}"` (`"%.*f"`): the exact value rounded half to even, "-" kept on negative zero, nan / inf. */
export function pyFormatFixed(x: number, digits: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  const abs = Math.abs(pythonRound(x, digits));
  const body = abs >= 1e21 ? `${BigInt(abs)}${digits > 0 ? `.${"0".repeat(digits)}` : ""}` : abs.toFixed(digits);
  return (x < 0 || Object.is(x, -0) ? "-" : "") + body;
}

/**
 * A number Python holds as a float. JavaScript has one number type, so `json.dumps` needs to be
 * told that `1` was `1.0`; plain non-integer numbers are floats anyway.
 */
export class PyFloat {
  constructor(readonly value: number) {}
}
export const pyFloat = (value: number): PyFloat => new PyFloat(value);

export type PyJsonValue =
  | string
  | number
  | bigint
  | boolean
  | null
  | bigint
  | PyFloat
  | readonly PyJsonValue[]
  | ReadonlyMap<string, PyJsonValue>
  | { readonly [key: string]: PyJsonValue };

export interface PyJsonDumpsOptions {
  /** `ensure_ascii` (Python's default: true). */
  ensureAscii?: boolean;
  /** `indent`: undefined for one line. */
  indent?: number;
  sortKeys?: boolean;
  /** How integral JS numbers are written: `int` (`1`, the default) or `float` (`1.0`). */
  integers?: "int" | "float";
}

function pyJsonString(text: string, ensureAscii: boolean): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const ch = text[i] as string;
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\b") out += "\\b";
    else if (ch === "\f") out += "\\f";
    else if (c < 0x20 || (ensureAscii && c > 0x7e)) out += `\\u${c.toString(16).padStart(4, "0")}`;
    else out += ch;
  }
  return out + '"';
}

function pyJsonNumber(value: number, asFloat: boolean): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "Infinity";
  if (value === -Infinity) return "-Infinity";
  if (!asFloat && Number.isInteger(value) && !Object.is(value, -0)) return String(BigInt(value));
  return pyFloatRepr(value);
}

/**
 * Python's `json.dumps(value, ensure_ascii=…, indent=…, sort_keys=…)` with the default
 * separators (`", "` and `": "` on one line; `","` at line ends with an indent).
 */
export function pyJsonDumps(value: PyJsonValue, options: PyJsonDumpsOptions = {}): string {
  const ensureAscii = options.ensureAscii ?? true;
  const floats = options.integers === "float";
  const indent = options.indent;
  const walk = (v: PyJsonValue, depth: number): string => {
    if (v === null) return "null";
    if (v === true) return "true";
    if (v === false) return "false";
    if (typeof v === "string") return pyJsonString(v, ensureAscii);
    if (typeof v === "number") return pyJsonNumber(v, floats);
    if (typeof v === "bigint") return String(v);
    if (v instanceof PyFloat) return pyJsonNumber(v.value, true);
    const inner = indent === undefined ? "" : "\n" + " ".repeat(indent * (depth + 1));
    const outer = indent === undefined ? "" : "\n" + " ".repeat(indent * depth);
    const sep = indent === undefined ? ", " : ",";
    if (Array.isArray(v)) {
      if (v.length === 0) return "[]";
      return "[" + (v as readonly PyJsonValue[]).map((x) => inner + walk(x, depth + 1)).join(sep) + outer + "]";
    }
    // A Map keeps Python's dict order; a plain object's integer-like keys would come first.
    let entries = v instanceof Map ? [...(v as ReadonlyMap<string, PyJsonValue>)] : Object.entries(v as { readonly [key: string]: PyJsonValue });
    if (entries.length === 0) return "{}";
    if (options.sortKeys) entries = entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return "{" + entries.map(([k, x]) => inner + pyJsonString(k, ensureAscii) + ": " + walk(x, depth + 1)).join(sep) + outer + "}";
  };
  return walk(value, 0);
}

/**
 * One field as Python's `csv.writer` (QUOTE_MINIMAL, the default dialect) and pandas' `to_csv`
 * write it: quoted, with inner quotes doubled, when it holds the delimiter, a quote, "\r" or "\n".
 */
export function pyCsvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** pandas `DataFrame(rows).to_csv(path, index=False)`: null cells empty, numbers as Python floats. */
export function pandasCsv(columns: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number | null>>): string {
  const lines = [columns.map(pyCsvField).join(",")];
  for (const row of rows) {
    lines.push(row.map((v) => (v === null ? "" : typeof v === "number" ? pyFloatRepr(v) : pyCsvField(v))).join(","));
  }
  return lines.join("\n") + "\n";
}

/** Python `str.strip()` with no argument: Python's whitespace set at both ends. */
export function pyStrip(text: string): string {
  return pyRstrip(pyLstrip(text));
}

/** Python `str.lstrip()` with no argument (Python's whitespace, all of it in the BMP). */
export function pyLstrip(text: string): string {
  let start = 0;
  while (start < text.length && isPyWhitespace(text[start] as string)) start++;
  return text.slice(start);
}

/** Python `str.rstrip()` with no argument. */
export function pyRstrip(text: string): string {
  let end = text.length;
  while (end > 0 && isPyWhitespace(text[end - 1] as string)) end--;
  return text.slice(0, end);
}

/** Python `len(text)`: code points, not UTF-16 units. */
export function pyLen(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** Python `str.strip(chars)`: the given characters at both ends. */
export function pyStripChars(text: string, chars: string): string {
  const set = new Set(Array.from(chars));
  const cps = Array.from(text);
  let start = 0;
  let end = cps.length;
  while (start < end && set.has(cps[start] as string)) start++;
  while (end > start && set.has(cps[end - 1] as string)) end--;
  return cps.slice(start, end).join("");
}

/** The error `str.format` raises, with Python's message, so callers can report it as the official script would fail. */
export class PyFormatError extends Error {
  constructor(
    message: string,
    readonly pythonType: "KeyError" | "ValueError" | "IndexError",
  ) {
    super(message);
    this.name = "PyFormatError";
  }
}

/**
 * Python `template.format(**values)` for the templates official repositories ship: named fields and
 * `{{`/`}}` escapes. Conversions, format specs, positional fields and attribute access are refused
 * loudly (as a ValueError), not approximated.
 */
export function pyFormat(template: string, values: Readonly<Record<string, string>>): string {
  let out = "";
  let i = 0;
  const n = template.length;
  while (i < n) {
    const open = template.indexOf("{", i);
    const close = template.indexOf("}", i);
    if (open === -1 && close === -1) {
      out += template.slice(i);
      break;
    }
    if (close !== -1 && (open === -1 || close < open)) {
      if (template[close + 1] !== "}") throw new PyFormatError("Single '}' encountered in format string", "ValueError");
      out += template.slice(i, close + 1);
      i = close + 2;
      continue;
    }
    out += template.slice(i, open);
    if (template[open + 1] === "{") {
      out += "{";
      i = open + 2;
      continue;
    }
    const end = template.indexOf("}", open + 1);
    if (end === -1) throw new PyFormatError("Single '{' encountered in format string", "ValueError");
    const field = template.slice(open + 1, end);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(field)) {
      throw new PyFormatError(`unsupported format field {${field}}: only named fields such as {context} are supported`, "ValueError");
    }
    const value = values[field];
    if (value === undefined) throw new PyFormatError(`'${field}'`, "KeyError");
    out += value;
    i = end + 1;
  }
  return out;
}

/** Field names a `str.format` template uses, in order of first use. */
export function pyFormatFields(template: string): string[] {
  const fields: string[] = [];
  for (const match of template.matchAll(/\{\{|\}\}|\{([^{}]*)\}/g)) {
    const name = match[1];
    if (name !== undefined && !fields.includes(name)) fields.push(name);
  }
  return fields;
}

/** numpy's pairwise summation of a float64 array (`pairwise_sum` in loops_utils.h). */
export function pairwiseSum(a: readonly number[], start = 0, n = a.length): number {
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res += a[start + i] as number;
    return res;
  }
  if (n <= 128) {
    const r = [0, 1, 2, 3, 4, 5, 6, 7].map((j) => a[start + j] as number);
    let i = 8;
    for (; i < n - (n % 8); i += 8) for (let j = 0; j < 8; j++) r[j] = (r[j] as number) + (a[start + i + j] as number);
    const [r0, r1, r2, r3, r4, r5, r6, r7] = r as [number, number, number, number, number, number, number, number];
    let res = r0 + r1 + (r2 + r3) + (r4 + r5 + (r6 + r7));
    for (; i < n; i++) res += a[start + i] as number;
    return res;
  }
  let n2 = Math.trunc(n / 2);
  n2 -= n2 % 8;
  return pairwiseSum(a, start, n2) + pairwiseSum(a, start + n2, n - n2);
}

/** `np.mean` / pandas `Series.mean()` of float64 values without NaN: pairwise sum / count (NaN when empty). */
export function numpyMean(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : pairwiseSum(values) / values.length;
}

/** Python `sum(values) / len(values)`: left-to-right addition; throws ZeroDivisionError's message when empty. */
export function pyMean(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError("division by zero");
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}

/** `np.linspace(lo, hi, num)` (endpoint included), computed as numpy does: lo + i * step, last = hi. */
export function linspace(lo: number, hi: number, num: number): number[] {
  if (num === 1) return [lo];
  const step = (hi - lo) / (num - 1);
  return Array.from({ length: num }, (_, i) => (i === num - 1 ? hi : lo + i * step));
}

/** `np.round(np.linspace(lo, hi, num)).astype(int)`. */
export function linspaceRoundInt(lo: number, hi: number, num: number): number[] {
  return linspace(lo, hi, num).map(rint);
}

const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * The text `open(path, encoding="utf-8")` decodes from a file's bytes: strict UTF-8 (invalid bytes
 * raise UnicodeDecodeError, a `PythonError`), a BOM kept as U+FEFF, line ends as they are.
 */
export function pyDecodeUtf8(bytes: Uint8Array): string {
  try {
    return UTF8.decode(bytes);
  } catch {
    throw new PythonError("UnicodeDecodeError", "'utf-8' codec can't decode the bytes: invalid UTF-8");
  }
}

/**
 * `open(path, encoding="utf-8").read()`: strict UTF-8 (see `pyDecodeUtf8`) with text mode's
 * universal newlines ("\r\n" and "\r" read as "\n"); file-system errors pass through.
 */
export async function pyReadText(path: string): Promise<string> {
  return pyDecodeUtf8(await readFile(path)).replace(/\r\n?/g, "\n");
}

/**
 * The lines `for line in open(path)` yields, without their terminators: text mode splits on
 * "\n", "\r\n" and "\r" alike (universal newlines), and a final terminator adds no empty line.
 */
export function pyTextLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.at(-1) === "") lines.pop();
  return lines;
}
