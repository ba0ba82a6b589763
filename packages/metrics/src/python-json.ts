/**
 * Python's `json.loads` (the C scanner of CPython 3.11, `strict=True`), for official scripts whose
 * behaviour depends on what it accepts and what it returns: it accepts `NaN`, `Infinity` and
 * `-Infinity`, keeps integers exact (a bigint beyond 2^53), tells `1` from `1.0` (a `PyFloat`),
 * keeps a dict's key order with the last value of a repeated key (a `Map`), and refuses what
 * `JSON.parse` also refuses (a BOM, trailing commas, control characters in strings, extra data).
 */
import type { JsonValue } from "@loomscope/spec";
import { PyFloat, type PyJsonValue } from "./python.js";
import { PythonError } from "./errors.js";

/** `json.JSONDecodeError` (a ValueError) or the other exceptions `json.loads` can raise. */
export class PyJsonDecodeError extends PythonError {
  constructor(
    message: string,
    readonly pos: number,
    /** The Python exception class: JSONDecodeError, ValueError (int digit limit) or RecursionError. */
    pythonError: "JSONDecodeError" | "ValueError" | "RecursionError" = "JSONDecodeError",
  ) {
    super(pythonError, message);
    this.name = "PyJsonDecodeError";
  }
}

/** CPython 3.11's default `sys.get_int_max_str_digits()`: `int()` of a longer literal raises ValueError. */
const INT_MAX_STR_DIGITS = 4300;
/**
 * Deepest nesting `json.loads` decodes when called from a shallow stack under the default recursion limit (1000); measured on Python 3.11.2: 997 ok, 998 RecursionError.
 * Approximate: the exact depth depends on the caller's own stack depth.
 */
const MAX_DEPTH = 997;

const isWs = (c: string | undefined): boolean => c === " " || c === "\t" || c === "\n" || c === "\r";
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= "0" && c <= "9";

class Scanner {
  constructor(private readonly s: string) {}

  skipWs(i: number): number {
    while (isWs(this.s[i])) i++;
    return i;
  }

  fail(message: string, pos: number): never {
    throw new PyJsonDecodeError(`${message}: char ${pos}`, pos);
  }

  value(i: number, depth: number): [PyJsonValue, number] {
    const s = this.s;
    const c = s[i];
    if (c === undefined) this.fail("Expecting value", i);
    if (c === '"') return this.string(i + 1);
    if (c === "{") return this.object(i + 1, depth + 1);
    if (c === "[") return this.array(i + 1, depth + 1);
    if (c === "n" && s.startsWith("null", i)) return [null, i + 4];
    if (c === "t" && s.startsWith("true", i)) return [true, i + 4];
    if (c === "f" && s.startsWith("false", i)) return [false, i + 5];
    if (c === "N" && s.startsWith("NaN", i)) return [new PyFloat(Number.NaN), i + 3];
    if (c === "I" && s.startsWith("Infinity", i)) return [new PyFloat(Infinity), i + 8];
    if (c === "-" && s.startsWith("-Infinity", i)) return [new PyFloat(-Infinity), i + 9];
    return this.number(i);
  }

  number(start: number): [PyJsonValue, number] {
    const s = this.s;
    let i = start;
    if (s[i] === "-") i++;
    if (s[i] === "0") i++;
    else if (s[i] !== undefined && s[i]! >= "1" && s[i]! <= "9") {
      while (isDigit(s[i])) i++;
    } else this.fail("Expecting value", start);
    let isFloat = false;
    if (s[i] === "." && isDigit(s[i + 1])) {
      i += 2;
      while (isDigit(s[i])) i++;
      isFloat = true;
    }
    if (s[i] === "e" || s[i] === "E") {
      // The exponent is taken only when digits follow; otherwise the scanner backs off before it.
      let j = i + 1;
      if (s[j] === "+" || s[j] === "-") j++;
      if (isDigit(s[j])) {
        while (isDigit(s[j])) j++;
        i = j;
        isFloat = true;
      }
    }
    const text = s.slice(start, i);
    if (isFloat) return [new PyFloat(Number(text)), i];
    const digits = text.startsWith("-") ? text.length - 1 : text.length;
    if (digits > INT_MAX_STR_DIGITS) {
      throw new PyJsonDecodeError(`Exceeds the limit (${INT_MAX_STR_DIGITS}) for integer string conversion`, start, "ValueError");
    }
    const big = BigInt(text);
    const n = Number(big);
    return [Number.isSafeInteger(n) ? n : big, i];
  }

