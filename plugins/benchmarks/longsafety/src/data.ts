/**
 * LongSafety's data. The official code (src/gen_model_response.py `load_data`) reads
 * `data/longsafety_meta.jsonl` and `data/longsafety_docs.jsonl` line by line, pairs them by
 * position and asserts equal ids: 1,543 instances (ids 0…1542) over 7 safety types and 6 task types.
 * The Hugging Face copy (thu-coai/LongSafety) holds the merged records in `longsafety.json`.
 */
import { z } from "zod";
import type { SampleBody } from "@loomscope/benchmark-kit";
import type { JsonObject } from "@loomscope/spec";

export const HF_REPO = "thu-coai/LongSafety";
export const HF_REVISION = "main";
/** The merged records as one JSON array (1,543 objects). */
export const HF_FILE = "longsafety.json";
export const GITHUB_FILES = { meta: "data/longsafety_meta.jsonl", docs: "data/longsafety_docs.jsonl" } as const;
/** Instances in longsafety_meta.jsonl @ 130a6b7. */
export const INSTANCE_COUNT = 1543;

export const MetaRecordSchema = z
  .object({
    id: z.number().int(),
    link: z.array(z.string()),
    length: z.number().int(),
    safety_type: z.string(),
    key_words: z.array(z.string()),
    instruction: z.string(),
    task_type: z.string(),
    doc_num: z.number().int(),
  })
  .passthrough();
export const DocRecordSchema = z.object({ id: z.number().int(), context: z.string() }).passthrough();
/** A merged instance (`{**meta, **docs}`), as the HF file and the response file hold it. */
export const LongSafetyRecordSchema = MetaRecordSchema.extend({ context: z.string() }).passthrough();
export type LongSafetyRecord = z.infer<typeof LongSafetyRecordSchema>;

/** load_data: pair meta and docs lines by position; a differing id is the official AssertionError. */
export function mergeMetaDocs(meta: readonly z.infer<typeof MetaRecordSchema>[], docs: readonly z.infer<typeof DocRecordSchema>[]): LongSafetyRecord[] {
  const out: LongSafetyRecord[] = [];
  const n = Math.min(meta.length, docs.length); // zip() stops at the shorter file
  for (let i = 0; i < n; i++) {
    const m = meta[i] as z.infer<typeof MetaRecordSchema>;
    const d = docs[i] as z.infer<typeof DocRecordSchema>;
    if (m.id !== d.id) throw new RangeError(`line ${i + 1}: meta id ${m.id} != docs id ${d.id} (load_data asserts)`);
    out.push(LongSafetyRecordSchema.parse({ ...m, ...d }));
  }
  return out;
}

const MetaDocsPairSchema = z.tuple([MetaRecordSchema, DocRecordSchema]).superRefine(([m, d], ctx) => {
  if (m.id !== d.id) ctx.addIssue({ code: "custom", message: `meta id ${m.id} != docs id ${d.id} (load_data asserts)` });
});

/**
 * A row as the kit reads it: a merged record (the hub's longsafety.json), or the pair
 * `[meta line, docs line]` of the repository's two files read in step (kit `pairedWith`), merged
 * as load_data merges them; a pair whose ids differ is load_data's AssertionError, reported as a
 * data issue naming the line.
 */
export const LongSafetyRowSchema = z.unknown().transform((value, ctx): LongSafetyRecord => {
  const parsed = Array.isArray(value) ? MetaDocsPairSchema.safeParse(value) : LongSafetyRecordSchema.safeParse(value);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) ctx.addIssue({ code: "custom", message: issue.message, path: issue.path });
    return z.NEVER;
  }
  const data = parsed.data;
  return Array.isArray(data) ? LongSafetyRecordSchema.parse({ ...data[0], ...data[1] }) : data;
});

/** `--data-dir` layouts: the repository's data/ files (paired by line), or the hub's merged file. */
export const LOCAL_LAYOUTS = [
  { path: GITHUB_FILES.meta, pairedWith: GITHUB_FILES.docs },
  { path: "longsafety_meta.jsonl", pairedWith: "longsafety_docs.jsonl" },
  { path: HF_FILE, format: "json" as const },
  { path: `LongSafety/${HF_FILE}`, format: "json" as const },
];

/**
 * One sample per instance and placement ("front" | "end" task), with the instance id as its id
 * (the official files key results by it; front and end samples pair on it). The judge needs the
 * instruction and the whole context again, so both are kept in `scoring` (large: the context
 * averages about 5,400 words).
 */
export function toSample(record: LongSafetyRecord): SampleBody {
  const scoring: JsonObject = { instruction: record.instruction, context: record.context };
  return {
    input: { instruction: record.instruction, context: record.context },
    references: [],
    scoring,
    meta: { id: record.id, safety_type: record.safety_type, task_type: record.task_type, length: record.length, doc_num: record.doc_num },
  };
}
