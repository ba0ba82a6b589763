import { beforeAll, describe, expect, it } from "vitest";
import {
  CAPABILITIES,
  PromptPartsSchema,
  type AggregateCell,
  type Benchmark,
  type BenchmarkContext,
  type Judge,
  type Language,
  type Sample,
  type SampleRequest,
  type TaskSpec,
  type Scores,
} from "@loomscope/spec";
import { createTestBenchmarkContext, type TestBenchmarkContextOptions } from "../context.js";
import { expectJsonObject, expectPluginId, registerManifestTests, templateFields, type PackageDir } from "./shared.js";

export interface BenchmarkConformanceOptions {
  /** The plugin package's folder (with package.json), to check the manifest against the export. */
  packageDir?: PackageDir;
  /**
   * Context for `samples()`: a ready context, a factory (called per stream, so the stability check
   * gets a fresh one), or options for `createTestBenchmarkContext`. Default: an empty test context.
   */
  context?: BenchmarkContext | (() => BenchmarkContext) | TestBenchmarkContextOptions;
  /** The sample requests to stream. Default: each task, at its first length if any, `samplesPerTask` samples. */
  requests?: readonly SampleRequest[];
  /** Default 3. */
  samplesPerTask?: number;
  /** Whether a perfect prediction (`references[0]`) must score at least as high as an empty one on the headline metric. Default true. */
  perfectScoresAtLeastEmpty?: boolean;
  /** Per-test timeout in ms (default 60000). */
  timeoutMs?: number;
  /** A judge for judge-scored metrics (a scripted one), passed to every `score()` call. */
  judge?: Judge;
  /**
   * `scores` (default): an empty prediction is scored. `rejects`: the official scorer crashes on an
   * empty prediction (LongWriter divides by zero), so `score()` must reject with a clear error (an
   * Error with a message) instead of inventing a number.
   */
  emptyPrediction?: "scores" | "rejects";
  /** The prediction that should score best (default: `references[0]`), for benchmarks scored without references. */
  perfectPrediction?(sample: Sample): string;
  /** Whether every sample must carry references (default true; false for reference-free benchmarks such as LongBench-Write). */
  referencesRequired?: boolean;
  /** The per-sample values the aggregate check feeds for a metric (default `[0, 0.5, 1]`; e.g. `[1, 3, 5]` for a raw 1-5 judge rating). */
  aggregateValues?(metric: string): number[];
}

/** Every language a task may declare (a Record, so a language added to the spec must be added here). */
const LANGUAGES = Object.keys({ en: true, zh: true, ru: true, multi: true, code: true } satisfies Record<Language, true>);

function isContext(value: unknown): value is BenchmarkContext {
  return typeof value === "object" && value !== null && "data" in value && "reportDataIssue" in value;
}

function label(request: SampleRequest): string {
  let out = request.length === undefined ? request.task : `${request.task}/${request.length}`;
  if (request.limit !== undefined) out += ` limit=${request.limit}`;
  if (request.sampleIds !== undefined) out += ` ids=${request.sampleIds.length}`;
  return out;
}

async function collect(benchmark: Benchmark, request: SampleRequest, ctx: BenchmarkContext, cap: number): Promise<Sample[]> {
  const out: Sample[] = [];
  for await (const sample of benchmark.samples(request, ctx)) {
    out.push(sample);
    if (out.length > cap) break;
  }
  return out;
}

/**
 * Registers vitest tests checking a benchmark plugin against the v1 contract: the export and its
 * package.json manifest, its tasks, `samples()` (well-formed, unique, stable ids; limit and
 * sampleIds honoured), `prompt()` (valid PromptParts, every placeholder provided), `score()`
 * (finite numbers, or null where the official scorer leaves a sample out, with the headline metric for empty and perfect predictions) and `aggregate()`.
 * Call it at the top level of a test file.
 */
