/**
 * A minimal, safe reader of Python pickles (protocols 0–5) that holds plain data only: dicts,
 * lists, tuples, str, bytes, int, float, bool and None. Ada-LEval's run.py stores predictions as
 * `pickle.dump({index: prediction, ...})`, which needs nothing more. Every opcode that names or
 * calls Python code (GLOBAL, STACK_GLOBAL, REDUCE, BUILD, INST, OBJ, NEWOBJ, NEWOBJ_EX, the
 * extension registry, persistent ids, out-of-band buffers) and the set opcodes are refused: the
 * reader never constructs anything but the values above.
 *
 * Opcode semantics follow CPython's Lib/pickle.py (`_Unpickler`, 3.11): text opcodes of protocol 0
 * included, strings of protocol 0–1 (`STRING`, `BINSTRING`) decoded as ASCII (pickle.load's default
 * `encoding="ASCII"`), memo by index, `MARK`-delimited lists, tuples and dicts.
 */
import { PyFloat } from "@loomscope/metrics";

/** A Python tuple (kept apart from lists; Python compares them as different types). */
export class PyTuple {
  constructor(readonly items: readonly PickleValue[]) {}
}

export type PickleValue =
  | null
  | boolean
  | number
  | bigint
  | PyFloat
  | string
  | Uint8Array
  | PickleValue[]
  | PyTuple
  | Map<PickleValue, PickleValue>;

