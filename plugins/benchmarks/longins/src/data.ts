/**
 * LongIns's data. Official: the README's Google Drive archive `data.zip`
 * (https://drive.google.com/file/d/1oh5XOh3VexRLNGlLMyFq8bmd6JOx_f-x), unzipped at the repository
 * root as `data/<GIST|LIST>/<length>.json`. Each file is one JSON object keyed by question id;
 * infer/data_loader.py reads `task_prompt` (GIST) and `Data`, eval.py reads `error` (the numbers of
 * the wrongly answered questions). The archive is on no model hub, so it is read from `--data-dir`
 * (either layout below); its per-file sample counts are not published in the repository.
 *
 * LOOM-Scope (LongIns.py `download_data`): ModelScope dataset `<repo_id>` (set in its LongIns
 * config, not shipped in the PyPI package), files `LongIns/<GIST|LIST>_<length>.jsonl`, one record
 * per line with the same fields plus `LEN`. The same files are published on Hugging Face as the
 * dataset `LCM-Lab/LOOMBench` (`LongIns/GIST_256.jsonl` … `LongIns/LIST_16384.jsonl`, 14 files,
 * 48.9 MB, added in commit e55ecc0): the hub source of `--protocol loom`.
 */
import { z } from "zod";
import { pyJsonLoads, pyJsonToJson, type PyJsonValue } from "@loomscope/metrics";
import type { JsonObject, JsonValue, Sample } from "@loomscope/spec";
import type { Mode } from "./tasks.js";

const JsonValueSchema: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(JsonValueSchema), z.record(z.string(), JsonValueSchema)]),
);

/** One question group. `task_prompt` is read for GIST only; `error` is what eval.py scores against. */
export const LonginsRecordSchema = z
  .object({
    task_prompt: z.string().optional(),
    Data: z.string(),
    error: z.array(JsonValueSchema),
    LEN: z.number().optional(),
  })
  .passthrough();
export type LonginsRecord = z.infer<typeof LonginsRecordSchema>;

/** A whole official data file: question id → record. */
export const LonginsFileSchema = z.record(z.string(), LonginsRecordSchema);

/** Where the official scripts read a file (relative to the repository root / `--data-dir`). */
export const officialDataPath = (mode: Mode, length: string): string => `data/${mode}/${length}.json`;
/** LOOM-Scope's file for a task and length (ModelScope `LongIns/<task>.jsonl`, moved to `<data_path>/<task>.jsonl`). */
export const loomDataPath = (mode: Mode, length: string): string => `LongIns/${mode}_${length}.jsonl`;

/** LOOM-Scope's files on Hugging Face. */
export const LOOM_HF = { repo: "LCM-Lab/LOOMBench", revision: "main", path: (mode: Mode, length: string): string => loomDataPath(mode, length) };

/** Local layouts tried under `--data-dir`, in order. */
export const dataDirLayouts = (mode: Mode, length: string): string[] => [
  officialDataPath(mode, length),
  `${mode}/${length}.json`,
  `LongIns-Bench/data/${mode}/${length}.json`,
  `${mode}_${length}.jsonl`,
  loomDataPath(mode, length),
];

export interface ToSampleOptions {
  task: Mode;
  length: string;
  /** The question id (the official file's key), or for LOOM-Scope's JSONL the 0-based line index. */
  key: string;
  protocol: "official" | "loom";
}

/**
 * A record as a sample. Ids are `<task>_<length>-<key>` with the official question id as key,
 * because eval.py joins responses to answers by that id. The prompt fields are `task_prompt`
 * (GIST; empty for LIST, whose template does not use it) and `Data`; the reference is the answer
 * the instruction asks for (`[2, 4]`), and `scoring.error` the list eval.py scores against.
 */
export function toSample(record: LonginsRecord, options: ToSampleOptions): Sample {
  const errors = record.error;
  const scoring: JsonObject = { error: errors };
  const meta: JsonObject = {};
  if (record.LEN !== undefined) meta["LEN"] = record.LEN;
  return {
    id: `${options.task}_${options.length}-${options.key}`,
    task: options.task,
    length: options.length,
    input: { task_prompt: record.task_prompt ?? "", Data: record.Data },
    // The answer the instruction asks for: the wrong questions' numbers in brackets ("[]" when none).
    references: [`[${errors.map((e) => (typeof e === "string" ? e : JSON.stringify(e))).join(", ")}]`],
    scoring,
    meta,
  };
}


/**
 * Parse a whole official data file in file order (Python's dict order: `JSON.parse` would move
 * integer-like ids first); bad records are reported, not thrown.
 */
export function parseOfficialFile(text: string): { records: [string, LonginsRecord][]; issues: { key: string; message: string }[] } {
  const raw = pyJsonLoads(text);
  if (!(raw instanceof Map)) {
    throw new TypeError("a LongIns data file is one JSON object keyed by question id");
  }
  const records: [string, LonginsRecord][] = [];
  const issues: { key: string; message: string }[] = [];
  for (const [key, pyValue] of raw as Map<string, PyJsonValue>) {
    const value = pyJsonToJson(pyValue);
    const parsed = LonginsRecordSchema.safeParse(value);
    if (parsed.success) records.push([key, parsed.data]);
    else issues.push({ key, message: parsed.error.issues.map((i) => `${i.path.join(".") || "record"}: ${i.message}`).join("; ") });
  }
  return { records, issues };
}
