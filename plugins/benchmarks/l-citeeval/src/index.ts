/**
 * @loomscope/benchmark-l-citeeval: L-CiteEval (ZetangForward/L-CITEEVAL, arXiv 2410.02115) on the
 * benchmark kit: 21 tasks (L-CiteEval, -Length, -Hardness) with their length buckets, the citation
 * prompts, generation-quality scores, NLI-judged citation recall / precision / F1, aggregation and
 * official re-scoring; LOOM-Scope's prompt and scorer under `--protocol loom`.
 */
import { defineDatasetBenchmark, promptFromRow } from "@loomscope/benchmark-kit";
import { LCiteEvalRecordSchema, localCandidates, remoteFile, toSample } from "./data.js";
import { bucketOf, taskInfo, taskTable, type CitationJudgeKind } from "./tasks.js";
import { aggregateLCiteEval } from "./aggregate.js";
import { scoreOfficialLCiteEval } from "./official.js";
import { loomPrompt, pyFString } from "./loom-prompt.js";
import type { Doc } from "./prompt.js";

const lciteeval = defineDatasetBenchmark({
  id: "l-citeeval",
  version: "0.2.0",
  capability: "faithfulness",
  description:
    "L-CiteEval: 11 long-context tasks (QA, summaries, dialogue, needle, counting stars) at 8k-48k whose answers cite numbered passages; generation quality and NLI-judged citation recall / precision / F1",
  tasks: ({ options }) => taskTable({ newlineStop: options.newlineStop, citationJudge: options.citationJudge as CitationJudgeKind }),
  protocols: ["official", "loom"],
  options: {
    newlineStop: {
      type: "boolean",
      default: false,
      description:
        'stop at "\\n" as well as EOS: inference_1shot_vllm.py does so only when the model config\'s eos_token_id is a list (Llama 3.x), never for GLM; set true for such models (the official stop is the token id of "\\n", sent here as the stop string "\\n")',
    },
    citationJudge: {
      type: "string",
      values: ["nli", "llm"],
      default: "nli",
      description:
        'citation scores from the NLI model bound with --judge (the official tasksource/deberta-base-long-nli), or "llm": an LLM judge as a substitute, under its own metric ids (citation_f1_llm, …), never the official ones',
    },
  },
  // eval_citation.py asserts one prediction per reference record: a missing one is not the official input.
  failedSamples: "exclude",
  source: {
    // One JSON list per experiment and dataset; each length level keeps the records in its bucket.
    remote: ({ task }) => ({ file: remoteFile(taskInfo(task.id)), format: "json" }),
    local: ({ task }) => localCandidates(taskInfo(task.id)).map((path) => ({ path, format: "json" as const })),
  },
  record: LCiteEvalRecordSchema,
  // The level is the record's `length` bucket (or `hardness`); a record in no bucket is in no citation number and is not run.
  filter: (record, { task, length }) => {
    const t = taskInfo(task.id);
    return bucketOf(t.experiment, t.dataset, record.length, record.hardness) === length;
  },
  sampleId: (record, { task }) => `${task.id}-${record.id}`,
  toSample: (record, { task, index }) => {
    const sample = toSample(record, taskInfo(task.id));
    // The record's place among its bucket's records: aggregates sum in the scripts' (file) order whatever order samples finish in.
    return { ...sample, meta: { ...sample.meta, index } };
  },
  prompt: (sample, task, { protocol }, ctx) => {
    if (protocol !== "loom") return promptFromRow(task, sample);
    const docs = sample.scoring?.["docs"];
    if (!Array.isArray(docs)) throw new Error(`l-citeeval sample ${sample.id} has no scoring.docs`);
    return loomPrompt(taskInfo(task.id).dataset, docs as Doc[], pyFString(sample.scoring?.["question"]), ctx);
  },
  aggregate: (cells, { protocol, options }) => aggregateLCiteEval(cells, (t) => taskInfo(t).experiment, { protocol, citationJudge: options.citationJudge as CitationJudgeKind }),
  scoreOfficial: scoreOfficialLCiteEval,
});

export default lciteeval;
export { PROMPT_FILES, type PromptFile } from "./prompt-files.js";
export { NDOC, makeDemo, makeDocPrompt, officialPrompt, promptFileOf, promptTemplate, templateValues, type DemoItem, type Doc } from "./prompt.js";
export {
  CATEGORY,
  DATASETS,
  GENERATION,
  LENGTH_BUCKETS,
  LOOM_MAX_NEW_TOKENS,
  TASKS,
  TASK_IDS,
  TRUNCATION,
  VARIANT_DATASETS,
  bucketOf,
  maxGenLen,
  taskId,
  taskInfo,
  taskTable,
  type CitationJudgeKind,
  type Experiment,
  type Language,
  type TaskRow,
} from "./tasks.js";
export { EXPERIMENT_FOLDER, HF_REPO, HF_REVISION, LCiteEvalRecordSchema, localCandidates, remoteFile, toSample, type LCiteEvalRecord } from "./data.js";
export {
  QA_TASKS,
  SUMMARY_TASKS,
  countingStarsAnswer,
  countingStarsCorrectness,
  countingStarsGold,
  firstLine,
  niahCorrectness,
  qaCorrectness,
  qaF1Triple,
  removeCitations,
  summaryCorrectness,
  type Answer,
} from "./correctness.js";
export {
  AT_MOST_CITATIONS,
  NLI_MODEL,
  NoSentencesError,
  autoaisScores,
  citedIndexes,
  countingStarsCitationScores,
  formatDocument,
  niahCitationScores,
  nliEntails,
  nliRequest,
  type CitationScores,
} from "./citation.js";
export { CITATION_METRICS, CORRECTNESS_METRICS, LLM_CITATION_METRICS, LOOM_METRICS, llmNliLabel, llmNliRequest, sentenceParameters, useSentenceParameters } from "./metrics.js";
export { findPunktTab, loadPunktTab, punktTabCandidates } from "./punkt-tab.js";
export { LOOM_USER_TEMPLATE, loomCutPassages, loomPassages, loomPrompt, pyFString } from "./loom-prompt.js";
export { aggregateLCiteEval, citationReport, correctnessBucket, correctnessReport, type BucketKey, type CitationItem, type CorrectnessItem, type LCiteEvalAggregateOptions } from "./aggregate.js";
export { citationFile, scoreOfficialLCiteEval } from "./official.js";
export { LOOM_TASK_METRICS, LoomSkippedError, loomCitationF1, loomCorrectness, loomTaskScore } from "./loom.js";
