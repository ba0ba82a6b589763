/**
 * Pinned data (a suite entry's `data`): the rows of a unit come from one hub file at a fixed
 * revision with its sha256 (core's downloader refuses a file whose checksum differs), read with the
 * benchmark's own record schema; the ids the rows yield are hashed as they stream and checked, at
 * the end of the unit, against the pinned count and sha256, so a benchmark version that reads the
 * same file into other samples is refused too. Generated benchmarks cannot read pinned files.
 */
import { createHash } from "node:crypto";
import { LoomError, type BenchmarkContext, type PinnedDataFile, type SampleHandle } from "@loomscope/spec";
import type { DataFile } from "./sources.js";
import { formatOf } from "./sources.js";

/** The pinned file of a unit, if the suite entry pins one. */
export function pinnedFileFor(ctx: BenchmarkContext, task: string, length: string | undefined): PinnedDataFile | undefined {
  return ctx.pinnedData?.find((p) => p.task === task && p.length === length) ?? ctx.pinnedData?.find((p) => p.task === task && p.length === undefined);
}

/** The id pin of one unit: the pin's own, or its length's when one file holds every length. */
export function unitIdsPin(pinned: PinnedDataFile, length: string | undefined): { count: number; sha256: string } | undefined {
  return pinned.ids ?? (length !== undefined ? pinned.idsByLength?.[length] : undefined);
}

/** A pinned file as the kit's data-file description. */
export function pinnedDataFile(pinned: PinnedDataFile): DataFile {
  return { file: pinned.file, format: pinned.format ?? formatOf(pinned.file.path) };
}

/** The id-list pin of a sequence of ids: their count and the sha256 of the ids joined by "\n". */
export function sampleIdsPin(ids: Iterable<string>): { count: number; sha256: string } {
  const hash = createHash("sha256");
  let count = 0;
  for (const id of ids) {
    hash.update(count === 0 ? id : `\n${id}`);
    count++;
  }
  return { count, sha256: hash.digest("hex") };
}

/**
 * Pass a unit's handles through, hashing their ids; when the stream ends (read to the end, not cut
 * by a limit) and the ids differ from the pin, throw `DATA_PINNED` naming the file and both values.
 */
export async function* checkPinnedIds(handles: AsyncIterable<SampleHandle>, pinned: PinnedDataFile, length: string | undefined, where: string): AsyncGenerator<SampleHandle> {
  if (!pinned.file.sha256) {
    throw new LoomError("DATA_PINNED", `${where}: the suite pins ${pinned.file.path} without its sha256, so the file read could not be checked`, {
      hint: "complete the suite's lock (each file's sha256 and its sample-id list) from a downloaded snapshot at the pinned revision",
    });
  }
  const pin = unitIdsPin(pinned, length);
  const hash = createHash("sha256");
  let count = 0;
  for await (const handle of handles) {
    hash.update(count === 0 ? handle.id : `\n${handle.id}`);
    count++;
    yield handle;
  }
  if (!pin) return;
  const sha256 = hash.digest("hex");
  if (count !== pin.count || sha256 !== pin.sha256) {
    throw new LoomError(
      "DATA_PINNED",
      `${where}: the pinned file ${pinned.file.path} yields ${count} sample ids (sha256 ${sha256.slice(0, 12)}…), the suite pins ${pin.count} (sha256 ${pin.sha256.slice(0, 12)}…)`,
      { hint: "the benchmark reads the file into other samples than the suite pinned: install the benchmark version the suite names, or update the suite's lock" },
    );
  }
}
