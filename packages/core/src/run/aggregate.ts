import type { AggregateCell, Benchmark, BenchmarkAggregate, BenchmarkResult, RunResults, SampleRecord, Suite } from "@loomscope/spec";

const mean = (values: readonly number[]): number | null =>
  values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
const round2 = (value: number | null): number | null => (value === null ? null : Math.round(value * 100) / 100);

/** Group records into (task, length) cells with per-metric value lists, in record order. */
export function buildCells(records: Iterable<SampleRecord>): AggregateCell[] {
  const cells = new Map<string, AggregateCell>();
  for (const record of records) {
    const key = `${record.task}\u0000${record.length ?? ""}`;
    let cell = cells.get(key);
    if (!cell) {
      cell = { task: record.task, length: record.length, n: 0, errors: 0, values: {}, meta: [], rows: [] };
      cells.set(key, cell);
    }
    if (record.status === "error") {
      cell.errors++;
      continue;
    }
    cell.n++;
    cell.meta!.push(record.meta ?? null);
    cell.rows!.push({ id: record.id, meta: record.meta ?? null, scores: record.scores });
    // A null is a sample the official scorer leaves out of that metric: not in its list.
    for (const [metric, value] of Object.entries(record.scores)) if (value !== null) (cell.values[metric] ??= []).push(value);
  }
  return [...cells.values()];
}

/**
 * The default aggregation: a cell's score is the mean of the task's headline metric × 100; a task's
 * score the mean over all its samples; the benchmark's the mean of its task scores. Errored samples
 * are counted apart and not scored. Benchmarks with an official aggregation override this.
 */
export function defaultAggregate(benchmark: Benchmark, cells: readonly AggregateCell[]): BenchmarkAggregate {
  const headline = new Map(benchmark.tasks.map((t) => [t.id, t.metrics[0]]));
  const out: BenchmarkAggregate = { score: null, tasks: {}, cells: {} };
  const perTask = new Map<string, number[]>();
  for (const cell of cells) {
    const metric = headline.get(cell.task);
    const values = metric ? (cell.values[metric] ?? []) : [];
    (out.cells[cell.task] ??= {})[cell.length ?? "all"] = round2(mean(values) === null ? null : mean(values)! * 100);
    const list = perTask.get(cell.task) ?? [];
    list.push(...values);
    perTask.set(cell.task, list);
  }
  const taskScores: number[] = [];
  // Report tasks in the benchmark's own order, whatever order the records came in.
  const ordered = [...perTask].sort(
    ([a], [b]) => benchmark.tasks.findIndex((t) => t.id === a) - benchmark.tasks.findIndex((t) => t.id === b),
  );
  for (const [task, values] of ordered) {
    const m = mean(values);
    out.tasks[task] = round2(m === null ? null : m * 100);
    if (m !== null) taskScores.push(m * 100);
  }
  out.score = round2(mean(taskScores));
  return out;
}

export function aggregateBenchmark(benchmark: Benchmark, records: readonly SampleRecord[]): BenchmarkResult {
  const cells = buildCells(records);
  const aggregate = benchmark.aggregate ? benchmark.aggregate(cells) : defaultAggregate(benchmark, cells);
  return {
    benchmark: benchmark.id,
    capability: benchmark.capability,
    score: aggregate.score,
    tasks: aggregate.tasks,
    cells: aggregate.cells,
    ...(aggregate.groups ? { groups: aggregate.groups } : {}),
    ...(aggregate.tables ? { tables: aggregate.tables } : {}),
    samples: {
      ok: cells.reduce((a, c) => a + c.n, 0),
      errors: cells.reduce((a, c) => a + c.errors, 0),
    },
  };
}

/** A suite's score from its benchmarks' scores, with the per-capability means beside it. */
export function aggregateSuite(suite: Suite, results: readonly BenchmarkResult[]): NonNullable<RunResults["suite"]> {
  const weights = new Map(suite.entries.map((e) => [e.benchmark, e.weight ?? 1]));
  const scored = results.filter((r) => r.score !== null);
  let score: number | null = null;
  if (scored.length > 0) {
    if (suite.aggregation.rule === "weighted-mean") {
      const total = scored.reduce((a, r) => a + (weights.get(r.benchmark) ?? 1), 0);
      score = scored.reduce((a, r) => a + r.score! * (weights.get(r.benchmark) ?? 1), 0) / total;
    } else {
      score = mean(scored.map((r) => r.score!));
    }
  }
  const capabilities: Record<string, number | null> = {};
  const byCapability = new Map<string, number[]>();
  for (const r of scored) byCapability.set(r.capability, [...(byCapability.get(r.capability) ?? []), r.score!]);
  for (const [capability, values] of byCapability) capabilities[capability] = round2(mean(values));
  return { id: suite.id, version: suite.version, score: round2(score), rule: suite.aggregation.rule, capabilities };
}
