/**
 * @loomscope/benchmark-longwriter: LongBench-Write (THUDM/LongWriter, arXiv 2408.07055) on the
 * benchmark kit: the three prompt files, pred.py's prompt and generation settings, the length score
 * S_l, the GPT-4o quality score S_q with the official judge prompt and verdict parsing, the
 * official numbers and official re-scoring; LOOM-Scope's eval.py under `--protocol loom`.
 */
import { defineDatasetBenchmark } from "@loomscope/benchmark-kit";
import { DATA_FILES, LongWriterRecordSchema, OFFICIAL_DATA_URL, localCandidates, remoteFile, toSample } from "./data.js";
import { LLAMA_INST_TEMPLATE, TASKS } from "./tasks.js";
import { LENGTH_ONLY_METRICS } from "./metrics.js";
import { aggregateLongWriter } from "./aggregate.js";
import { scoreOfficialLongWriter } from "./official.js";

const longwriter = defineDatasetBenchmark({
  id: "longwriter",
  version: "0.2.0",
  capability: "generation",
  description:
    "LongBench-Write: write to a required length (100-30,000 words or characters); S_l from the produced length, S_q from a GPT-4o judge, S = (S_l + S_q) / 2",
  // The task table as the options make it: S_l alone (quality=false), pred.py's llama prompt (promptStyle).
  tasks: ({ options }) =>
    options.quality && options.promptStyle === "chat"
      ? TASKS
      : TASKS.map((row) => ({
          ...row,
          ...(options.quality ? {} : { metrics: LENGTH_ONLY_METRICS }),
          ...(options.promptStyle === "llama-inst" ? { prompt: { ...row.prompt, template: LLAMA_INST_TEMPLATE, chat: "raw" as const } } : {}),
        })),
  protocols: ["official", "loom"],
  options: {
    quality: {
      type: "boolean",
      default: true,
      description:
        "score S_q with the judge (eval_quality.py; LOOM-Scope's eval_quality); false runs S_l alone without a judge, and S_q and S are shown as not computed",
    },
    dataUrl: {
      type: "string",
      default: OFFICIAL_DATA_URL,
      description: "where the evaluation/<task>.jsonl files are downloaded from when --data-dir has none (the repository at the pinned commit, checksummed; or a mirror)",
    },
    promptStyle: {
      type: "string",
      values: ["chat", "llama-inst"],
      default: "chat",
      description:
        'pred.py: "chat" sends the prompt as one user turn through the model\'s chat template (model.chat, LongWriter-glm4); "llama-inst" sends "[INST]{prompt}[/INST]" as raw text (its branch for model paths containing "llama", LongWriter-llama3.1)',
    },
  },
  // eval_length.py scores every line of pred.jsonl: a missing response is not the official input.
  failedSamples: "exclude",
  source: {
    remote: ({ task, options }) => ({ file: remoteFile(task.id, options.dataUrl), format: "jsonl" }),
    local: ({ task }) => localCandidates(task.id),
    count: ({ task }) => DATA_FILES[task.id]?.count,
  },
  record: LongWriterRecordSchema,
  toSample: (record, row) => toSample(record, { task: row.task.id, index: row.index }),
  aggregate: (cells, { protocol, options }) => aggregateLongWriter(cells, { protocol, quality: options.quality }),
  scoreOfficial: scoreOfficialLongWriter,
});

export default longwriter;
export { GENERATION, LLAMA_INST_TEMPLATE, TRUNCATION, TASKS, TASK_IDS, taskRow, type TaskRow, type Language } from "./tasks.js";
export { COMMIT, DATA_FILES, OFFICIAL_DATA_URL, REPO, LongWriterRecordSchema, localCandidates, remoteFile, toSample, type LongWriterRecord } from "./data.js";
export {
  DIMS,
  JUDGE,
  JudgeGaveUpError,
  LENGTH_ONLY_METRICS,
  LONGWRITER_METRICS,
  LOOM_QUALITY_CRASH,
  countWords,
  dimensionMetricId,
  dimensionMetrics,
  dimensionScore,
  dimensionValue,
  judgePrompt,
  judgeQuality,
  judgeRequest,
  lengthScore,
  lengthScoreMetric,
  parseVerdictAttempt,
  qualityMetric,
  qualityOfDimensions,
  sampleDimensions,
  totalQuality,
  verdictDimensions,
  type Dim,
  type QualityVerdict,
  type VerdictAttempt,
} from "./metrics.js";
export { JUDGE_TEMPLATE } from "./judge-template.js";
export { aggregateLongWriter, loomTaskScore, officialNumbers, type LongWriterAggregateSettings, type TaskNumbers } from "./aggregate.js";
export { JUDGE_CONCURRENCY, judgeFile, lengthScores, readJsonLines, scoreOfficialLongWriter } from "./official.js";
