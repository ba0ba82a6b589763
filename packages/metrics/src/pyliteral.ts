/**
 * `eval(text)` for text that is a Python literal (what `ast.literal_eval` accepts, plus comments,
 * implicit string concatenation and unary signs), without running anything. Official scorers that
 * call `eval` on model output (LooGLE's cloze match) get the same value where the text is a
 * literal, and `PyEvalError` where Python raises (SyntaxError, unhashable key, ...). Text that
 * Python could evaluate only by running code (names, calls, operators, comprehensions, f-string
 * fields) is refused with `PyEvalError` too: we never execute model output.
 */

export type PyValue =
  | { kind: "str"; value: string }
  | { kind: "bytes"; value: string }
  | { kind: "int"; value: bigint }
  | { kind: "float"; value: number }
  | { kind: "complex"; real: number; imag: number }
  | { kind: "bool"; value: boolean }
  | { kind: "none" }
  | { kind: "ellipsis" }
  | { kind: "list" | "tuple" | "set"; items: PyValue[] }
  | { kind: "dict"; entries: [PyValue, PyValue][] };

export class PyEvalError extends Error {
  constructor(
    readonly pythonError: string,
    message: string,
  ) {
    super(`${pythonError}: ${message}`);
    this.name = "PyEvalError";
  }
}

const unsupported = (what: string): never => {
  throw new PyEvalError("Unsupported", `${what} would need code to run; not evaluated`);
};

class Parser {
  private i = 0;
  private depth = 0;
  constructor(private readonly s: string) {}

  private syntax(msg: string): never {
    throw new PyEvalError("SyntaxError", `${msg} at offset ${this.i}`);
  }

  /** Skip blanks, comments, and (inside brackets) newlines and backslash continuations. */
  private ws(): void {
    for (;;) {
      const c = this.s[this.i];
      if (c === " " || c === "\t" || c === "\f") this.i++;
      else if (c === "#") while (this.i < this.s.length && this.s[this.i] !== "\n" && this.s[this.i] !== "\r") this.i++;
      else if (c === "\\" && (this.s[this.i + 1] === "\n" || this.s[this.i + 1] === "\r")) {
        this.i += this.s[this.i + 1] === "\r" && this.s[this.i + 2] === "\n" ? 3 : 2;
        if (this.i >= this.s.length) this.syntax("unexpected EOF after line continuation");
      }
      else if ((c === "\n" || c === "\r") && this.depth > 0) this.i++;
      else return;
    }
  }

  parseTop(): PyValue {
    // eval() of a str: leading blanks are stripped; blank and comment lines may precede.
    for (;;) {
      this.ws();
      const c = this.s[this.i];
      if (c === "\n" || c === "\r") this.i++;
      else break;
    }
    const v = this.tupleOrExpr();
    for (;;) {
      this.ws();
      const c = this.s[this.i];
      if (c === "\n" || c === "\r") this.i++;
      else break;
    }
    if (this.i < this.s.length) this.syntax("invalid syntax");
    return v;
  }

  /** A top-level or parenthesised expression list: `1, 2` is a tuple. */
  private tupleOrExpr(): PyValue {
    const first = this.expr();
    this.ws();
    if (this.s[this.i] !== ",") return first;
    const items = [first];
    while (this.s[this.i] === ",") {
      this.i++;
      this.ws();
      if (this.atExprEnd()) break;
      items.push(this.expr());
      this.ws();
    }
    return { kind: "tuple", items };
  }

  private atExprEnd(): boolean {
    const c = this.s[this.i];
    return c === undefined || c === ")" || c === "]" || c === "}" || c === "\n" || c === "\r";
  }

  private expr(): PyValue {
    this.ws();
    const c = this.s[this.i];
    if (c === "-" || c === "+") {
      this.i++;
      const v = this.expr();
      const neg = c === "-";
      if (v.kind === "int") return { kind: "int", value: neg ? -v.value : v.value };
      if (v.kind === "bool") return { kind: "int", value: (v.value ? 1n : 0n) * (neg ? -1n : 1n) };
      if (v.kind === "float") return { kind: "float", value: neg ? -v.value : v.value };
      if (v.kind === "complex") return neg ? { kind: "complex", real: -v.real, imag: -v.imag } : v;
      throw new PyEvalError("TypeError", "bad operand type for unary " + c);
    }
    const v = this.atom();
    this.ws();
    const n = this.s[this.i];
    if (n !== undefined && "+-*/%@&|^<>=.[(!~".includes(n)) unsupported(`operator or trailer "${n}"`);
    if (/[A-Za-z_]/.test(n ?? "")) {
      const word = /^[A-Za-z_]\w*/.exec(this.s.slice(this.i))?.[0] ?? "";
      if (["if", "for", "and", "or", "not", "in", "is", "lambda"].includes(word)) unsupported(`"${word}" expression`);
      this.syntax("invalid syntax");
    }
    return v;
  }