export class UnpicklingError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} (at byte ${offset})`);
    this.name = "UnpicklingError";
  }
}

/** Opcodes that would import or call Python code, or that this reader does not model. */
const REFUSED: Record<number, string> = {
  0x63: "GLOBAL",
  0x93: "STACK_GLOBAL",
  0x52: "REDUCE",
  0x62: "BUILD",
  0x69: "INST",
  0x6f: "OBJ",
  0x81: "NEWOBJ",
  0x92: "NEWOBJ_EX",
  0x50: "PERSID",
  0x51: "BINPERSID",
  0x82: "EXT1",
  0x83: "EXT2",
  0x84: "EXT4",
  0x97: "NEXT_BUFFER",
  0x98: "READONLY_BUFFER",
  0x8f: "EMPTY_SET",
  0x90: "ADDITEMS",
  0x91: "FROZENSET",
};

const MARK = Symbol("mark");
type StackItem = PickleValue | typeof MARK;

/** Read one pickle from `bytes` (up to its STOP opcode). */
export function unpickle(bytes: Uint8Array): PickleValue {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  const stack: StackItem[] = [];
  const memo = new Map<number, PickleValue>();
  let pos = 0;

  const need = (n: number, at: number): void => {
    if (pos + n > bytes.length) throw new UnpicklingError("pickle data was truncated", at);
  };
  const u8 = (at: number): number => {
    need(1, at);
    return bytes[pos++] as number;
  };
  const u16 = (at: number): number => {
    need(2, at);
    const v = view.getUint16(pos, true);
    pos += 2;
    return v;
  };
  const i32 = (at: number): number => {
    need(4, at);
    const v = view.getInt32(pos, true);
    pos += 4;
    return v;
  };
  const u32 = (at: number): number => {
    need(4, at);
    const v = view.getUint32(pos, true);
    pos += 4;
    return v;
  };
  const u64 = (at: number): number => {
    need(8, at);
    const v = view.getBigUint64(pos, true);
    pos += 8;
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new UnpicklingError("length too large", at);
    return Number(v);
  };
  const take = (n: number, at: number): Uint8Array => {
    need(n, at);
    const out = bytes.subarray(pos, pos + n);
    pos += n;
    return out;
  };
  const line = (at: number): string => {
    const end = bytes.indexOf(0x0a, pos);
    if (end < 0) throw new UnpicklingError("pickle data was truncated", at);
    const text = new TextDecoder("latin1").decode(bytes.subarray(pos, end));
    pos = end + 1;
    return text;
  };
  const pop = (at: number): PickleValue => {
    const v = stack.pop();
    if (v === undefined || v === MARK) throw new UnpicklingError("unpickling stack underflow", at);
    return v;
  };
  const top = (at: number): PickleValue => {
    const v = stack[stack.length - 1];
    if (v === undefined || v === MARK) throw new UnpicklingError("unpickling stack underflow", at);
    return v;
  };
  const popMark = (at: number): PickleValue[] => {
    const i = stack.lastIndexOf(MARK);
    if (i < 0) throw new UnpicklingError("could not find MARK", at);
    const items = stack.splice(i) as StackItem[];
    items.shift();
    return items as PickleValue[];
  };
  const ascii = (b: Uint8Array, at: number): string => {
    for (const c of b) if (c > 0x7f) throw new UnpicklingError("a protocol 0/1 byte string is not ASCII (pickle.load's default encoding)", at);
    return String.fromCharCode(...b);
  };
  const longFromBytes = (b: Uint8Array): number | bigint => {
    let v = 0n;
    for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i] as number);
    if (b.length > 0 && ((b[b.length - 1] as number) & 0x80) !== 0) v -= 1n << BigInt(8 * b.length);
    return small(v);
  };
  const small = (v: bigint): number | bigint => (v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v);
  const setItems = (dict: PickleValue, items: PickleValue[], at: number): void => {
    if (!(dict instanceof Map)) throw new UnpicklingError("SETITEM(S) on a value that is not a dict", at);
    if (items.length % 2 !== 0) throw new UnpicklingError("odd number of items for SETITEMS", at);
    for (let i = 0; i < items.length; i += 2) dict.set(items[i] as PickleValue, items[i + 1] as PickleValue);
  };
  const append = (list: PickleValue, items: PickleValue[], at: number): void => {
    if (!Array.isArray(list)) throw new UnpicklingError("APPEND(S) on a value that is not a list", at);
    list.push(...items);
  };

  for (;;) {
    const at = pos;
    const op = u8(at);
    const refused = REFUSED[op];
    if (refused !== undefined) throw new UnpicklingError(`refused opcode ${refused}: this reader loads plain data only`, at);
    switch (op) {
      case 0x80: // PROTO
        if (u8(at) > 5) throw new UnpicklingError("unsupported pickle protocol", at);
        break;
      case 0x95: // FRAME: the frame length only; frames are read through
        u64(at);
        break;
      case 0x2e: // STOP
        return pop(at);
      case 0x28: // MARK
        stack.push(MARK);
        break;
      case 0x30: // POP
        if (stack.length === 0) throw new UnpicklingError("unpickling stack underflow", at);
        stack.pop();
        break;
      case 0x31: // POP_MARK
        popMark(at);
        break;
      case 0x32: // DUP
        stack.push(top(at));
        break;
      case 0x4e: // NONE
        stack.push(null);
        break;
      case 0x88: // NEWTRUE
        stack.push(true);
        break;
      case 0x89: // NEWFALSE
        stack.push(false);
        break;
      case 0x49: {
        // INT: "00"/"01" are False/True (protocol 0 bools)
        const text = line(at).trim();
        if (text === "00") stack.push(false);
        else if (text === "01") stack.push(true);
        else if (/^[+-]?\d+$/.test(text)) stack.push(small(BigInt(text)));
        else throw new UnpicklingError(`invalid INT ${text}`, at);
        break;
      }
      case 0x4c: {
        // LONG: "123L"
        const text = line(at).trim().replace(/L$/, "");
        if (!/^[+-]?\d+$/.test(text)) throw new UnpicklingError(`invalid LONG ${text}`, at);
        stack.push(small(BigInt(text)));
        break;
      }
      case 0x4a: // BININT
        stack.push(i32(at));
        break;
      case 0x4b: // BININT1
        stack.push(u8(at));
        break;
      case 0x4d: // BININT2
        stack.push(u16(at));
        break;
      case 0x8a: // LONG1
        stack.push(longFromBytes(take(u8(at), at)));
        break;
      case 0x8b: {
        // LONG4
        const n = i32(at);
        if (n < 0) throw new UnpicklingError("LONG pickle has negative byte count", at);
        stack.push(longFromBytes(take(n, at)));
        break;
      }
      case 0x46: {
        // FLOAT (text)
        const text = line(at).trim();
        const v = Number(text.replace(/^(-?)inf$/i, "$1Infinity").replace(/^nan$/i, "NaN"));
        if (Number.isNaN(v) && !/^nan$/i.test(text)) throw new UnpicklingError(`invalid FLOAT ${text}`, at);
        stack.push(new PyFloat(v));
        break;
      }
      case 0x47: // BINFLOAT: big-endian double
        need(8, at);
        stack.push(new PyFloat(view.getFloat64(pos, false)));
        pos += 8;
        break;
      case 0x53: {
        // STRING: a Python repr of a byte string
        const text = line(at).trimEnd();
        const q = text[0];
        if (text.length < 2 || (q !== "'" && q !== '"') || text[text.length - 1] !== q) {
          throw new UnpicklingError("the STRING opcode argument must be quoted", at);
        }
        stack.push(ascii(escapeDecode(text.slice(1, -1), at), at));
        break;
      }
      case 0x54: // BINSTRING
        stack.push(ascii(take(i32(at), at), at));
        break;
      case 0x55: // SHORT_BINSTRING
        stack.push(ascii(take(u8(at), at), at));
        break;
      case 0x56: // UNICODE: raw-unicode-escape text
        stack.push(rawUnicodeEscape(line(at)));
        break;
      case 0x58: // BINUNICODE
        stack.push(utf8.decode(take(u32(at), at)));
        break;
      case 0x8c: // SHORT_BINUNICODE
        stack.push(utf8.decode(take(u8(at), at)));
        break;
      case 0x8d: // BINUNICODE8
        stack.push(utf8.decode(take(u64(at), at)));
        break;
      case 0x42: // BINBYTES
        stack.push(take(u32(at), at).slice());
        break;
      case 0x43: // SHORT_BINBYTES
        stack.push(take(u8(at), at).slice());
        break;
      case 0x8e: // BINBYTES8
      case 0x96: // BYTEARRAY8
        stack.push(take(u64(at), at).slice());
        break;
      case 0x29: // EMPTY_TUPLE
        stack.push(new PyTuple([]));
        break;
      case 0x74: // TUPLE
        stack.push(new PyTuple(popMark(at)));
        break;
      case 0x85: // TUPLE1
        stack.push(new PyTuple([pop(at)]));
        break;
      case 0x86: {
        // TUPLE2
        const b = pop(at);
        const a = pop(at);
        stack.push(new PyTuple([a, b]));
        break;
      }
      case 0x87: {
        // TUPLE3
        const c = pop(at);
        const b = pop(at);
        const a = pop(at);
        stack.push(new PyTuple([a, b, c]));
        break;
      }
      case 0x5d: // EMPTY_LIST
        stack.push([]);
        break;
      case 0x6c: // LIST
        stack.push(popMark(at));
        break;
      case 0x61: {
        // APPEND
        const v = pop(at);
        append(top(at), [v], at);
        break;
      }
      case 0x65: {
        // APPENDS
        const items = popMark(at);
        append(top(at), items, at);
        break;
      }
      case 0x7d: // EMPTY_DICT
        stack.push(new Map());
        break;
      case 0x64: {
        // DICT
        const d = new Map<PickleValue, PickleValue>();
        setItems(d, popMark(at), at);
        stack.push(d);
        break;
      }
      case 0x73: {
        // SETITEM
        const v = pop(at);
        const k = pop(at);
        setItems(top(at), [k, v], at);
        break;
      }
      case 0x75: {
        // SETITEMS
        const items = popMark(at);
        setItems(top(at), items, at);
        break;
      }
      case 0x70: // PUT
        memo.set(Number(line(at)), top(at));
        break;
      case 0x71: // BINPUT
        memo.set(u8(at), top(at));
        break;
      case 0x72: // LONG_BINPUT
        memo.set(u32(at), top(at));
        break;
      case 0x94: // MEMOIZE
        memo.set(memo.size, top(at));
        break;
      case 0x67: // GET
      case 0x68: // BINGET
      case 0x6a: {
        // LONG_BINGET
        const i = op === 0x67 ? Number(line(at)) : op === 0x68 ? u8(at) : u32(at);
        if (!memo.has(i)) throw new UnpicklingError(`Memo value not found at index ${i}`, at);
        stack.push(memo.get(i) as PickleValue);
        break;
      }
      default:
        throw new UnpicklingError(`invalid load key, '\\x${op.toString(16).padStart(2, "0")}'`, at);
    }
  }
}

/** Python's `codecs.escape_decode` of a STRING argument (backslash escapes of a bytes repr). */
function escapeDecode(s: string, at: number): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (c !== "\\") {
      out.push(c.charCodeAt(0) & 0xff);
      continue;
    }
    const e = s[++i];
    const simple: Record<string, number> = { "\\": 0x5c, "'": 0x27, '"': 0x22, a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11 };
    if (e === undefined) throw new UnpicklingError("trailing \\ in string", at);
    if (e === "\n") continue;
    if (simple[e] !== undefined) out.push(simple[e] as number);
    else if (e === "x") {
      const h = s.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(h)) throw new UnpicklingError("invalid \\x escape", at);
      out.push(parseInt(h, 16));
      i += 2;
    } else if (e >= "0" && e <= "7") {
      let j = i;
      while (j < i + 3 && s[j] !== undefined && s[j]! >= "0" && s[j]! <= "7") j++;
      out.push(parseInt(s.slice(i, j), 8) & 0xff);
      i = j - 1;
    } else out.push(0x5c, e.charCodeAt(0) & 0xff);
  }
  return Uint8Array.from(out);
}

/** Python's `raw-unicode-escape` decoding (`\uXXXX` and `\UXXXXXXXX`; other bytes are Latin-1). */
function rawUnicodeEscape(s: string): string {
  return s.replace(/\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})/g, (_m, u: string | undefined, big: string | undefined) =>
    String.fromCodePoint(parseInt((u ?? big) as string, 16)),
  );
}
