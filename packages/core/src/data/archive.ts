import { createWriteStream, mkdirSync } from "node:fs";
import { dirname, join, resolve, sep } from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import yauzl from "yauzl";
import { LoomError, readTextLines, type ArchiveEntry } from "@loomscope/spec";
import { safeRelativePath } from "./download.js";

function openZip(path: string): Promise<yauzl.ZipFile> {
  return new Promise((resolvePromise, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: false, validateEntrySizes: true }, (error, zip) => {
      if (error || !zip) reject(new LoomError("ARCHIVE", `cannot open zip ${path}: ${error?.message ?? "unknown error"}`, { cause: error }));
      else resolvePromise(zip);
    });
  });
}

/**
 * Streams a zip's entries one at a time (the central directory is read, never the whole file).
 * Directory entries are skipped; names are checked so none escapes an extraction directory.
 */
export async function* zipEntries(path: string): AsyncGenerator<ArchiveEntry> {
  const zip = await openZip(path);
  try {
    for (;;) {
      const entry = await new Promise<yauzl.Entry | undefined>((resolvePromise, reject) => {
        const onEntry = (e: yauzl.Entry) => {
          cleanup();
          resolvePromise(e);
        };
        const onEnd = () => {
          cleanup();
          resolvePromise(undefined);
        };
        const onError = (error: Error) => {
          cleanup();
          reject(new LoomError("ARCHIVE", `bad zip ${path}: ${error.message}`, { cause: error }));
        };
        const cleanup = () => {
          zip.off("entry", onEntry);
          zip.off("end", onEnd);
          zip.off("error", onError);
        };
        zip.on("entry", onEntry);
        zip.on("end", onEnd);
        zip.on("error", onError);
        zip.readEntry();
      });
      if (!entry) return;
      if (entry.fileName.endsWith("/")) continue;
      const name = safeRelativePath(entry.fileName).split(sep).join("/");
      yield {
        name,
        size: entry.uncompressedSize,
        open: () =>
          new Promise<Readable>((resolvePromise, reject) => {
            zip.openReadStream(entry, (error, stream) => {
              if (error || !stream) reject(error ?? new Error("no stream"));
              else resolvePromise(stream);
            });
          }),
      };
    }
  } finally {
    zip.close();
  }
}

/** Extract every entry under `targetDir`; entries whose names escape it are refused. */
export async function extractZip(path: string, targetDir: string): Promise<string[]> {
  const root = resolve(targetDir);
  const written: string[] = [];
  for await (const entry of zipEntries(path)) {
    const destination = resolve(join(root, entry.name));
    if (!destination.startsWith(root + sep)) {
      throw new LoomError("UNSAFE_PATH", `zip entry ${entry.name} escapes ${root}`);
    }
    mkdirSync(dirname(destination), { recursive: true });
    await pipeline(await entry.open(), createWriteStream(destination));
    written.push(destination);
  }
  return written;
}

/** Lines of a text file or stream, streamed, numbered from 1, without '\r\n' endings or a leading BOM (spec's reader). */
export async function* readLines(source: string | Readable): AsyncGenerator<{ line: number; text: string }> {
  yield* readTextLines(source);
}
