/**
 * BABILong's evaluation data.
 *
 * - RMT-team/babilong (100 samples per task and length): `data/<task>/<length>.json`, each one JSON
 *   array of `{"input", "question", "target"}` as data/create_tasks.py writes it
 *   (`json.dump([{'input': …, 'question': …, 'target': …}, …])`, ASCII-escaped, one line). The 1M
 *   files are ~400 MB and the 10M ones ~4 GB, so records are read one at a time from a stream.
 * - RMT-team/babilong-1k-samples (1000 / 999 samples): parquet, `<length>/<task>-00000-of-00001.parquet`,
 *   columns `question`, `target`, `input`. Reading parquet needs a reader core does not have yet.
 * The official script reads either through `datasets.load_dataset(dataset_name, length)[task]`, in file
 * order. Sample ids are `<task>_<length>-<index>`, the 0-based position of the record in its file.
 */
import { createReadStream } from "node:fs";
import { z } from "zod";
import { pyStrip } from "@loomscope/metrics";
import { jsonElements } from "@loomscope/benchmark-kit";
import { LoomError, type JsonObject, type RemoteFile, type Sample } from "@loomscope/spec";
import { promptConfig } from "./prompt.js";
import { DATASETS, DEFAULT_OPTIONS, isTask, type BabilongOptions, type BabilongTask, type DatasetId } from "./tasks.js";

/** One record of either dataset. Unknown fields are kept. */
export const BabilongRecordSchema = z
  .object({
    input: z.string(),
    question: z.string(),
    target: z.string(),
  })
  .passthrough();
export type BabilongRecord = z.infer<typeof BabilongRecordSchema>;

/** The file of a task and length on the hub. */
export function remoteFile(dataset: DatasetId, task: BabilongTask, length: string): RemoteFile {
  const repo = DATASETS[dataset].repo;
  return dataset === "babilong"
    ? { source: "huggingface", repo, repoType: "dataset", revision: "main", path: `data/${task}/${length}.json` }
    : { source: "huggingface", repo, repoType: "dataset", revision: "main", path: `${length}/${task}-00000-of-00001.parquet` };
}

/**
 * Where a task and length are looked for under `--data-dir`, in this order: the hub layout
 * (`data/<task>/<length>.json`, also under `RMT-team/babilong/`), and create_tasks.py's output
 * folder (`generated_tasks/<task>/<length>.json`, or `<task>/<length>.json`).
 */
export function localCandidates(task: BabilongTask, length: string): string[] {
  const file = `${task}/${length}.json`;
  return [`data/${file}`, `RMT-team/babilong/data/${file}`, `generated_tasks/${file}`, file];
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

export interface ToSampleContext {
  task: BabilongTask;
  length: string;
  index: number;
  protocol?: "official" | "loom";
  options?: Partial<BabilongOptions>;
}

/**
 * A record as a Sample: `input` holds DEFAULT_TEMPLATE's fields (instruction / examples / post_prompt
 * by the switches, the context stripped as get_formatted_input strips it, the question), the target
 * is the reference, the question goes to `scoring` (compare_answers ignores labels it names).
 */
export function toSample(record: BabilongRecord, ctx: ToSampleContext): Sample {
  const options = { ...DEFAULT_OPTIONS, ...ctx.options };
  const cfg = promptConfig(ctx.task, options);
  const meta: JsonObject = { dataset: DATASETS[options.dataset].repo, index: ctx.index };
  return {
    id: `${ctx.task}_${ctx.length}-${ctx.index}`,
    task: ctx.task,
    length: ctx.length,
    input: {
      instruction: cfg.instruction,
      examples: cfg.examples,
      post_prompt: cfg.post_prompt,
      context: pyStrip(record.input),
      question: record.question,
    },
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

/** A file's records, parsed and validated one at a time; `issue` is called for malformed ones. */
export async function* readRecords(
  path: string,
  issue: (index: number, message: string) => void,
): AsyncGenerator<{ index: number; record: BabilongRecord }> {
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
      const result = BabilongRecordSchema.safeParse(parsed);
      if (!result.success) {
        issue(
          current,
          result.error.issues
            .slice(0, 3)
            .map((i) => `${i.path.length > 0 ? i.path.join(".") : "record"}: ${i.message}`)
            .join("; "),
        );
        continue;
      }
      yield { index: current, record: result.data };
    }
  } finally {
    stream.destroy();
  }
}