  private atom(): PyValue {
    this.ws();
    const c = this.s[this.i];
    if (c === undefined) this.syntax("unexpected EOF");
    if (c === "{") return this.braces();
    if (c === "[") {
      const items = this.sequence("]");
      return { kind: "list", items };
    }
    if (c === "(") {
      this.i++;
      this.depth++;
      this.ws();
      if (this.s[this.i] === ")") {
        this.i++;
        this.depth--;
        return { kind: "tuple", items: [] };
      }
      const v = this.tupleOrExpr();
      this.ws();
      if (this.s[this.i] !== ")") this.syntax("expected ')'");
      this.i++;
      this.depth--;
      return v;
    }
    if (/[0-9.]/.test(c)) {
      if (c === "." && this.s.startsWith("...", this.i)) {
        this.i += 3;
        return { kind: "ellipsis" };
      }
      return this.number();
    }
    const strStart = /^([rRuUbBfF]{0,2})(['"])/.exec(this.s.slice(this.i, this.i + 4));
    if (strStart && /^(|[rR]|[uU]|[bB]|[fF]|[bB][rR]|[rR][bB]|[fF][rR]|[rR][fF])$/.test(strStart[1] as string)) return this.strings();
    const word = /^[A-Za-z_\u0080-\uffff][\w\u0080-\uffff]*/.exec(this.s.slice(this.i))?.[0];
    if (word === "True" || word === "False") {
      this.i += word.length;
      return { kind: "bool", value: word === "True" };
    }
    if (word === "None") {
      this.i += 4;
      return { kind: "none" };
    }
    if (word) unsupported(`name "${word}"`);
    return this.syntax("invalid syntax");
  }

  private sequence(close: string): PyValue[] {
    this.i++;
    this.depth++;
    const items: PyValue[] = [];
    this.ws();
    while (this.s[this.i] !== close) {
      if (this.s[this.i] === "*") unsupported("unpacking");
      items.push(this.expr());
      this.ws();
      if (this.s[this.i] === ",") {
        this.i++;
        this.ws();
      } else if (this.s[this.i] !== close) {
        if (/[A-Za-z]/.test(this.s[this.i] ?? "")) unsupported("comprehension or keyword");
        this.syntax(`expected '${close}'`);
      }
    }
    this.i++;
    this.depth--;
    return items;
  }

  private braces(): PyValue {
    this.i++;
    this.depth++;
    this.ws();
    if (this.s[this.i] === "}") {
      this.i++;
      this.depth--;
      return { kind: "dict", entries: [] };
    }
    if (this.s.startsWith("**", this.i)) unsupported("dict unpacking");
    const first = this.expr();
    this.ws();
    if (this.s[this.i] === ":") {
      const entries: [PyValue, PyValue][] = [];
      let key = first;
      for (;;) {
        this.i++; // ':'
        const value = this.expr();
        entries.push([key, value]);
        this.ws();
        if (this.s[this.i] === ",") {
          this.i++;
          this.ws();
          if (this.s[this.i] === "}") break;
          if (this.s.startsWith("**", this.i)) unsupported("dict unpacking");
          key = this.expr();
          this.ws();
          if (this.s[this.i] !== ":") this.syntax("expected ':'");
          continue;
        }
        if (this.s[this.i] === "}") break;
        if (/[A-Za-z]/.test(this.s[this.i] ?? "")) unsupported("comprehension");
        this.syntax("expected '}'");
      }
      this.i++;
      this.depth--;
      for (const [k] of entries) hashable(k);
      return { kind: "dict", entries };
    }
    const items = [first];
    while (this.s[this.i] === ",") {
      this.i++;
      this.ws();
      if (this.s[this.i] === "}") break;
      items.push(this.expr());
      this.ws();
    }
    if (this.s[this.i] !== "}") {
      if (/[A-Za-z]/.test(this.s[this.i] ?? "")) unsupported("comprehension");
      this.syntax("expected '}'");
    }
    this.i++;
    this.depth--;
    for (const k of items) hashable(k);
    return { kind: "set", items };
  }

  private number(): PyValue {
    const rest = this.s.slice(this.i);
    const m =
      /^(0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+)/.exec(rest) ??
      /^((?:\d(?:_?\d)*)?\.?(?:\d(?:_?\d)*)?(?:[eE][+-]?\d(?:_?\d)*)?)([jJ])?/.exec(rest);
    const text = m?.[1] ?? "";
    if (text === "" || text === ".") this.syntax("invalid syntax");
    this.i += (m?.[0] ?? "").length;
    if (/[A-Za-z0-9_]/.test(this.s[this.i] ?? "")) this.syntax("invalid decimal literal");
    const clean = text.replace(/_/g, "");
    if (/^0[xXoObB]/.test(clean)) return { kind: "int", value: BigInt(clean.toLowerCase().replace(/^0o/, "0o")) };
    const isFloat = /[.eE]/.test(clean);
    if (m?.[2]) return { kind: "complex", real: 0, imag: Number(clean) };
    if (isFloat) return { kind: "float", value: Number(clean) };
    if (/^0+\d/.test(clean) && !/^0+$/.test(clean)) this.syntax("leading zeros in decimal integer literals are not permitted");
    return { kind: "int", value: BigInt(clean) };
  }

  private strings(): PyValue {
    let out = "";
    let bytes: boolean | undefined;
    for (;;) {
      this.ws();
      const m = /^([rRuUbBfF]{0,2})(['"])/.exec(this.s.slice(this.i, this.i + 4));
      if (!m) break;
      const prefix = (m[1] as string).toLowerCase();
      if (!/^(|r|u|b|f|br|rb|fr|rf)$/.test(prefix)) break;
      const isBytes = prefix.includes("b");
      if (bytes !== undefined && bytes !== isBytes) this.syntax("cannot mix bytes and nonbytes literals");
      bytes = isBytes;
      this.i += prefix.length;
      const q = m[2] as string;
      const triple = this.s.startsWith(q.repeat(3), this.i);
      const delim = triple ? q.repeat(3) : q;
      this.i += delim.length;
      const raw = prefix.includes("r");
      let body = "";
      for (;;) {
        if (this.i >= this.s.length) this.syntax("unterminated string literal");
        if (this.s.startsWith(delim, this.i)) {
          this.i += delim.length;
          break;
        }
        const c = this.s[this.i] as string;
        if (!triple && (c === "\n" || c === "\r")) this.syntax("unterminated string literal");
        if (c === "\\") {
          const n = this.s[this.i + 1];
          if (n === undefined) this.syntax("unterminated string literal");
          if (raw) {
            body += c + n;
            this.i += 2;
            continue;
          }
          this.i += 2;
          body += this.escape(n as string, isBytes);
          continue;
        }
        if (isBytes && (c.codePointAt(0) as number) > 0x7f) this.syntax("bytes can only contain ASCII literal characters");
        body += c;
        this.i++;
      }
      if (prefix.includes("f") && /[{}]/.test(body)) unsupported("f-string field");
      out += body;
    }
    return bytes ? { kind: "bytes", value: out } : { kind: "str", value: out };
  }

  private escape(n: string, isBytes: boolean): string {
    const simple: Record<string, string> = { "\n": "", "\\": "\\", "'": "'", '"': '"', a: "\x07", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v" };
    if (n === "\r") {
      if (this.s[this.i] === "\n") this.i++;
      return "";
    }
    if (n in simple) return simple[n] as string;
    if (/[0-7]/.test(n)) {
      let digits = n;
      while (digits.length < 3 && /[0-7]/.test(this.s[this.i] ?? "")) digits += this.s[this.i++];
      return String.fromCodePoint(parseInt(digits, 8));
    }
    const hex = (len: number): string => {
      const h = this.s.slice(this.i, this.i + len);
      if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(h)) this.syntax("truncated \\xXX escape");
      this.i += len;
      const cp = parseInt(h, 16);
      if (cp > 0x10ffff) this.syntax("illegal Unicode character");
      return String.fromCodePoint(cp);
    };
    if (n === "x") return hex(2);
    if (!isBytes && n === "u") return hex(4);
    if (!isBytes && n === "U") return hex(8);
    if (!isBytes && n === "N") unsupported("\\N{...} escape");
    return "\\" + n; // unknown escapes stay as written (with a DeprecationWarning)
  }
}

function hashable(v: PyValue): void {
  if (v.kind === "list" || v.kind === "dict" || v.kind === "set") throw new PyEvalError("TypeError", `unhashable type: '${v.kind}'`);
  if (v.kind === "tuple") v.items.forEach(hashable);
}

/** `eval(text)` restricted to literals. Throws `PyEvalError` where Python raises or code would run. */
export function pyLiteralEval(text: string): PyValue {
  if (text.includes("\u0000")) throw new PyEvalError("SyntaxError", "source code string cannot contain null bytes");
  return new Parser(text).parseTop();
}

/** A dict's value for a str key (the last entry wins, as in a Python dict display). */
export function pyDictGet(dict: Extract<PyValue, { kind: "dict" }>, key: string): PyValue | undefined {
  let found: PyValue | undefined;
  for (const [k, v] of dict.entries) if (k.kind === "str" && k.value === key) found = v;
  return found;
}

function strRepr(s: string, prefix = ""): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = prefix + quote;
  for (const ch of s) {
    const cp = ch.codePointAt(0) as number;
    if (ch === "\\") out += "\\\\";
    else if (ch === quote) out += "\\" + quote;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (cp < 0x20 || cp === 0x7f || (cp >= 0x80 && cp < 0xa0) || (prefix === "b" && cp > 0x7f)) out += "\\x" + cp.toString(16).padStart(2, "0");
    else out += ch;
  }
  return out + quote;
}

/** Python `repr(value)` (sets in the order given; Python's own order depends on hashing). */
export function pyValueRepr(v: PyValue, floatRepr: (x: number) => string): string {
  switch (v.kind) {
    case "str":
      return strRepr(v.value);
    case "bytes":
      return strRepr(v.value, "b");
    case "int":
      return v.value.toString();
    case "float":
      return floatRepr(v.value);
    case "complex":
      return v.real === 0 && !Object.is(v.real, -0) ? `${floatRepr(v.imag).replace(/\.0$/, "")}j` : `(${floatRepr(v.real).replace(/\.0$/, "")}${v.imag < 0 || Object.is(v.imag, -0) ? "-" : "+"}${floatRepr(Math.abs(v.imag)).replace(/\.0$/, "")}j)`;
    case "bool":
      return v.value ? "True" : "False";
    case "none":
      return "None";
    case "ellipsis":
      return "Ellipsis";
    case "list":
      return `[${v.items.map((x) => pyValueRepr(x, floatRepr)).join(", ")}]`;
    case "tuple":
      return v.items.length === 1 ? `(${pyValueRepr(v.items[0] as PyValue, floatRepr)},)` : `(${v.items.map((x) => pyValueRepr(x, floatRepr)).join(", ")})`;
    case "set":
      return v.items.length === 0 ? "set()" : `{${v.items.map((x) => pyValueRepr(x, floatRepr)).join(", ")}}`;
    case "dict": {
      // A dict display keeps the first position of a key and its last value.
      const keys: string[] = [];
      const vals = new Map<string, string>();
      for (const [k, x] of v.entries) {
        const kr = pyValueRepr(k, floatRepr);
        const norm = k.kind === "bool" ? (k.value ? "1" : "0") : kr; // True == 1
        if (!vals.has(norm)) keys.push(norm);
        vals.set(norm, `${vals.has(norm) ? (keys.find((y) => y === norm) ? kr0(v, norm, floatRepr) : kr) : kr}: ${pyValueRepr(x, floatRepr)}`);
      }
      return `{${keys.map((k) => vals.get(k)).join(", ")}}`;
    }
  }
}

/** The repr of the first key that compared equal to `norm` (Python keeps the first key object). */
function kr0(v: Extract<PyValue, { kind: "dict" }>, norm: string, floatRepr: (x: number) => string): string {
  for (const [k] of v.entries) {
    const kr = pyValueRepr(k, floatRepr);
    if ((k.kind === "bool" ? (k.value ? "1" : "0") : kr) === norm) return kr;
  }
  return norm;
}