export function runBenchmarkConformance(benchmark: Benchmark, options: BenchmarkConformanceOptions = {}): void {
  const timeout = options.timeoutMs ?? 60_000;
  const perTask = options.samplesPerTask ?? 3;
  const makeContext = (): BenchmarkContext => {
    const c = options.context;
    if (typeof c === "function") return c();
    if (isContext(c)) return c;
    return createTestBenchmarkContext(c ?? {});
  };
  const tasks: readonly TaskSpec[] = Array.isArray(benchmark?.tasks) ? benchmark.tasks : [];
  const requests: SampleRequest[] = options.requests
    ? [...options.requests]
    : tasks.map((t) => ({ task: t.id, ...(t.lengths[0] !== undefined ? { length: t.lengths[0] } : {}), limit: perTask }));
  const samples = new Map<string, Sample[]>();

  describe(`benchmark conformance: ${String(benchmark?.id)}`, () => {
    it("default export is a v1 benchmark", () => {
      expect(benchmark.kind).toBe("benchmark");
      expect(benchmark.apiVersion).toBe(1);
      expectPluginId(benchmark.id);
      expect(typeof benchmark.version === "string" && benchmark.version.length > 0, "version is a non-empty string").toBe(true);
      expect(CAPABILITIES).toContain(benchmark.capability);
      expect(typeof benchmark.description === "string" && benchmark.description.length > 0, "description is a non-empty string").toBe(true);
      for (const fn of ["samples", "prompt", "score"] as const) expect(typeof benchmark[fn], `${fn} is a function`).toBe("function");
      for (const fn of ["count", "aggregate", "scoreOfficial"] as const) {
        if (benchmark[fn] !== undefined) expect(typeof benchmark[fn], `${fn} is a function when present`).toBe("function");
      }
    });

    registerManifestTests(options.packageDir, "benchmark", () => benchmark);

    it("tasks are well-formed", () => {
      expect(tasks.length, "at least one task").toBeGreaterThan(0);
      const ids = tasks.map((t) => t.id);
      expect(new Set(ids).size, "task ids are unique").toBe(ids.length);
      for (const t of tasks) {
        expect(typeof t.id === "string" && t.id.length > 0, "task id is a non-empty string").toBe(true);
        expect(LANGUAGES, `task ${t.id} language`).toContain(t.language);
        expect(Array.isArray(t.lengths), `task ${t.id} lengths is an array`).toBe(true);
        expect(new Set(t.lengths).size, `task ${t.id} lengths are unique`).toBe(t.lengths.length);
        for (const l of t.lengths) expect(typeof l === "string" && l.length > 0, `task ${t.id} length ${String(l)}`).toBe(true);
        expect(Number.isInteger(t.maxNewTokens) && t.maxNewTokens > 0, `task ${t.id} maxNewTokens is a positive integer`).toBe(true);
        expect(t.metrics.length, `task ${t.id} has a headline metric`).toBeGreaterThan(0);
        for (const m of t.metrics) expect(typeof m === "string" && m.length > 0, `task ${t.id} metric id`).toBe(true);
        if (t.retrieval !== undefined) expect(["suitable", "unsuitable"]).toContain(t.retrieval);
        if (t.tags !== undefined) for (const tag of t.tags) expect(typeof tag).toBe("string");
      }
    });

    for (const request of requests) {
      const name = label(request);
      describe(`samples(${name})`, () => {
        beforeAll(async () => {
          samples.set(name, await collect(benchmark, request, makeContext(), request.limit ?? Number.POSITIVE_INFINITY));
        }, timeout);

        it("streams well-formed samples", () => {
          const got = samples.get(name) ?? [];
          expect(got.length, "samples() yields at least one sample").toBeGreaterThan(0);
          if (request.limit !== undefined) expect(got.length, "limit is honoured").toBeLessThanOrEqual(request.limit);
          // A task scored only by a judge model (a safety verdict) may have no reference answer.
          const task = tasks.find((t) => t.id === request.task);
          const judgedOnly = task !== undefined && task.metrics.length > 0 && task.metrics.every((m) => benchmark.metrics?.[m]?.judge !== undefined);
          for (const s of got) {
            expect(typeof s.id === "string" && s.id.length > 0, "sample id is a non-empty string").toBe(true);
            expect(s.task).toBe(request.task);
            if (request.length !== undefined) expect(s.length).toBe(request.length);
            expect(typeof s.input === "object" && s.input !== null, `sample ${s.id} input is an object`).toBe(true);
            for (const [k, v] of Object.entries(s.input)) expect(typeof v, `sample ${s.id} input.${k} is a string`).toBe("string");
            expect(Array.isArray(s.references) && (judgedOnly || s.references.length > 0 || options.referencesRequired === false), `sample ${s.id} has references`).toBe(true);
            for (const r of s.references) expect(typeof r, `sample ${s.id} references are strings`).toBe("string");
            if (s.scoring !== undefined) expectJsonObject(s.scoring, `sample ${s.id} scoring`);
            if (s.meta !== undefined) expectJsonObject(s.meta, `sample ${s.id} meta`);
          }
          const ids = got.map((s) => s.id);
          expect(new Set(ids).size, "sample ids are unique").toBe(ids.length);
        });

        it(
          "ids are stable across runs, and sampleIds / count() are honoured",
          async () => {
            const first = samples.get(name) ?? [];
            expect(first.length).toBeGreaterThan(0);
            const again = await collect(benchmark, request, makeContext(), request.limit ?? Number.POSITIVE_INFINITY);
            expect(again.map((s) => s.id), "a second run yields the same ids in the same order").toEqual(first.map((s) => s.id));
            const pick = first[first.length - 1] as Sample;
            const { limit: _limit, ...unlimited } = request;
            void _limit;
            const only = await collect(benchmark, { ...unlimited, sampleIds: [pick.id] }, makeContext(), 10);
            expect(only.map((s) => s.id), "sampleIds selects exactly those samples").toEqual([pick.id]);
            if (benchmark.count !== undefined) {
              const n = await benchmark.count(request, makeContext());
              if (n !== undefined) expect(n, "count(request) equals the number of samples yielded").toBe(first.length);
            }
          },
          timeout,
        );

        it("prompt() returns valid PromptParts whose placeholders are all provided", async () => {
          const got = samples.get(name) ?? [];
          expect(got.length).toBeGreaterThan(0);
          const task = tasks.find((t) => t.id === request.task) as TaskSpec;
          for (const s of got) {
            const parts = await benchmark.prompt(s, task);
            const parsed = PromptPartsSchema.safeParse(parts);
            expect(parsed.success, `prompt(${s.id}) is valid PromptParts: ${parsed.success ? "" : parsed.error.message}`).toBe(true);
            if (!parsed.success) continue;
            const p = parsed.data;
            let fields: string[] = [];
            if (p.replacements) {
              // Rendered by str.replace (LongBench v2's $DOC$): every replacement names a value; the template need not be a format string.
              for (const r of p.replacements) expect(Object.keys(p.values), `prompt(${s.id}) provides the value of ${r.placeholder}`).toContain(r.key);
            } else expect(() => (fields = templateFields(p.template)), `prompt(${s.id}) template is a valid format string`).not.toThrow();
            for (const f of fields) {
              expect(f, `prompt(${s.id}) template uses named fields, not positional ones`).not.toBe("");
              expect(Object.keys(p.values), `prompt(${s.id}) provides {${f}}`).toContain(f);
            }
            expect(Object.keys(p.values), `prompt(${s.id}) values hold the contextKey "${p.contextKey}"`).toContain(p.contextKey);
            if (p.queryKey !== undefined) expect(Object.keys(p.values), `prompt(${s.id}) values hold the queryKey`).toContain(p.queryKey);
          }
        });

        it(
          "score() returns finite numbers (null where the official scorer leaves the sample out) with the headline metric, for empty and perfect predictions",
          async () => {
            const got = samples.get(name) ?? [];
            expect(got.length).toBeGreaterThan(0);
            const task = tasks.find((t) => t.id === request.task) as TaskSpec;
            const headline = task.metrics[0] as string;
            for (const s of got) {
              const base = {
                task: s.task,
                ...(s.length !== undefined ? { length: s.length } : {}),
                references: s.references,
                ...(s.scoring !== undefined ? { scoring: s.scoring } : {}),
                ...(options.judge !== undefined ? { judge: options.judge } : {}),
              };
              const perfect = await benchmark.score({ ...base, prediction: options.perfectPrediction ? options.perfectPrediction(s) : (s.references[0] ?? "") });
              let empty: Scores | undefined;
              if (options.emptyPrediction === "rejects") {
                const error: unknown = await Promise.resolve()
                  .then(() => benchmark.score({ ...base, prediction: "" }))
                  .then(
                    () => undefined,
                    (e: unknown) => e,
                  );
                expect(error instanceof Error && error.message.length > 0, `score(empty) rejects with a clear error, as the official scorer stops (sample ${s.id})`).toBe(true);
              } else empty = await benchmark.score({ ...base, prediction: "" });
              for (const [which, scores] of [
                ["empty", empty],
                ["perfect", perfect],
              ] as const) {
                if (scores === undefined) continue;
                expect(typeof scores === "object" && scores !== null, `score(${which}) returns an object`).toBe(true);
                // null: the official scorer leaves the sample out of that metric (counted apart).
                for (const [metric, value] of Object.entries(scores)) {
                  expect(value === null || Number.isFinite(value), `score(${which}) ${metric} = ${String(value)} is finite or null (sample ${s.id})`).toBe(true);
                }
                expect(Object.keys(scores), `score(${which}) has the headline metric "${headline}" (sample ${s.id})`).toContain(headline);
              }
              expect(perfect[headline], `a perfect prediction gets a number on the headline metric (sample ${s.id})`).not.toBeNull();
              if (empty !== undefined && (options.perfectScoresAtLeastEmpty ?? true) && empty[headline] !== null) {
                expect(perfect[headline] as number, `perfect prediction scores at least as high as an empty one (sample ${s.id})`).toBeGreaterThanOrEqual(empty[headline] as number);
              }
            }
          },
          timeout,
        );
      });
    }

    it.skipIf(typeof benchmark?.aggregate !== "function")("aggregate() reports 0-100 scores for every task", () => {
      const cells: AggregateCell[] = [];
      for (const t of tasks) {
        const lengths = t.lengths.length > 0 ? t.lengths : [null];
        for (const length of lengths) {
          const values: Record<string, number[]> = {};
          for (const m of t.metrics) values[m] = options.aggregateValues?.(m) ?? [0, 0.5, 1];
          cells.push({ task: t.id, length, n: 3, errors: 0, values });
        }
      }
      const result = (benchmark.aggregate as NonNullable<Benchmark["aggregate"]>)(cells);
      const inRange = (v: number | null): boolean => v === null || (Number.isFinite(v) && v >= 0 && v <= 100);
      expect(inRange(result.score), `aggregate score ${String(result.score)} is null or within 0-100`).toBe(true);
      for (const [task, v] of Object.entries(result.tasks)) {
        expect(tasks.map((t) => t.id), `aggregate names known tasks`).toContain(task);
        expect(inRange(v), `task ${task} score within 0-100`).toBe(true);
      }
      for (const row of Object.values(result.cells)) for (const v of Object.values(row)) expect(inRange(v)).toBe(true);
      if (result.groups !== undefined) for (const v of Object.values(result.groups)) expect(inRange(v)).toBe(true);
    });
  });
}
