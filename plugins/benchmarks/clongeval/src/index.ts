/**
 * @loomscope/benchmark-clongeval: CLongEval (github.com/zexuanqiu/CLongEval, arXiv 2403.03514) on
 * the benchmark kit: 7 Chinese long-context tasks in small / medium / large sets with the shipped
 * prompts, generation settings, data layout and scorer.
 */
import { defineDatasetBenchmark, hfFile, promptFromRow } from "@loomscope/benchmark-kit";
import { aggregate } from "./aggregate.js";
import { ClongevalRecordSchema, HF_REPO, HF_REVISION, dataPath, localCandidates, toSample } from "./data.js";
import { isSkippedResponse, type ClongevalDataset } from "./metrics.js";
import { scoreOfficialClongeval } from "./official.js";
import { PROMPT_STYLES, STYLE_CHAT, TASKS } from "./tasks.js";

const clongeval = defineDatasetBenchmark({
  id: "clongeval",
  version: "0.2.0",
  capability: "specialization",
  description: "CLongEval: 7 Chinese long-context tasks (story QA, conversation memory, summarization, stacked news labeling and typo detection, key-passage retrieval, table querying) in 1K-100K-token sets, scored like the official eval.py.",
  tasks: TASKS,
  protocols: ["official", "loom"],
  options: {
    promptStyle: {
      type: "string",
      values: PROMPT_STYLES,
      default: "vllm",
      description: "how inference.py sends the prompt: vllm (the open models: raw text, no chat template), lmdeploy (InternLM2: the model's chat template, no system message), gpt4 / glm4 (chat with its Chinese assistant system message), moonshot (chat with the Kimi system message)",
    },
    typoAnswerRewrite: {
      type: "boolean",
      default: true,
      description: "eval.py rewrites the stacked_typo_detection answer to a[0]，a[2]，a[0] of answer.split(\"，\") for every model but gpt4-turbo-128k; false scores against the answer as written (gpt4-turbo-128k's path). Protocol official only",
    },
  },
  // eval.py scores the lines of the inference file: a sample inference.py skipped (no line) is not averaged.
  failedSamples: "exclude",
  source: {
    remote: ({ task, length }) => hfFile(HF_REPO, dataPath(task.id as ClongevalDataset, length!), { revision: HF_REVISION }),
    local: ({ task, length }) => localCandidates(task.id as ClongevalDataset, length!),
  },
  record: ClongevalRecordSchema,
  // inference.py keys its results (and resumption) on the record's own id.
  sampleId: (record) => String(record.id),
  toSample: (record, { task, protocol, options }) =>
    toSample(record, { task: task.id as ClongevalDataset, rewriteTypoAnswer: protocol === "official" && options.typoAnswerRewrite }),
  prompt: (sample, task, { options }) => ({ ...promptFromRow(task, sample), ...STYLE_CHAT[options.promptStyle] }),
  // eval.py leaves a response holding "HTTP_ERROR" / "UNKNOW_ERROR" out of the mean (null: counted apart).
  score: async (input, task) => {
    const scores: Record<string, number | null> = {};
    for (const metric of task.metrics) {
      scores[metric.id] =
        input.protocol === "official" && isSkippedResponse(input.prediction)
          ? null
          : await metric.score({ prediction: input.prediction, references: input.references, task: input.task, protocol: input.protocol ?? "official", ...(input.scoring ? { scoring: input.scoring } : {}) });
    }
    return scores;
  },
  aggregate,
  scoreOfficial: scoreOfficialClongeval,
});

export default clongeval;
export * from "./config.js";
export * from "./metrics.js";
export * from "./tasks.js";
export * from "./data.js";
export * from "./aggregate.js";
export * from "./official.js";
