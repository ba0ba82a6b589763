/**
 * @loomscope/benchmark-loogle: LooGLE (github.com/bigai-nlco/LooGLE, arXiv 2311.04939) on the
 * benchmark kit: short- and long-dependency QA, cloze and summaries over long documents, with the
 * official prompts, budgets, truncation, metrics (nltk BLEU/METEOR, rouge recall, exact/partial
 * match) and GPT-4 judge (`--judge`). BERTScore is refused: it needs a model serving embeddings.
 */
import { defineDatasetBenchmark, hfFile, promptFromRow, type ResolvedTask } from "@loomscope/benchmark-kit";
import { aggregateLoogle } from "./aggregate.js";
import { HF_SOURCE, LoogleRowSchema, sampleBodies } from "./data.js";
import { JUDGE_METRIC_IDS } from "./metrics.js";
import { scoreOfficial } from "./official.js";
import { TASKS, type LoogleTaskId } from "./tasks.js";

/** Where a task's rows are looked for under `--data-dir`: the hub archive's member, unpacked, or the repository's LooGLE-testdata layout. */
export const localCandidates = (task: string): string[] => [`${task}.json`, `data/${task}.json`, `${task}.jsonl`, `LooGLE-testdata/${task}.jsonl`];

const loogle = defineDatasetBenchmark({
  id: "loogle",
  version: "0.2.0",
  capability: "general",
  description:
    "LooGLE: short- and long-dependency QA, cloze and summaries over documents of 24k+ tokens, scored by automatic_eval.py (BLEU, ROUGE recall, METEOR, exact/partial match) and llm_eval.py's GPT-4 judge; BERTScore is not computed.",
  tasks: TASKS,
  protocols: ["official", "loom"],
  options: {
    promptStyle: {
      type: "string",
      values: ["open-source", "gpt"],
      default: "open-source",
      description: "open-source: the raw prompt without a chat template (pred_opensource_models.py); gpt: the prompt as one system message (pred_gpt_models.py)",
    },
    llmEval: {
      type: "boolean",
      default: true,
      description: "score QA and summaries with the GPT-4 judge as llm_eval.py does (needs --judge); false runs automatic_eval.py's metrics only",
    },
    pythonHashSeed: {
      type: "integer",
      default: 0,
      min: 0,
      max: 4294967295,
      description: "PYTHONHASHSEED whose set order METEOR follows (automatic_metrics.py scores set(tokens)); 0 is `PYTHONHASHSEED=0 python automatic_eval.py`",
    },
  },
  // A failed generation stops the official prediction script: there is no prediction to score.
  failedSamples: "exclude",
  source: {
    remote: ({ task }) => hfFile(HF_SOURCE.repo, HF_SOURCE.archive, { member: HF_SOURCE.member(task.id as LoogleTaskId), format: "jsonl" }),
    local: ({ task }) => localCandidates(task.id).map((path) => ({ path, format: "jsonl" as const })),
  },
  record: LoogleRowSchema,
  toSamples: (record, { task, index, protocol, options }) =>
    sampleBodies(record, { task: task.id as LoogleTaskId, index, protocol, pythonHashSeed: options.pythonHashSeed }),
  prompt: (sample, task, { options, protocol }) => {
    const parts = promptFromRow(task, sample);
    // LOOM-Scope's own pipeline is not told apart by prompt style; its rows keep their chat rule.
    if (protocol === "loom" || options.promptStyle === "open-source") return parts;
    return { ...parts, chat: true, role: "system" };
  },
  configureTask: (task: ResolvedTask, { options }) => (options.llmEval ? task : { ...task, metrics: task.metrics.filter((m) => !(JUDGE_METRIC_IDS as readonly string[]).includes(m.id)) }),
  aggregate: aggregateLoogle,
  scoreOfficial,
});

export default loogle;
export * from "./tasks.js";
export * from "./data.js";
export * from "./metrics.js";
export * from "./aggregate.js";
export { OutputLineSchema, scoreOfficial, type OutputLine } from "./official.js";
