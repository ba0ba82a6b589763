/**
 * L-CiteEval's data: Hugging Face dataset `Jonaszky123/L-CiteEval`, one JSON list per experiment and
 * dataset: `L-CiteEval-Data/<task>.json`, `L-CiteEval-Length/<task>.json`,
 * `L-CiteEval-Hardness/<task>.json`. Records: `{"id", "question", "answer", "docs", "length",
 * "hardness"?, "role"? (dialsim)}` (readme "Data Prepare"). The eval scripts read them as
 * `data/L-CiteEval/<exp>/<task>.json`; the inference configs as `data/L-CiteEval/L-CiteEval-Data/<task>.json`.
 */
import { z } from "zod";
import type { JsonObject, RemoteFile, Sample } from "@loomscope/spec";
import { bucketOf, type Experiment, type TaskRow } from "./tasks.js";
import { templateValues, type Doc } from "./prompt.js";

export const HF_REPO = "Jonaszky123/L-CiteEval";
/** A revision of the dataset repository known to hold the three folders (as other projects pin it). */
export const HF_REVISION = "c79c928529593f478e6573c969cf73d22f0cf0f9";
export const EXPERIMENT_FOLDER: Readonly<Record<Experiment, string>> = {
  "l-citeeval": "L-CiteEval-Data",
  "l-citeeval-length": "L-CiteEval-Length",
  "l-citeeval-hardness": "L-CiteEval-Hardness",
};

export function remoteFile(task: TaskRow): RemoteFile {
  return { source: "huggingface", repo: HF_REPO, repoType: "dataset", revision: HF_REVISION, path: `${EXPERIMENT_FOLDER[task.experiment]}/${task.dataset}.json` };
}

/** Under `--data-dir`: the HF layout, the eval scripts' layout, the inference configs' layout. */
export function localCandidates(task: TaskRow): string[] {
  const folder = EXPERIMENT_FOLDER[task.experiment];
  return [`${folder}/${task.dataset}.json`, `L-CiteEval/${task.experiment}/${task.dataset}.json`, `L-CiteEval/${folder}/${task.dataset}.json`, `data/L-CiteEval/${task.experiment}/${task.dataset}.json`];
}

const DocSchema = z.union([z.string(), z.object({ text: z.string(), title: z.string().optional() }).passthrough()]);

/** One record. Unknown fields are kept. */
export const LCiteEvalRecordSchema = z
  .object({
    id: z.union([z.number(), z.string()]),
    question: z.string().nullable().optional(),
    answer: z.union([z.string(), z.number(), z.array(z.union([z.string(), z.number()]))]),
    docs: z.array(DocSchema),
    length: z.number(),
    hardness: z.string().optional(),
    role: z.string().optional(),
  })
  .passthrough();
export type LCiteEvalRecord = z.infer<typeof LCiteEvalRecordSchema>;

/**
 * A record as a sample: id `<task>-<id>` (the official `id` field), length the eval scripts'
 * bucket (undefined when the record falls in none: those records count in eval_correct.py's "all"
 * denominator only), the prompt fields of `promptTemplate`, and what the scorers need.
 */
export function toSample(record: LCiteEvalRecord, task: TaskRow): Sample {
  const bucket = bucketOf(task.experiment, task.dataset, record.length, record.hardness);
  const values = templateValues(task.dataset, { question: record.question ?? null, docs: record.docs as Doc[], ...(record.role !== undefined ? { role: record.role } : {}) });
  const references = Array.isArray(record.answer) ? record.answer.map(String) : [String(record.answer)];
  const meta: JsonObject = { length: record.length };
  if (record.hardness !== undefined) meta["hardness"] = record.hardness;
  return {
    id: `${task.id}-${record.id}`,
    task: task.id,
    ...(bucket !== null ? { length: bucket } : {}),
    input: values,
    references,
    // The raw question too: LOOM-Scope's prompt uses it as the record has it (the official prompt's is in `input`).
    scoring: { id: record.id, answer: record.answer as JsonObject[keyof JsonObject], docs: record.docs as JsonObject[keyof JsonObject], question: record.question ?? null },
    meta,
  };
}
