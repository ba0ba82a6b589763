import type { Capability, JsonObject, Logger } from "./common.js";
import type { DataAccess, DataIssue } from "./data.js";
import type { PromptParts } from "./prompt.js";
import type { Tokenizer } from "./tokenizer.js";
import type { Judge } from "./judge.js";
import type { MetricInfo } from "./metric.js";
import type { ChatTemplater } from "./backend.js";
import type { PinnedDataFile } from "./suite.js";

export type Language = "en" | "zh" | "ru" | "multi" | "code";

/** What a length level measures: "16k" is 16,384 tokens in RULER, 16k words in LV-Eval. */
export interface LengthLevel {
  label: string;
  unit: "tokens" | "words" | "chars" | "items";
  value: number;
}

export interface TaskSpec {
  /** As the official configuration spells it (e.g. `hotpotwikiqa_mixup`). */
  id: string;
  language: Language;
  /** Length levels (`16k`, `32k`, …); empty when length is not a dimension of the task. */
  lengths: readonly string[];
  /** What each level in `lengths` measures, in the same order. */
  levels?: readonly LengthLevel[];
  /** The official generation limit. */
  maxNewTokens: number;
  /** Metric ids; the first is the task's headline metric. */
  metrics: readonly string[];
  /** Free tags shown in reports and used by aggregations, e.g. `single-hop`. */
  tags?: readonly string[];
  description?: string;
  /** Whether retrieving chunks of the context is meaningful (LOOM-Scope excludes summaries, counting, …). */
  retrieval?: "suitable" | "unsuitable";
  /** Generation settings the official code uses beyond the budget (greedy otherwise). `--gen` overrides them. */
  generation?: TaskGeneration;
}

export interface TaskGeneration {
  stop?: readonly string[];
  /** LongBench's samsum: `min_new_tokens=1`. */
  minNewTokens?: number;
  temperature?: number;
  topP?: number;
  topK?: number;
}

export interface SampleRequest {
  task: string;
  length?: string;
  /** Stop after this many samples (the first N in the official order). */
  limit?: number;
  /** Only these sample ids. */
  sampleIds?: readonly string[];
}

/** One evaluation item. Only `references`, `scoring` and `meta` are stored; `input` may be huge. */
export interface Sample {
  /** Stable across runs and machines; unique within (benchmark, task, length). */
  id: string;
  task: string;
  length?: string;
  /** Values for the prompt template (context, question, …). */
  input: Record<string, string>;
  references: string[];
  /** Extra scorer inputs (answer keywords, needle values, …), stored so `loom score` can re-score. */
  scoring?: JsonObject;
  /** Descriptive facts recorded with the sample (depth, content hash, generated token length). */
  meta?: JsonObject;
}

export interface BenchmarkContext {
  /** The protocol the run reproduces. */
  protocol?: Protocol;
  /** The max input tokens prompts are fitted to, when known (generators build to it). */
  maxLength?: number;
  /** The model's chat template, for generators whose official budget counts template tokens. */
  chatTemplate?: ChatTemplater;
  cacheDir: string;
  data: DataAccess;
  /** The run's tokenizer; generators measure lengths with it. */
  tokenizer?: Tokenizer;
  seed: number;
  options: JsonObject;
  /**
   * Pinned data of this benchmark's suite entry (`SuiteEntry.data`): a unit listed here reads its
   * rows from that file, checked against its sha256 and id list, not from the benchmark's sources.
   * A benchmark that cannot read pinned files must refuse a unit listed here (`DATA_PINNED`).
   */
  pinnedData?: readonly PinnedDataFile[];
  signal: AbortSignal;
  log: Logger;
  reportDataIssue(issue: DataIssue): void;
  /** Facts that belong in the run manifest (data checksums, generator version, …). */
  recordProvenance(key: string, value: JsonObject): void;
}

/** Which published setting a benchmark reproduces: its official repository, or LOOM-Scope's code. */
export type Protocol = "official" | "loom";
export const PROTOCOLS: readonly Protocol[] = ["official", "loom"];

export interface ScoreInput {
  task: string;
  length?: string;
  prediction: string;
  references: readonly string[];
  scoring?: JsonObject;
  /** The protocol the run reproduces (default `official`). */
  protocol?: Protocol;
  /** The judge bound with `--judge`, for judge-scored metrics. */
  judge?: Judge;
  signal?: AbortSignal;
}
/**
 * Metric id → value on the metric's natural scale (0–1 for F1, accuracy, ROUGE); `null` where the
 * official scorer leaves this sample out of that metric's mean (a judge that gave up, a sample its
 * script skips) — counted apart, never as 0.
 */
export type Scores = Record<string, number | null>;

/** Per-task, per-length metric means (0–100), as core computes them, handed to `aggregate`. */
export interface AggregateCell {
  task: string;
  length: string | null;
  n: number;
  errors: number;
  /** Metric id → list of per-sample values, in sample order (samples a metric left out are not in its list). */
  values: Record<string, number[]>;
  /** Each scored sample's `meta` (e.g. NIAH's needle depth), in sample order. */
  meta?: (JsonObject | null)[];
  /** Each scored sample's id, meta and scores (null where left out), aligned: for aggregations that pair metrics with meta. */
  rows?: { id: string; meta: JsonObject | null; scores: Scores }[];
}

export interface ResultTable {
  title: string;
  rows: string[];
  columns: string[];
  cells: (number | null)[][];
}

