/**
 * Row readers for the formats datasets ship in: JSON Lines, JSON (arrays and objects of records,
 * streamed element by element), CSV, Parquet, and members of tar archives. Each yields raw rows in
 * file order with a 1-based line number for data issues; JSON rows stay unparsed text until a
 * sample is really needed.
 */
import { once } from "node:events";
import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { PassThrough, type Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { LoomError } from "@loomscope/spec";

/** One row of a data file: unparsed JSON text, or an already decoded value (CSV, Parquet). */
export interface RawRow {
  /** Where the row is, for data issues: a path, or `archive!member`. */
  file: string;
  line: number;
  text?: string;
  value?: unknown;
  /** The key of the record in a JSON object of records. */
  key?: string;
}

/**
 * Splits a JSON document into the raw text of the elements of its top-level array, or of the
 * values of its top-level object (or of the array/object under `key` in a top-level object),
 * without parsing them. Memory holds one element at a time. With `sequence`, a text that does not
 * start with "[" is read as a sequence of top-level values (JSON Lines, or values written one after
 * another), each one an element; a top-level array still yields its elements.
 */
export async function* jsonElements(
  source: AsyncIterable<Buffer | string>,
  options: { key?: string; sequence?: boolean } = {},
): AsyncGenerator<{ text: string; line: number; key?: string }> {
  if (options.sequence) source = asArray(source);
  const decoder = new TextDecoder("utf-8");
  const stack: ("a" | "o")[] = []; // open containers
  let inString = false;
  let escape = false;
  let line = 1;
  /** Depth (stack size) inside the container whose children are emitted; 0 until known. */
  let target = options.key === undefined ? 1 : 0;
  /** In an object at a depth we read keys of: whether the next value follows a key. */
  let expectValue = false;
  let keyText: string | null = null; // a key being read (at depth 1 or at the target depth)
  let pendingKey: string | undefined;
  let piece: string[] = [];
  let collecting: "string" | "container" | "scalar" | null = null;
  let elementLine = 0;
  let elementKey: string | undefined;
  let sawAny = false;
  let finished = false;

  const readsKeys = () => stack.at(-1) === "o" && (stack.length === target || (target === 0 && stack.length === 1));

  for await (const chunk of source) {
    const text = typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
    let start = collecting ? 0 : -1;
    const emit = (end: number) => {
      piece.push(text.slice(start, end));
      const out = { text: piece.join(""), line: elementLine, ...(elementKey !== undefined ? { key: elementKey } : {}) };
      piece = [];
      collecting = null;
      start = -1;
      expectValue = false;
      return out;
    };
    for (let i = 0; i < text.length; i++) {
      const c = text[i] as string;
      if (c === "\n") line++;
      if (inString) {
        if (keyText !== null) keyText += c;
        if (escape) escape = false;
        else if (c === "\\") escape = true;
        else if (c === '"') {
          inString = false;
          if (collecting === "string" && stack.length === target) yield emit(i + 1);
        }
        continue;
      }
      if (finished) {
        if (!/\s/.test(c)) throw new LoomError("DATA_FORMAT", `unexpected data after the JSON document (line ${line})`);
        continue;
      }
      const atTarget = stack.length === target;
      const startsValue = atTarget && collecting === null && !(stack.at(-1) === "o" && !expectValue);
      if (c === '"') {
        inString = true;
        if (startsValue) {
          collecting = "string";
          elementLine = line;
          elementKey = stack.at(-1) === "o" ? pendingKey : undefined;
          start = i;
        } else if (collecting === null && readsKeys() && !expectValue) keyText = c;
        continue;
      }
      if (collecting === "scalar" && (c === "," || c === "]" || c === "}" || /\s/.test(c))) yield emit(i);
      if (c === "{" || c === "[") {
        if (!sawAny) {
          sawAny = true;
          if (options.key !== undefined && c !== "{") throw new LoomError("DATA_FORMAT", `expected a JSON object holding "${options.key}", found an array`);
        } else if (target === 0 && stack.length === 1 && expectValue && pendingKey === options.key) {
          target = 2;
        } else if (startsValue) {
          collecting = "container";
          elementLine = line;
          elementKey = stack.at(-1) === "o" ? pendingKey : undefined;
          start = i;
        }
        stack.push(c === "{" ? "o" : "a");
        expectValue = false;
        continue;
      }
      if (c === "}" || c === "]") {
        stack.pop();
        if (collecting === "container" && stack.length === target) yield emit(i + 1);
        if (stack.length < target) target = Number.POSITIVE_INFINITY; // the keyed container is done
        if (stack.length === 0) finished = true;
        expectValue = false;
        continue;
      }
      if (c === ":") {
        if (keyText !== null) {
          pendingKey = JSON.parse(keyText) as string;
          keyText = null;
        }
        expectValue = true;
        continue;
      }
      if (c === ",") {
        expectValue = false;
        continue;
      }
      if (/\s/.test(c)) continue;
      if (!sawAny) throw new LoomError("DATA_FORMAT", `a JSON data file must hold an array or an object (line ${line})`);
      if (startsValue) {
        collecting = "scalar";
        elementLine = line;
        elementKey = stack.at(-1) === "o" ? pendingKey : undefined;
        start = i;
      }
    }
    if (collecting !== null && start !== -1) piece.push(text.slice(start));
  }
  if (!sawAny) throw new LoomError("DATA_FORMAT", "the JSON file is empty");
  if (stack.length !== 0 || inString) throw new LoomError("DATA_FORMAT", `the JSON file ends inside a value (line ${line}): truncated?`);
  if (options.key !== undefined && target === 0) throw new LoomError("DATA_FORMAT", `the JSON object has no key "${options.key}"`);
}

/** The text, or "[" + the text + "]" when its first non-blank character is not "[" (values need no commas between them). */
async function* asArray(source: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new TextDecoder("utf-8");
  let decided: boolean | undefined; // wrapped?
  for await (const chunk of source) {
    const text = typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
    if (decided === undefined) {
      const first = /\S/.exec(text);
      if (first === null) {
        yield text;
        continue;
      }
      decided = first[0] !== "[";
      if (decided) yield "[";
    }
    yield text;
  }
  const rest = decoder.decode();
  if (rest) yield rest;
  if (decided) yield "]";
}

/** A readable of one member of a tar (or .tar.gz / .tgz) archive, or undefined when absent. */
export async function tarMember(path: string, wanted: (name: string) => boolean): Promise<{ name: string; stream: Readable } | undefined> {
  const raw = createReadStream(path);
  const input: AsyncIterable<Buffer> = /\.(tgz|gz)$/i.test(path) ? raw.pipe(createGunzip()) : raw;
  const iterator = input[Symbol.asyncIterator]();
  let buffer: Buffer = Buffer.alloc(0);
  let done = false;
  const need = async (n: number): Promise<boolean> => {
    while (buffer.length < n && !done) {
      const next = await iterator.next();
      if (next.done) done = true;
      else buffer = buffer.length === 0 ? next.value : Buffer.concat([buffer, next.value]);
    }
    return buffer.length >= n;
  };
  const skip = async (n: number) => {
    while (n > 0) {
      if (!(await need(1))) throw new LoomError("DATA_FORMAT", `${path}: the tar archive is truncated`);
      const take = Math.min(n, buffer.length);
      buffer = buffer.subarray(take);
      n -= take;
    }
  };
  let longName: string | undefined;
  for (;;) {
    if (!(await need(512))) break;
    const header = buffer.subarray(0, 512);
    buffer = buffer.subarray(512);
    if (header.every((b) => b === 0)) break;
    const field = (start: number, length: number) => header.subarray(start, start + length).toString("utf8").replace(/\0.*$/s, "");
    const size = parseInt(field(124, 12).trim() || "0", 8);
    const type = field(156, 1);
    const padded = Math.ceil(size / 512) * 512;
    if (type === "L" || type === "x") {
      await need(size);
      const body = buffer.subarray(0, size).toString("utf8");
      await skip(padded);
      if (type === "L") longName = body.replace(/\0.*$/s, "");
      else {
        const m = /\d+ path=([^\n]*)\n/.exec(body);
        if (m) longName = m[1];
      }
      continue;
    }
    const prefix = field(345, 155);
    const name = (longName ?? (prefix ? `${prefix}/${field(0, 100)}` : field(0, 100))).replace(/^\.\//, "");
    longName = undefined;
    if ((type === "0" || type === "" || type === "\0") && wanted(name)) {
      const out = new PassThrough();
      void (async () => {
        let left = size;
        try {
          while (left > 0) {
            if (!(await need(1))) throw new LoomError("DATA_FORMAT", `${path}: the tar archive is truncated inside ${name}`);
            const take = Math.min(left, buffer.length);
            const piece = buffer.subarray(0, take);
            buffer = buffer.subarray(take);
            left -= take;
            if (!out.write(piece)) await once(out, "drain");
          }
          out.end();
        } catch (error) {
          out.destroy(error as Error);
        } finally {
          raw.destroy();
        }
      })();
      return { name, stream: out };
    }
    await skip(padded);
  }
  raw.destroy();
  return undefined;
}

/** CSV (RFC 4180: quoted fields, doubled quotes, newlines inside quotes) as objects keyed by the header. */
export function parseCsv(text: string, file: string): RawRow[] {
  const rows: { cells: string[]; line: number }[] = [];
  let cells: string[] = [];
  let cell = "";
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  const body = text.startsWith("\uFEFF") ? text.slice(1) : text;
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string;
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === "\n") line++;
        cell += c;
      }
      continue;
    }
    if (c === '"' && cell === "") quoted = true;
    else if (c === ",") {
      cells.push(cell);
      cell = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && body[i + 1] === "\n") i++;
      cells.push(cell);
      if (!(cells.length === 1 && cells[0] === "")) rows.push({ cells, line: rowLine });
      cells = [];
      cell = "";
      line++;
      rowLine = line;
    } else cell += c;
  }
  if (quoted) throw new LoomError("DATA_FORMAT", `${file}:${rowLine}: a quoted field is never closed`);
  if (cell !== "" || cells.length > 0) {
    cells.push(cell);
    rows.push({ cells, line: rowLine });
  }
  const [header, ...data] = rows;
  if (!header) return [];
  return data.map(({ cells: values, line: at }) => ({
    file,
    line: at,
    value: Object.fromEntries(header.cells.map((name, i) => [name, values[i] ?? ""])),
  }));
}

export async function readCsv(path: string): Promise<RawRow[]> {
  return parseCsv(await readFile(path, "utf8"), path);
}

/** Rows of a Parquet file as objects, one row group at a time. */
export async function* parquetRows(path: string): AsyncGenerator<RawRow> {
  const { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } = await import("hyparquet");
  const { compressors } = await import("hyparquet-compressors");
  const file = await asyncBufferFromFile(path);
  const metadata = await parquetMetadataAsync(file);
  let rowStart = 0;
  for (const group of metadata.row_groups) {
    const rowEnd = rowStart + Number(group.num_rows);
    const rows = await parquetReadObjects({ file, metadata, rowStart, rowEnd, compressors });
    for (const [i, value] of rows.entries()) yield { file: path, line: rowStart + i + 1, value };
    rowStart = rowEnd;
  }
}
