/**
 * @loomscope/benchmark-lveval: LV-Eval (github.com/infinigence/LVEval, arXiv 2402.05136) on the
 * benchmark kit: 11 bilingual QA datasets × 5 length levels with the official prompts, generation
 * limits, data files, truncation, chat rule and scorer.
 */
import { z } from "zod";
import type { JsonObject } from "@loomscope/spec";
import { defineDatasetBenchmark, defineTasks, hfFile, promptFromRow, wordLevels } from "@loomscope/benchmark-kit";
import { CONFIG, DATASETS, HF_REPO, LENGTH_LEVELS, OFFICIAL_COUNTS, jsonlName, localCandidates, zipPath, type DatasetName } from "./config.js";
import { METRIC } from "./metrics.js";
import { aggregateLveval } from "./aggregate.js";
import { scoreOfficialDir } from "./official.js";

/** One line of an LV-Eval jsonl file (README "Data Format"). Unknown fields are kept. */
export const LvevalRecordSchema = z
  .object({
    input: z.string(),
    context: z.string(),
    answers: z.array(z.string()),
    length: z.number().optional(),
    dataset: z.string().optional(),
    language: z.string().optional(),
    answer_keywords: z.string().nullable().optional(),
    confusing_facts: z.unknown().optional(),
  })
  .passthrough();
export type LvevalRecord = z.infer<typeof LvevalRecordSchema>;

/**
 * prediction.py sends the formatted prompt raw to every model it does not special-case
 * (`build_chat`'s else branch): the official rule is no chat template.
 */
export const LVEVAL_TASKS = defineTasks(
  DATASETS.map((id) => {
    const c = CONFIG[id];
    return {
      id,
      language: c.language,
      levels: wordLevels(...LENGTH_LEVELS),
      maxNewTokens: c.maxgen,
      prompt: { template: c.prompt, contextKey: "context", queryKey: "input", truncation: "middle", chat: "raw" },
      metrics: [METRIC[c.metric]],
      tags: [c.hop, c.language],
      retrieval: "suitable",
    } as const;
  }),
);

const lveval = defineDatasetBenchmark({
  id: "lveval",
  version: "0.2.0",
  capability: "reasoning",
  description: "LV-Eval: single-hop and multi-hop QA in English and Chinese at 16k-256k words, with confusing facts, keyword replacement and keyword-recall-gated F1.",
  tasks: LVEVAL_TASKS,
  options: {
    chatTemplate: {
      type: "boolean",
      default: false,
      description: "apply the model's chat template (prediction.py sends raw text to models it does not special-case)",
    },
  },
  source: {
    remote: ({ task, length }) => hfFile(HF_REPO, zipPath(task.id as DatasetName), { member: `${task.id}/${jsonlName(task.id as DatasetName, length!)}` }),
    local: ({ task, length }) => localCandidates(task.id as DatasetName, length!),
    count: ({ task }) => OFFICIAL_COUNTS[task.id as DatasetName],
  },
  record: LvevalRecordSchema,
  toSample: (record, { line }) => {
    const meta: JsonObject = { line, language: record.language ?? CONFIG[record.dataset as DatasetName]?.language ?? "en" };
    if (record.length !== undefined) meta["words"] = record.length;
    return { input: { context: record.context, input: record.input }, references: [...record.answers], scoring: { answer_keywords: record.answer_keywords ?? null }, meta };
  },
  prompt: (sample, task, { options }) => ({ ...promptFromRow(task, sample), chat: options.chatTemplate }),
  // prediction.py's --model-max-length defaults to 15,500; its README sets it to the model window − 500.
  maxLength: (_task, window) => (window !== undefined ? window - 500 : 15_500),
  aggregate: aggregateLveval,
  scoreOfficial: scoreOfficialDir,
});

export default lveval;
export * from "./config.js";
export { METRIC, LVEVAL_ROUGE_RECURSION, officialMetric, scoreSample } from "./metrics.js";
export { aggregateLveval, datasetScore, roundedMean } from "./aggregate.js";
export { scoreOfficialDir, scorePredictionFile, officialFileOrder, customSortKey } from "./official.js";
