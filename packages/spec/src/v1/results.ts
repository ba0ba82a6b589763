import { z } from "zod";
import { CapabilitySchema, JsonValueSchema } from "./common.js";

const JsonObjectSchema = z.record(z.string(), JsonValueSchema);

export const RECORD_SCHEMA_VERSION = 1 as const;

export const PromptStatsSchema = z.object({
  /** Tokens sent to the model (after truncation and templating), null without a tokenizer. */
  tokens: z.number().int().nonnegative().nullable(),
  /** The model's max input the prompt was fitted to. */
  maxTokens: z.number().int().positive().nullable(),
  truncated: z.boolean(),
  /** Characters of the formatted prompt before and after truncation. */
  originalChars: z.number().int().nonnegative(),
  keptChars: z.number().int().nonnegative(),
  /** Tokens before truncation: exact when the whole text was tokenized, else estimated from the kept part. */
  originalTokens: z.number().int().nonnegative().nullable(),
  originalTokensExact: z.boolean(),
  /** First and last characters of the final prompt, for the sample browser. */
  head: z.string(),
  tail: z.string(),
  /** The whole prompt as sent, with `--log-prompts full`. */
  text: z.string().optional(),
  /** How the prompt was sent: the model's chat template applied, or raw text. */
  mode: z.enum(["chat", "raw", "chat-template", "raw-as-chat"]).optional(),
});
export type PromptStats = z.infer<typeof PromptStatsSchema>;

export const RecordErrorSchema = z.object({
  /** Stable code: BACKEND_REQUEST, SILENT_TRUNCATION, TIMEOUT, SCORING, PROMPT, … */
  code: z.string(),
  message: z.string(),
  status: z.number().int().optional(),
});

export const AcceleratorRecordSchema = z.object({
  accelerator: z.string(),
  method: z.string(),
  label: z.string(),
  params: JsonObjectSchema,
  stats: JsonObjectSchema,
});

export const JudgeCallRecordSchema = z.object({
  judge: z.string(),
  requestHash: z.string(),
  verdict: z.string(),
  cached: z.boolean(),
});

export const SampleRecordSchema = z.object({
  v: z.literal(RECORD_SCHEMA_VERSION),
  id: z.string(),
  benchmark: z.string(),
  task: z.string(),
  length: z.string().nullable(),
  /**
   * `ok`: generated and scored. `error`: it failed (the error says why). `skipped`: never sent,
   * because the prompt cannot fit the model's window (the error says by how much); counted as not
   * run, never as a score.
   */
  status: z.enum(["ok", "error", "skipped"]),
  prediction: z.string().nullable(),
  references: z.array(z.string()),
  scoring: JsonObjectSchema.optional(),
  meta: JsonObjectSchema.optional(),
  /** Metric id → value on the metric's natural scale; null where the official scorer leaves the sample out of that metric. */
  scores: z.record(z.string(), z.number().nullable()),
  /** The task's headline metric value, or null on error. */
  score: z.number().nullable(),
  prompt: PromptStatsSchema.nullable(),
  usage: z.object({
    promptTokens: z.number().int().nonnegative().nullable(),
    completionTokens: z.number().int().nonnegative().nullable(),
    /**
     * Prompt tokens the server served from its prefix cache, where it reports them. A serving
     * figure like the timings: it depends on what ran before (`--schedule`), never on the output.
     */
    cachedPromptTokens: z.number().int().nonnegative().optional(),
  }),
  timings: z.object({
    startedAt: z.string(),
    totalMs: z.number().nonnegative(),
    ttftMs: z.number().nonnegative().optional(),
    prefillMs: z.number().nonnegative().optional(),
    decodeMs: z.number().nonnegative().optional(),
  }),
  accelerators: z.array(AcceleratorRecordSchema),
  engineStats: JsonObjectSchema.optional(),
  attempts: z.number().int().nonnegative(),
  error: RecordErrorSchema.nullable(),
  /** Run settings that shape each sample's output (protocol, generation settings, system prompt). */
  settings: JsonObjectSchema.optional(),
  /** Why generation stopped: `length` means the output was cut at the generation limit. */
  finishReason: z.enum(["stop", "length", "other"]).nullable().optional(),
  /** The response came from the response cache (no request was sent). */
  cached: z.boolean().optional(),
  /** Outputs of the earlier turns of a multi-turn official prompt; `prediction` is the last. */
  turns: z.array(z.object({ output: z.string() })).optional(),
  /** Judge calls that scored this sample. */
  judge: z.array(JudgeCallRecordSchema).optional(),
});
export type SampleRecord = z.infer<typeof SampleRecordSchema>;

