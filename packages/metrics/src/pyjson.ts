/**
 * Python's `json.loads` (the C scanner CPython uses, `strict=True`) and `float()` as official
 * scorers apply them to judge verdicts and prediction files. What differs from `JSON.parse`:
 * - objects keep Python dict order: a repeated key keeps its first position and takes the last
 *   value, and integer-like keys are not moved to the front (they come back as a `Map`);
 * - `1.0` stays a float and `1` an int (so `json.dumps` writes them back as Python does), and ints
 *   beyond 2^53 keep every digit (`bigint`);
 * - `NaN`, `Infinity` and `-Infinity` are accepted;
 * - a leading U+FEFF is refused ("Unexpected UTF-8 BOM").
 * `pyFloatOf` is `float(value)` on what `pyJsonLoads` returns, with Python's errors.
 */
import { PyFloat, type PyJsonValue } from "./python.js";
import { pyStrip } from "./python.js";

/** The error json.loads or float() raises, with Python's exception type and message. */
export class PyValueError extends Error {
  constructor(
    message: string,
    readonly pythonType: "JSONDecodeError" | "ValueError" | "TypeError" | "OverflowError",
  ) {
    super(message);
    this.name = "PyValueError";
  }
}

const WS = new Set([" ", "\t", "\n", "\r"]);
const ESCAPES: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
const NUMBER = /-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?/y;

/** Python `json.loads(text)`: a PyJsonValue where objects are `Map`s in Python dict order. */
export function pyJsonLoads(text: string): PyJsonValue {
  if (text.startsWith("\ufeff")) throw new PyValueError("Unexpected UTF-8 BOM (decode using utf-8-sig)", "JSONDecodeError");
  let i = 0;
  const fail = (what: string): never => {
    throw new PyValueError(`${what}: char ${i}`, "JSONDecodeError");
  };
  const skip = (): void => {
    while (i < text.length && WS.has(text[i] as string)) i++;
  };
  const parseString = (): string => {
    // text[i] is the opening quote.
    i++;
    let out = "";
    for (;;) {
      if (i >= text.length) fail("Unterminated string starting at");
      const ch = text[i] as string;
      if (ch === '"') {
        i++;
        return out;
      }
      if (ch === "\\") {
        const e = text[i + 1];
        if (e === undefined) fail("Unterminated string starting at");
        if (e === "u") {
          const hex = text.slice(i + 2, i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail("Invalid \\uXXXX escape");
          out += String.fromCharCode(parseInt(hex, 16));
          i += 6;
          continue;
        }
        const mapped = ESCAPES[e as string];
        if (mapped === undefined) fail("Invalid \\escape");
        out += mapped;
        i += 2;
        continue;
      }
      if (ch.charCodeAt(0) < 0x20) fail("Invalid control character at");
      out += ch;
      i++;
    }
  };
  const parseValue = (): PyJsonValue => {
    const ch = text[i];
    if (ch === '"') return parseString();
    if (ch === "{") {
      i++;
      const map = new Map<string, PyJsonValue>();
      skip();
      if (text[i] === "}") {
        i++;
        return map;
      }
      for (;;) {
        if (text[i] !== '"') fail("Expecting property name enclosed in double quotes");
        const key = parseString();
        skip();
        if (text[i] !== ":") fail("Expecting ':' delimiter");
        i++;
        skip();
        map.set(key, parseValue());
        skip();
        if (text[i] === "}") {
          i++;
          return map;
        }
        if (text[i] !== ",") fail("Expecting ',' delimiter");
        i++;
        skip();
      }
    }
    if (ch === "[") {
      i++;
      const list: PyJsonValue[] = [];
      skip();
      if (text[i] === "]") {
        i++;
        return list;
      }
      for (;;) {
        list.push(parseValue());
        skip();
        if (text[i] === "]") {
          i++;
          return list;
        }
        if (text[i] !== ",") fail("Expecting ',' delimiter");
        i++;
        skip();
      }
    }
    for (const [word, value] of [
      ["null", null],
      ["true", true],
      ["false", false],
      ["NaN", Number.NaN],
      ["Infinity", Infinity],
      ["-Infinity", -Infinity],
    ] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return value;
      }
    }
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (m === null) return fail("Expecting value");
    i += m[0].length;
    if (m[1] === undefined && m[2] === undefined) {
      const big = BigInt(m[0]);
      const n = Number(big);
      return Number.isSafeInteger(n) ? n : big;
    }
    const f = Number(m[0]);
    return Number.isInteger(f) ? new PyFloat(f) : f;
  };
  skip();
  const value = parseValue();
  skip();
  if (i !== text.length) fail("Extra data");
  return value;
}

