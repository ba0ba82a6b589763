import { z } from "zod";
import type { Readable } from "node:stream";

/**
 * A file a benchmark needs from a public source. Core's downloader resolves it into the data
 * cache (resumable, checksummed) or finds it under the user's `--data-dir`.
 */
export const RemoteFileSchema = z.discriminatedUnion("source", [
  z.object({
    source: z.literal("huggingface"),
    repo: z.string(),
    repoType: z.enum(["dataset", "model"]).default("dataset"),
    revision: z.string().default("main"),
    path: z.string(),
    sha256: z.string().optional(),
    size: z.number().int().nonnegative().optional(),
  }),
  z.object({
    source: z.literal("modelscope"),
    repo: z.string(),
    repoType: z.enum(["dataset", "model"]).default("dataset"),
    revision: z.string().default("master"),
    path: z.string(),
    sha256: z.string().optional(),
    size: z.number().int().nonnegative().optional(),
  }),
  z.object({
    source: z.literal("url"),
    url: z.string().url(),
    /** File name inside the cache and under `--data-dir`. */
    path: z.string(),
    sha256: z.string().optional(),
    size: z.number().int().nonnegative().optional(),
  }),
]);
export type RemoteFile = z.input<typeof RemoteFileSchema>;

export interface FetchedFile {
  path: string;
  sha256: string;
  bytes: number;
  /** Where it came from: the cache, the user's data dir, or a fresh download. */
  origin: "cache" | "data-dir" | "download";
}

export interface ArchiveEntry {
  /** Normalised path inside the archive, always relative and using '/'. */
  name: string;
  size: number;
  open(): Promise<Readable>;
}

/** A malformed data record: reported with its place, and the run goes on with the rest. */
export interface DataIssue {
  file: string;
  line?: number;
  message: string;
}

/** Data services core hands to benchmarks, so plugins need no runtime dependency on core. */
export interface DataAccess {
  /** Resolve a remote file: `--data-dir` first, then the cache, else download (unless offline). */
  fetch(file: RemoteFile, options?: { signal?: AbortSignal }): Promise<FetchedFile>;
  /** Look for a path relative to the user's `--data-dir`; undefined when not given or absent. */
  local(relativePath: string): string | undefined;
  /** Stream the entries of a zip archive without reading it whole. Entry names are sanitised. */
  zipEntries(path: string): AsyncIterable<ArchiveEntry>;
  /** Extract a zip archive into a directory, rejecting entries that escape it. */
  extract(path: string, targetDir: string): Promise<string[]>;
  /** sha256 of a local file (remembered by size and modification time, so big files are hashed once). */
  checksum?(path: string): Promise<string>;
  /** Read a text file line by line (streamed), with 1-based line numbers. */
  lines(source: string | Readable): AsyncIterable<{ line: number; text: string }>;
}
