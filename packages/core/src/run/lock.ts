/**
 * One writer per run directory. `loom run`, `loom score` and `loom merge` hold `<dir>/.lock` while
 * they write; a second writer is refused with who holds it. Two runs on one directory would redo
 * each other's samples and overwrite each other's totals, and `loom score` replacing the records
 * files under a running `loom run` lost the records the run went on appending to the old file.
 *
 * A lock left by a killed process is detected by its pid (on the same host) and taken over.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { isWriterAlive, LoomError, readRunLock, RUN_LOCK_FILE, runWriter, type RunWriter } from "@loomscope/spec";
import { storageError } from "./fs-errors.js";

/** The lock file and its holder's facts: one definition, in spec's run-directory reader. */
export const LOCK_FILE = RUN_LOCK_FILE;
export type LockInfo = RunWriter;
const readLock = readRunLock;
export const isHolderAlive = isWriterAlive;

/** The live writer of a run directory, if any (reading only: nothing is written). */
export function lockHolder(dir: string): LockInfo | undefined {
  return runWriter(dir);
}

function lockedError(dir: string, holder: LockInfo, command: string): LoomError {
  return new LoomError("RUN_LOCKED", `${dir} is being written by ${holder.command} (process ${holder.pid} on ${holder.host}, since ${holder.startedAt}); ${command} cannot use it at the same time`, {
    hint: `wait for that process to finish (or stop it), then run this again. If no such process is running, delete ${join(dir, LOCK_FILE)}`,
  });
}

/** Refuse to read a directory that a writer is changing (e.g. the shards `loom merge` joins). */
export function assertNotLocked(dir: string, command: string): void {
  const holder = lockHolder(dir);
  if (holder) throw lockedError(dir, holder, command);
}

export class RunLock {
  readonly dir: string;
  private readonly file: string;
  private readonly token: string;
  private released = false;
  private readonly onExit = () => this.release();

  private constructor(dir: string, token: string) {
    this.dir = dir;
    this.file = join(dir, LOCK_FILE);
    this.token = token;
    // A second Ctrl-C exits at once: the lock goes with the process.
    process.once("exit", this.onExit);
  }

  /**
   * Take the lock of `dir` (created if missing) for `command`, or throw RUN_LOCKED naming the
   * holder. A lock whose process is gone is taken over; `onNotice` hears about it.
   */
  static acquire(dir: string, command: string, onNotice?: (message: string) => void): RunLock {
    const file = join(dir, LOCK_FILE);
    const token = randomBytes(8).toString("hex");
    const info: LockInfo = { pid: process.pid, host: hostname(), command, startedAt: new Date().toISOString(), token };
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        writeFileSync(file, JSON.stringify(info) + "\n", { flag: "wx" });
        return new RunLock(dir, token);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === "ENOENT") {
          try {
            // The directory itself is missing: make it, then try again.
            mkdirSync(dir, { recursive: true });
          } catch (inner) {
            throw storageError(dir, inner, "creating the run directory");
          }
          continue;
        }
        if (code !== "EEXIST") throw storageError(file, error, "locking the run directory");
      }
      const holder = readLock(file);
      if (!holder) {
        // Half-written or foreign: give a writer a moment, then treat it as stale.
        const age = existsSync(file) ? Date.now() - statSync(file).mtimeMs : Infinity;
        if (age < 5_000) throw lockedError(dir, { pid: 0, host: "?", command: "another process", startedAt: "just now", token: "" }, command);
      } else if (isHolderAlive(holder)) {
        throw lockedError(dir, holder, command);
      }
      // Stale: move it aside under a name of our own, check that what we moved is what we judged.
      const aside = `${file}.stale-${process.pid}-${token}`;
      try {
        renameSync(file, aside);
      } catch {
        continue; // someone else moved it first
      }
      const moved = readLock(aside);
      if (holder && moved && moved.token !== holder.token && isHolderAlive(moved)) {
        // A live lock was put there between our read and our rename: give it back.
        try {
          renameSync(aside, file);
        } catch {
          // it stays aside; the next writer sees no lock, as the live holder would after its end
        }
        throw lockedError(dir, moved, command);
      }
      rmSync(aside, { force: true });
      onNotice?.(holder ? `took over the lock of ${holder.command} (process ${holder.pid}), which is no longer running` : `removed an unreadable lock file ${file}`);
    }
    throw new LoomError("RUN_LOCKED", `${dir}: could not take the lock (${file}) after several tries`, { hint: `if no loomscope process is using ${dir}, delete ${file}` });
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    process.off("exit", this.onExit);
    try {
      if (readLock(this.file)?.token === this.token) rmSync(this.file, { force: true });
    } catch {
      // a read-only or vanished directory: the pid check frees the lock later
    }
  }
}
