/**
 * Python builtins official scorers apply to model output, judge verdicts and prediction files:
 * `int()` and `float()` of a str (Unicode digits, underscores, Python's whitespace) and of the
 * values `pyJsonLoads` returns, `type().__name__` and `in`, with Python's exceptions (`PythonError`).
 */
import { PythonError } from "./errors.js";
import { PyFloat, pyFloatRepr, type PyJsonValue } from "./python.js";
import { fromJson, pyEquals, pyRepr, pyStr, pyStrOf } from "./literal-eval.js";
import { isPyWhitespace, pyDecimalValue } from "./unicode.js";

const pyReprStr = (text: string): string => pyRepr(pyStr(text));


/** The whitespace `int()` and `float()` strip: `str.isspace()` less \x1c-\x1f (CPython maps non-ASCII spaces to " ", then strips C-locale ASCII whitespace). */
function numberTrim(text: string): string {
  const isSpace = (ch: string): boolean => isPyWhitespace(ch) && !(ch >= "\x1c" && ch <= "\x1f");
  let start = 0;
  let end = text.length;
  while (start < end && isSpace(text[start] as string)) start++;
  while (end > start && isSpace(text[end - 1] as string)) end--;
  return text.slice(start, end);
}

/** CPython 3.11's default `sys.get_int_max_str_digits()`. */
const INT_MAX_STR_DIGITS = 4300;

/**
 * Python `int(text)` for a str in base 10: surrounding whitespace, an optional sign, Unicode decimal
 * digits (`"١٢"` is 12, `"１２"` is 12) with single underscores between digits, at most 4300 digits.
 * A bigint, as Python ints have no size limit; `PythonError("ValueError")` where Python raises.
 */
export function pyInt(text: string): bigint {
  const invalid = (): never => {
    throw new PythonError("ValueError", `invalid literal for int() with base 10: ${pyReprStr(text)}`);
  };
  const cps = Array.from(numberTrim(text));
  let i = 0;
  let negative = false;
  if (cps[0] === "+" || cps[0] === "-") {
    negative = cps[0] === "-";
    i = 1;
  }
  if (i >= cps.length) invalid();
  let digits = "";
  let previousUnderscore = true; // no underscore right after the sign
  for (; i < cps.length; i++) {
    const ch = cps[i] as string;
    if (ch === "_") {
      if (previousUnderscore) invalid();
      previousUnderscore = true;
      continue;
    }
    const v = pyDecimalValue(ch);
    if (v < 0) invalid();
    digits += String(v);
    previousUnderscore = false;
  }
  if (previousUnderscore) invalid();
  if (digits.length > INT_MAX_STR_DIGITS) {
    throw new PythonError("ValueError", `Exceeds the limit (${INT_MAX_STR_DIGITS} digits) for integer string conversion: value has ${digits.length} digits; use sys.set_int_max_str_digits() to increase the limit`);
  }
  const value = BigInt(digits);
  return negative ? -value : value;
}

/** Python `int(value)` for what pyJsonLoads returns: bool, int, float (truncated), str (`pyInt`); TypeError otherwise. */
export function pyIntOf(value: PyJsonValue | undefined): bigint {
  if (typeof value === "boolean") return value ? 1n : 0n;
  if (typeof value === "bigint") return value;
  const float = typeof value === "number" ? value : value instanceof PyFloat ? value.value : undefined;
  if (float !== undefined) {
    if (Number.isNaN(float)) throw new PythonError("ValueError", "cannot convert float NaN to integer");
    if (!Number.isFinite(float)) throw new PythonError("OverflowError", "cannot convert float infinity to integer");
    return BigInt(Math.trunc(float));
  }
  if (typeof value === "string") return pyInt(value);
  const type = value === undefined ? "NoneType" : pyTypeName(value);
  throw new PythonError("TypeError", `int() argument must be a string, a bytes-like object or a real number, not '${type}'`);
}

/**
 * Python `float(text)` for a str: whitespace as `int()` strips it, an optional sign, decimal digits
 * (Unicode decimal digits read as their values) with single underscores between digits, an optional
 * fraction and exponent, or nan / inf / infinity in any case. `PythonError("ValueError")` where Python raises.
 */
