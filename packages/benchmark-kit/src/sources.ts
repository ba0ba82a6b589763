/**
 * Where a benchmark's rows live and how they are read: a hub file (Hugging Face, ModelScope, URL)
 * resolved through core's data access (`--data-dir`, cache, checksummed download), optionally a
 * member of a zip or tar archive, in one of the row formats; or the official local layout under
 * `--data-dir`. Every file read is recorded in the run's provenance with its checksum.
 */
import { existsSync } from "node:fs";
import { isAbsolute } from "node:path";
import { Readable } from "node:stream";
import { LoomError, type BenchmarkContext, type RemoteFile } from "@loomscope/spec";
import { jsonElements, parquetRows, readCsv, tarMember, type RawRow } from "./readers.js";

/**
 * `json-records`: a JSON array of records (`json.dump(list)`) or JSON Lines (what `datasets`'
 * `Dataset.to_json` writes by default, often under a `.json` name), told apart by the first
 * character that is not white space: `[` is an array, anything else one record per line. For data
 * whose writer is not known.
 */
export type RowFormat = "jsonl" | "json" | "json-records" | "csv" | "parquet";

export interface DataFile {
  /** The file on the hub (or a URL). */
  file: RemoteFile;
  /** The member to read when the file is an archive (.zip, .tar, .tar.gz); `/`-separated. */
  member?: string;
  format: RowFormat;
  /** For `json`: read the records under this key of a top-level object. */
  key?: string;
}

/** A file in the official local layout, relative to `--data-dir`. */
export interface LocalFile {
  path: string;
  member?: string;
  format?: RowFormat;
  key?: string;
  /**
   * A second JSON-lines file read in step with `path` (also JSON lines), as Python's `zip` over the
   * two files' lines pairs them (stopping at the shorter): each row's text is the JSON array
   * `[line of path, line of pairedWith]`, so the record schema sees both halves (LongSafety's
   * meta and docs files). The layout counts as present only when both files are.
   */
  pairedWith?: string;
}

/** A Hugging Face dataset file. */
export const hfFile = (
  repo: string,
  path: string,
  options: { revision?: string; member?: string; format?: RowFormat; key?: string; sha256?: string } = {},
): DataFile => ({
  file: {
    source: "huggingface",
    repo,
    repoType: "dataset",
    path,
    ...(options.revision ? { revision: options.revision } : {}),
    ...(options.sha256 ? { sha256: options.sha256 } : {}),
  },
  ...(options.member !== undefined ? { member: options.member } : {}),
  format: options.format ?? formatOf(options.member ?? path),
  ...(options.key !== undefined ? { key: options.key } : {}),
});

/** A file at a URL (a release asset, a file of a repository at a pinned commit); `path` names it in the cache and under `--data-dir`. */
export const urlFile = (url: string, path: string, options: { member?: string; format?: RowFormat; key?: string; sha256?: string } = {}): DataFile => ({
  file: { source: "url", url, path, ...(options.sha256 ? { sha256: options.sha256 } : {}) },
  ...(options.member !== undefined ? { member: options.member } : {}),
  format: options.format ?? formatOf(options.member ?? path),
  ...(options.key !== undefined ? { key: options.key } : {}),
});

/** The row format a file name implies. */
export function formatOf(name: string): RowFormat {
  if (/\.jsonl$/i.test(name)) return "jsonl";
  if (/\.json$/i.test(name)) return "json";
  if (/\.csv$/i.test(name)) return "csv";
  if (/\.parquet$/i.test(name)) return "parquet";
  throw new LoomError("DATA_FORMAT", `cannot tell the row format of ${name}`, { hint: "give `format` explicitly" });
}

const isZip = (path: string) => /\.zip$/i.test(path);
const isTar = (path: string) => /\.(tar|tgz|tar\.gz)$/i.test(path);
/** The member as named, under any folder, or (for archives that keep files at their root) by its file name. */
const memberMatches = (member: string) => (name: string) => name === member || name.endsWith(`/${member}`) || name === member.slice(member.lastIndexOf("/") + 1);

/** A resolved place to read rows from. */
interface Opened {
  label: string;
  rows: AsyncIterable<RawRow>;
}

async function* linesToRows(lines: AsyncIterable<{ line: number; text: string }>, file: string): AsyncGenerator<RawRow> {
  for await (const { line, text } of lines) yield { file, line, text };
}

async function* jsonToRows(source: AsyncIterable<Buffer | string>, file: string, key?: string): AsyncGenerator<RawRow> {
  try {
    for await (const el of jsonElements(source, key !== undefined ? { key } : {})) {
      yield { file, line: el.line, text: el.text, ...(el.key !== undefined ? { key: el.key } : {}) };
    }
  } catch (error) {
    if (error instanceof LoomError) throw new LoomError(error.code, `${file}: ${error.message}`, { cause: error });
    throw error;
  }
}