/** Python's float() of a str: whitespace stripped, Unicode decimals as ASCII, `_` between digits. */
export function pyFloatFromString(text: string): number {
  const ascii = Array.from(pyStrip(text), asciiDigit).join("");
  const special = /^([+-]?)(inf|infinity|nan)$/i.exec(ascii);
  if (special) {
    const neg = special[1] === "-";
    if ((special[2] as string).toLowerCase() === "nan") return Number.NaN;
    return neg ? -Infinity : Infinity;
  }
  const digits = "[0-9](?:_?[0-9])*";
  const re = new RegExp(`^[+-]?(?:${digits}(?:\\.(?:${digits})?)?|\\.${digits})(?:[eE][+-]?${digits})?$`);
  if (!re.test(ascii)) throw new PyValueError(`could not convert string to float: ${pyReprStr(text)}`, "ValueError");
  return Number(ascii.replace(/_/g, ""));
}

/** Python `float(value)` for what pyJsonLoads returns (bool, int, float, str; TypeError otherwise). */
export function pyFloatOf(value: PyJsonValue | undefined): number {
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "number") return value;
  if (value instanceof PyFloat) return value.value;
  if (typeof value === "bigint") {
    const n = Number(value);
    if (!Number.isFinite(n)) throw new PyValueError("int too large to convert to float", "OverflowError");
    return n;
  }
  if (typeof value === "string") return pyFloatFromString(value);
  const type = value === null || value === undefined ? "NoneType" : Array.isArray(value) ? "list" : "dict";
  throw new PyValueError(`float() argument must be a string or a real number, not '${type}'`, "TypeError");
}

/** Python's `type(value).__name__` for a PyJsonValue. */
export function pyTypeName(value: PyJsonValue): string {
  if (value === null) return "NoneType";
  if (typeof value === "boolean") return "bool";
  if (typeof value === "string") return "str";
  if (typeof value === "bigint") return "int";
  if (typeof value === "number") return Number.isInteger(value) ? "int" : "float";
  if (value instanceof PyFloat) return "float";
  if (Array.isArray(value)) return "list";
  return "dict";
}

/** Python's `key in container` for a PyJsonValue container (dict keys, list items, substring). */
export function pyContains(container: PyJsonValue, key: string): boolean {
  if (container instanceof Map) return container.has(key);
  if (Array.isArray(container)) return container.some((x) => x === key);
  if (typeof container === "string") return container.includes(key);
  throw new PyValueError(`argument of type '${pyTypeName(container)}' is not iterable`, "TypeError");
}

function asciiDigit(ch: string): string {
  if (ch >= "0" && ch <= "9") return ch;
  if (!/^\p{Nd}$/u.test(ch)) return ch;
  // Unicode decimal digits come in runs of ten starting at a zero.
  let cp = ch.codePointAt(0) as number;
  let start = cp;
  while (/^\p{Nd}$/u.test(String.fromCodePoint(start - 1))) start--;
  cp = (cp - start) % 10;
  return String(cp);
}

function pyReprStr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = "";
  for (const ch of text) {
    const c = ch.codePointAt(0) as number;
    if (ch === "\\") out += "\\\\";
    else if (ch === quote) out += "\\" + ch;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, "0")}`;
    else out += ch;
  }
  return quote + out + quote;
}