export const PluginInfoSchema = z.object({
  kind: z.enum(["benchmark", "backend", "accelerator", "suite"]),
  id: z.string(),
  package: z.string(),
  version: z.string(),
});

export const RunManifestSchema = z.object({
  v: z.literal(1),
  runId: z.string(),
  createdAt: z.string(),
  /** Hash of the behaviour-relevant config; a run directory resumes only with the same hash. */
  configHash: z.string(),
  config: JsonObjectSchema,
  loomscope: z.object({ core: z.string(), spec: z.string() }),
  plugins: z.array(PluginInfoSchema),
  model: z.object({ spec: z.string(), backend: z.string(), info: JsonObjectSchema }),
  tokenizer: z.object({ id: z.string(), source: z.string() }).nullable(),
  chatTemplate: z.object({ id: z.string() }).nullable(),
  accelerators: z.array(AcceleratorRecordSchema.omit({ stats: true })),
  /** Per benchmark: the protocol reproduced and the options it ran with. */
  benchmarks: z.record(z.string(), z.object({ protocol: z.enum(["official", "loom"]), options: JsonObjectSchema })).optional(),
  /** The units (benchmark × task × length) the latest run of this directory planned. */
  plan: z.array(z.object({ benchmark: z.string(), task: z.string(), length: z.string().nullable() })).optional(),
  /** The judge model bound with `--judge`, named next to every judge-dependent number. */
  judge: z.object({ spec: z.string() }).nullable().optional(),
  seed: z.number().int(),
  /** The dispatch order of the latest invocation (`--schedule`); it changes what the server computes, never a record. */
  schedule: z.enum(["official", "prefix", "longest"]).optional(),
  /** Data files (checksums) and generator facts, per benchmark. */
  provenance: z.record(z.string(), z.record(z.string(), JsonObjectSchema)),
  /** The commit of the repository the run was started in (`dirty` null when not checked: no git command runs). */
  git: z.object({ sha: z.string(), dirty: z.boolean().nullable() }).nullable(),
  machine: z.object({
    platform: z.string(),
    arch: z.string(),
    cpus: z.number().int(),
    memoryBytes: z.number(),
    node: z.string(),
  }),
  totals: z
    .object({
      promptTokens: z.number(),
      completionTokens: z.number(),
      requests: z.number(),
      costUsd: z.number().nullable(),
      /** Samples answered from the response cache (no request sent). */
      cached: z.number().optional(),
      /** Prompt tokens the server reported serving from its prefix cache (requests whose server reports it). */
      cachedPromptTokens: z.number().optional(),
    })
    .optional(),
});
export type RunManifest = z.infer<typeof RunManifestSchema>;

const NullableScore = z.number().nullable();
/**
 * A view a benchmark declares in its results (its own leaderboard table, NIAH's depth × length
 * heatmap): reports draw any of them generically, knowing nothing of the benchmark.
 */
export const ResultTableSchema = z.object({
  title: z.string(),
  rows: z.array(z.string()),
  columns: z.array(z.string()),
  /** cells[row][column], on the table's scale; null where there is no value. */
  cells: z.array(z.array(NullableScore)),
  /** How a report draws it: `table` (the default) or `heatmap`, each cell coloured on `range`. */
  view: z.enum(["table", "heatmap"]).optional(),
  /** What the rows and the columns are, e.g. "needle depth (%)" and "context length (tokens)". */
  rowAxis: z.string().optional(),
  columnAxis: z.string().optional(),
  /** Samples behind each cell, aligned with `cells`. */
  n: z.array(z.array(z.number().int().nonnegative())).optional(),
  /** The ends of the colour scale (default [0, 100]); the first end is drawn worst unless `higherIsBetter` is false. */
  range: z.tuple([z.number(), z.number()]).optional(),
  higherIsBetter: z.boolean().optional(),
});
export type ResultTable = z.infer<typeof ResultTableSchema>;

