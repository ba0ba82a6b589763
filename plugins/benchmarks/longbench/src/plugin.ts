/**
 * The LongBench plugin on the benchmark kit: the task table (tasks.ts), the official data
 * (data.zip on the hub, or its files under --data-dir), pred.py's budgets and eval.py's scoring.
 */
import { LoomError } from "@loomscope/spec";
import { defineDatasetBenchmark, hfFile } from "@loomscope/benchmark-kit";
import { MODEL2MAXLEN, eBucket } from "./config.js";
import { DATA_ZIP, HF_REPO, HF_REVISION, LongBenchRecordSchema, OFFICIAL_COUNTS, localCandidates, parseTask, toSample, zipMember, type TaskId } from "./data.js";
import { LOOM_QUERY_KEY, LOOM_RAG_QUERY, TASKS, TRUNCATION } from "./tasks.js";
import { aggregateLongBench } from "./aggregate.js";
import { scoreOfficialDir } from "./official.js";

const OFFICIAL_MODELS = Object.keys(MODEL2MAXLEN);

const longbench = defineDatasetBenchmark({
  id: "longbench",
  version: "0.2.0",
  capability: "general",
  description:
    "LongBench (THUDM): 21 bilingual long-context datasets (single- and multi-document QA, summarization, few-shot, synthetic, code) and the 13 LongBench-E datasets bucketed 0-4k / 4-8k / 8k+, scored by eval.py's metrics.",
  tasks: TASKS,
  protocols: ["official", "loom"],
  options: {
    model: {
      type: "string",
      values: OFFICIAL_MODELS,
      description:
        "a model of config/model2maxlen.json whose official prompt budget to use (e.g. chatglm3-6b-32k: 31500); default: the model's window − 500, the rule those budgets follow",
    },
  },
  // pred.py writes one line per record and eval.py averages the lines present: a sample without a prediction is not counted.
  failedSamples: "exclude",
  validate: ({ protocol, options }) => {
    if (protocol === "loom" && options.model !== undefined) {
      throw new LoomError("USAGE", "longbench.model picks a budget from the official config/model2maxlen.json, which LOOM-Scope's code does not read", {
        hint: `under --protocol loom the budget is --max-length (LOOM-Scope's default ${TRUNCATION.loomDefaultMaxLength})`,
      });
    }
  },
  source: {
    remote: ({ task }) => hfFile(HF_REPO, DATA_ZIP, { revision: HF_REVISION, member: zipMember(task.id as TaskId) }),
    // The unzipped data.zip (data/<task>.jsonl), loose files, or data.zip itself.
    local: ({ task }) => [...localCandidates(task.id as TaskId), { path: DATA_ZIP, member: zipMember(task.id as TaskId) }],
    count: ({ task }) => {
      const parsed = parseTask(task.id);
      return parsed && !parsed.e ? OFFICIAL_COUNTS[parsed.dataset] : undefined;
    },
  },
  record: LongBenchRecordSchema,
  // LongBench-E: each length level holds the records eval.py puts in that bucket by their `length`.
  filter: (record, row) => row.length === undefined || eBucket(record.length) === row.length,
  // The HF loader's keys, `<task>-<line index>`: a LongBench-E sample keeps its id whichever bucket it is in.
  sampleId: (_record, row) => `${row.task.id}-${row.length === undefined ? row.index : row.line - 1}`,
  toSample: (record, row) => {
    const { id: _id, task: _task, length: _length, ...body } = toSample(record, { task: row.task.id as TaskId, index: row.index, line: row.line, protocol: row.protocol });
    const dataset = parseTask(row.task.id)?.dataset;
    const query = dataset === undefined ? undefined : LOOM_RAG_QUERY[dataset];
    if (row.protocol === "loom" && query !== undefined) body.input = { ...body.input, [LOOM_QUERY_KEY]: query };
    return body;
  },
  maxLength: (_task, window, { protocol, options }) => {
    if (protocol === "loom") return TRUNCATION.loomDefaultMaxLength;
    if (options.model !== undefined) return MODEL2MAXLEN[options.model];
    // config/model2maxlen.json gives each model its nominal window less 500 (longchat-32k: 31500, llama2-4k: 3500).
    return window !== undefined ? window - 500 : undefined;
  },
  aggregate: (cells, settings) => aggregateLongBench(cells, settings),
  scoreOfficial: scoreOfficialDir,
});

export default longbench;
