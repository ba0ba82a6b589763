/**
 * What every kit benchmark shares: the spec `Benchmark` assembled from a definition — tasks for the
 * configured protocol, prompts from the task rows, scores from the metric objects, options and
 * protocols declared for core, `samples()`/`count()` derived from the ids-first `handles()`.
 */
import {
  LoomError,
  PROTOCOLS,
  type AggregateCell,
  type Benchmark,
  type BenchmarkAggregate,
  type BenchmarkContext,
  type BenchmarkSettings,
  type Capability,
  type JsonObject,
  type MetricInfo,
  type OfficialScoreOptions,
  type OfficialScoreResult,
  type OptionSpec,
  type PromptContext,
  type PromptParts,
  type PromptTurn,
  type Protocol,
  type Sample,
  type SampleHandle,
  type SampleRequest,
  type ScoreInput,
  type Scores,
  type TaskSpec,
} from "@loomscope/spec";
import { metricInfo } from "@loomscope/metrics";
import { checkPinnedIds, pinnedDataFile, pinnedFileFor, unitIdsPin } from "./pinned.js";
import type { DataFile } from "./sources.js";
import { promptFromRow, resolveTask, taskInProtocol, toTaskSpec, type ResolvedTask, type TaskRow } from "./tasks.js";

export type OptionsShape = Readonly<Record<string, OptionSpec>>;

type ValueOf<S extends OptionSpec> = S extends { type: "string"; values: readonly (infer V)[] }
  ? V
  : S extends { type: "string" }
    ? string
    : S extends { type: "number" | "integer" }
      ? number
      : S extends { type: "boolean" }
        ? boolean
        : S extends { type: "string[]"; values: readonly (infer V)[] }
          ? V[]
          : S extends { type: "number[]" }
            ? number[]
            : string[];

/** The parsed option values a benchmark receives (defaults filled in by core). */
export type OptionValues<O extends OptionsShape> = {
  readonly [K in keyof O]: O[K] extends { default: unknown } ? ValueOf<O[K]> : ValueOf<O[K]> | undefined;
};

/** A run's settings as the benchmark's own code sees them. */
export interface Settings<O extends OptionsShape> {
  protocol: Protocol;
  options: OptionValues<O>;
}

/** One (task, length) of the plan, as data sources and generators see it. */
export interface Unit<O extends OptionsShape> extends Settings<O> {
  task: ResolvedTask;
  /** The length level, or undefined when length is not a dimension of the task. */
  length: string | undefined;
}

/** Work the kit did, counted: what resuming or sharding saves is asserted on these. */
export interface KitStats {
  /** Rows read from data files (cheap: not parsed unless loaded). */
  rows: number;
  /** Samples built: rows parsed and turned into samples, or samples generated. */
  loaded: number;
}

export interface KitBenchmark extends Benchmark {
  readonly stats: KitStats;
}

/** What a sample's builder returns; the kit fills in task, length and (by default) the id. */
export type SampleBody = Omit<Sample, "task" | "length" | "id"> & { id?: string };

export interface CommonDefinition<O extends OptionsShape> {
  id: string;
  /** Version of the plugin's data/prompt/metric behaviour, recorded in the manifest. */
  version: string;
  capability: Capability;
  description: string;
  /** The task table; a function of the settings when an option changes it (a model family's budgets). */
  tasks: readonly TaskRow[] | ((settings: Settings<O>) => readonly TaskRow[]);
  /** Protocols reproduced; default official only. */
  protocols?: readonly Protocol[];
  options?: O;
  /** How the official scorer counts a sample without a prediction (default `exclude`). */
  failedSamples?: "score-empty" | "exclude";
  /** The official aggregation (default: core's mean per metric). */
  aggregate?(cells: readonly AggregateCell[], settings: Settings<O>): BenchmarkAggregate;
  /** `loom score <id> --predictions DIR`: the official prediction layout in, the official files out. */
  scoreOfficial?(options: OfficialScoreOptions): Promise<OfficialScoreResult>;
  /** Exception hook: prompt parts for a sample when the task row cannot say it (may use the tokenizer and max length). */
  prompt?(sample: Sample, task: ResolvedTask, settings: Settings<O>, ctx: PromptContext): PromptParts | Promise<PromptParts>;
  /** Exception hook: scores for a prediction when the metric objects cannot say it. */
  score?(input: ScoreInput, task: ResolvedTask, settings: Settings<O>): Scores | Promise<Scores>;
  /** Multi-turn official prompts: the next turn, or undefined when the exchange is over. */
  followUp?(sample: Sample, task: ResolvedTask, turns: readonly PromptTurn[], settings: Settings<O>): PromptParts | undefined;
  /** The prediction of a multi-turn exchange (default: the last output). */
  prediction?(sample: Sample, task: ResolvedTask, turns: readonly PromptTurn[], settings: Settings<O>): string;
  /** The official max input length when the user gives none (`window`: the model's, when known). */
  maxLength?(task: ResolvedTask, window: number | undefined, settings: Settings<O>): number | undefined;
  /**
   * Refuse settings that are valid one by one but not together, before the run (throw a LoomError
   * with code USAGE): e.g. an option whose official setting the chosen protocol's code does not have.
   */
  validate?(settings: Settings<O>): void;
  /** A task row as the run's options make it (e.g. a judge metric an option turns off), after the protocol's overrides. */
  configureTask?(task: ResolvedTask, settings: Settings<O>): ResolvedTask;
}

