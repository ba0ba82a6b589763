/**
 * LIBRA's data: the Hugging Face dataset ai-forever/LIBRA, one config per dataset, split "test",
 * loaded by evaluation/dataset_loader.py as `load_dataset("ai-forever/LIBRA", name)["test"]`.
 * On the hub each config is one parquet file, `<dataset>/test-00000-of-00001.parquet`, whose rows
 * hold every length of that dataset; predict.py keeps the rows whose `length` is among the model
 * config's `context_lengths`, in file order.
 */
import { z } from "zod";
import type { SampleBody } from "@loomscope/benchmark-kit";
import type { JsonObject } from "@loomscope/spec";

export const HF_REPO = "ai-forever/LIBRA";
/** The hub branch the official code loads (load_dataset without a revision). */
export const HF_REVISION = "main";

/** The parquet file holding every row of one dataset. */
export function remotePath(dataset: string): string {
  return `${dataset}/test-00000-of-00001.parquet`;
}

/**
 * Layouts under `--data-dir`, first match wins: the hub layout (`<dataset>/test-00000-of-00001.parquet`)
 * under the data dir or under `LIBRA/`, and a JSON-lines export of the same rows
 * (`<dataset>.jsonl`, e.g. `datasets.load_dataset(...)["test"].to_json(...)`).
 */
export function localCandidates(dataset: string): string[] {
  return [remotePath(dataset), `LIBRA/${remotePath(dataset)}`, `${dataset}.jsonl`, `LIBRA/${dataset}.jsonl`];
}

/** One row of a LIBRA dataset (the fields answer_generator.py reads; others kept). */
export const LibraRecordSchema = z
  .object({
    context: z.string(),
    input: z.string(),
    length: z.string(),
    positive_outputs: z.array(z.string()),
    negative_outputs: z.array(z.string()),
  })
  .passthrough();
export type LibraRecord = z.infer<typeof LibraRecordSchema>;

/**
 * Sample id: `<dataset>_<length>-<n>`, n the 0-based position of the row among the dataset's rows
 * of that length, in file order (the order predict.py generates them in). The kit's default id.
 */
export function sampleId(dataset: string, length: string, index: number): string {
  return `${dataset}_${length}-${index}`;
}

/**
 * answer_generator.py's prompt text: `instruction.replace("{context}", context).replace("{input}", input)`.
 * The task rows reproduce it with the kit's `replacements`; this is the reference for tests.
 */
export function officialPrompt(instruction: string, record: Pick<LibraRecord, "context" | "input">): string {
  return instruction.split("{context}").join(record.context).split("{input}").join(record.input);
}

/** The sample of a row: the prompt fields as they are (the replace chain runs in core), the scorer's outputs. */
export function toSample(record: LibraRecord): SampleBody {
  const scoring: JsonObject = { negative_outputs: record.negative_outputs };
  return {
    input: { context: record.context, input: record.input },
    references: [...record.positive_outputs],
    scoring,
    meta: { context_chars: record.context.length },
  };
}
