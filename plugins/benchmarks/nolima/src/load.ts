/**
 * NoLiMa's files through the run's data access: a needle set (`needlesets/<set>.json`, one JSON list
 * of experiment rows, read element by element so a malformed row is reported with file:line and left
 * out) and the shuffled books (`haystack/rand_shuffle/rand_book_<n>.txt`). `--data-dir` first (the
 * repository's `data/` layout, the hub layout, or under `amodaresi/NoLiMa/`), else the hub. Every file
 * read is recorded in the run's provenance with its sha256. Parsed needle sets and encoded books are
 * kept per file content (and per tokenizer), so a run reads and encodes each once.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { jsonElements } from "@loomscope/benchmark-kit";
import { LoomError, type BenchmarkContext, type JsonObject, type RemoteFile } from "@loomscope/spec";
import { NeedleSetRowSchema, bookFile, buildTests, localCandidates, needleSetFile, type NeedleSetRow, type NolimaTest } from "./data.js";
import type { EncodedBook } from "./haystack.js";
import type { NeedleSetName } from "./tasks.js";

interface Resolved {
  path: string;
  sha256: string;
}

/** The file under --data-dir (first official layout found), else through the cache / hub; provenance recorded. */
async function resolve(ctx: BenchmarkContext, file: RemoteFile): Promise<Resolved> {
  for (const candidate of localCandidates(file.path)) {
    const found = ctx.data.local(candidate);
    if (found === undefined) continue;
    const sha256 = (await ctx.data.checksum?.(found)) ?? createHash("sha256").update(await readFile(found)).digest("hex");
    ctx.recordProvenance(`data:${file.path}`, { path: found, origin: "data-dir", sha256 });
    return { path: found, sha256 };
  }
  const fetched = await ctx.data.fetch(file, { signal: ctx.signal });
  const where: JsonObject = file.source === "url" ? { url: file.url } : { repo: file.repo, revision: file.revision ?? "main" };
  ctx.recordProvenance(`data:${file.path}`, { ...where, path: file.path, sha256: fetched.sha256, bytes: fetched.bytes, origin: fetched.origin });
  return { path: fetched.path, sha256: fetched.sha256 };
}

interface LoadedSet {
  tests: NolimaTest[];
  issues: { file: string; line: number; message: string }[];
  reported: WeakSet<BenchmarkContext>;
}
const needleSets = new Map<string, Promise<LoadedSet>>();

async function parseNeedleSet(path: string): Promise<LoadedSet> {
  const rows: NeedleSetRow[] = [];
  const issues: LoadedSet["issues"] = [];
  for await (const el of jsonElements(createReadStream(path) as AsyncIterable<Buffer>)) {
    let value: unknown;
    try {
      value = JSON.parse(el.text);
    } catch (e) {
      issues.push({ file: path, line: el.line, message: `invalid JSON: ${(e as Error).message}` });
      continue;
    }
    const row = NeedleSetRowSchema.safeParse(value);
    if (row.success) rows.push(row.data);
    else issues.push({ file: path, line: el.line, message: row.error.issues.slice(0, 3).map((i) => `${i.path.join(".") || "row"}: ${i.message}`).join("; ") });
  }
  return { tests: buildTests(rows), issues, reported: new WeakSet() };
}

/** The tests of a needle set in run_tests.py's order; malformed rows are reported once per run and left out. */
export async function needleSetTests(ctx: BenchmarkContext, set: NeedleSetName): Promise<NolimaTest[]> {
  const file = await resolve(ctx, needleSetFile(set));
  const key = `${file.path}\u0000${file.sha256}`;
  let loaded = needleSets.get(key);
  if (!loaded) {
    loaded = parseNeedleSet(file.path);
    needleSets.set(key, loaded);
    loaded.catch(() => needleSets.delete(key));
  }
  const set_ = await loaded;
  if (!set_.reported.has(ctx)) {
    set_.reported.add(ctx);
    for (const issue of set_.issues) ctx.reportDataIssue(issue);
  }
  if (set_.tests.length === 0) {
    throw new LoomError("DATA", `${file.path}: the needle set ${set} has no usable rows`, { hint: "data/download_NoLiMa_data.sh fetches the needle sets" });
  }
  return set_.tests;
}

/** A book's text and a cache of its encodings (keyed by tokenizer id, as `generate` keys them). */
export interface Book {
  text: () => Promise<string>;
  cache: Map<string, Promise<EncodedBook>>;
}
const books = new Map<string, Book>();

export async function book(ctx: BenchmarkContext, name: string): Promise<Book> {
  const file = await resolve(ctx, bookFile(name));
  const key = `${file.path}\u0000${file.sha256}`;
  let entry = books.get(key);
  if (!entry) {
    entry = { text: () => readFile(file.path, "utf8"), cache: new Map() };
    books.set(key, entry);
  }
  return entry;
}
