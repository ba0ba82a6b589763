/**
 * LongBench v2's official data: the Hugging Face dataset THUDM/LongBench-v2, one file `data.json`
 * (a JSON array of 503 records, 465 MB). pred.py loads it with
 * `load_dataset('THUDM/LongBench-v2', split='train')` (or `json.load(open('data.json'))`) and keeps
 * `_id, domain, sub_domain, difficulty, length, question, choice_A..D, answer, context`; it keys its
 * resume cache by `_id`, so sample ids are the records' `_id`.
 */
import { z } from "zod";
import type { JsonObject, Protocol, Sample } from "@loomscope/spec";

export const HF_REPO = "THUDM/LongBench-v2";
/** "Update README.md" (2b48e49), the current head; data.json is unchanged since its upload. */
export const HF_REVISION = "2b48e494f2c7a2f0af81aae178e05c7e1dde0fe9";
export const DATA_FILE = "data.json";

/** Where data.json is looked for under `--data-dir`. */
export const LOCAL_CANDIDATES = ["data.json", "LongBench-v2/data.json"];

export const LongBenchV2RecordSchema = z
  .object({
    _id: z.string(),
    domain: z.string(),
    sub_domain: z.string(),
    difficulty: z.enum(["easy", "hard"]),
    length: z.enum(["short", "medium", "long"]),
    question: z.string(),
    choice_A: z.string(),
    choice_B: z.string(),
    choice_C: z.string(),
    choice_D: z.string(),
    answer: z.enum(["A", "B", "C", "D"]),
    context: z.string(),
    /** Only in data prepared for `--rag` (LongCite's retrieve.py): chunks with their position. */
    retrieved_context: z.array(z.object({ c_idx: z.number(), content: z.string() }).passthrough()).optional(),
  })
  .passthrough();
export type LongBenchV2Record = z.infer<typeof LongBenchV2RecordSchema>;

/** The paper's / README's counts: 503 questions; easy 192, hard 311; short 180, medium 215, long 108. */
export const OFFICIAL_COUNTS = {
  total: 503,
  difficulty: { easy: 192, hard: 311 },
  length: { short: 180, medium: 215, long: 108 },
} as const;

export interface ToSampleOptions {
  task: string;
  index: number;
  protocol?: Protocol;
}

/**
 * One record as pred.py uses it: the template fields (unstripped; `renderPrompt` strips them as
 * pred.py does), the answer letter as the reference, the length category as the sample's length
 * level, difficulty and domain in meta for result.py's columns.
 */
export function toSample(record: LongBenchV2Record, options: ToSampleOptions): Sample {
  const meta: JsonObject = {
    index: options.index,
    domain: record.domain,
    sub_domain: record.sub_domain,
    difficulty: record.difficulty,
    length: record.length,
  };
  const scoring: JsonObject = { answer: record.answer, difficulty: record.difficulty };
  if (record.retrieved_context) {
    scoring["retrieved_chunks"] = record.retrieved_context.length;
  }
  const input: Record<string, string> = {
    context: record.context,
    question: record.question,
    choice_A: record.choice_A,
    choice_B: record.choice_B,
    choice_C: record.choice_C,
    choice_D: record.choice_D,
  };
  if (record.retrieved_context) input["retrieved_context"] = JSON.stringify(record.retrieved_context);
  return {
    id: record._id,
    task: options.task,
    length: record.length,
    input,
    references: [record.answer],
    scoring,
    meta,
  };
}
