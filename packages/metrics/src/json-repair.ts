/**
 * `json_repair.loads(text)` of the Python package json_repair (mangiucugna/json_repair) at release
 * 0.25.2 (2024-06-27, commit of tag `0.25.2`, src/json_repair/json_repair.py): `json.loads` first,
 * and where that raises, its hand-written parser that closes brackets, quotes bare words, drops
 * trailing commas, reads `'single'` and `“curly”` quotes, skips text around the JSON and, when more
 * than one value is found, returns them as a list. Counting-Stars' viz.ipynb (2024-07-05, when
 * 0.25.2 was the current release) and LOOM-Scope's Counting-Stars scorer call it; neither pins a
 * version, so this one is named and recorded.
 *
 * Ported statement by statement over the text's code points (Python indexes str by code point),
 * with Python's `str.isalpha()` (Unicode letters, `\p{L}`), `str.isdigit()`, `str.isspace()`,
 * `int()` and `float()` from this package. Values come back as `pyJsonLoads` gives them (dicts as
 * `Map`s, floats as `PyFloat`). Where the Python parser recurses without end (a Unicode digit that
 * is not an ASCII number character inside a container) it raises RecursionError; so do we.
 * Logging (the `logging=True` mode) is not ported.
 */
import { PythonError } from "./errors.js";
import { PyFloat, type PyJsonValue } from "./python.js";
import { pyJsonLoads, PyJsonDecodeError } from "./python-json.js";
import { pyFloatFromString, pyInt } from "./python-builtins.js";
import { isPyIsdigit, isPyWhitespace, pyLower } from "./unicode.js";

/** Python `str.isalpha()` for one character: Unicode categories Lm, Lt, Lu, Ll, Lo. */
export function isPyAlpha(ch: string): boolean {
  return /^\p{L}$/u.test(ch);
}

type Char = string | false;
const NUMBER_CHARS = new Set("0123456789-.eE/,");
/**
 * Python's default recursion limit is 1000 frames, a few of them the caller's: every parser method
 * is one frame, so nesting deeper than this raises RecursionError (approximately where Python does).
 */
const MAX_DEPTH = 990;

class JsonRepairParser {
  private readonly s: readonly string[];
  private index = 0;
  private readonly context: string[] = [];
  private depth = 0;

  constructor(text: string) {
    this.s = Array.from(text);
  }

  parse(): PyJsonValue {
    let json: PyJsonValue = this.parseJson();
    if (this.index < this.s.length) {
      const list: PyJsonValue[] = [json];
      let lastIndex = this.index;
      while (this.index < this.s.length) {
        const j = this.parseJson();
        if (j !== "") list.push(j);
        if (this.index === lastIndex) this.index += 1;
        lastIndex = this.index;
      }
      json = list.length === 1 ? (list[0] as PyJsonValue) : list;
    }
    return json;
  }

  /** Runs one parser method as one Python frame would be counted against the recursion limit. */
  private frame<T>(body: () => T): T {
    if (++this.depth > MAX_DEPTH) throw new PythonError("RecursionError", "maximum recursion depth exceeded");
    try {
      return body();
    } finally {
      this.depth -= 1;
    }
  }

  private parseJson(): PyJsonValue {
    return this.frame(() => this.parseJsonFrame());
  }

  private parseJsonFrame(): PyJsonValue {
    {
      for (;;) {
        const char = this.charAt();
        const inContext = this.context.length > 0;
        if (char === false) return "";
        if (char === "{") {
          this.index += 1;
          return this.parseObject();
        }
        if (char === "[") {
          this.index += 1;
          return this.parseArray();
        }
        if (char === "}") return "";
        if (inContext && (char === '"' || char === "'" || char === "“" || isPyAlpha(char))) return this.parseString();
        if (inContext && (isPyIsdigit(char) || char === "-" || char === ".")) return this.parseNumber();
        this.index += 1;
      }
    }
  }

  private parseObject(): Map<string, PyJsonValue> {
    return this.frame(() => this.parseObjectFrame());
  }

  private parseObjectFrame(): Map<string, PyJsonValue> {
    const obj = new Map<string, PyJsonValue>();
    while ((this.charAt() || "}") !== "}") {
      this.skipWhitespaces();
      if ((this.charAt() || "") === ":") this.index += 1;
      this.setContext("object_key");
      this.skipWhitespaces();
      let key: PyJsonValue = "";
      while (key === "" && this.charAt()) {
        const current = this.index;
        key = this.parseString();
        if (key === "" && this.charAt() === ":") {
          key = "empty_placeholder";
          break;
        } else if (key === "" && this.index === current) {
          this.index += 1;
        }
      }
      this.skipWhitespaces();
      if ((this.charAt() || "}") === "}") continue;
      this.skipWhitespaces();
      this.index += 1; // the ":" (or whatever stands there)
      this.resetContext();
      this.setContext("object_value");
      const value = this.parseJson();
      this.resetContext();
      obj.set(dictKey(key), value);
      const c = this.charAt() || "";
      if (c === "," || c === "'" || c === '"') this.index += 1;
      this.skipWhitespaces();
    }
    this.index += 1;
    return obj;
  }

