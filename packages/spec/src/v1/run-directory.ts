/**
 * The one reader of a run directory: `manifest.json`, `records/<benchmark>/<task>.jsonl`,
 * `results.json` and the writer's `.lock`. Core's store, the report and `loom view` all read
 * through it, so a run directory means the same thing to each. Reading changes nothing on disk.
 *
 * Records stream: `records()` parses one line at a time, so a 50,000-record run is never held as
 * text; `latestRecords()` keeps one value per sample (the last record of a sample wins: the
 * records files are logs, an error then its successful retry).
 */
import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { hostname } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { LoomError } from "./errors.js";
import { parseJsonFile } from "./json-file.js";
import { RunManifestSchema, RunResultsSchema, SampleRecordSchema, type RunManifest, type RunResults, type SampleRecord } from "./results.js";

/** The lock a writer (`loom run`, `loom score`, `loom merge`) holds while it writes. */
export const RUN_LOCK_FILE = ".lock";

export interface RunWriter {
  pid: number;
  host: string;
  command: string;
  startedAt: string;
  token: string;
}

/** A problem found while reading: the line (or file) is left as it is and skipped. */
export interface RunDirectoryNotice {
  level: "warn" | "error";
  message: string;
  file: string;
  line?: number;
}

/**
 * Where a run stands. `running`: a live writer holds the lock. `complete`: results.json says every
 * planned sample was scored. `incomplete`: it ended with failed samples, units that could not run
 * or samples skipped as too long. `interrupted`: it stopped before it ran every planned sample (no
 * results.json, results older than the records, or planned samples never attempted).
 */
export type RunState = "running" | "complete" | "incomplete" | "interrupted";

export interface RunReadStats {
  /** Bytes of records files read from disk so far. */
  bytesRead: number;
  /** Record lines parsed so far. */
  linesParsed: number;
}

export interface RunDirectoryOptions {
  /**
   * What a manifest.json or results.json that cannot be read does: `throw` a RUN_DIR LoomError (a
   * writer must not go on over it), or `notice` it and read on without (a report shows what there is).
   */
  invalid?: "throw" | "notice";
}

export interface RunDirectory {
  readonly dir: string;
  /** manifest.json, validated; null when there is none (or, with `invalid: "notice"`, when it is unreadable). */
  readonly manifest: RunManifest | null;
  /** results.json, validated; null when there is none (or unreadable, as for the manifest). */
  readonly results: RunResults | null;
  /** The records files: regular files only (a pipe under records/ would never end when read). */
  readonly recordFiles: readonly string[];
  /** The live writer, when one holds the lock. */
  readonly writer: RunWriter | null;
  readonly state: RunState;
  /** Why the state is what it is, in words. */
  readonly stateReason: string;
  /** Problems met reading the manifest and results (with `invalid: "notice"`). */
  readonly notices: readonly RunDirectoryNotice[];
  readonly stats: RunReadStats;
  /** Every valid record in file order, one at a time; lines that do not parse are reported and skipped. */
  records(onNotice?: (notice: RunDirectoryNotice) => void): AsyncGenerator<SampleRecord>;
  /** The last record of each sample (keyed by `sampleKey`), each passed through `map` before it is kept. */
  latestRecords<T = SampleRecord>(options?: { onNotice?: (notice: RunDirectoryNotice) => void; map?: (record: SampleRecord) => T }): Promise<Map<string, T>>;
}

/** Key of a sample within a run: ids are unique per (benchmark, task, length). */
export const sampleKey = (r: { benchmark: string; task: string; length: string | null; id: string }): string =>
  `${r.benchmark}\u0000${r.task}\u0000${r.length ?? ""}\u0000${r.id}`;

/** True when a directory looks like a run directory (it has a manifest or results). */
export function isRunDirectory(dir: string): boolean {
  return existsSync(join(dir, "manifest.json")) || existsSync(join(dir, "results.json"));
}

