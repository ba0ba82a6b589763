import type { DataAccess } from "@loomscope/spec";
import { extractZip, readLines, zipEntries } from "./archive.js";
import { Downloader, cachedHash, type DownloaderOptions } from "./download.js";

/** The `DataAccess` core hands to plugins: downloads, the data dir, archives, line streams. */
export function createDataAccess(options: DownloaderOptions | Downloader): DataAccess & { downloader: Downloader } {
  const downloader = options instanceof Downloader ? options : new Downloader(options);
  return {
    downloader,
    fetch: (file, opts) => downloader.fetch(file, opts),
    local: (path) => downloader.local(path),
    zipEntries,
    extract: extractZip,
    lines: readLines,
    checksum: cachedHash,
  };
}