  private parseArray(): PyJsonValue[] {
    return this.frame(() => this.parseArrayFrame());
  }

  private parseArrayFrame(): PyJsonValue[] {
    const arr: PyJsonValue[] = [];
    this.setContext("array");
    while ((this.charAt() || "]") !== "]") {
      this.skipWhitespaces();
      const value = this.parseJson();
      if (value === "") break;
      if (!(value === "..." && this.charAt(-1) === ".")) arr.push(value);
      let char = this.charAt();
      while (char && (isPyWhitespace(char) || char === ",")) {
        this.index += 1;
        char = this.charAt();
      }
      if (this.getContext() === "object_value" && char === "}") break;
    }
    const char = this.charAt();
    if (char && char !== "]") this.index -= 1;
    this.index += 1;
    this.resetContext();
    return arr;
  }

  private parseString(): PyJsonValue {
    return this.frame(() => this.parseStringFrame());
  }

  private parseStringFrame(): PyJsonValue {
    let missingQuotes = false;
    let doubledQuotes = false;
    let lDelim = '"';
    let rDelim = '"';
    let char = this.charAt();
    while (char && char !== '"' && char !== "'" && char !== "“" && !isPyAlpha(char)) {
      this.index += 1;
      char = this.charAt();
    }
    if (!char) return "";
    if (char === "'") {
      lDelim = rDelim = "'";
    } else if (char === "“") {
      lDelim = "“";
      rDelim = "”";
    } else if (isPyAlpha(char)) {
      const lower = pyLower(char);
      if ((lower === "t" || lower === "f" || lower === "n") && this.getContext() !== "object_key") {
        const value = this.parseBooleanOrNull();
        if (value !== "") return value;
      }
      missingQuotes = true;
    }
    if (!missingQuotes) this.index += 1;

    if (this.charAt() === lDelim) {
      let i = 1;
      let next = this.charAt(i);
      while (next && next !== rDelim) next = this.charAt(++i);
      if (next && (this.charAt(i + 1) || "") === rDelim) {
        doubledQuotes = true;
        this.index += 1;
      }
    }

    // string_acc, one code point per element (Python's len / [-1] / [:-1] count code points).
    const acc: string[] = [];
    char = this.charAt();
    while (char && char !== rDelim) {
      if (missingQuotes) {
        if (this.getContext() === "object_key" && (char === ":" || isPyWhitespace(char))) break;
        if (this.getContext() === "object_value" && (char === "," || char === "}")) {
          let rDelimMissing = true;
          let i = 1;
          let next = this.charAt(i);
          while (next && next !== rDelim) next = this.charAt(++i);
          if (next) {
            next = this.charAt(++i);
            while (next && isPyWhitespace(next)) next = this.charAt(++i);
            if (next && (next === "," || next === "}")) rDelimMissing = false;
          }
          if (rDelimMissing) break;
        }
      }
      acc.push(char);
      this.index += 1;
      char = this.charAt();
      if (acc.length > 1 && acc[acc.length - 1] === "\\") {
        acc.pop();
        if (char && (char === rDelim || char === "t" || char === "n" || char === "r" || char === "b" || char === "\\")) {
          acc.push(ESCAPES[char] ?? char);
          this.index += 1;
          char = this.charAt();
        }
      }
      if (char === rDelim) {
        if (doubledQuotes && this.charAt(1) === rDelim) {
          // a doubled quote: ignored
        } else if (missingQuotes && this.getContext() === "object_value") {
          let i = 1;
          let next = this.charAt(i);
          while (next && next !== rDelim && next !== lDelim) next = this.charAt(++i);
          if (next) {
            next = this.charAt(++i);
            while (next && isPyWhitespace(next)) next = this.charAt(++i);
            if (next && next === ":") {
              this.index -= 1;
              char = this.charAt();
              break;
            }
          }
        } else {
          let i = 1;
          let next = this.charAt(i);
          let checkCommaInObjectValue = true;
          while (next && next !== rDelim && next !== lDelim) {
            if (isPyAlpha(next)) checkCommaInObjectValue = false;
            if (
              (this.context.includes("object_key") && (next === ":" || next === "}")) ||
              (this.context.includes("object_value") && next === "}") ||
              (this.context.includes("array") && (next === "]" || next === ",")) ||
              (checkCommaInObjectValue && this.getContext() === "object_value" && next === ",")
            ) {
              break;
            }
            next = this.charAt(++i);
          }
          if (next === "," && this.getContext() === "object_value") {
            next = this.charAt(++i);
            while (next && next !== rDelim) next = this.charAt(++i);
            next = this.charAt(++i);
            while (next && isPyWhitespace(next)) next = this.charAt(++i);
            if (next === "}") {
              acc.push(char);
              this.index += 1;
              char = this.charAt();
            }
          } else if (next === rDelim) {
            if (this.getContext() === "object_value") {
              next = this.charAt(++i);
              while (next && next !== rDelim) next = this.charAt(++i);
              next = this.charAt(++i);
              while (next && next !== ":") {
                if (next === lDelim || next === rDelim || next === ",") break;
                next = this.charAt(++i);
              }
              if (next !== ":") {
                acc.push(char);
                this.index += 1;
                char = this.charAt();
              }
            }
          }
        }
      }
    }
    if (char && missingQuotes && this.getContext() === "object_key" && isPyWhitespace(char)) {
      this.skipWhitespaces();
      const c = this.charAt();
      if (c !== ":" && c !== ",") return "";
    }
    if (char === rDelim) this.index += 1;
    let end = acc.length;
    while (end > 0 && isPyWhitespace(acc[end - 1] as string)) end -= 1;
    return acc.slice(0, end).join("");
  }

