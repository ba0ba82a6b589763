import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, ftruncateSync, readSync, writeSync, appendFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { LoomError, readRunDirectory, sampleKey, type RunManifest, type RunResults, type SampleRecord } from "@loomscope/spec";
import { safeRelativePath } from "../data/download.js";
import { isErrnoError, storageError } from "./fs-errors.js";
import { RunLock } from "./lock.js";

export interface StoreNotice {
  level: "warn" | "error";
  message: string;
}

/** Where records of one (benchmark, task) live, relative to the run directory. */
export const recordsFile = (benchmark: string, task: string): string =>
  join("records", safeRelativePath(benchmark), `${safeRelativePath(task)}.jsonl`);

/** Key of a sample within a run (defined with the run-directory reader in spec). */
export { sampleKey };

/**
 * If a file does not end in a newline, its last line was torn by a crash mid-write: move those bytes
 * to `<file>.torn` (kept, never silently dropped) and cut the file back to its last whole line.
 */
export function repairTornTail(file: string): string | undefined {
  if (!existsSync(file)) return undefined;
  const size = statSync(file).size;
  if (size === 0) return undefined;
  const fd = openSync(file, "r+");
  try {
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, size - 1);
    if (last[0] === 0x0a) return undefined;
    // Walk back to the previous newline.
    const chunk = 64 * 1024;
    let end = size;
    let cut = 0;
    while (end > 0) {
      const start = Math.max(0, end - chunk);
      const buffer = Buffer.alloc(end - start);
      readSync(fd, buffer, 0, buffer.length, start);
      const index = buffer.lastIndexOf(0x0a);
      if (index !== -1) {
        cut = start + index + 1;
        break;
      }
      end = start;
    }
    const torn = Buffer.alloc(size - cut);
    readSync(fd, torn, 0, torn.length, cut);
    appendFileSync(`${file}.torn`, Buffer.concat([torn, Buffer.from("\n")]));
    ftruncateSync(fd, cut);
    return `${file}: the last line was torn by an interrupted write (${torn.length} bytes); moved to ${file}.torn`;
  } finally {
    closeSync(fd);
  }
}

/** A file replaced by `commit`, and the temporary file its new content waits in. */
const COMMIT_JOURNAL = ".commit.json";

/** Temporary files of an atomic write: `<file>.<pid>.<n>.tmp`, so writers never share one. */
let tmpCounter = 0;
const tmpName = (file: string) => `${file}.${process.pid}.${++tmpCounter}.tmp`;

/**
 * A run directory: manifest.json, records/<benchmark>/<task>.jsonl, results.json. Records are
 * appended and written through to the OS when each sample finishes, so a killed process loses
 * nothing that finished. The records files are logs: for a sample recorded twice (an error, then a
 * successful retry) the last record counts.
 *
 * Writers (`open`) hold the directory's lock (see lock.ts); readers (`openForReading`) change
 * nothing and need no write access, so a finished run on a read-only disk can be read.
 */
export class RunStore {
  readonly dir: string;
  readonly readOnly: boolean;
  private readonly fds = new Map<string, number>();
  private readonly fsync: boolean;
  private lock: RunLock | undefined;

  private constructor(dir: string, fsync: boolean, readOnly: boolean) {
    this.dir = dir;
    this.fsync = fsync;
    this.readOnly = readOnly;
  }

  /**
   * Open (or create) a run directory for writing: take its lock when `lock` names the command
   * (a caller that holds the lock already passes none), finish or drop what a killed writer left
   * (an interrupted commit, temporary files), repair torn tails.
   */
  static open(dir: string, options: { fsync?: boolean; onNotice?: (notice: StoreNotice) => void; lock?: string } = {}): RunStore {
    try {
      mkdirSync(join(dir, "records"), { recursive: true });
    } catch (error) {
      throw storageError(join(dir, "records"), error, "creating the run directory");
    }
    const store = new RunStore(dir, options.fsync ?? false, false);
    if (options.lock) store.lock = RunLock.acquire(dir, options.lock, (message) => options.onNotice?.({ level: "warn", message }));
    try {
      recoverInterruptedWrites(dir, (message) => options.onNotice?.({ level: "warn", message }));
      for (const file of store.recordFiles()) {
        const notice = repairTornTail(file);
        if (notice) options.onNotice?.({ level: "warn", message: notice });
      }
    } catch (error) {
      store.close();
      throw isErrnoError(error) ? storageError(dir, error, "repairing the run directory") : error;
    }
    return store;
  }

