/**
 * CLongEval's data: Hugging Face dataset zexuanqiu22/CLongEval (README: download and put into
 * `data/`), read by inference.py as `data/<n-m>_<dataset>/<size>.jsonl` (config/dataset2path.json).
 */
import { z } from "zod";
import { pyFormat } from "@loomscope/metrics";
import type { SampleBody } from "@loomscope/benchmark-kit";
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

/**
 * eval.py `get_prediction_answer` for stacked_typo_detection and every model but gpt4-turbo-128k:
 * the answer becomes `"，".join([a[0], a[2], a[0]])` of `answer.split("，")` — fields of the whole
 * multi-line answer; fewer than three fields is its IndexError.
 */
export function typoAnswerRewrite(answer: string, where = "answer"): string {
  const parts = answer.split("，");
  if (parts.length < 3) throw new RangeError(`${where}: the answer has fewer than 3 "，" fields (eval.py's typo answer rewrite raises IndexError)`);
  return [parts[0], parts[2], parts[0]].join("，");
}

/**
 * A record's sample: the prompt fields, the answer as eval.py scores it (rewritten for
 * stacked_typo_detection when `rewriteTypoAnswer`), and the record's own id. Raises where
 * inference.py would (a two-slot prompt and an empty query).
 */
export function toSample(record: ClongevalRecord, options: { task: ClongevalDataset; rewriteTypoAnswer?: boolean }): SampleBody {
  const row = DATASET_CONFIG.find((r) => r[0] === options.task);
  if (!row) throw new RangeError(`unknown CLongEval dataset "${options.task}"`);
  officialPrompt(row[1], record);
  const answer = pyJsonStr(record.answer);
  const reference = options.task === "stacked_typo_detection" && options.rewriteTypoAnswer ? typoAnswerRewrite(answer, `record ${String(record.id)}`) : answer;
  return {
    input: { context: record.context, query: record.query },
    references: [reference],
    scoring: { answer: record.answer },
    meta: { id: String(record.id) },
  };
}

/** The template of a task row filled with a sample's fields (equals `officialPrompt`). */
export function formatPrompt(template: string, sample: { input: Record<string, string> }): string {
  return pyFormat(template, sample.input);
}