export function pyFloatFromString(text: string): number {
  let ascii = "";
  for (const ch of numberTrim(text)) {
    const v = ch.length === 1 && ch >= "0" && ch <= "9" ? -1 : pyDecimalValue(ch);
    ascii += v >= 0 ? String(v) : ch;
  }
  const special = /^([+-]?)(nan|inf|infinity)$/i.exec(ascii);
  if (special) {
    if ((special[2] as string).toLowerCase() === "nan") return Number.NaN;
    return special[1] === "-" ? -Infinity : Infinity;
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
  throw new PythonError("TypeError", `float() argument must be a string or a real number, not '${value === undefined ? "NoneType" : pyTypeName(value)}'`);
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

/** Python's `needle in container` for json.loads values: a dict's keys, a list's items (`==`), a substring. */
export function pyContains(container: PyJsonValue, needle: PyJsonValue): boolean {
  if (typeof container === "string") {
    if (typeof needle !== "string") throw new PythonError("TypeError", `'in <string>' requires string as left operand, not ${pyTypeName(needle)}`);
    return container.includes(needle);
  }
  if (Array.isArray(container)) {
    const n = fromJson(needle);
    return (container as readonly PyJsonValue[]).some((x) => pyEquals(fromJson(x), n));
  }
  if (container instanceof Map || (container !== null && typeof container === "object" && !(container instanceof PyFloat))) {
    if (Array.isArray(needle) || needle instanceof Map || (needle !== null && typeof needle === "object" && !(needle instanceof PyFloat))) {
      throw new PythonError("TypeError", `unhashable type: '${pyTypeName(needle)}'`);
    }
    if (typeof needle !== "string") return false; // json.loads dict keys are str
    return container instanceof Map ? container.has(needle) : Object.prototype.hasOwnProperty.call(container, needle);
  }
  throw new PythonError("TypeError", `argument of type '${pyTypeName(container)}' is not iterable`);
}

/** Python's `list(value)` (what `for x in value` visits) for json.loads values: items, characters, dict keys. */
export function pyIter(value: PyJsonValue): readonly PyJsonValue[] {
  if (typeof value === "string") return Array.from(value);
  if (Array.isArray(value)) return value as readonly PyJsonValue[];
  if (value instanceof Map) return [...(value as ReadonlyMap<string, PyJsonValue>).keys()];
  if (value !== null && typeof value === "object" && !(value instanceof PyFloat)) return Object.keys(value);
  throw new PythonError("TypeError", `'${pyTypeName(value)}' object is not iterable`);
}

/** Python's `value[i]` for json.loads values: a list item or a character (negative from the end); a dict raises KeyError. */
export function pyIndex(value: PyJsonValue, i: number): PyJsonValue {
  const seq = typeof value === "string" ? Array.from(value) : Array.isArray(value) ? (value as readonly PyJsonValue[]) : undefined;
  if (seq !== undefined) {
    const j = i < 0 ? seq.length + i : i;
    if (j < 0 || j >= seq.length) throw new PythonError("IndexError", `${typeof value === "string" ? "string" : "list"} index out of range`);
    return seq[j] as PyJsonValue;
  }
  if (value instanceof Map || (value !== null && typeof value === "object" && !(value instanceof PyFloat))) throw new PythonError("KeyError", String(i));
  throw new PythonError("TypeError", `'${pyTypeName(value)}' object is not subscriptable`);
}

/** Python's `a == b` for json.loads values (1 == 1.0 == True; lists and dicts element-wise). */
export function pyJsonEquals(a: PyJsonValue, b: PyJsonValue): boolean {
  return pyEquals(fromJson(a), fromJson(b));
}

/** Python's `str(value)` for json.loads values (`88.0` → "88.0", None, True, reprs inside containers). */
export function pyJsonStr(value: PyJsonValue): string {
  return pyStrOf(fromJson(value));
}

/**
 * A key equal for two json.loads values where Python's `==` (and so `set()` / dict keys)
 * makes them one: 1, 1.0 and True share "1"; "1" the str is apart; lists and dicts are unhashable
 * (`PythonError("TypeError")`, as `set([[1]])` raises). NaN aside: Python keeps NaN objects apart.
 */
export function pyHashKey(value: PyJsonValue): string {
  if (value === null) return "None";
  if (typeof value === "boolean") return value ? "1" : "0";
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "string") return `str:${value}`;
  const x = typeof value === "number" ? value : value instanceof PyFloat ? value.value : undefined;
  if (x !== undefined) return Number.isInteger(x) ? BigInt(x).toString() : `float:${pyFloatRepr(x)}`;
  throw new PythonError("TypeError", `unhashable type: '${pyTypeName(value)}'`);
}