  /** Open an existing run directory to read it: nothing is created, repaired or locked. */
  static openForReading(dir: string): RunStore {
    if (!existsSync(dir)) throw new LoomError("RUN_DIR", `${dir} does not exist`);
    return new RunStore(dir, false, true);
  }

  /** manifest.json through spec's run-directory reader; a corrupt one is a RUN_DIR error with its line and column. */
  readManifest(): RunManifest | undefined {
    return readRunDirectory(this.dir).manifest ?? undefined;
  }

  writeManifest(manifest: RunManifest): void {
    this.assertWritable();
    writeJsonAtomic(join(this.dir, "manifest.json"), manifest, this.fsync);
  }

  writeResults(results: RunResults): void {
    this.assertWritable();
    writeJsonAtomic(join(this.dir, "results.json"), results, this.fsync);
  }

  readResults(): RunResults | undefined {
    return readRunDirectory(this.dir).results ?? undefined;
  }

  /** The records files (regular files only: a device or pipe under records/ would never end when read). */
  recordFiles(): string[] {
    return [...readRunDirectory(this.dir).recordFiles];
  }

  /** Append one record and hand it to the OS before returning. */
  append(record: SampleRecord): void {
    this.assertWritable();
    const relativePath = recordsFile(record.benchmark, record.task);
    const file = join(this.dir, relativePath);
    try {
      let fd = this.fds.get(relativePath);
      if (fd === undefined) {
        mkdirSync(dirname(file), { recursive: true });
        fd = openSync(file, "a");
        this.fds.set(relativePath, fd);
      }
      // One write call per line: a crash can tear only the line being written.
      writeSync(fd, JSON.stringify(record) + "\n");
      if (this.fsync) fsyncSync(fd);
    } catch (error) {
      throw storageError(file, error, `saving the record of sample ${record.id}`);
    }
  }

  /**
   * Every valid record, the last per sample winning (spec's run-directory reader, streaming). Lines
   * that do not parse are reported and skipped; they stay in the file, and their samples run again.
   */
  async records(onNotice?: (notice: StoreNotice) => void): Promise<Map<string, SampleRecord>> {
    return readRunDirectory(this.dir).latestRecords(onNotice ? { onNotice: (n) => onNotice({ level: n.level, message: n.message }) } : {});
  }

  /** Replace all records (used by `loom score` and `loom merge`), with the results, as one commit. */
  rewriteRecords(records: Iterable<SampleRecord>, results?: RunResults): void {
    this.assertWritable();
    this.close({ keepLock: true });
    const byFile = new Map<string, string[]>();
    for (const record of records) {
      const relativePath = recordsFile(record.benchmark, record.task);
      let lines = byFile.get(relativePath);
      if (!lines) byFile.set(relativePath, (lines = []));
      lines.push(JSON.stringify(record));
    }
    const files = new Map<string, string>();
    for (const [relativePath, lines] of byFile) files.set(relativePath, lines.join("\n") + "\n");
    if (results) files.set("results.json", JSON.stringify(results, null, 2) + "\n");
    commitFiles(this.dir, files, this.fsync);
  }

  /** Close the open records files and, unless kept, release the lock. */
  close(options: { keepLock?: boolean } = {}): void {
    for (const fd of this.fds.values()) {
      try {
        closeSync(fd);
      } catch {
        // already gone
      }
    }
    this.fds.clear();
    if (!options.keepLock) {
      this.lock?.release();
      this.lock = undefined;
    }
  }

