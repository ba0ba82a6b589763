/**
 * LongBench-Write's data: three JSON-lines files in the GitHub repository (not on a model hub),
 * `evaluation/longbench_write.jsonl` (120 prompts, English and Chinese; the one pred.py reads),
 * `evaluation/longbench_write_en.jsonl` (60, English) and `evaluation/longwrite_ruler.jsonl` (48,
 * the LongWrite-Ruler stress test). Each line: `{"prompt", "type", "length"}`, `length` the
 * required output length in words (English) or characters (Chinese).
 */
import { z } from "zod";
import type { JsonObject, RemoteFile, Sample } from "@loomscope/spec";

export const REPO = "THUDM/LongWriter";
export const COMMIT = "3fcfdff43deceb49f7936c6bf25ad88d61df0bfa";

export const DATA_FILES: Readonly<Record<string, { path: string; sha256: string; size: number; count: number }>> = {
  longbench_write: {
    path: "evaluation/longbench_write.jsonl",
    sha256: "1f6e99497cc24d65894d65e014062f398ba946ebdd254b7f8b339e48d3ab5779",
    size: 54155,
    count: 120,
  },
  longbench_write_en: {
    path: "evaluation/longbench_write_en.jsonl",
    sha256: "87800927761f340e48899e4df5d47fb7211ad4936a63420dbfa979660414259f",
    size: 24235,
    count: 60,
  },
  longwrite_ruler: {
    path: "evaluation/longwrite_ruler.jsonl",
    sha256: "a1d4ebf0df0fa1600567691d11c9a52de3037c4a372970ed2e8f52f2889e0a62",
    size: 5718,
    count: 48,
  },
};

/** The repository's evaluation folder at the commit: the three files are `<this>/<task>.jsonl`. */
export const OFFICIAL_DATA_URL = `https://raw.githubusercontent.com/${REPO}/${COMMIT}/evaluation`;

/**
 * The file of a task (fetched through core's downloader): from the repository at the commit, its
 * checksum pinned; from a mirror (`dataUrl`), checked only by the checksum recorded in provenance.
 */
export function remoteFile(task: string, dataUrl: string = OFFICIAL_DATA_URL): RemoteFile {
  const f = DATA_FILES[task];
  if (!f) throw new RangeError(`longwriter has no task "${task}"`);
  const name = f.path.split("/").at(-1) as string;
  const official = dataUrl === OFFICIAL_DATA_URL;
  return {
    source: "url",
    url: `${dataUrl.replace(/\/+$/, "")}/${name}`,
    path: `longwriter/${name}`,
    ...(official ? { sha256: f.sha256, size: f.size } : {}),
  };
}

/** Where a task's file is looked for under `--data-dir`: as pred.py opens it (cwd = evaluation/), or a checkout. */
export function localCandidates(task: string): string[] {
  const name = `${task}.jsonl`;
  return [name, `evaluation/${name}`, `LongWriter/evaluation/${name}`];
}

/** One line of the data files. Unknown fields are kept. */
export const LongWriterRecordSchema = z
  .object({
    prompt: z.string(),
    type: z.string(),
    length: z.number().int().positive(),
  })
  .passthrough();
export type LongWriterRecord = z.infer<typeof LongWriterRecordSchema>;

/**
 * One record as a sample. Ids are `<task>-<n>`, n the 0-based line index (the official code keys
 * nothing; its outputs follow input order before eval_quality.py shuffles them).
 */
export function toSample(record: LongWriterRecord, where: { task: string; index: number }): Sample {
  const meta: JsonObject = { type: record.type, length: record.length };
  return {
    id: `${where.task}-${where.index}`,
    task: where.task,
    input: { prompt: record.prompt },
    references: [],
    scoring: { length: record.length, prompt: record.prompt },
    meta,
  };
}