/** How a benchmark kind produces samples: ids first, then the sample. */
export interface Sampler<O extends OptionsShape> {
  handles(unit: Unit<O>, ctx: BenchmarkContext, stats: KitStats): AsyncIterable<SampleHandle>;
  /** Samples in a unit before limit and filters, when known without reading the data. */
  count?(unit: Unit<O>, ctx: BenchmarkContext): Promise<number | undefined> | number | undefined;
  /** The unit's handles from a pinned data file instead of its own sources; absent for generated samples. */
  pinned?(unit: Unit<O>, file: DataFile, ctx: BenchmarkContext, stats: KitStats): AsyncIterable<SampleHandle>;
  dataSources: readonly string[];
}

/** Default option values, for a benchmark used without core's option parsing. */
export function optionDefaults(options: OptionsShape | undefined): JsonObject {
  const out: JsonObject = {};
  for (const [key, spec] of Object.entries(options ?? {})) if (spec.default !== undefined) out[key] = spec.default as JsonObject[string];
  return out;
}

function unitOf<O extends OptionsShape>(tasks: ReadonlyMap<string, ResolvedTask>, request: SampleRequest, settings: Settings<O>, benchmark: string): Unit<O> {
  const task = tasks.get(request.task);
  if (!task) {
    throw new LoomError("UNKNOWN_TASK", `${benchmark} has no task "${request.task}"`, { hint: `tasks: ${[...tasks.keys()].join(", ")}` });
  }
  if (request.length !== undefined && !task.lengths.includes(request.length)) {
    throw new LoomError("UNKNOWN_LENGTH", `${benchmark}/${task.id} has no length level "${request.length}"`, {
      hint: task.lengths.length ? `length levels: ${task.lengths.join(", ")}` : "this task has no length levels",
    });
  }
  return { ...settings, task, length: request.length };
}

/** Every (length) of a request: the one asked for, or all of the task's. */
function unitsOf<O extends OptionsShape>(tasks: ReadonlyMap<string, ResolvedTask>, request: SampleRequest, settings: Settings<O>, benchmark: string): Unit<O>[] {
  const first = unitOf(tasks, request, settings, benchmark);
  if (request.length !== undefined || first.task.lengths.length === 0) return [first];
  return first.task.lengths.map((length) => ({ ...first, length }));
}