  private parseNumber(): PyJsonValue {
    return this.frame(() => this.parseNumberFrame());
  }

  private parseNumberFrame(): PyJsonValue {
    let num = "";
    let char = this.charAt();
    const isArray = this.getContext() === "array";
    while (char && NUMBER_CHARS.has(char) && (char !== "," || !isArray)) {
      num += char;
      this.index += 1;
      char = this.charAt();
    }
    if (num.length > 1 && "-eE/,".includes(num[num.length - 1] as string)) {
      num = num.slice(0, -1);
      this.index -= 1;
    }
    if (num === "") return this.parseJson();
    try {
      if (num.includes(",")) return num;
      if (num.includes(".") || num.includes("e") || num.includes("E")) return new PyFloat(pyFloatFromString(num));
      if (num === "-") return this.parseJson();
      const n = pyInt(num);
      return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
    } catch (e) {
      if (e instanceof PythonError && e.pythonError === "ValueError") return num;
      throw e;
    }
  }

  private parseBooleanOrNull(): PyJsonValue {
    const start = this.index;
    let char = pyLower(this.charAt() || "");
    const value: [string, PyJsonValue] | undefined = char === "t" ? ["true", true] : char === "f" ? ["false", false] : char === "n" ? ["null", null] : undefined;
    if (value) {
      let i = 0;
      while (char && i < value[0].length && char === value[0][i]) {
        i += 1;
        this.index += 1;
        char = pyLower(this.charAt() || "");
      }
      if (i === value[0].length) return value[1];
    }
    this.index = start;
    return "";
  }

  /** `get_char_at(count)`: the character at index + count (a negative position counts from the end, as Python's does), or False. */
  private charAt(count = 0): Char {
    let at = this.index + count;
    if (at < 0) at += this.s.length;
    return at >= 0 && at < this.s.length ? (this.s[at] as string) : false;
  }

  private skipWhitespaces(): void {
    while (this.index < this.s.length && isPyWhitespace(this.s[this.index] as string)) this.index += 1;
  }

  private setContext(value: string): void {
    this.context.push(value);
  }

  private resetContext(): void {
    this.context.pop();
  }

  private getContext(): string {
    return this.context[this.context.length - 1] ?? "";
  }
}

const ESCAPES: Readonly<Record<string, string>> = { t: "\t", n: "\n", r: "\r", b: "\b" };

/** A dict key as Python would hold it: parse_string returns a str, or true/false/null never (keys skip booleans); anything else is its str(). */
function dictKey(key: PyJsonValue): string {
  if (typeof key === "string") return key;
  throw new PythonError("TypeError", "json_repair produced a non-string dict key");
}

/**
 * `json_repair.loads(text)` (0.25.2): `json.loads(text)`, and on JSONDecodeError the repairing
 * parser. Throws `PythonError` where the Python code raises (RecursionError).
 */
export function jsonRepairLoads(text: string): PyJsonValue {
  try {
    return pyJsonLoads(text);
  } catch (e) {
    if (!(e instanceof PyJsonDecodeError)) throw e;
  }
  return new JsonRepairParser(text).parse();
}

/** The release of json_repair this port follows. */
export const JSON_REPAIR_VERSION = "0.25.2";
