/**
 * @loomscope/benchmark-longcite: LongBench-Cite (THUDM/LongCite, arXiv 2409.02897) on the benchmark
 * kit: pred_one_shot.py's prompt and generation, citation parsing, the GPT-4o judge prompts for
 * citation quality and correctness with the official verdict parsing, the official averages and
 * official re-scoring. LOOM-Scope has no LongBench-Cite: one protocol.
 */
import { defineDatasetBenchmark } from "@loomscope/benchmark-kit";
import { LOCAL_CANDIDATES, LongCiteRecordSchema, OFFICIAL_DATA_URL, remoteFile, toSample } from "./data.js";
import { TASKS } from "./tasks.js";
import { aggregateLongCite } from "./aggregate.js";
import { scoreOfficialLongCite } from "./official.js";

const longcite = defineDatasetBenchmark({
  id: "longcite",
  version: "0.2.0",
  capability: "faithfulness",
  description: "LongBench-Cite: long-context QA and summaries whose sentences cite the context; citation recall / precision / F1 and correctness scored by a GPT-4o judge",
  tasks: TASKS,
  options: {
    dataUrl: {
      type: "string",
      default: OFFICIAL_DATA_URL,
      description: "where LongBench-Cite.json is downloaded from when --data-dir has none (the repository at the pinned commit; or a mirror)",
    },
  },
  // eval_cite.py and eval_correct.py read the prediction file: an item without a prediction is not in it.
  failedSamples: "exclude",
  source: {
    // One JSON list of every dataset's records; each task keeps its dataset's rows.
    remote: ({ options }) => ({ file: remoteFile(options.dataUrl), format: "json" }),
    local: () => LOCAL_CANDIDATES.map((path) => ({ path, format: "json" as const })),
  },
  record: LongCiteRecordSchema,
  filter: (record, { task }) => record.dataset === task.id,
  sampleId: (record) => `${record.dataset}-${record.idx}`,
  toSample: (record) => toSample(record),
  aggregate: (cells) => aggregateLongCite(cells),
  scoreOfficial: scoreOfficialLongCite,
});

export default longcite;
export * from "./prompts.js";
export { COMMIT, DATA_GIT_BLOB, DATA_PATH, OFFICIAL_DATA_URL, LOCAL_CANDIDATES, LongCiteRecordSchema, FewShotSchema, REPO, remoteFile, toSample, type LongCiteRecord } from "./data.js";
export {
  DATASET_CORRECTNESS,
  JUDGE_MODEL,
  MAX_STATEMENTS,
  UnexpectedVerdictError,
  catQaAndStatement,
  catQuestionStatementContext,
  citationJudgeRequest,
  citationScores,
  correctnessPrompt,
  correctnessRequest,
  correctnessScore,
  formatPositional,
  itemCorrectness,
  needCitationPrompt,
  needCitationToScore,
  parseRating,
  relevantLevelToScore,
  relevantPrompt,
  stripCitations,
  supportLevelToScore,
  supportPrompt,
  type CitationJudgement,
  type CitedStatement,
  type CorrectnessCall,
  type CorrectnessKind,
  type FewShot,
} from "./judge.js";
export { AVERAGE_EXCLUDED, CITE_DATASETS, citeItem, citeResult, correctItem, correctResult, scoreOfficialLongCite } from "./official.js";
export {
  chunkedPassage,
  chunksOf,
  getCitations,
  oneShotPrompt,
  postprocess,
  splitByPunctuation,
  statementsOf,
  textSplitByPunctuation,
  type Chunk,
  type Citation,
  type ContextSentence,
  type Statement,
} from "./citations.js";
export { GENERATION, ONE_SHOT_FORMAT, TASKS, TASK_IDS, TRUNCATION, type Language, type TaskRow } from "./tasks.js";
export { LONGCITE_METRICS, citationF1, citationPrecision, citationRecall, correctness, officialPrediction } from "./metrics.js";
export { REPORTED, aggregateLongCite, datasetMeans } from "./aggregate.js";
