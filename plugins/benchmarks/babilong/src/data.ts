/**
 * BABILong's evaluation data.
 *
 * - RMT-team/babilong (100 samples per task and length): `data/<task>/<length>.json`, each one JSON
 *   array of `{"input", "question", "target"}` as data/create_tasks.py writes it
 *   (`json.dump([{'input': …, 'question': …, 'target': …}, …])`, ASCII-escaped, one line). The 1M
 *   files are ~400 MB and the 10M ones ~4 GB: the kit streams the array element by element
 *   (`format: "json-records"`, which also reads a JSON Lines export).
 * - RMT-team/babilong-1k-samples (1000 / 999 samples): parquet, `<length>/<task>-00000-of-00001.parquet`,
 *   columns `question`, `target`, `input`, read one row group at a time.
 * The official script reads either through `datasets.load_dataset(dataset_name, length)[task]`, in file
 * order. Sample ids are `<task>_<length>-<index>`, the 0-based position of the record in its file.
 */
import { z } from "zod";
import { hfFile, type DataFile, type LocalFile, type SampleBody } from "@loomscope/benchmark-kit";
import { pyStrip } from "@loomscope/metrics";
import { LoomError, type JsonObject } from "@loomscope/spec";
import { DATASETS, isTask, type BabilongTask, type DatasetId } from "./tasks.js";

/** One record of either dataset. Unknown fields are kept. */
export const BabilongRecordSchema = z
  .object({
    input: z.string(),
    question: z.string(),
    target: z.string(),
  })
  .passthrough();
export type BabilongRecord = z.infer<typeof BabilongRecordSchema>;

/** Where a task and length lie in the dataset's hub repository. */
export function hubPath(dataset: DatasetId, task: BabilongTask, length: string): string {
  return dataset === "babilong" ? `data/${task}/${length}.json` : `${length}/${task}-00000-of-00001.parquet`;
}

/** The file of a task and length on the hub, as the kit reads it. */
export function remoteFile(dataset: DatasetId, task: BabilongTask, length: string): DataFile {
  return dataset === "babilong"
    ? hfFile(DATASETS[dataset].repo, hubPath(dataset, task, length), { revision: "main", format: "json-records" })
    : hfFile(DATASETS[dataset].repo, hubPath(dataset, task, length), { revision: "main", format: "parquet" });
}

/**
 * Where a task and length are looked for under `--data-dir`, in this order. RMT-team/babilong: the
 * hub layout (`data/<task>/<length>.json`, also under `RMT-team/babilong/`), then create_tasks.py's
 * output folder (`generated_tasks/<task>/<length>.json`, or `<task>/<length>.json`); a JSON array
 * or JSON Lines. RMT-team/babilong-1k-samples: its hub layout, bare or under its repository name.
 */
export function localCandidates(task: BabilongTask, length: string, dataset: DatasetId = "babilong"): LocalFile[] {
  if (dataset === "babilong-1k-samples") {
    const path = hubPath(dataset, task, length);
    return [path, `${DATASETS[dataset].repo}/${path}`].map((p) => ({ path: p, format: "parquet" as const }));
  }
  const file = `${task}/${length}.json`;
  return [`data/${file}`, `RMT-team/babilong/data/${file}`, `generated_tasks/${file}`, file].map((p) => ({ path: p, format: "json-records" as const }));
}

/**
 * Records per task and length, where the dataset card states them: every file of RMT-team/babilong
 * holds 100; babilong-1k-samples' README gives 1000 for qa1 and qa6–qa10 and 999 for the others at
 * 0k, and 1000 / 999 for qa1 / qa2–qa5 at 16k and 128k (its 1k config has 4.86k rows in all, split unknown).
 */
export function officialCount(dataset: DatasetId, task: BabilongTask, length: string): number | undefined {
  if (!DATASETS[dataset].lengths[task].includes(length)) return undefined;
  if (dataset === "babilong") return 100;
  const n = Number(task.slice(2));
  if (length === "0k") return n === 1 || (n >= 6 && n <= 10) ? 1000 : 999;
  if (length === "16k" || length === "128k") return n === 1 ? 1000 : 999;
  return undefined;
}

/**
 * A record as a sample body: the context (stripped, as get_formatted_input strips it) and the
 * question for the prompt hook, which adds the switched instruction / examples / post-prompt; the
 * target is the reference, the question goes to `scoring` (compare_answers ignores labels it names).
 */
export function toSample(record: BabilongRecord, where: { dataset: DatasetId; index: number }): SampleBody {
  const meta: JsonObject = { dataset: DATASETS[where.dataset].repo, index: where.index };
  return {
    input: { context: pyStrip(record.input), question: record.question },
    references: [record.target],
    scoring: { question: record.question },
    meta,
  };
}

/** Parse a sample id back into task, length and index. */
export function parseSampleId(id: string): { task: BabilongTask; length: string; index: number } {
  const m = /^(qa\d+)_([0-9]+[kM])-(\d+)$/.exec(id);
  if (!m || !isTask(m[1] as string)) throw new LoomError("BAD_SAMPLE_ID", `not a babilong sample id: "${id}"`);
  return { task: m[1] as BabilongTask, length: m[2] as string, index: Number(m[3]) };
}
