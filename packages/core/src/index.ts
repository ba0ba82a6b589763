export { EventBus, type Listener } from "./events.js";
export { defineConfig, loadConfig, parseConfig, LoomConfigSchema, type LoomConfig } from "./config.js";
export {
  PluginRegistry,
  packageNameFor,
  KNOWN_PLUGINS,
  SUPPORTED_API_VERSIONS,
  globalPluginDirs,
  installPluginDirs,
  isPluginPath,
  type DiscoveredPlugin,
  type PluginOfKind,
  type RegistryOptions,
} from "./plugins/registry.js";
export { withRetry, classifyError, deadlineError, sleep, DEFAULT_RETRY_POLICY, type RetryPolicy, type RetryInfo } from "./retry.js";
export { formatTemplate, templateFields } from "./text/format.js";
export { middleTruncate, type TruncationResult, type MiddleTruncateOptions } from "./text/truncate.js";
export { loadHfTokenizer, tiktokenTokenizer, tiktokenEncodingForModel, resolveTokenizer, sha256, type LoadedHfTokenizer, type TokenizerConfig } from "./text/tokenizers.js";
export { jinjaChatTemplate, chatTemplateFromConfig } from "./text/chat-template.js";
export { resolveCacheDir } from "./data/cache.js";
export { Downloader, remoteUrl, safeRelativePath, cachedHash, type DownloaderOptions } from "./data/download.js";
export { hfCachedFile, hfHubCacheDir } from "./data/hf-cache.js";
export { zipEntries, extractZip, readLines } from "./data/archive.js";
export { makeZip, writeZip } from "./data/zip-writer.js";
export { createDataAccess } from "./data/access.js";
export { RunStore, repairTornTail, recordsFile, sampleKey, writeJsonAtomic, writeFileAtomic, commitFiles, recoverInterruptedWrites, type StoreNotice } from "./run/store.js";
export { RunLock, lockHolder, assertNotLocked, LOCK_FILE, type LockInfo } from "./run/lock.js";
export { storageError, isStorageError } from "./run/fs-errors.js";
export { AdaptiveLimiter, Queue } from "./run/limiter.js";
export { createDispatchOrder, prefixBlocks, resolveSchedule, scheduleItem, DEFAULT_SCHEDULE, SCHEDULE_POLICIES, PREFIX_BLOCK_CHARS, MIN_SHARED_BLOCKS, COLD_WHILE_SIBLINGS_WAIT, type DispatchOrder, type ScheduleItem, type SchedulePolicy } from "./run/schedule.js";
export { createRedactor, redactJson, stripUserinfo, findSecretKeys, REDACTED, type Redactor } from "./redact.js";
export { checkTokenizer, checkPromptCount } from "./run/tokenizer-check.js";
export { parseJsonFile } from "./json-file.js";
export { aggregateBenchmark, aggregateSuite, buildCells, defaultAggregate } from "./run/aggregate.js";
export { parseModelSpec, parseAcceleratorSpec, parseShard, autoShard, stableHash, type AcceleratorSpec, type AutoShard } from "./run/specs.js";
export { runEvaluation, TEMPLATE_RESERVE_TOKENS, type RunOptions, type RunHooks, type RunOutcome, type UnitFailure } from "./run/runner.js";
export { rescoreRun, type RescoreOptions } from "./run/rescore.js";
export {
  estimateRun,
  measureThroughput,
  gpuHours,
  CHARS_PER_TOKEN_ESTIMATE,
  type RunEstimate,
  type EstimateRow,
  type EstimateTotals,
  type EstimateOptions,
  type PriceOption,
  type ThroughputOption,
  type MeasuredThroughput,
} from "./run/estimate.js";
export {
  runAblation,
  parseVariants,
  buildAblationTable,
  pairedComparison,
  recordCounters,
  variantDirName,
  BASELINE_VARIANT,
  type AblationOptions,
  type AblationOutcome,
  type VariantSpec,
  type VariantRun,
} from "./run/ablate.js";
export { mergeRuns, firstDifference, type MergeCheck, type MergeOutcome, type MissingSample } from "./run/merge.js";
export { readRunPlan, PLAN_FILE, type UnitPlan } from "./run/plan-file.js";
export {
  RUN_OPTIONS,
  MAX_CONCURRENCY,
  GenerationSettingsSchema,
  configShape,
  identityOf,
  parseFlagValue,
  parseIntegerFlag,
  parseRunSettings,
  recordSettingsOf,
  type GenerationSettings,
  type RunOption,
  type RunOptionMeta,
  type RunOptionTable,
  type RunSettings,
} from "./run/settings.js";
export { buildPlan, isTaskFile, unreadablePins, type Plan, type PlanEntry, type PlanRequest, type TaskFileLoader, type Unit } from "./run/plan.js";
export { parseBenchmarkOptions, describeOption } from "./run/options.js";
export { ResponseCache, canonicalJson, cacheKey } from "./run/cache.js";
export { bindJudge, type JudgeBinding } from "./run/judge.js";
export { checkDirectives, installedDirectiveHonours, type DirectiveHonours } from "./run/directives.js";
export { scoreRecord, judgeMetricsOf, codeMetricsOf } from "./run/score.js";
export { closest, didYouMean, editDistance } from "@loomscope/metrics";
export { hostServices } from "./host.js";
export { seededRandom } from "./random.js";