/** The first byte of a chunk that is neither JSON white space nor part of a UTF-8 byte order mark, as a character. */
function firstSignificant(chunk: Buffer | string): string | undefined {
  const text = typeof chunk === "string" ? chunk : chunk.toString("latin1");
  const m = /[^ \t\r\n\uFEFF\u00EF\u00BB\u00BF]/.exec(text);
  return m?.[0];
}

/** `json-records`: peek at the first significant character, then read an array or lines. */
async function* jsonRecordsRows(source: AsyncIterable<Buffer | string>, file: string, ctx: BenchmarkContext): AsyncGenerator<RawRow> {
  const iterator = source[Symbol.asyncIterator]();
  const head: (Buffer | string)[] = [];
  let first: string | undefined;
  while (first === undefined) {
    const next = await iterator.next();
    if (next.done) break;
    head.push(next.value);
    first = firstSignificant(next.value);
  }
  async function* replay(): AsyncGenerator<Buffer | string> {
    yield* head;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  }
  if (first === undefined) return; // only white space: no records
  if (first === "[") yield* jsonToRows(replay(), file);
  else yield* linesToRows(ctx.data.lines(Readable.from(replay())), file);
}

async function* arrayRows(rows: Promise<RawRow[]>): AsyncGenerator<RawRow> {
  yield* await rows;
}

/** Rows of a plain (non-archive) file on disk. */
function rowsOfPath(path: string, format: RowFormat, ctx: BenchmarkContext, key?: string): AsyncIterable<RawRow> {
  switch (format) {
    case "jsonl":
      return linesToRows(ctx.data.lines(path), path);
    case "json":
      return jsonToRows(fileChunks(path), path, key);
    case "json-records":
      return jsonRecordsRows(fileChunks(path), path, ctx);
    case "csv":
      return arrayRows(readCsv(path));
    case "parquet":
      return parquetRows(path);
  }
}

async function* fileChunks(path: string): AsyncGenerator<Buffer> {
  const { createReadStream } = await import("node:fs");
  for await (const chunk of createReadStream(path)) yield chunk as Buffer;
}

/** Two JSON-lines files zipped line by line (Python `zip`): each row is `[a, b]` as JSON text, numbered by the first file's line. */
async function* pairedRows(first: string, second: string, ctx: BenchmarkContext): AsyncGenerator<RawRow> {
  const a = ctx.data.lines(first)[Symbol.asyncIterator]();
  const b = ctx.data.lines(second)[Symbol.asyncIterator]();
  try {
    for (;;) {
      const [x, y] = await Promise.all([a.next(), b.next()]);
      if (x.done || y.done) return;
      const left = x.value.text.trim();
      const right = y.value.text.trim();
      if (left === "" && right === "") continue;
      yield { file: first, line: x.value.line, text: `[${left || "null"},${right || "null"}]` };
    }
  } finally {
    await a.return?.();
    await b.return?.();
  }
}

/** Rows of a member of an archive on disk. */
async function* rowsOfMember(archive: string, member: string, format: RowFormat, ctx: BenchmarkContext, key?: string): AsyncGenerator<RawRow> {
  const label = `${archive}!${member}`;
  if (format === "parquet") throw new LoomError("DATA_FORMAT", `${label}: parquet inside an archive is not supported`, { hint: "extract it into --data-dir" });
  if (isZip(archive)) {
    for await (const entry of ctx.data.zipEntries(archive)) {
      if (entry.name.startsWith("__MACOSX/") || !memberMatches(member)(entry.name)) continue;
      const stream = await entry.open();
      try {
        const file = `${archive}!${entry.name}`;
        if (format === "jsonl") yield* linesToRows(ctx.data.lines(stream), file);
        else if (format === "json") yield* jsonToRows(stream, file, key);
        else if (format === "json-records") yield* jsonRecordsRows(stream, file, ctx);
        else {
          const chunks: Buffer[] = [];
          for await (const c of stream) chunks.push(c as Buffer);
          const { parseCsv } = await import("./readers.js");
          yield* parseCsv(Buffer.concat(chunks).toString("utf8"), file);
        }
      } finally {
        stream.destroy();
      }
      return;
    }
  } else if (isTar(archive)) {
    const found = await tarMember(archive, memberMatches(member));
    if (found) {
      const file = `${archive}!${found.name}`;
      try {
        if (format === "jsonl") yield* linesToRows(ctx.data.lines(found.stream), file);
        else if (format === "json") yield* jsonToRows(found.stream, file, key);
        else if (format === "json-records") yield* jsonRecordsRows(found.stream, file, ctx);
        else {
          const chunks: Buffer[] = [];
          for await (const c of found.stream) chunks.push(c as Buffer);
          const { parseCsv } = await import("./readers.js");
          yield* parseCsv(Buffer.concat(chunks).toString("utf8"), file);
        }
      } finally {
        found.stream.destroy();
      }
      return;
    }
  } else {
    throw new LoomError("DATA_FORMAT", `${archive} is not a zip or tar archive, but a member (${member}) was asked of it`);
  }
  throw new LoomError("DATA_MISSING", `${archive} has no ${member}`, {
    hint: `the archive may be incomplete or of another version; delete it from the cache (or --data-dir) to fetch it again`,
  });
}

