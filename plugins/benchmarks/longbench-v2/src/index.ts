/**
 * @loomscope/benchmark-longbench-v2: LongBench v2 (THUDM/LongBench, repository root) on the
 * benchmark kit. The default export is the plugin; the named exports are its pieces (prompts,
 * data format, answer extraction, result.py's table, the official-format re-scorer).
 */
export { default } from "./plugin.js";
export { PROMPTS, PROMPT_FILES, MODEL2MAXLEN, CHOICES, RESULT_COLUMNS, LENGTHS, DIFFICULTIES, type Choice, type PromptName } from "./config.js";
export { PLACEHOLDERS, SETTING_TEMPLATE, extractAnswer, ragContext, renderPrompt, type PromptFields, type RetrievedChunk } from "./prompt.js";
export {
  HF_REPO,
  HF_REVISION,
  DATA_FILE,
  LOCAL_CANDIDATES,
  OFFICIAL_COUNTS,
  LongBenchV2RecordSchema,
  toSample,
  type LongBenchV2Record,
  type ToSampleOptions,
} from "./data.js";
export { ACCURACY, ACCURACY_COMPENSATED, compensatedJudge, judge } from "./metrics.js";
export { COT_KEY, COT_REPLACEMENTS, GENERATION, REPLACEMENTS, TASKS, TASK_ID, TRUNCATION, firstTemplate, resultsSuffix, type V2Settings } from "./tasks.js";
export { EmptyColumnError, aggregateLongBenchV2, resultRow, type JudgedItem, type ResultRow, type V2AggregateSettings } from "./aggregate.js";
export { ResultPyError, judgedItems, resultTxt, scoreOfficialDir, type ResultTxt } from "./official.js";
