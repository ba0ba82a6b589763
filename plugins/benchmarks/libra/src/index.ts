/**
 * @loomscope/benchmark-libra: LIBRA (github.com/ai-forever/LIBRA, arXiv 2408.02439) on the
 * benchmark kit: 21 Russian datasets at 4k-128k tokens with the official instructions, generation
 * limits, data files, truncation, chat rule and scorer.
 */
import { defineDatasetBenchmark, hfFile, promptFromRow } from "@loomscope/benchmark-kit";
import { aggregate } from "./aggregate.js";
import { HF_REPO, HF_REVISION, LibraRecordSchema, localCandidates, remotePath, toSample } from "./data.js";
import { assertLoomScorable } from "./metrics.js";
import { scoreOfficialLibra } from "./official.js";
import { OFFICIAL_SYSTEM_PROMPT, TASKS, TRUNCATION, metricNameOf } from "./tasks.js";

const libra = defineDatasetBenchmark({
  id: "libra",
  version: "0.2.0",
  capability: "specialization",
  description: "LIBRA: 21 Russian long-context datasets (passkeys, multi-hop QA, babilong, counting, scientific QA) at 4k-128k tokens, scored like the official eval.py.",
  tasks: TASKS,
  protocols: ["official", "loom"],
  options: {
    engine: {
      type: "string",
      values: ["hf", "vllm"],
      default: "hf",
      description: "the official engine whose truncation is reproduced: hf cuts the end of an over-long prompt (tokenizer truncation), vllm cuts its start (truncate_prompt_tokens); predict.py defaults to hf",
    },
    chatModel: {
      type: "boolean",
      default: true,
      description: "apply the model's chat template (the model config's chat_model; True in every official instruct config)",
    },
    systemPrompt: {
      type: "string",
      default: OFFICIAL_SYSTEM_PROMPT,
      description: "the model config's sys_prompt, sent as the system message with the chat template; empty for none",
    },
  },
  // eval.py scores the rows of the predictions file; a sample predict.py did not write is not averaged.
  failedSamples: "exclude",
  source: {
    remote: ({ task }) => hfFile(HF_REPO, remotePath(task.id), { revision: HF_REVISION }),
    local: ({ task, protocol }) => {
      // Protocol loom cannot score em / f1 without pymorphy2: refuse the task before any row is read.
      if (protocol === "loom") assertLoomScorable(task.id, metricNameOf(task.id));
      return localCandidates(task.id);
    },
  },
  record: LibraRecordSchema,
  // Each dataset file holds every length; predict.py keeps the rows of the lengths it runs, in file order.
  filter: (record, { length }) => record.length === length,
  toSample: (record) => toSample(record),
  prompt: (sample, task, { protocol, options }) => {
    const parts = promptFromRow(task, sample);
    if (protocol === "loom") return parts;
    const { system: _rowSystem, ...rest } = parts;
    return {
      ...rest,
      truncation: TRUNCATION.official[options.engine],
      chat: options.chatModel,
      // answer_generator.py adds the system message only with the chat template and a non-empty sys_prompt.
      ...(options.chatModel && options.systemPrompt !== "" ? { system: options.systemPrompt } : {}),
    };
  },
  // predict.py truncates to the model config's max_context_length, the model's window.
  maxLength: (_task, window) => window,
  aggregate,
  scoreOfficial: scoreOfficialLibra,
});

export default libra;
export * from "./config.js";
export * from "./tasks.js";
export * from "./data.js";
export * from "./metrics.js";
export * from "./aggregate.js";
export * from "./official.js";