/**
 * Opens the rows of a unit: the first official local layout found under `--data-dir`, else the
 * hub file (through `--data-dir` by name, the cache, or a download). Provenance is recorded.
 */
export async function openRows(ctx: BenchmarkContext, local: readonly (string | LocalFile)[], remote: readonly DataFile[]): Promise<Opened> {
  for (const candidate of local) {
    const spec: LocalFile = typeof candidate === "string" ? { path: candidate } : candidate;
    // Absolute paths (a task file's data) are used as they are; relative ones are looked for under --data-dir.
    const found = isAbsolute(spec.path) ? spec.path : ctx.data.local(spec.path);
    if (found === undefined || !existsSync(found)) {
      if (isAbsolute(spec.path) && remote.length === 0 && local.length === 1) throw new LoomError("DATA_MISSING", `data file ${spec.path} does not exist`);
      continue;
    }
    if (spec.pairedWith !== undefined) {
      const other = isAbsolute(spec.pairedWith) ? spec.pairedWith : ctx.data.local(spec.pairedWith);
      if (other === undefined || !existsSync(other)) continue;
      for (const [path, file] of [[spec.path, found], [spec.pairedWith, other]] as const) {
        const sha256 = await ctx.data.checksum?.(file);
        ctx.recordProvenance(`data:${path}`, { path: file, origin: "data-dir", ...(sha256 ? { sha256 } : {}) });
      }
      return { label: `${found} + ${other}`, rows: pairedRows(found, other, ctx) };
    }
    const sha256 = await ctx.data.checksum?.(found);
    ctx.recordProvenance(`data:${spec.path}${spec.member ? `!${spec.member}` : ""}`, {
      path: found,
      origin: "data-dir",
      ...(sha256 ? { sha256 } : {}),
    });
    const format = spec.format ?? formatOf(spec.member ?? spec.path);
    const rows = spec.member ? rowsOfMember(found, spec.member, format, ctx, spec.key) : rowsOfPath(found, format, ctx, spec.key);
    return { label: found, rows };
  }
  let lastError: unknown;
  for (const [i, source] of remote.entries()) {
    let fetched;
    try {
      fetched = await ctx.data.fetch(source.file, { signal: ctx.signal });
    } catch (error) {
      // Several candidates (e.g. an archive and its unpacked file): try the next, report the first.
      lastError ??= error;
      if (i < remote.length - 1) continue;
      throw lastError;
    }
    const file = source.file;
    // Keyed by the file fetched (its checksum is the archive's when the rows are a member of it).
    ctx.recordProvenance(`data:${file.path}`, {
      ...(file.source !== "url" ? { repo: file.repo, revision: file.revision ?? (file.source === "modelscope" ? "master" : "main") } : { url: file.url }),
      path: file.path,
      ...(source.member ? { member: source.member } : {}),
      sha256: fetched.sha256,
      bytes: fetched.bytes,
      origin: fetched.origin,
    });
    const rows = source.member
      ? rowsOfMember(fetched.path, source.member, source.format, ctx, source.key)
      : rowsOfPath(fetched.path, source.format, ctx, source.key);
    return { label: source.member ? `${fetched.path}!${source.member}` : fetched.path, rows };
  }
  throw new LoomError("DATA_MISSING", "no data source is declared for this task", {
    hint: local.length > 0 ? `put one of ${local.map((l) => (typeof l === "string" ? l : l.path)).join(", ")} under --data-dir` : undefined,
  });
}

/**
 * A whole file a unit needs besides its rows (BAMBOO's problem file): the first of `local` found
 * under `--data-dir`, else `remote` (through the cache or a download). Its provenance is recorded;
 * the path on disk is returned.
 */
export async function resolveDataFile(ctx: BenchmarkContext, local: readonly string[], remote: RemoteFile): Promise<string> {
  for (const candidate of local) {
    const found = isAbsolute(candidate) ? candidate : ctx.data.local(candidate);
    if (found === undefined || !existsSync(found)) continue;
    const sha256 = await ctx.data.checksum?.(found);
    ctx.recordProvenance(`data:${candidate}`, { path: found, origin: "data-dir", ...(sha256 ? { sha256 } : {}) });
    return found;
  }
  const fetched = await ctx.data.fetch(remote, { signal: ctx.signal });
  ctx.recordProvenance(`data:${remote.path}`, {
    ...(remote.source !== "url" ? { repo: remote.repo, revision: remote.revision ?? (remote.source === "modelscope" ? "master" : "main") } : { url: remote.url }),
    path: remote.path,
    sha256: fetched.sha256,
    bytes: fetched.bytes,
    origin: fetched.origin,
  });
  return fetched.path;
}

/** One line per remote file, for `loom describe`. */
export function describeDataFile(source: DataFile): string {
  const f = source.file;
  const where = f.source === "url" ? f.url : `${f.source}:${f.repo}${f.revision ? `@${f.revision}` : ""}/${f.path}`;
  return `${where}${source.member ? ` → ${source.member}` : ""} (${source.format})`;
}

