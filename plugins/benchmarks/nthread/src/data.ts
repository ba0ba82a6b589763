/**
 * Needle Threading's data (Hugging Face jonathan-roberts1/needle-threading; README "Data").
 *
 * - `json_data.zip` at the repository root (README "Option 2: Manual download"), holding
 *   `json_data/{Single_Needle,Multiple_Needles,Conditional_Needles,Single_Threads,Multi_Threads}.json`;
 * - the same splits as parquet for `load_dataset(..., split=…)` (their file names are not recorded
 *   here, so the archive is the source).
 * The files' layout (a JSON array, or JSON Lines as `datasets` exports them) was not inspected: both
 * are read (`format: "json-records"`), streamed record by record.
 * Records (dataset card `dataset_info.features`): `id` int, `haystack` (a JSON object of UUID
 * key-value pairs, as text), `keys`, `values` (str; the Python repr of a list for the multi-value
 * tasks), `question`, `context_length` (characters), `num_kv_pairs`, `repeat_number`, `needle_depth`
 * (str), `num_needles`, `needle_placement`, `conditional_character`, `thread_length`,
 * `thread_direction`, `num_threads`.
 * Sample ids are `<task>-<index>` (position in the file); the README keys its results by
 * `Question_ID` = `item['id']`, kept in the sample's meta as `id`.
 */
import { z } from "zod";
import { hfFile, type DataFile, type LocalFile, type SampleBody } from "@loomscope/benchmark-kit";
import type { JsonObject, RemoteFile } from "@loomscope/spec";
import { DATA_NAMES, type NThreadTask } from "./tasks.js";

export const HF_REPO = "jonathan-roberts1/needle-threading";

export const NThreadRecordSchema = z
  .object({
    id: z.number().int(),
    haystack: z.string(),
    keys: z.string(),
    values: z.string(),
    question: z.string(),
    context_length: z.number().int(),
    num_kv_pairs: z.number().int().optional(),
    repeat_number: z.number().int().optional(),
    needle_depth: z.string().optional(),
    num_needles: z.number().int().optional(),
    needle_placement: z.string().optional(),
    conditional_character: z.string().optional(),
    thread_length: z.number().int().optional(),
    thread_direction: z.string().optional(),
    num_threads: z.number().int().optional(),
  })
  .passthrough();
export type NThreadRecord = z.infer<typeof NThreadRecordSchema>;

/** The archive of every split (README: `resolve/main/json_data.zip`). */
export const JSON_DATA_ZIP: RemoteFile = { source: "huggingface", repo: HF_REPO, repoType: "dataset", revision: "main", path: "json_data.zip" };
/** The member of the archive holding a task's records. */
export const zipMember = (task: NThreadTask): string => `json_data/${DATA_NAMES[task]}.json`;

/** A task's records on the hub: its member of json_data.zip. */
export const remoteFile = (task: NThreadTask): DataFile => hfFile(HF_REPO, JSON_DATA_ZIP.path, { revision: "main", member: zipMember(task), format: "json-records" });

/**
 * Where a task's records are looked for under `--data-dir`: the README's `data/json_data/` layout
 * first, then `json_data/`, the bare file, and the archive itself.
 */
export function localCandidates(task: NThreadTask): LocalFile[] {
  const file = `${DATA_NAMES[task]}.json`;
  return [
    ...[`data/json_data/${file}`, `json_data/${file}`, file].map((path) => ({ path, format: "json-records" as const })),
    { path: "json_data.zip", member: zipMember(task), format: "json-records" as const },
  ];
}

const META_FIELDS = [
  "context_length", "num_kv_pairs", "repeat_number", "needle_depth", "num_needles", "needle_placement",
  "conditional_character", "thread_length", "thread_direction", "num_threads",
] as const;

/**
 * A record as a sample body: the prompt fields (`haystack`, `question`), the answer (`values`) as the
 * reference, the question id and the grid coordinates (context length in characters, depth, …) as meta.
 */
export function toSample(record: NThreadRecord): SampleBody {
  const meta: JsonObject = { id: record.id };
  for (const f of META_FIELDS) {
    const v = record[f];
    if (v !== undefined) meta[f] = v;
  }
  return {
    input: { haystack: record.haystack, question: record.question },
    references: [record.values],
    scoring: { keys: record.keys },
    meta,
  };
}