/** Assembles the spec `Benchmark` of a definition under one protocol and set of options. */
export function assemble<O extends OptionsShape>(def: CommonDefinition<O>, sampler: Sampler<O>, settings: Settings<O>, stats: KitStats): KitBenchmark {
  const protocols = def.protocols ?? ["official"];
  for (const p of protocols) if (!PROTOCOLS.includes(p)) throw new LoomError("DEFINITION", `${def.id}: unknown protocol "${p}"`);
  const table = taskRows(def, settings);
  def.validate?.(settings);
  const active = protocols.includes(settings.protocol) ? settings.protocol : "official";
  const configured = (task: ResolvedTask): ResolvedTask => (def.configureTask ? def.configureTask(task, settings) : task);
  const rows = new Map(table.filter((row) => taskInProtocol(row, active)).map((row) => [row.id, configured(resolveTask(row, active))]));
  if (rows.size === 0) throw new LoomError("DEFINITION", `${def.id}: no task is available under --protocol ${active}`);
  const tasks: TaskSpec[] = [...rows.values()].map(toTaskSpec);
  const metrics: Record<string, MetricInfo> = {};
  for (const protocol of protocols) {
    for (const row of table) if (taskInProtocol(row, protocol)) for (const m of resolveTask(row, protocol).metrics) metrics[m.id] ??= metricInfo(m);
  }
  const rowOf = (id: string): ResolvedTask => {
    const row = rows.get(id);
    if (!row) throw new LoomError("UNKNOWN_TASK", `${def.id} has no task "${id}"`, { hint: `tasks: ${[...rows.keys()].join(", ")}` });
    return row;
  };

  const benchmark: KitBenchmark = {
    kind: "benchmark",
    apiVersion: 1,
    id: def.id,
    version: def.version,
    capability: def.capability,
    description: def.description,
    tasks,
    protocols,
    ...(def.options ? { options: def.options } : {}),
    metrics,
    dataSources: sampler.dataSources,
    failedSamples: def.failedSamples ?? "exclude",
    stats,

    configure(next: BenchmarkSettings): KitBenchmark {
      return assemble(def, sampler, { protocol: next.protocol, options: next.options as OptionValues<O> }, stats);
    },

    async *handles(request, ctx) {
      for (const unit of unitsOf(rows, request, settings, def.id)) {
        const pinned = pinnedFileFor(ctx, unit.task.id, unit.length);
        const where = `${def.id}/${unit.task.id}${unit.length !== undefined ? `/${unit.length}` : ""}`;
        if (!pinned && ctx.pinnedData) {
          // A member whose data the suite pins reads nothing else: an unlisted unit is not silently read from the official sources.
          throw new LoomError("DATA_PINNED", `${where}: the suite pins this benchmark's data and lists no file for this unit`, {
            hint: ctx.pinnedData.length ? `pinned units: ${ctx.pinnedData.map((p) => `${p.task}${p.length ? `/${p.length}` : ""}`).join(", ")}` : "the suite's lock lists no file of this member yet: complete it from the dataset's file list",
          });
        }
        if (!pinned) {
          yield* sampler.handles(unit, ctx, stats);
          continue;
        }
        if (!sampler.pinned) {
          throw new LoomError("DATA_PINNED", `${where}: the suite pins the data file ${pinned.file.path}, and this benchmark generates its samples: it cannot read a data file`, {
            hint: "remove `data` from the suite entry (the samples are generated with the entry's options)",
          });
        }
        yield* checkPinnedIds(sampler.pinned(unit, pinnedDataFile(pinned), ctx, stats), pinned, unit.length, where);
      }
    },

    async *samples(request, ctx) {
      const wanted = request.sampleIds ? new Set(request.sampleIds) : undefined;
      let taken = 0;
      for await (const handle of this.handles!(request, ctx)) {
        if (ctx.signal.aborted) return;
        if (request.limit !== undefined && taken >= request.limit) return;
        taken++;
        if (wanted && !wanted.has(handle.id)) continue;
        const sample = await handle.load();
        if (sample) yield sample;
      }
    },

    async count(request, ctx) {
      let total = 0;
      for (const unit of unitsOf(rows, request, settings, def.id)) {
        const pinned = pinnedFileFor(ctx, unit.task.id, unit.length);
        const n = pinned ? unitIdsPin(pinned, unit.length)?.count : await sampler.count?.(unit, ctx);
        if (n === undefined) return undefined;
        total += n;
      }
      if (request.limit !== undefined) total = Math.min(total, request.limit);
      if (request.sampleIds) total = Math.min(total, request.sampleIds.length);
      return total;
    },

    prompt(sample, task, ctx) {
      const row = rowOf(task.id);
      return def.prompt ? def.prompt(sample, row, settings, ctx ?? {}) : promptFromRow(row, sample);
    },

    async score(input) {
      const row = rowOf(input.task);
      const scoring = { ...input, protocol: input.protocol ?? settings.protocol };
      if (def.score) return def.score(scoring, row, settings);
      const scores: Scores = {};
      for (const metric of row.metrics) {
        if (metric.judge && !input.judge) {
          throw new LoomError("JUDGE_MISSING", `${def.id}/${row.id}: metric ${metric.id} is scored by a judge model (${metric.judge}) and none is bound`, {
            hint: "pass --judge <backend:model>, e.g. --judge openai:gpt-4o",
          });
        }
        scores[metric.id] = await metric.score({
          prediction: input.prediction,
          references: input.references,
          ...(input.scoring ? { scoring: input.scoring } : {}),
          task: input.task,
          ...(input.length !== undefined ? { length: input.length } : {}),
          protocol: scoring.protocol,
          ...(input.judge ? { judge: input.judge } : {}),
          ...(input.signal ? { signal: input.signal } : {}),
        });
      }
      return scores;
    },

    ...(def.aggregate ? { aggregate: (cells: readonly AggregateCell[]) => def.aggregate!(cells, settings) } : {}),
    ...(def.scoreOfficial ? { scoreOfficial: def.scoreOfficial } : {}),
    ...(def.followUp ? { followUp: (sample: Sample, task: TaskSpec, turns: readonly PromptTurn[]) => def.followUp!(sample, rowOf(task.id), turns, settings) } : {}),
    ...(def.prediction ? { prediction: (sample: Sample, task: TaskSpec, turns: readonly PromptTurn[]) => def.prediction!(sample, rowOf(task.id), turns, settings) } : {}),
    ...(def.maxLength ? { defaultMaxLength: (task: TaskSpec, window: number | undefined) => def.maxLength!(rowOf(task.id), window, settings) } : {}),
  };
  return benchmark;
}

/** The task rows under some settings. */
export function taskRows<O extends OptionsShape>(def: Pick<CommonDefinition<O>, "tasks">, settings: Settings<O>): readonly TaskRow[] {
  return typeof def.tasks === "function" ? def.tasks(settings) : def.tasks;
}

/** The settings of a benchmark used as loaded, before core configures it. */
export function defaultSettings<O extends OptionsShape>(def: CommonDefinition<O>): Settings<O> {
  return { protocol: "official", options: optionDefaults(def.options) as OptionValues<O> };
}

/** The sample a handle builds: the body from the benchmark plus task, length and id. */
export function completeSample(body: SampleBody, unit: { task: ResolvedTask; length: string | undefined }, id: string): Sample {
  const { id: _ignored, ...rest } = body;
  return { ...rest, id, task: unit.task.id, ...(unit.length !== undefined ? { length: unit.length } : {}) };
}
