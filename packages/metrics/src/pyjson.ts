/**
 * Python's `float()`, `type().__name__` and `in` on the values `pyJsonLoads` returns (python-json.ts),
 * with Python's exceptions: what official scorers apply to judge verdicts and prediction files.
 */
import { PythonError } from "./errors.js";
import { PyFloat, pyStrip, type PyJsonValue } from "./python.js";


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
  if (!re.test(ascii)) throw new PythonError("ValueError", `could not convert string to float: ${pyReprStr(text)}`);
  return Number(ascii.replace(/_/g, ""));
}

/** Python `float(value)` for what pyJsonLoads returns (bool, int, float, str; TypeError otherwise). */
export function pyFloatOf(value: PyJsonValue | undefined): number {
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "number") return value;
  if (value instanceof PyFloat) return value.value;
  if (typeof value === "bigint") {
    const n = Number(value);
    if (!Number.isFinite(n)) throw new PythonError("OverflowError", "int too large to convert to float");
    return n;
  }
  if (typeof value === "string") return pyFloatFromString(value);
  const type = value === null || value === undefined ? "NoneType" : Array.isArray(value) ? "list" : "dict";
  throw new PythonError("TypeError", `float() argument must be a string or a real number, not '${type}'`);
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
  throw new PythonError("TypeError", `argument of type '${pyTypeName(container)}' is not iterable`);
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
