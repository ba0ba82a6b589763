/**
 * File-system failures while writing a run (a full disk, a read-only mount, permissions) as one
 * clear error naming the file. The runner adds how many finished samples are saved.
 */
import { isLoomError, LoomError } from "@loomscope/spec";

const REASONS: Record<string, string> = {
  ENOSPC: "no space left on the device",
  EDQUOT: "the disk quota is exceeded",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "the file system is read-only",
  EIO: "an I/O error",
  EMFILE: "too many open files",
  ENFILE: "too many open files in the system",
  ENOTDIR: "a path component is not a directory",
  EISDIR: "it is a directory",
  ENOENT: "a directory on the way does not exist",
};

/** A STORAGE error: what failed, on which file, why. */
export function storageError(file: string, error: unknown, action: string): LoomError {
  // A Node file-system error has a string `code` too: only loomscope's own errors pass through.
  if (isLoomError(error) && !isErrnoError(error)) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const reason = code ? `${REASONS[code] ?? (error as Error).message} (${code})` : error instanceof Error ? error.message : String(error);
  return new LoomError("STORAGE", `cannot write ${file} (${action}): ${reason}`, {
    hint: code === "ENOSPC" || code === "EDQUOT" ? "free some space, then run the same command again" : "make the location writable (or choose another with --run-dir), then run the same command again",
    cause: error,
  });
}

export const isStorageError = (error: unknown): error is LoomError => isLoomError(error, "STORAGE");

/** A Node system error (ENOSPC, EACCES, …), as opposed to a LoomError: both have a string `code`. */
export const isErrnoError = (error: unknown): error is NodeJS.ErrnoException =>
  error instanceof Error && (typeof (error as NodeJS.ErrnoException).syscall === "string" || typeof (error as NodeJS.ErrnoException).errno === "number");