/** Lines of a text file or stream, numbered from 1, without a leading UTF-8 byte-order mark. */
export async function* readTextLines(source: string | Readable, onBytes?: (bytes: number) => void): AsyncGenerator<{ line: number; text: string }> {
  const input = typeof source === "string" ? createReadStream(source, { encoding: "utf8" }) : source;
  if (typeof source !== "string") input.setEncoding("utf8");
  if (onBytes) input.on("data", (chunk: string | Buffer) => onBytes(typeof chunk === "string" ? Buffer.byteLength(chunk) : chunk.length));
  const reader = createInterface({ input, crlfDelay: Infinity });
  let line = 0;
  for await (const text of reader) {
    line++;
    yield { line, text: line === 1 && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
  }
}

/** The lock file's holder as written, or undefined when there is none or it cannot be read. */
export function readRunLock(file: string): RunWriter | undefined {
  try {
    const value = JSON.parse(readFileSync(file, "utf8")) as Partial<RunWriter>;
    if (typeof value.pid === "number" && typeof value.host === "string") {
      return { pid: value.pid, host: value.host, command: String(value.command ?? "loomscope"), startedAt: String(value.startedAt ?? "?"), token: String(value.token ?? "") };
    }
  } catch {
    // none, or unreadable
  }
  return undefined;
}

/** Whether the process holding a lock is still running (a lock from another host is assumed live). */
export function isWriterAlive(writer: RunWriter): boolean {
  if (writer.host !== hostname()) return true;
  try {
    process.kill(writer.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The live writer of a run directory, if any. */
export function runWriter(dir: string): RunWriter | undefined {
  const info = readRunLock(join(dir, RUN_LOCK_FILE));
  return info && isWriterAlive(info) ? info : undefined;
}

function isRegularFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function listRecordFiles(dir: string): string[] {
  const root = join(dir, "records");
  let benchmarks;
  try {
    benchmarks = readdirSync(root, { withFileTypes: true });
  } catch {
    return [];
  }
  const files: string[] = [];
  for (const benchmark of benchmarks) {
    if (!benchmark.isDirectory()) continue;
    for (const file of readdirSync(join(root, benchmark.name))) {
      const path = join(root, benchmark.name, file);
      if (file.endsWith(".jsonl") && isRegularFile(path)) files.push(path);
    }
  }
  return files.sort();
}

const firstIssue = (error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): string => {
  const issue = error.issues[0];
  return `${issue?.path.map(String).join(".") || "(root)"}: ${issue?.message ?? ""}`;
};

const MANIFEST_HINT = "restore it from a copy, or move the run directory aside and run again to start a new run";
const resultsHint = (dir: string) => `delete it: \`loom score ${dir}\` rebuilds it from the records`;

function readValidated<T>(
  file: string,
  what: string,
  schema: { safeParse(value: unknown): { success: true; data: T } | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } } },
  hint: string,
  invalid: "throw" | "notice",
  notices: RunDirectoryNotice[],
): T | null {
  if (!existsSync(file)) return null;
  try {
    const parsed = schema.safeParse(parseJsonFile(file, "RUN_DIR", hint));
    if (parsed.success) return parsed.data;
    throw new LoomError("RUN_DIR", `${file} is not a loomscope ${what}: ${firstIssue(parsed.error)}`, { hint });
  } catch (error) {
    const problem = error instanceof LoomError ? error : new LoomError("RUN_DIR", `${file}: cannot be read: ${(error as Error).message}`, { hint, cause: error });
    if (invalid === "throw") throw problem;
    notices.push({ level: "error", message: problem.message, file });
    return null;
  }
}

/** The newest modification time among files, 0 when none. */
function newest(files: readonly string[]): number {
  let at = 0;
  for (const f of files) {
    try {
      at = Math.max(at, statSync(f).mtimeMs);
    } catch {
      // vanished
    }
  }
  return at;
}

function judgeState(dir: string, writer: RunWriter | null, results: RunResults | null, recordFiles: readonly string[]): { state: RunState; reason: string } {
  if (writer) return { state: "running", reason: `${writer.command} (process ${writer.pid} on ${writer.host}) is writing it since ${writer.startedAt}` };
  if (!results) return { state: "interrupted", reason: recordFiles.length ? "no results.json: the run stopped before it finished" : "no records and no results.json" };
  // Records written after the results: a resumed run that stopped before writing new results.
  const resultsFile = join(dir, "results.json");
  if (existsSync(resultsFile) && newest(recordFiles) > statSync(resultsFile).mtimeMs + 1000) {
    return { state: "interrupted", reason: "records are newer than results.json: a resumed run stopped before it finished" };
  }
  let unattempted = 0;
  let failed = 0;
  let skipped = 0;
  let unitErrors = 0;
  for (const b of results.benchmarks) {
    for (const row of Object.values(b.status?.cells ?? {})) {
      for (const cell of Object.values(row)) {
        failed += cell.failed;
        skipped += cell.skipped ?? 0;
        if (cell.unitError) unitErrors++;
        else unattempted += Math.max(0, cell.notRun - (cell.skipped ?? 0));
      }
    }
  }
  if (unattempted > 0) return { state: "interrupted", reason: `${unattempted} planned sample(s) were never run` };
  if (results.complete) return { state: "complete", reason: "every planned sample was scored" };
  const parts = [failed ? `${failed} failed sample(s)` : "", unitErrors ? `${unitErrors} unit(s) could not run` : "", skipped ? `${skipped} sample(s) not run (too long for the model's window)` : ""].filter(Boolean);
  return { state: "incomplete", reason: parts.length ? parts.join(", ") : "results.json says the run is incomplete" };
}

/**
 * Read a run directory. The manifest, results, lock and file list are read when first asked for
 * (then kept), records each time they are iterated. Throws RUN_DIR when the directory does not exist.
 */
export function readRunDirectory(dir: string, options: RunDirectoryOptions = {}): RunDirectory {
  const abs = resolve(dir);
  if (!existsSync(abs)) throw new LoomError("RUN_DIR", `${abs} does not exist`, { hint: "pass a run directory (it holds manifest.json, records/ and results.json)" });
  const invalid = options.invalid ?? "throw";
  const notices: RunDirectoryNotice[] = [];
  // Each part is read on first use: a writer that needs only the manifest is not stopped by a corrupt results.json.
  const once = <T>(read: () => T): (() => T) => {
    let done = false;
    let value: T;
    return () => {
      if (!done) {
        value = read();
        done = true;
      }
      return value;
    };
  };
  const manifest = once(() => readValidated(join(abs, "manifest.json"), "run manifest", RunManifestSchema, MANIFEST_HINT, invalid, notices));
  const results = once(() => readValidated(join(abs, "results.json"), "results file", RunResultsSchema, resultsHint(abs), invalid, notices));
  const recordFiles = once(() => listRecordFiles(abs));
  const writer = once(() => runWriter(abs) ?? null);
  const state = once(() => judgeState(abs, writer(), results(), recordFiles()));
  const stats: RunReadStats = { bytesRead: 0, linesParsed: 0 };

  async function* records(onNotice?: (notice: RunDirectoryNotice) => void): AsyncGenerator<SampleRecord> {
    for (const file of recordFiles()) {
      for await (const { line, text } of readTextLines(file, (bytes) => (stats.bytesRead += bytes))) {
        if (text.trim() === "") continue;
        stats.linesParsed++;
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch (error) {
          onNotice?.({ level: "error", file, line, message: `${file}:${line}: not JSON (${(error as Error).message}); line kept, skipped` });
          continue;
        }
        const parsed = SampleRecordSchema.safeParse(value);
        if (!parsed.success) {
          onNotice?.({ level: "error", file, line, message: `${file}:${line}: not a record (${firstIssue(parsed.error)}); line kept, skipped` });
          continue;
        }
        yield parsed.data;
      }
    }
  }

  return {
    dir: abs,
    get manifest() {
      return manifest();
    },
    get results() {
      return results();
    },
    get recordFiles() {
      return recordFiles();
    },
    get writer() {
      return writer();
    },
    get state() {
      return state().state;
    },
    get stateReason() {
      return state().reason;
    },
    notices,
    stats,
    records,
    async latestRecords<T = SampleRecord>(o: { onNotice?: (notice: RunDirectoryNotice) => void; map?: (record: SampleRecord) => T } = {}): Promise<Map<string, T>> {
      const latest = new Map<string, T>();
      const map = o.map ?? ((r: SampleRecord) => r as unknown as T);
      for await (const record of records(o.onNotice)) {
        const key = sampleKey(record);
        latest.set(key, map(record));
      }
      return latest;
    },
  };
}
