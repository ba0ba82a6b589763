/**
 * CLongEval's data: Hugging Face dataset zexuanqiu22/CLongEval (README: download and put into
 * `data/`), read by inference.py as `data/<n-m>_<dataset>/<size>.jsonl` (config/dataset2path.json).
 */
import { z } from "zod";
import { pyFormat } from "@loomscope/metrics";
import type { Sample } from "@loomscope/spec";
import { DATASET_CONFIG } from "./config.js";
import { pyJsonStr } from "@loomscope/metrics";
import type { ClongevalDataset } from "./metrics.js";

export const HF_REPO = "zexuanqiu22/CLongEval";
export const HF_REVISION = "main";

/** `<n-m>_<dataset>/<size>.jsonl`, the layout of config/dataset2path.json under `data/`. */
export function dataPath(dataset: ClongevalDataset, size: string): string {
  const row = DATASET_CONFIG.find((r) => r[0] === dataset);
  if (!row) throw new RangeError(`unknown CLongEval dataset "${dataset}"`);
  return `${row[3]}/${size}.jsonl`;
}

/** `--data-dir` layouts: the official `data/` folder's content, with or without `data/` / `CLongEval/`. */
export function localCandidates(dataset: ClongevalDataset, size: string): string[] {
  const p = dataPath(dataset, size);
  return [p, `data/${p}`, `CLongEval/${p}`];
}

/** One line of a data file (inference.py reads id, context, query, answer). */
export const ClongevalRecordSchema = z
  .object({
    id: z.union([z.string(), z.number()]),
    context: z.string(),
    query: z.string(),
    answer: z.union([z.string(), z.number()]),
  })
  .passthrough();
export type ClongevalRecord = z.infer<typeof ClongevalRecordSchema>;

/**
 * The official prompt: `prompt.format(context)` when the record has no (or an empty) query,
 * else `prompt.format(context, query)` — so a two-slot prompt with an empty query raises
 * IndexError in inference.py, and a one-slot prompt ignores a query. Sample ids are the record's
 * own `id` (inference.py keys resumption on it).
 */
export function officialPrompt(prompt: string, record: ClongevalRecord): string {
  const slots = prompt.split("{}").length - 1;
  const args = record.query.length === 0 ? [record.context] : [record.context, record.query];
  if (slots > args.length) throw new RangeError(`IndexError: Replacement index ${args.length} out of range for positional args tuple (record ${record.id})`);
  let i = 0;
  return prompt.replace(/\{\}/g, () => args[i++] as string);
}

export function toSample(record: ClongevalRecord, options: { task: ClongevalDataset; length: string; index: number }): Sample {
  const row = DATASET_CONFIG.find((r) => r[0] === options.task);
  if (!row) throw new RangeError(`unknown CLongEval dataset "${options.task}"`);
  // Raise where inference.py would (a two-slot prompt and an empty query).
  officialPrompt(row[1], record);
  return {
    id: String(record.id),
    task: options.task,
    length: options.length,
    input: { context: record.context, query: record.query },
    references: [pyJsonStr(record.answer)],
    scoring: { answer: record.answer },
    meta: { index: options.index },
  };
}

/** The template of a task row filled with a sample's fields (equals `officialPrompt`). */
export function formatPrompt(template: string, sample: Sample): string {
  return pyFormat(template, sample.input);
}