/** A metric's mean over a cell, task or benchmark, on its reported scale, with its standard error. */
export const MetricStatsSchema = z.object({
  mean: NullableScore,
  stderr: NullableScore,
  n: z.number().int().nonnegative(),
});
export type MetricStats = z.infer<typeof MetricStatsSchema>;

/** What happened to the planned samples of a cell (or a task, or the whole benchmark). */
export const CellStatusSchema = z.object({
  /** Samples the plan holds here (in this shard); unknown ones of a cell that could not run are not counted. */
  planned: z.number().int().nonnegative(),
  scored: z.number().int().nonnegative(),
  /** Samples that ran and failed (their records carry the error). */
  failed: z.number().int().nonnegative(),
  /** Planned samples with no score and no failure: interrupted, the cell could not run, or skipped. */
  notRun: z.number().int().nonnegative(),
  /** Of `notRun`, the samples skipped before sending because their prompt cannot fit the model's window. */
  skipped: z.number().int().nonnegative().optional(),
  /** Why the first skipped sample was skipped. */
  skipReason: z.string().nullable().optional(),
  /** The cell could not run at all (its data failed to load): why. */
  unitError: z.string().nullable(),
  /** The first sample error, for tooltips and tables. */
  firstError: z.string().nullable(),
  /** Every metric the task declares. */
  metrics: z.record(z.string(), MetricStatsSchema),
});
export type CellStatus = z.infer<typeof CellStatusSchema>;

export const BenchmarkResultSchema = z.object({
  benchmark: z.string(),
  capability: CapabilitySchema,
  score: NullableScore,
  tasks: z.record(z.string(), NullableScore),
  cells: z.record(z.string(), z.record(z.string(), NullableScore)),
  groups: z.record(z.string(), NullableScore).optional(),
  tables: z.array(ResultTableSchema).optional(),
  samples: z.object({ ok: z.number().int(), errors: z.number().int() }),
  /** The protocol reproduced. */
  protocol: z.enum(["official", "loom"]).optional(),
  /** The judge model behind judge-scored metrics, when the benchmark has any. */
  judge: z.string().nullable().optional(),
  /** How each metric is shown: scale, direction, whether it is 0/1, what judges it. */
  metrics: z.record(z.string(), z.object({ scale: z.number(), higherIsBetter: z.boolean(), binary: z.boolean(), judge: z.string().optional(), description: z.string().optional() })).optional(),
  /** Planned, scored, failed and not-run samples with every metric's mean ± stderr, per cell, per task and in all. */
  status: z
    .object({
      cells: z.record(z.string(), z.record(z.string(), CellStatusSchema)),
      tasks: z.record(z.string(), CellStatusSchema),
      total: CellStatusSchema,
    })
    .optional(),
  /** How failed samples count: scored as empty predictions (the official scorer does) or left out. */
  failedSamples: z.enum(["score-empty", "exclude"]).optional(),
  /** The score leaves out failed or not-run samples the official scorer would count: not comparable as is. */
  partial: z.boolean().optional(),
  partialReason: z.string().nullable().optional(),
  /** 95% percentile bootstrap interval of the score (cells resampled), when there is a score. */
  scoreInterval: z.tuple([z.number(), z.number()]).nullable().optional(),
});
export type BenchmarkResult = z.infer<typeof BenchmarkResultSchema>;

export const RunResultsSchema = z.object({
  v: z.literal(1),
  runId: z.string(),
  complete: z.boolean(),
  benchmarks: z.array(BenchmarkResultSchema),
  suite: z
    .object({
      id: z.string(),
      version: z.string(),
      score: NullableScore,
      rule: z.string(),
      capabilities: z.record(z.string(), NullableScore),
      /** Members missing or partial: the suite score is not over the whole suite. */
      partial: z.boolean().optional(),
      missing: z.array(z.string()).optional(),
      scoreInterval: z.tuple([z.number(), z.number()]).nullable().optional(),
    })
    .nullable(),
});
export type RunResults = z.infer<typeof RunResultsSchema>;