  string(begin: number): [string, number] {
    const s = this.s;
    let out = "";
    let i = begin;
    for (;;) {
      const c = s[i];
      if (c === undefined) this.fail("Unterminated string starting at", begin - 1);
      if (c === '"') return [out, i + 1];
      if (c === "\\") {
        const e = s[i + 1];
        if (e === undefined) this.fail("Unterminated string starting at", begin - 1);
        const simple: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
        if (e !== "u") {
          const v = simple[e];
          if (v === undefined) this.fail("Invalid \\escape", i);
          out += v;
          i += 2;
          continue;
        }
        const code = this.hex4(i + 2, i);
        i += 6;
        if (code >= 0xd800 && code <= 0xdbff && s[i] === "\\" && s[i + 1] === "u") {
          const low = this.hex4(i + 2, i);
          if (low >= 0xdc00 && low <= 0xdfff) {
            out += String.fromCharCode(code, low);
            i += 6;
            continue;
          }
        }
        out += String.fromCharCode(code);
        continue;
      }
      if (c < " ") this.fail("Invalid control character at", i);
      out += c;
      i++;
    }
  }

  hex4(at: number, escapeAt: number): number {
    const h = this.s.slice(at, at + 4);
    if (!/^[0-9a-fA-F]{4}$/.test(h)) this.fail("Invalid \\uXXXX escape", escapeAt);
    return parseInt(h, 16);
  }

  object(i: number, depth: number): [PyJsonValue, number] {
    if (depth > MAX_DEPTH) throw new PyJsonDecodeError("maximum recursion depth exceeded while decoding a JSON object", i, "RecursionError");
    const s = this.s;
    const out = new Map<string, PyJsonValue>();
    i = this.skipWs(i);
    if (s[i] === "}") return [out, i + 1];
    for (;;) {
      if (s[i] !== '"') this.fail("Expecting property name enclosed in double quotes", i);
      const [key, afterKey] = this.string(i + 1);
      i = this.skipWs(afterKey);
      if (s[i] !== ":") this.fail("Expecting ':' delimiter", i);
      i = this.skipWs(i + 1);
      const [v, afterValue] = this.value(i, depth);
      out.set(key, v);
      i = this.skipWs(afterValue);
      if (s[i] === "}") return [out, i + 1];
      if (s[i] !== ",") this.fail("Expecting ',' delimiter", i);
      i = this.skipWs(i + 1);
    }
  }

  array(i: number, depth: number): [PyJsonValue, number] {
    if (depth > MAX_DEPTH) throw new PyJsonDecodeError("maximum recursion depth exceeded while decoding a JSON array", i, "RecursionError");
    const s = this.s;
    const out: PyJsonValue[] = [];
    i = this.skipWs(i);
    if (s[i] === "]") return [out, i + 1];
    for (;;) {
      const [v, after] = this.value(i, depth);
      out.push(v);
      i = this.skipWs(after);
      if (s[i] === "]") return [out, i + 1];
      if (s[i] !== ",") this.fail("Expecting ',' delimiter", i);
      i = this.skipWs(i + 1);
    }
  }
}

/**
 * `json.loads(text)`. Objects come back as `Map`s (Python dict order), floats as `PyFloat`,
 * integers as numbers (bigints beyond 2^53). Throws `PyJsonDecodeError` where Python raises.
 */
export function pyJsonLoads(text: string): PyJsonValue {
  if (text.startsWith("\ufeff")) throw new PyJsonDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig): char 0", 0);
  const scanner = new Scanner(text);
  const [value, end] = scanner.value(scanner.skipWs(0), 0);
  const rest = scanner.skipWs(end);
  if (rest !== text.length) scanner.fail("Extra data", rest);
  return value;
}

/**
 * A `pyJsonLoads` value with every dict (a `Map`) turned into a plain object, for zod schemas and
 * property access; ints and floats keep their Python types. Python's key order is lost where keys
 * look like array indices (JavaScript lists those first).
 */
export function pyDictsToObjects(value: PyJsonValue): PyJsonValue {
  if (value instanceof Map) {
    // fromEntries defines own properties, so a "__proto__" key stays a key.
    return Object.fromEntries([...(value as ReadonlyMap<string, PyJsonValue>)].map(([k, v]) => [k, pyDictsToObjects(v)]));
  }
  if (Array.isArray(value)) return (value as readonly PyJsonValue[]).map(pyDictsToObjects);
  return value;
}

/**
 * A `pyJsonLoads` value as plain JSON (dicts as objects, floats and big ints as JavaScript numbers):
 * for storing in samples and reports, where Python's int / float distinction is not needed.
 */
export function pyJsonToJson(value: PyJsonValue): JsonValue {
  if (value instanceof PyFloat) return value.value;
  if (typeof value === "bigint") return Number(value);
  if (value instanceof Map) return Object.fromEntries([...(value as ReadonlyMap<string, PyJsonValue>)].map(([k, v]) => [k, pyJsonToJson(v)]));
  if (Array.isArray(value)) return (value as readonly PyJsonValue[]).map(pyJsonToJson);
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, pyJsonToJson(v as PyJsonValue)]));
  return value as string | number | boolean | null;
}
