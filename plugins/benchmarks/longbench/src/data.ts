/**
 * LongBench's official data: the Hugging Face dataset THUDM/LongBench, whose `data.zip` holds
 * `data/<dataset>.jsonl` (21 datasets) and `data/<dataset>_e.jsonl` (13 LongBench-E datasets).
 * pred.py reads it with `load_dataset('THUDM/LongBench', name, split='test')`; the dataset's
 * loading script (LongBench.py in the HF repo) reads exactly those files, one JSON object per line,
 * keyed `<config>-<line index>`.
 */
import { z } from "zod";
import type { JsonObject, Protocol, Sample } from "@loomscope/spec";
import { E_DATASETS, eBucket, isDataset, isEDataset, type Dataset, type EDataset } from "./config.js";

/** Hugging Face dataset repo and the revision whose `data.zip` we read ("Upload data.zip", 2023-08-29; unchanged since). */
export const HF_REPO = "THUDM/LongBench";
export const HF_REVISION = "4a90f81c8db79f60c15f77dcd207a1099038c775";
export const DATA_ZIP = "data.zip";

/** A task id: a dataset (`qasper`) or a LongBench-E dataset (`qasper_e`). */
export type TaskId = Dataset | `${EDataset}_e`;

export function parseTask(task: string): { dataset: Dataset; e: boolean } | undefined {
  if (task.endsWith("_e")) {
    const base = task.slice(0, -2);
    return isEDataset(base) ? { dataset: base, e: true } : undefined;
  }
  return isDataset(task) ? { dataset: task, e: false } : undefined;
}

/** The jsonl file of a task inside data.zip (and under `--data-dir`). */
export function zipMember(task: TaskId): string {
  return `data/${task}.jsonl`;
}

/** Where a task's records are looked for under `--data-dir`, in this order (the unzipped data.zip first). */
export function localCandidates(task: TaskId): string[] {
  return [`data/${task}.jsonl`, `${task}.jsonl`, `LongBench/data/${task}.jsonl`];
}

/**
 * One line of a LongBench jsonl file (README "Data Format"; LongBench.py features: `length` int32,
 * `all_classes` a list of strings or null). Unknown fields are kept.
 */
export const LongBenchRecordSchema = z
  .object({
    input: z.string(),
    context: z.string(),
    answers: z.array(z.string()),
    length: z.number().int(),
    dataset: z.string(),
    language: z.string(),
    all_classes: z.array(z.string()).nullable(),
    _id: z.string(),
  })
  .passthrough();
export type LongBenchRecord = z.infer<typeof LongBenchRecordSchema>;

/** task.md "#Sample": records per dataset in the official data. */
export const OFFICIAL_COUNTS: Readonly<Record<Dataset, number>> = {
  narrativeqa: 200,
  qasper: 200,
  multifieldqa_en: 150,
  multifieldqa_zh: 200,
  hotpotqa: 200,
  "2wikimqa": 200,
  musique: 200,
  dureader: 200,
  gov_report: 200,
  qmsum: 200,
  multi_news: 200,
  vcsum: 200,
  trec: 200,
  triviaqa: 200,
  samsum: 200,
  lsht: 200,
  passage_count: 200,
  passage_retrieval_en: 200,
  passage_retrieval_zh: 200,
  lcc: 500,
  "repobench-p": 500,
};

/** All task ids: the 21 datasets, then the 13 LongBench-E ones. */
export const TASK_IDS: readonly TaskId[] = [
  ...(["narrativeqa", "qasper", "multifieldqa_en", "multifieldqa_zh", "hotpotqa", "2wikimqa", "musique",
    "dureader", "gov_report", "qmsum", "multi_news", "vcsum", "trec", "triviaqa", "samsum", "lsht",
    "passage_count", "passage_retrieval_en", "passage_retrieval_zh", "lcc", "repobench-p"] as const),
  ...E_DATASETS.map((d) => `${d}_e` as const),
];

export interface ToSampleOptions {
  task: TaskId;
  /** 0-based position of the record among the file's lines. */
  index: number;
  protocol?: Protocol;
  /** 1-based line number, recorded in meta. */
  line?: number;
}

/**
 * The sample pred.py builds from one record: the template fields are the record's own
 * (`prompt_format.format(**json_obj)` uses `context` and `input`), the references its `answers`,
 * and eval.py needs `all_classes` to score. Ids are the HF loader's keys, `<task>-<index>`.
 * LongBench-E samples carry their eval.py length bucket (`0-4k`, `4-8k`, `8k+`, from `length`).
 */
export function toSample(record: LongBenchRecord, options: ToSampleOptions): Sample {
  const parsed = parseTask(options.task);
  if (!parsed) throw new RangeError(`longbench has no task "${options.task}"`);
  const meta: JsonObject = {
    _id: record._id,
    length: record.length,
    language: record.language,
    dataset: record.dataset,
  };
  if (options.line !== undefined) meta["line"] = options.line;
  const sample: Sample = {
    id: `${options.task}-${options.index}`,
    task: options.task,
    input: { context: record.context, input: record.input },
    references: [...record.answers],
    scoring: { all_classes: record.all_classes === null ? null : [...record.all_classes], length: record.length },
    meta,
  };
  if (parsed.e) sample.length = eBucket(record.length);
  return sample;
}