  private assertWritable(): void {
    if (this.readOnly) throw new LoomError("RUN_DIR", `${this.dir} was opened for reading only`);
  }
}

/** Write a JSON file atomically: a temporary file of our own, then a rename over the old one. */
export function writeJsonAtomic(file: string, value: unknown, fsync = false): void {
  writeFileAtomic(file, JSON.stringify(value, null, 2) + "\n", fsync);
}

/** Write a file atomically (readers see the old or the new content, never a part). */
export function writeFileAtomic(file: string, content: string, fsync = false): void {
  const tmp = tmpName(file);
  try {
    writeTmp(tmp, content, fsync);
    renameSync(tmp, file);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw storageError(file, error, "writing it");
  }
}

function writeTmp(tmp: string, content: string, fsync: boolean): void {
  const fd = openSync(tmp, "w");
  try {
    writeSync(fd, content);
    if (fsync) fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Replace several files of a run directory together. New contents go to temporary files first;
 * then a journal naming every rename is written atomically, the renames happen, the journal goes.
 * A writer killed before the journal leaves the old files (and temporaries the next writer drops);
 * one killed after it leaves the journal, and the next writer finishes the renames. So a killed
 * `loom score` never leaves records and results of different generations unmarked.
 */
export function commitFiles(dir: string, files: ReadonlyMap<string, string>, fsync = false): void {
  const renames: [string, string][] = [];
  try {
    for (const [relativePath, content] of files) {
      const file = join(dir, relativePath);
      mkdirSync(dirname(file), { recursive: true });
      const tmp = tmpName(file);
      renames.push([relative(dir, tmp), relativePath]);
      writeTmp(tmp, content, fsync);
    }
  } catch (error) {
    for (const [tmp] of renames) rmSync(join(dir, tmp), { force: true });
    throw storageError(join(dir, renames.at(-1)?.[1] ?? ""), error, "writing the new records");
  }
  const journal = join(dir, COMMIT_JOURNAL);
  writeJsonAtomic(journal, { renames }, fsync);
  finishCommit(dir, renames);
  rmSync(journal, { force: true });
}

function finishCommit(dir: string, renames: readonly (readonly [string, string])[]): void {
  for (const [tmp, target] of renames) {
    const from = join(dir, tmp);
    if (!existsSync(from)) continue; // renamed before the interruption
    try {
      renameSync(from, join(dir, target));
    } catch (error) {
      throw storageError(join(dir, target), error, "replacing it");
    }
  }
}

/** Finish an interrupted commit and drop temporary files a killed writer left. Caller holds the lock. */
export function recoverInterruptedWrites(dir: string, onNotice?: (message: string) => void): void {
  const journal = join(dir, COMMIT_JOURNAL);
  if (existsSync(journal)) {
    let renames: [string, string][] = [];
    try {
      renames = (JSON.parse(readFileSync(journal, "utf8")) as { renames: [string, string][] }).renames;
    } catch {
      renames = [];
    }
    const safe = renames.filter(([tmp, target]) => !/(^|[\\/])\.\.([\\/]|$)/.test(tmp) && !/(^|[\\/])\.\.([\\/]|$)/.test(target));
    finishCommit(dir, safe);
    rmSync(journal, { force: true });
    onNotice?.(`finished replacing ${safe.length} file(s) that an interrupted \`loom score\` or \`loom merge\` had begun to replace`);
  }
  const stray: string[] = [];
  const sweep = (folder: string, depth: number) => {
    if (!existsSync(folder)) return;
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory() && depth > 0) sweep(path, depth - 1);
      else if (entry.isFile() && /\.tmp$/.test(entry.name)) stray.push(path);
    }
  };
  sweep(dir, 0);
  sweep(join(dir, "records"), 1);
  for (const file of stray) rmSync(file, { force: true });
  if (stray.length > 0) onNotice?.(`removed ${stray.length} temporary file(s) left by an interrupted write`);
}
