/**
 * Aggregate: records → the numbers a run reports. Every planned cell (benchmark × task × length)
 * appears with its planned, scored, failed and not-run counts and every declared metric's mean ±
 * standard error; the benchmark's score follows its official aggregation, with failed samples
 * counted as the official scorer counts them (`score-empty`) or the score marked partial; the
 * benchmark score carries a bootstrap interval. Published numbers are rounded with Python's round.
 */
import type {
  AggregateCell,
  Benchmark,
  BenchmarkAggregate,
  BenchmarkResult,
  CellStatus,
  MetricInfo,
  RunResults,
  SampleRecord,
  Suite,
} from "@loomscope/spec";
import { bootstrapInterval, meanStderr, pythonRound } from "@loomscope/metrics";

const mean = (values: readonly number[]): number | null => (values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length);
/** Python's round(x, 2): the published numbers of loomscope's own aggregations. */
const round2 = (value: number | null): number | null => (value === null ? null : pythonRound(value, 2));
const ALL = "all";

/** Group records into (task, length) cells with per-metric value lists, in record order. */
export function buildCells(records: Iterable<SampleRecord>): AggregateCell[] {
  const cells = new Map<string, AggregateCell>();
  for (const record of records) {
    // A skipped sample was never sent: it is in no cell (counted as not run in the status).
    if (record.status === "skipped") continue;
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
 * The default aggregation: a cell's score is the mean of the task's headline metric × its scale; a
 * task's score the mean over all its samples; the benchmark's the mean of its task scores.
 */
export function defaultAggregate(benchmark: Benchmark, cells: readonly AggregateCell[]): BenchmarkAggregate {
  const headline = new Map(benchmark.tasks.map((t) => [t.id, t.metrics[0]]));
  const scaleOf = (metric: string | undefined) => (metric ? (benchmark.metrics?.[metric]?.scale ?? 100) : 100);
  const out: BenchmarkAggregate = { score: null, tasks: {}, cells: {} };
  const perTask = new Map<string, number[]>();
  for (const cell of cells) {
    const metric = headline.get(cell.task);
    const values = metric ? (cell.values[metric] ?? []) : [];
    const m = mean(values);
    (out.cells[cell.task] ??= {})[cell.length ?? ALL] = round2(m === null ? null : m * scaleOf(metric));
    perTask.set(cell.task, [...(perTask.get(cell.task) ?? []), ...values]);
  }
  const taskScores: number[] = [];
  // Report tasks in the benchmark's own order, whatever order the records came in.
  for (const task of benchmark.tasks) {
    const values = perTask.get(task.id);
    if (!values) continue;
    const m = mean(values);
    const score = m === null ? null : m * scaleOf(headline.get(task.id));
    out.tasks[task.id] = round2(score);
    if (score !== null) taskScores.push(score);
  }
  out.score = round2(mean(taskScores));
  return out;
}

/** What the run knows about the plan, beyond the records. */
export interface PlanFacts {
  /** Keys (`sampleKey`) of every planned sample; absent for results of a run directory without a plan. */
  planned?: ReadonlySet<string>;
  /** The planned (task, length) units, so cells without any record still appear. */
  units?: readonly { task: string; length: string | null }[];
  /** Units that could not run, by `${task}\u0000${length}`: why. */
  unitErrors?: ReadonlyMap<string, string>;
  protocol?: "official" | "loom";
  judge?: string | null;
  /** Bootstrap resamples for the score interval (default 1000; 0 to skip). */
  bootstrap?: number;
}

const cellKey = (task: string, length: string | null) => `${task}\u0000${length ?? ""}`;

function statusOf(records: readonly SampleRecord[], planned: number, metricIds: readonly string[], metrics: Benchmark["metrics"], unitError: string | null): CellStatus {
  const ok = records.filter((r) => r.status === "ok");
  const failed = records.filter((r) => r.status === "error");
  const skipped = records.filter((r) => r.status === "skipped");
  const stats: CellStatus["metrics"] = {};
  for (const id of metricIds) {
    const scale = metrics?.[id]?.scale ?? 100;
    const values = ok.flatMap((r) => (typeof r.scores[id] === "number" ? [r.scores[id] as number] : []));
    const s = meanStderr(values);
    stats[id] = { mean: s.mean === null ? null : s.mean * scale, stderr: s.stderr === null ? null : s.stderr * scale, n: s.n };
  }
  return {
    planned: Math.max(planned, records.length),
    scored: ok.length,
    failed: failed.length,
    notRun: Math.max(0, planned - records.length) + skipped.length,
    ...(skipped.length > 0 ? { skipped: skipped.length, skipReason: skipped[0]?.error?.message ?? null } : {}),
    unitError,
    firstError: failed[0]?.error?.message ?? null,
    metrics: stats,
  };
}

/** Results of one benchmark over its planned samples' records (failed ones already scored as empty where the official rule says so). */
export function aggregateBenchmark(benchmark: Benchmark, records: readonly SampleRecord[], facts: PlanFacts = {}): BenchmarkResult {
  const rule = benchmark.failedSamples ?? "exclude";
  // score-empty: a failed sample counts as scored (its scores are an empty prediction's).
  const counted = rule === "score-empty" ? records.map((r) => (r.status === "error" && Object.keys(r.scores).length ? { ...r, status: "ok" as const } : r)) : records;
  const aggregateOf = (cells: readonly AggregateCell[]) => (benchmark.aggregate ? benchmark.aggregate(cells) : defaultAggregate(benchmark, cells));
  const cells = buildCells(counted);
  const aggregate = aggregateOf(cells);

  const taskMetrics = new Map(benchmark.tasks.map((t) => [t.id, t.metrics]));
  const units = facts.units ?? cells.map((c) => ({ task: c.task, length: c.length }));
  const plannedIn = new Map<string, number>();
  for (const key of facts.planned ?? []) {
    const [, task = "", length = ""] = key.split("\u0000");
    plannedIn.set(cellKey(task, length === "" ? null : length), (plannedIn.get(cellKey(task, length === "" ? null : length)) ?? 0) + 1);
  }
  const byCell = new Map<string, SampleRecord[]>();
  for (const r of records) byCell.set(cellKey(r.task, r.length), [...(byCell.get(cellKey(r.task, r.length)) ?? []), r]);

  const status: NonNullable<BenchmarkResult["status"]> = { cells: {}, tasks: {}, total: statusOf([], 0, [], undefined, null) };
  const errors: string[] = [];
  for (const unit of units) {
    const key = cellKey(unit.task, unit.length);
    const unitError = facts.unitErrors?.get(key) ?? null;
    if (unitError) errors.push(`${unit.task}${unit.length ? `/${unit.length}` : ""}: ${unitError}`);
    (status.cells[unit.task] ??= {})[unit.length ?? ALL] = statusOf(byCell.get(key) ?? [], plannedIn.get(key) ?? 0, taskMetrics.get(unit.task) ?? [], benchmark.metrics, unitError);
  }
  const sumStatus = (parts: readonly CellStatus[], recs: readonly SampleRecord[], metricIds: readonly string[]): CellStatus => ({
    ...statusOf(recs, 0, metricIds, benchmark.metrics, null),
    planned: parts.reduce((a, c) => a + c.planned, 0),
    notRun: parts.reduce((a, c) => a + c.notRun, 0),
    unitError: parts.find((c) => c.unitError)?.unitError ?? null,
  });
  for (const [task, byLength] of Object.entries(status.cells)) {
    status.tasks[task] = sumStatus(Object.values(byLength), records.filter((r) => r.task === task), taskMetrics.get(task) ?? []);
  }
  const allMetrics = [...new Set(benchmark.tasks.flatMap((t) => t.metrics))];
  status.total = sumStatus(Object.values(status.tasks), records, allMetrics);

  // Partial: samples the official scorer would have scored are not in the score.
  const reasons: string[] = [];
  const skippedNote = status.total.skipped ? [`${status.total.skipped} skipped: ${status.total.skipReason ?? "too long for the model's window"}`] : [];
  const notRunWhy = [...errors, ...skippedNote];
  if (status.total.notRun > 0 || errors.length > 0) reasons.push(`${status.total.notRun} planned sample(s) did not run${notRunWhy.length ? ` (${notRunWhy.join("; ")})` : ""}`);
  if (rule === "exclude" && status.total.failed > 0) reasons.push(`${status.total.failed} failed sample(s) are left out of the score`);
  const metricInfo = (id: string): MetricInfo | undefined => benchmark.metrics?.[id];
  const judged = allMetrics.some((id) => metricInfo(id)?.judge);
  const interval = (facts.bootstrap ?? 1000) > 0 && aggregate.score !== null ? scoreInterval(cells, aggregateOf, facts.bootstrap ?? 1000) : null;
  return {
    benchmark: benchmark.id,
    capability: benchmark.capability,
    score: aggregate.score,
    tasks: aggregate.tasks,
    cells: aggregate.cells,
    ...(aggregate.groups ? { groups: aggregate.groups } : {}),
    ...(aggregate.tables ? { tables: aggregate.tables } : {}),
    samples: { ok: records.filter((r) => r.status === "ok").length, errors: records.filter((r) => r.status === "error").length },
    ...(facts.protocol ? { protocol: facts.protocol } : {}),
    ...(judged ? { judge: facts.judge ?? null } : {}),
    metrics: Object.fromEntries(
      allMetrics.map((id) => {
        const info = metricInfo(id);
        return [id, { scale: info?.scale ?? 100, higherIsBetter: info?.higherIsBetter ?? true, binary: info?.binary ?? false, ...(info?.judge ? { judge: info.judge } : {}), ...(info?.description ? { description: info.description } : {}) }];
      }),
    ),
    status,
    failedSamples: rule,
    partial: reasons.length > 0,
    partialReason: reasons.length ? reasons.join("; ") : null,
    scoreInterval: interval,
  };
}

/** The benchmark score's percentile bootstrap interval: each cell's samples resampled on their own, the official aggregation recomputed. */
function scoreInterval(cells: readonly AggregateCell[], aggregateOf: (cells: readonly AggregateCell[]) => BenchmarkAggregate, iterations: number): [number, number] | null {
  const groups = cells.map((c) => c.rows ?? []);
  const ci = bootstrapInterval(
    groups,
    (resampled) =>
      aggregateOf(
        cells.map((c, i) => {
          const rows = resampled[i] ?? [];
          const values: Record<string, number[]> = {};
          for (const row of rows) for (const [m, v] of Object.entries(row.scores)) if (v !== null) (values[m] ??= []).push(v);
          return { ...c, n: rows.length, values, meta: rows.map((r) => r.meta), rows: [...rows] };
        }),
      ).score,
    { iterations, seed: 20260101 },
  );
  return ci ? [round2(ci[0])!, round2(ci[1])!] : null;
}

/**
 * A suite's score from its benchmarks' scores, with the per-capability means beside it; partial when
 * members are missing or partial. The member scores are the published two-decimal ones, summed as
 * floats in the suite's entry order and divided, then Python's round: the LOOMBench card's rule
 * (Qwen3-14B's twelve scores sum to 618.4200000000001 in that order, /12 = 51.535000000000004 →
 * 51.54 as printed; the exact 51.535 would round to 51.53). `capability-mean` averages the
 * per-capability means, each capability once.
 */
export function aggregateSuite(suite: Suite, results: readonly BenchmarkResult[]): NonNullable<RunResults["suite"]> {
  const weights = new Map(suite.entries.map((e) => [e.benchmark, e.weight ?? 1]));
  const order = new Map(suite.entries.map((e, i) => [e.benchmark, i]));
  const scored = results.filter((r) => r.score !== null).sort((a, b) => (order.get(a.benchmark) ?? Infinity) - (order.get(b.benchmark) ?? Infinity));
  const missing = suite.entries.map((e) => e.benchmark).filter((id) => !scored.some((r) => r.benchmark === id));
  const partialMembers = scored.filter((r) => r.partial).map((r) => r.benchmark);
  const byCapability = new Map<string, number[]>();
  for (const r of scored) byCapability.set(r.capability, [...(byCapability.get(r.capability) ?? []), r.score!]);
  let score: number | null = null;
  if (scored.length > 0) {
    if (suite.aggregation.rule === "weighted-mean") {
      const total = scored.reduce((a, r) => a + (weights.get(r.benchmark) ?? 1), 0);
      score = scored.reduce((a, r) => a + r.score! * (weights.get(r.benchmark) ?? 1), 0) / total;
    } else if (suite.aggregation.rule === "capability-mean") {
      score = mean([...byCapability.values()].map((values) => mean(values)!));
    } else {
      score = mean(scored.map((r) => r.score!));
    }
  }
  const capabilities: Record<string, number | null> = {};
  for (const [capability, values] of byCapability) capabilities[capability] = round2(mean(values));
  return {
    id: suite.id,
    version: suite.version,
    score: round2(score),
    rule: suite.aggregation.rule,
    capabilities,
    partial: missing.length > 0 || partialMembers.length > 0,
    missing: [...missing, ...partialMembers.map((id) => `${id} (partial)`)],
  };
}
