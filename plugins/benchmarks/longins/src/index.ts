/**
 * @loomscope/benchmark-longins: LongIns (github.com/Ins-Bench/LongIns-Bench, arXiv 2406.17588)
 * on the benchmark kit: the GIST and LIST settings at 256–16384 tokens, their prompts, generation
 * settings, data layouts, F1 over wrongly answered question numbers, and eval.py's f1.json. Both
 * protocols: `official` (the repository) and `loom` (LOOM-Scope 0.1's LongIns).
 */
import { pyJsonLoads, pyJsonToJson } from "@loomscope/metrics";
import { defineDatasetBenchmark, defineTasks, hfFile, rowId, type LocalFile } from "@loomscope/benchmark-kit";
import { LOOM_HF, LonginsRecordSchema, loomDataPath, officialDataPath, toSample } from "./data.js";
import { TASKS, type Mode } from "./tasks.js";
import { aggregateLongins, aggregateLonginsLoom } from "./aggregate.js";
import { scoreOfficial } from "./official.js";

/** Both LongIns settings, each at every README length; prompts, limits and truncation per protocol. */
export const LONGINS_TASKS = defineTasks(TASKS);

/**
 * `--data-dir` layouts of a (mode, length): the official archive unpacked (`data/<mode>/<length>.json`,
 * one object keyed by question id) and LOOM-Scope's jsonl files, the protocol's own first.
 */
function localLayouts(mode: Mode, length: string, protocol: "official" | "loom"): LocalFile[] {
  const official: LocalFile[] = [officialDataPath(mode, length), `${mode}/${length}.json`, `LongIns-Bench/data/${mode}/${length}.json`].map((path) => ({ path, format: "json" }));
  const loom: LocalFile[] = [`${mode}_${length}.jsonl`, loomDataPath(mode, length)].map((path) => ({ path, format: "jsonl" }));
  return protocol === "loom" ? [...loom, ...official] : [...official, ...loom];
}

const longins = defineDatasetBenchmark({
  id: "longins",
  version: "0.2.0",
  capability: "reasoning",
  description:
    "LongIns: grading exams of many question/answer pairs (GIST: one global instruction; LIST: one per group) at 256-16384 tokens; the model names the wrongly answered questions, scored by F1 as eval.py does.",
  tasks: LONGINS_TASKS,
  protocols: ["official", "loom"],
  // eval.py scores the response lines of a results file: a question without one is not in the mean.
  failedSamples: "exclude",
  source: {
    // The official archive is on Google Drive only; LOOM-Scope's copies of the same files are on the hub.
    remote: ({ task, length }) => hfFile(LOOM_HF.repo, LOOM_HF.path(task.id as Mode, length!), { revision: LOOM_HF.revision }),
    local: ({ task, length, protocol }) => localLayouts(task.id as Mode, length!, protocol),
  },
  record: LonginsRecordSchema,
  // Python's json: NaN and Infinity accepted as json.loads does; integral floats keep Python equality.
  parse: (text) => pyJsonToJson(pyJsonLoads(text)),
  // eval.py joins responses to answers by the data file's key; LOOM-Scope's jsonl rows have none.
  sampleId: (_record, row) => (row.key !== undefined ? `${row.task.id}_${row.length}-${row.key}` : rowId(row, row.index)),
  toSample: (record, row) => {
    const sample = toSample(record, { task: row.task.id as Mode, length: row.length!, key: row.key ?? String(row.index), protocol: row.protocol });
    return { ...sample, meta: { ...sample.meta, line: row.line } };
  },
  aggregate: (cells, { protocol }) => (protocol === "loom" ? aggregateLonginsLoom(cells) : aggregateLongins(cells)),
  scoreOfficial,
});

export default longins;
export { GENERATION, INSTRUCTIONS, LENGTHS, MODES, TASKS, TRUNCATION, promptTemplate, type Mode, type TaskRow } from "./tasks.js";
export {
  LonginsFileSchema,
  LonginsRecordSchema,
  LOOM_HF,
  dataDirLayouts,
  loomDataPath,
  officialDataPath,
  parseOfficialFile,
  toSample,
  type LonginsRecord,
  type ToSampleOptions,
} from "./data.js";
export { errorsOf, longinsF1, longinsScore, predictedIndices, pythonKey, setF1, UnhashableError } from "./metrics.js";
export { aggregateLongins, aggregateLonginsLoom, cellScore } from "./aggregate.js";
export { pySetOf, scoreOfficial, scoreResultFile } from "./official.js";
