/**
 * @loomscope/benchmark-ada-leval: Ada-LEval (github.com/open-compass/Ada-LEval, arXiv 2404.06480)
 * on the benchmark kit: BestAnswer (stackselect) and TSort (textsort) at 1k–128k, the prompts, item
 * counts, answer extraction and accuracy of dataset.py, and `loom score` over run.py's pickled
 * predictions (read by a safe pickle reader) into result.json. Both protocols: `official` and
 * `loom` (LOOM-Scope 0.1).
 */
import { defineDatasetBenchmark, defineTasks, type DataFile, type LocalFile } from "@loomscope/benchmark-kit";
import { StackSelectRecordSchema, TextSortRecordSchema, officialDataPath, officialIndex, toSample, type StackSelectRecord, type TextSortRecord } from "./data.js";
import { TASKS, sampleCount, type AdaTask } from "./tasks.js";
import { aggregateAdaLeval, aggregateAdaLevalLoom } from "./aggregate.js";
import { scoreOfficial } from "./official.js";
import { z } from "zod";

/** fetch_data.sh downloads every data file from here. */
export const OFFICIAL_DATA_URL = "http://opencompass.openxlab.space/utils/AdaLEval";

export const ADA_LEVAL_TASKS = defineTasks(TASKS);

/** The data file of a (task, setting) at a base URL (fetch_data.sh's `<base>/<task>_<setting>.json`). */
export function dataFile(task: AdaTask, setting: string, base: string = OFFICIAL_DATA_URL): DataFile {
  const name = `${task}_${setting}.json`;
  return { file: { source: "url", url: `${base.replace(/\/+$/, "")}/${name}`, path: officialDataPath(task, setting) }, format: "json" };
}

/** `--data-dir` layouts: fetch_data.sh's `data/<name>.json` (a JSON list), and LOOM-Scope's `<name>.jsonl`. */
function localLayouts(task: AdaTask, setting: string, protocol: "official" | "loom"): LocalFile[] {
  const name = `${task}_${setting}`;
  const official: LocalFile[] = [officialDataPath(task, setting), `${name}.json`, `Ada-LEval/data/${name}.json`].map((path) => ({ path, format: "json" }));
  const loom: LocalFile[] = [`${name}.jsonl`, `Ada_LEval/${name}.jsonl`].map((path) => ({ path, format: "jsonl" }));
  return protocol === "loom" ? [...loom, ...official] : [...official, ...loom];
}

/**
 * Either task's record, checked against the schema of the task its fields name (a TextSort row has
 * `book_id` / `para_offset`), so a malformed row's data issue names what is wrong with it.
 */
export const AdaRecordSchema = z.custom<StackSelectRecord | TextSortRecord>((v) => typeof v === "object" && v !== null && !Array.isArray(v), "a record is a JSON object").superRefine((value, ctx) => {
  const row = value as Record<string, unknown>;
  const schema = "book_id" in row || "para_offset" in row ? TextSortRecordSchema : StackSelectRecordSchema;
  const result = schema.safeParse(value);
  if (!result.success) for (const issue of result.error.issues) ctx.addIssue({ code: "custom", message: issue.message, path: issue.path as PropertyKey[] });
});

const adaLeval = defineDatasetBenchmark({
  id: "ada-leval",
  version: "0.2.0",
  capability: "reasoning",
  description:
    "Ada-LEval: BestAnswer (pick the accepted Stack Overflow answer among many) and TSort (order four book segments) at 1k-128k tokens, answers extracted and scored as dataset.py does.",
  tasks: ADA_LEVAL_TASKS,
  protocols: ["official", "loom"],
  options: {
    subset: {
      type: "string",
      values: ["normal", "api"],
      default: "normal",
      description:
        "dataset.py's item count per data file: normal (open-source models: the first 1000 items below 32k, 200 from 32k) or api (API models: 200 and 50); --protocol loom uses every item of the file",
    },
    dataUrl: {
      type: "string",
      default: OFFICIAL_DATA_URL,
      description: "where the data files are downloaded from (fetch_data.sh's base URL; a mirror of it)",
    },
  },
  // An API failure is stored as the text "Failed to obtain answer via API. " and scored like any
  // answer: wrong, as an empty prediction is (no A<k>, no permutation of 1234).
  failedSamples: "score-empty",
  source: {
    remote: ({ task, length, options }) => dataFile(task.id as AdaTask, length!, options.dataUrl),
    local: ({ task, length, protocol }) => localLayouts(task.id as AdaTask, length!, protocol),
    count: ({ length, options, protocol }) => (protocol === "loom" ? undefined : sampleCount(length!, options.subset === "api" ? "less" : "normal")),
  },
  record: AdaRecordSchema,
  // dataset.py keeps the first `sampleCount` items of the file (LOOM-Scope: all of them).
  filter: (_record, row) => row.protocol === "loom" || row.index < sampleCount(row.length!, row.options.subset === "api" ? "less" : "normal"),
  // run.py's index (the key of its prediction pickle).
  sampleId: (record, row) => `${row.task.id}_${row.length}-${officialIndex(row.task.id as AdaTask, record as Record<string, string | number>)}`,
  toSample: (record, row) => {
    const sample = toSample(record as StackSelectRecord | TextSortRecord, { task: row.task.id as AdaTask, length: row.length!, index: row.index, protocol: row.protocol });
    return { ...sample, meta: { ...sample.meta, line: row.line } };
  },
  aggregate: (cells, { protocol }) => (protocol === "loom" ? aggregateAdaLevalLoom(cells) : aggregateAdaLeval(cells)),
  scoreOfficial,
});

export default adaLeval;
export {
  ADA_TASKS,
  GENERATION,
  LENGTHS,
  SETTINGS,
  STACKSELECT_META_PROMPT,
  STACKSELECT_TAIL,
  STACKSELECT_TEMPLATE,
  TASKS,
  TEXTSORT_TEMPLATE,
  TRUNCATION,
  isUltraLong,
  sampleCount,
  type AdaTask,
  type TaskRow,
} from "./tasks.js";
export {
  StackSelectRecordSchema,
  TextSortRecordSchema,
  dataDirLayouts,
  officialDataPath,
  officialIndex,
  stackselectAnswersBlock,
  toSample,
  type StackSelectRecord,
  type TextSortRecord,
  type ToSampleOptions,
} from "./data.js";
export {
  PERMUTATIONS_1234,
  bestAnswerAccuracy,
  extractBestAnswer,
  extractTsort,
  isSubseq,
  tsortAccuracy,
  tsortAnswerText,
  tsortHitLoom,
  tsortHitOfficial,
  tsortReference,
} from "./metrics.js";
export { aggregateAdaLeval, aggregateAdaLevalLoom, datasetAccuracy } from "./aggregate.js";
export { API_MODELS, evaluateDataset, loadPredictions, scoreOfficial } from "./official.js";
export { PyTuple, UnpicklingError, unpickle, type PickleValue } from "./pickle.js";
