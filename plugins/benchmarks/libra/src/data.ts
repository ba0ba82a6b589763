/**
 * LIBRA's data: the Hugging Face dataset ai-forever/LIBRA, one config per dataset, split "test",
 * loaded by evaluation/dataset_loader.py as `load_dataset("ai-forever/LIBRA", name)["test"]`.
 * On the hub each config is one parquet file, `<dataset>/test-00000-of-00001.parquet`, whose rows
 * hold every length of that dataset; predict.py keeps the rows whose `length` is among the model
 * config's `context_lengths`, in file order.
 */
import { z } from "zod";
import type { JsonObject, Protocol, Sample } from "@loomscope/spec";
import { configLengths } from "./tasks.js";

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
 * (`<dataset>.jsonl`, e.g. `datasets.load_dataset(...).to_json(...)`).
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
 * of that length, in file order (the order predict.py generates them in).
 */
export function sampleId(dataset: string, length: string, index: number): string {
  return `${dataset}_${length}-${index}`;
}

/**
 * The prompt fields the official code fills. answer_generator.py builds the prompt with
 * `instruction.replace("{context}", context).replace("{input}", input)`: an "{input}" inside the
 * context is replaced by the question too. Substituting it here makes str.format of the template
 * give exactly the official prompt.
 */
export function toSample(
  record: LibraRecord,
  options: { task: string; length: string; index: number; protocol?: Protocol },
): Sample {
  const known = configLengths(options.task);
  if (!known.includes(record.length)) {
    throw new RangeError(`${options.task}: row length "${record.length}" is not one of ${known.join(", ")}`);
  }
  if (record.length !== options.length) {
    throw new RangeError(`${options.task}: row length "${record.length}" read for length "${options.length}"`);
  }
  const scoring: JsonObject = { negative_outputs: record.negative_outputs };
  return {
    id: sampleId(options.task, options.length, options.index),
    task: options.task,
    length: options.length,
    input: { context: record.context.split("{input}").join(record.input), input: record.input },
    references: [...record.positive_outputs],
    scoring,
    meta: { context_chars: record.context.length },
  };
}
