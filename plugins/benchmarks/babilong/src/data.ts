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

/**
 * The top-level values of a JSON text, one at a time, without holding the whole text: the elements
 * of a top-level array (create_tasks.py's layout), or a sequence of top-level values (JSON Lines).
 * Each yielded text is one complete JSON value (still to be parsed).
 */
export async function* jsonValues(chunks: AsyncIterable<string>): AsyncGenerator<string> {
  let arrayMode: boolean | undefined;
  let depth = 0; // container depth inside the current value
  let inValue = false;
  let scalar = false; // the current value is a number / true / false / null
  let inString = false;
  let escaped = false;
  let parts: string[] = [];
  let start = -1; // where the current value starts in the current chunk (0 after a chunk boundary)
  const isSpace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
  let closed = false;
  for await (const chunk of chunks) {
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (inValue) {
        if (inString) {
          if (escaped) escaped = false;
          else if (c === 0x5c) escaped = true;
          else if (c === 0x22) inString = false;
          else continue;
          if (inString || depth > 0) continue;
          // a top-level string value just closed
        } else if (scalar) {
          if (!(isSpace(c) || c === 0x2c || c === 0x5d)) continue;
          parts.push(chunk.slice(start, i));
          inValue = false;
          start = -1;
          yield parts.join("");
          parts = [];
          if (c === 0x5d && arrayMode) closed = true;
          continue;
        } else if (c === 0x22) {
          inString = true;
          continue;
        } else if (c === 0x7b || c === 0x5b) {
          depth++;
          continue;
        } else if (c === 0x7d || c === 0x5d) {
          depth--;
          if (depth > 0) continue;
        } else continue;
        parts.push(chunk.slice(start, i + 1));
        inValue = false;
        start = -1;
        yield parts.join("");
        parts = [];
        continue;
      }
      if (isSpace(c)) continue;
      if (closed) throw new SyntaxError("unexpected data after the top-level array");
      if (arrayMode === undefined) {
        arrayMode = c === 0x5b;
        if (arrayMode) continue;
      }
      if (c === 0x2c) continue; // ',' between values
      if (arrayMode && c === 0x5d) {
        closed = true;
        continue;
      }
      inValue = true;
      start = i;
      parts = [];
      scalar = !(c === 0x7b || c === 0x5b || c === 0x22);
      inString = c === 0x22;
      depth = c === 0x7b || c === 0x5b ? 1 : 0;
    }
    if (inValue) {
      parts.push(chunk.slice(start));
      start = 0;
    }
  }
  if (inValue && scalar) {
    yield parts.join("");
    inValue = false;
  }
  if (inValue || (arrayMode === true && !closed)) throw new SyntaxError("unexpected end of JSON data");
}

/** A file's records, parsed and validated one at a time; `issue` is called for malformed ones. */
export async function* readRecords(
  path: string,
  issue: (index: number, message: string) => void,
): AsyncGenerator<{ index: number; record: BabilongRecord }> {
  const stream = createReadStream(path, { encoding: "utf8", highWaterMark: 1 << 20 });
  let index = 0;
  try {
    for await (const text of jsonValues(stream as AsyncIterable<string>)) {
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
