/**
 * @loomscope/benchmark-longbench-v2: LongBench v2 (THUDM/LongBench, repository root) as data,
 * prompts, answer extraction, result.py's table and an official-format re-scorer. The plugin's
 * default export is added when it is wired into @loomscope/benchmark-kit.
 */
export { PROMPTS, PROMPT_FILES, MODEL2MAXLEN, CHOICES, RESULT_COLUMNS, LENGTHS, DIFFICULTIES, type Choice, type PromptName } from "./config.js";
export { PLACEHOLDERS, SETTING_TEMPLATE, extractAnswer, ragContext, renderPrompt, type PromptFields, type RetrievedChunk } from "./prompt.js";
export {
  HF_REPO,
  HF_REVISION,
  DATA_FILE,
  LOCAL_CANDIDATES,
  OFFICIAL_COUNTS,
  LongBenchV2RecordSchema,
  jsonArrayElements,
  toSample,
  type LongBenchV2Record,
  type ToSampleOptions,
} from "./data.js";
export { ACCURACY, ACCURACY_COMPENSATED, compensatedJudge, judge } from "./metrics.js";
export { GENERATION, TASKS, TRUNCATION, taskRow, type V2FollowUp, type V2PromptSpec, type V2TaskRow } from "./tasks.js";
export { EmptyColumnError, aggregateLongBenchV2, resultRow, type JudgedItem, type ResultRow } from "./aggregate.js";
export { ResultPyError, judgedItems, resultTxt, scoreOfficialDir, type ResultTxt } from "./official.js";
