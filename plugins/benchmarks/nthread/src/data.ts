/**
 * Needle Threading's data (Hugging Face jonathan-roberts1/needle-threading; README "Data").
 *
 * - `json_data.zip` at the repository root (README "Option 2: Manual download"), holding
 *   `json_data/{Single_Needle,Multiple_Needles,Conditional_Needles,Single_Threads,Multi_Threads}.json`;
 * - the same splits as parquet for `load_dataset(..., split=…)` (not readable here: no parquet reader).
 * Records (dataset card `dataset_info.features`): `id` int, `haystack` (a JSON object of UUID
 * key-value pairs, as text), `keys`, `values` (str; the Python repr of a list for the multi-value
 * tasks), `question`, `context_length` (characters), `num_kv_pairs`, `repeat_number`, `needle_depth`
 * (str), `num_needles`, `needle_placement`, `conditional_character`, `thread_length`,
 * `thread_direction`, `num_threads`.
 * Sample ids are `<task>-<id>`: the README keys its results by `Question_ID` = `item['id']`.
 */
import { createReadStream } from "node:fs";
import { z } from "zod";
import { jsonElements } from "@loomscope/benchmark-kit";
import type { JsonObject, RemoteFile, Sample } from "@loomscope/spec";
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

/** Where a task's records are looked for under `--data-dir` (the README's `data/json_data/` layout first). */
export function localCandidates(task: NThreadTask): string[] {
  const file = `${DATA_NAMES[task]}.json`;
  return [`data/json_data/${file}`, `json_data/${file}`, file];
}

const META_FIELDS = [
  "context_length", "num_kv_pairs", "repeat_number", "needle_depth", "num_needles", "needle_placement",
  "conditional_character", "thread_length", "thread_direction", "num_threads",
] as const;

/**
 * A record as a Sample: the prompt fields (`haystack`, `question`), the answer (`values`) as the
 * reference, the length level its `context_length` in characters, the grid coordinates as meta.
 */
export function toSample(record: NThreadRecord, ctx: { task: NThreadTask }): Sample {
  const meta: JsonObject = { id: record.id };
  for (const f of META_FIELDS) {
    const v = record[f];
    if (v !== undefined) meta[f] = v;
  }
  return {
    id: `${ctx.task}-${record.id}`,
    task: ctx.task,
    length: String(record.context_length),
    input: { haystack: record.haystack, question: record.question },
    references: [record.values],
    scoring: { keys: record.keys },
    meta,
  };
}

/** A file's records (a JSON array or JSON Lines), validated one at a time. */
export async function* readRecords(
  path: string,
  issue: (index: number, message: string) => void,
): AsyncGenerator<{ index: number; record: NThreadRecord }> {
  const stream = createReadStream(path, { encoding: "utf8", highWaterMark: 1 << 20 });
  let index = 0;
  try {
    for await (const { text } of jsonElements(stream as AsyncIterable<string>, { sequence: true })) {
      const current = index++;
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (e) {
        issue(current, `invalid JSON: ${(e as Error).message}`);
        continue;
      }
      const result = NThreadRecordSchema.safeParse(parsed);
      if (!result.success) {
        issue(current, result.error.issues.slice(0, 3).map((i) => `${i.path.join(".") || "record"}: ${i.message}`).join("; "));
        continue;
      }
      yield { index: current, record: result.data };
    }
  } finally {
    stream.destroy();
  }
}