export interface BenchmarkAggregate {
  /** The benchmark's headline score on a 0–100 scale. */
  score: number | null;
  /** Per task headline score, 0–100. */
  tasks: Record<string, number | null>;
  /** Per task × length headline score, 0–100. */
  cells: Record<string, Record<string, number | null>>;
  /** Named group means (per-length averages, single-hop / multi-hop, …). */
  groups?: Record<string, number | null>;
  /** Tables shown as the benchmark's own leaderboard layout. */
  tables?: ResultTable[];
}

/**
 * A sample known by its id before it is built. Core applies `limit`, `sampleIds`, resume and
 * `--shard` to ids, and calls `load()` only for the samples it will run: resuming a finished
 * task parses and generates nothing.
 */
export interface SampleHandle {
  id: string;
  /** Parse the row or generate the sample; undefined when the row was malformed (a data issue was reported). */
  load(): Promise<Sample | undefined>;
}

/** A benchmark option, declared so core can validate it before the run and `loom describe` can show it. */
export type OptionSpec =
  | { type: "string"; description: string; default?: string; values?: readonly string[] }
  | { type: "number" | "integer"; description: string; default?: number; min?: number; max?: number }
  | { type: "boolean"; description: string; default?: boolean }
  | { type: "string[]"; description: string; default?: readonly string[]; values?: readonly string[] }
  | { type: "number[]"; description: string; default?: readonly number[]; min?: number; max?: number };

/** What a benchmark is configured with for one run, after core validated the options. */
export interface BenchmarkSettings {
  protocol: Protocol;
  options: JsonObject;
}

/** What `prompt()` may use besides the sample. */
export interface PromptContext {
  tokenizer?: Tokenizer;
  /** The max input tokens the prompt will be fitted to, when known. */
  maxLength?: number;
}

/** One earlier turn of a multi-turn official prompt (LongBench v2's chain of thought). */
export interface PromptTurn {
  prompt: PromptParts;
  output: string;
}

export interface OfficialScoreOptions {
  /** The folder one official evaluation run reads. */
  predictions: string;
  /** Where the official output files go (default: `predictions`). */
  out?: string;
  /** `official` writes what the official script writes; `loom` what LOOM-Scope's scorer writes. */
  protocol?: Protocol;
  judge?: Judge;
  /** The benchmark's declared options, validated (e.g. `allowCodeExecution`, a hash seed). */
  options?: JsonObject;
  log: Logger;
}
export interface OfficialScoreResult {
  /** Files written, for the CLI to print. */
  written: string[];
  summary: string;
}

export interface Benchmark {
  readonly kind: "benchmark";
  readonly apiVersion: 1;
  readonly id: string;
  /** Version of the plugin's data/prompt/metric behaviour, recorded in the manifest. */
  readonly version: string;
  readonly capability: Capability;
  readonly description: string;
  readonly tasks: readonly TaskSpec[];
  /** Stream samples in official order. Never load a whole dataset in memory. */
  samples(request: SampleRequest, ctx: BenchmarkContext): AsyncIterable<Sample>;
  /** How many samples `samples(request)` yields, when cheap to know (for progress bars). */
  count?(request: SampleRequest, ctx: BenchmarkContext): Promise<number | undefined>;
  /**
   * The prompt in parts. May be async and may use the run's tokenizer and max length, for official
   * rules that fit one field themselves (LEval cuts the document word by word to a token budget).
   */
  prompt(sample: Sample, task: TaskSpec, ctx?: PromptContext): PromptParts | Promise<PromptParts>;
  score(input: ScoreInput): Scores | Promise<Scores>;
  /** Turn per-cell metric values into the benchmark's reported numbers; core has a default. */
  aggregate?(cells: readonly AggregateCell[], settings?: BenchmarkSettings): BenchmarkAggregate;
  /** Protocols it reproduces (default: official only). */
  readonly protocols?: readonly Protocol[];
  /** Its options; core refuses unknown or invalid ones before the run (exit 2). */
  readonly options?: Readonly<Record<string, OptionSpec>>;
  /** Every metric its tasks declare, by id: how each aggregates, and which need a judge. */
  readonly metrics?: Readonly<Record<string, MetricInfo>>;
  /** Where its data comes from, one line each, for `loom describe`. */
  readonly dataSources?: readonly string[];
  /**
   * How the official scorer counts a sample that produced no prediction: `score-empty` scores an
   * empty prediction (RULER); `exclude` leaves it out, so a score over failed samples is partial.
   */
  readonly failedSamples?: "score-empty" | "exclude";
  /** This benchmark as configured for a run (protocol-specific tasks, option-dependent prompts). */
  configure?(settings: BenchmarkSettings): Benchmark;
  /** Samples by id first (see `SampleHandle`); preferred by core over `samples()`. */
  handles?(request: SampleRequest, ctx: BenchmarkContext): AsyncIterable<SampleHandle>;
  /** The max input tokens when the user gives none (`window`: the model's, when known). */
  defaultMaxLength?(task: TaskSpec, window: number | undefined): number | undefined;
  /** The next turn of a multi-turn prompt given the turns so far, or undefined when they are done. */
  followUp?(sample: Sample, task: TaskSpec, turns: readonly PromptTurn[]): PromptParts | undefined;
  /** The prediction scored from a multi-turn exchange (default: the last output). LEval's Sci-Fi joins two answers. */
  prediction?(sample: Sample, task: TaskSpec, turns: readonly PromptTurn[]): string;
  /** Re-score prediction files in the official repository's own format (`loom score <id> --predictions`). */
  scoreOfficial?(options: OfficialScoreOptions): Promise<OfficialScoreResult>;
}
