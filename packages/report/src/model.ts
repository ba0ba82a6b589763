import { mcnemarExact, pairedBootstrap, pythonRound } from "@loomscope/metrics";
import { CAPABILITIES, sampleKey, type BenchmarkResult, type CellStatus, type ResultTable, type RunState } from "@loomscope/spec";
import type { CompactSample, LoadedRun } from "./load.js";

/** Everything the report shows, as plain JSON: the HTML page, md, csv and json are all drawn from it. */
export interface ReportData {
  v: 1;
  title: string;
  generatedAt: string;
  runs: RunSummary[];
  /** Rows sorted by overall score, best first (ties share a rank). */
  leaderboard: LeaderboardRow[];
  /** Benchmark ids in first-seen order across runs. */
  benchmarks: string[];
  /** Benchmark and task scores of every run, with the delta against the first run. */
  comparison: ComparisonRow[];
  truncation: TruncationSummary[];
  samples: SampleTable;
  /** The page's sections that carry information for these runs, in order (see html.ts SECTIONS). */
  sections: string[];
}

/**
 * What a score cell shows: the number with its standard error and n, or why there is none.
 * `kind`: scored (every planned sample scored), partial (some failed or did not run), failed
 * (nothing scored, samples failed or the unit could not run), skipped (not run: too long for the
 * model's window), not-run (planned, never run), empty (no status known).
 */
export type CellKind = "scored" | "partial" | "failed" | "skipped" | "not-run" | "empty";

export interface CellView {
  score: number | null;
  stderr: number | null;
  n: number | null;
  /** 95% bootstrap interval (benchmark scores). */
  interval: [number, number] | null;
  planned: number;
  scored: number;
  failed: number;
  /** Not run, skipped ones included. */
  notRun: number;
  skipped: number;
  kind: CellKind;
  /** Short text for a cell without a score, e.g. "not run (too long for the model's window)". */
  label: string | null;
  /** Everything about the cell in words (the hover text, and md/csv's note). */
  note: string;
}

/** A benchmark's task × length grid, every cell with its status. */
export interface BenchmarkView {
  benchmark: string;
  capability: string;
  /** What the length labels measure: one axis per unit ("tokens" for 1000/4256, "level" for 4k/8k, "named" else). */
  unit: LengthUnit;
  lengths: string[];
  total: CellView;
  rows: { task: string; total: CellView; cells: (CellView | null)[] }[];
  /** The benchmark's declared views (its own tables, heatmaps), drawn generically. */
  views: ResultTable[];
  partialReason: string | null;
  judge: string | null;
  protocol: string | null;
}

export type LengthUnit = "tokens" | "level" | "named" | "none";

export const NOT_RUN_TOO_LONG = "not run (too long for the model's window)";

export interface RunSummary {
  index: number;
  name: string;
  dir: string;
  runId: string;
  model: string;
  backend: string;
  createdAt: string | null;
  complete: boolean;
  /** running, complete, incomplete or interrupted (spec's run-directory reader), and why. */
  state: RunState;
  stateReason: string;
  derivedResults: boolean;
  tokenizer: string | null;
  /** "none" for an unaccelerated run, else the accelerator labels joined. */
  accelerator: string;
  acceleratorDetails: { accelerator: string; method: string; label: string; params: Record<string, unknown> }[];
  suite: { id: string; version: string; score: number | null; rule: string; partial: boolean; missing: string[] } | null;
  /** Suite score, else the unweighted mean of the benchmark scores. */
  overall: number | null;
  overallRule: string;
  /** The suite score's 95% bootstrap interval, when the suite has one. */
  overallInterval: [number, number] | null;
  /** Benchmarks whose score is partial (failed or not-run samples the official scorer would count). */
  partialBenchmarks: string[];
  /** Per-capability means (from the suite, else computed the same way from the benchmarks). */
  capabilities: Record<string, number | null>;
  benchmarks: BenchmarkResult[];
  /** Per benchmark: the task × length grid with every cell's status. */
  views: BenchmarkView[];
  /** Samples recorded: scored, failed, not run because too long for the model's window (skipped), truncated. */
  counts: { samples: number; ok: number; errors: number; skipped: number; truncated: number };
  /** Mean per answered sample, and the sum over the run. */
  timing: {
    meanMs: number | null;
    totalMs: number;
    meanPromptTokens: number | null;
    totalPromptTokens: number;
    /** Prompt tokens the server served from its prefix cache (samples whose server reported it); null when none did. */
    cachedPromptTokens: number | null;
  };
  notices: string[];
}

export interface LeaderboardRow {
  rank: number;
  run: number;
  model: string;
  accelerator: string;
  overall: number | null;
  benchmarks: Record<string, number | null>;
}

export interface ComparisonRow {
  benchmark: string;
  /** null for the benchmark's own score row. */
  task: string | null;
  scores: (number | null)[];
  /** Score minus the first run's score (null where either is missing); deltas[0] is always null. */
  deltas: (number | null)[];
  /** Cells behind each score (n, ±, failed / not run). */
  cells: (CellView | null)[];
  /** Paired test against the first run over the samples both scored; significance[0] is always null. */
  significance: (Significance | null)[];
}

export interface Significance {
  test: "mcnemar" | "paired-bootstrap";
  /** Samples paired by id. */
  n: number;
  p: number;
  significant: boolean;
}

export interface TruncationRow {
  benchmark: string;
  task: string;
  /** Samples with prompt statistics. */
  samples: number;
  truncated: number;
  /** Share of the original prompt removed, in percent, over truncated samples. */
  meanCutPct: number | null;
  maxCutPct: number | null;
  /** Tokens removed (original − sent), summed over truncated samples where known. */
  tokensRemoved: number | null;
}

export interface TruncationSummary {
  run: number;
  rows: TruncationRow[];
  /** Truncated samples by share removed: bins of 10% (0–10, …, 90–100). */
  histogram: number[];
}

/**
 * Samples in a compact row form: strings that repeat (run, benchmark, task, length, error code) are
 * indices into `dict`. Field order is `SAMPLE_FIELDS`.
 */
export interface SampleTable {
  fields: readonly string[];
  dict: string[];
  rows: SampleRow[];
}

export const SAMPLE_FIELDS = [
  "run", "benchmark", "task", "length", "id", "status", "score", "scores", "prediction", "predictionChars",
  "references", "referenceCount", "head", "tail", "truncated", "tokens", "maxTokens", "originalTokens", "originalChars",
  "keptChars", "promptTokens", "completionTokens", "totalMs", "ttftMs", "prefillMs", "decodeMs", "errorCode", "errorMessage",
] as const;

/** 0 scored, 1 failed, 2 skipped: not run, too long for the model's window. */
export type SampleStatusCode = 0 | 1 | 2;
const STATUS_CODE: Record<CompactSample["status"], SampleStatusCode> = { ok: 0, error: 1, skipped: 2 };

export type SampleRow = [
  run: number, benchmark: number, task: number, length: number, id: string, status: SampleStatusCode, score: number | null,
  scores: Record<string, number | null>, prediction: string | null, predictionChars: number,
  references: string[], referenceCount: number, head: string, tail: string, truncated: 0 | 1 | null, tokens: number | null,
  maxTokens: number | null, originalTokens: number | null, originalChars: number | null, keptChars: number | null,
  promptTokens: number | null, completionTokens: number | null, totalMs: number, ttftMs: number | null,
  prefillMs: number | null, decodeMs: number | null, errorCode: number, errorMessage: string | null,
];

/** Python's round(x, 2), as the published numbers are rounded. */
const round2 = (v: number | null): number | null => (v === null || !Number.isFinite(v) ? null : pythonRound(v, 2));
const mean = (xs: readonly number[]): number | null => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

/** "16k" → 16000, "128K" → 128000, "1m" → 1e6, "4096" → 4096; null when not a length. */
export function lengthValue(level: string): number | null {
  const m = /^(\d+(?:\.\d+)?)\s*([kKmM]?)$/.exec(level.trim());
  if (!m) return null;
  const n = Number(m[1]);
  const unit = m[2]?.toLowerCase();
  return unit === "k" ? n * 1000 : unit === "m" ? n * 1_000_000 : n;
}

/** Length levels in ascending order when they parse as lengths, else in first-seen order. */
export function sortLengths(levels: Iterable<string>): string[] {
  const list = [...new Set(levels)];
  return list
    .map((l, i) => ({ l, i, v: lengthValue(l) }))
    .sort((a, b) => (a.v !== null && b.v !== null ? a.v - b.v : a.v !== null ? -1 : b.v !== null ? 1 : a.i - b.i))
    .map((x) => x.l);
}

/** What a length label measures, from its spelling: 1000/4256 are token counts, 4k/8k levels. */
export function lengthUnit(levels: readonly string[]): LengthUnit {
  const named = levels.filter((l) => l !== "all");
  if (named.length === 0) return "none";
  if (named.every((l) => /^\d+$/.test(l.trim()))) return "tokens";
  if (named.every((l) => /^\d+(?:\.\d+)?\s*[kKmM]$/.test(l.trim()))) return "level";
  return "named";
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** A score cell from its published number and its status (n, ±, failed / not run and why). */
export function cellView(score: number | null, status: CellStatus | undefined, interval: [number, number] | null = null): CellView {
  if (!status) {
    return { score, stderr: null, n: null, interval, planned: 0, scored: 0, failed: 0, notRun: 0, skipped: 0, kind: score === null ? "empty" : "scored", label: score === null ? "no result" : null, note: score === null ? "no result recorded" : "no sample counts recorded" };
  }
  const headline = Object.values(status.metrics)[0];
  const skipped = status.skipped ?? 0;
  const unattempted = status.notRun - skipped;
  const parts = [`${status.scored} of ${status.planned} scored`];
  if (status.failed) parts.push(`${status.failed} failed${status.firstError ? ` (first error: ${status.firstError})` : ""}`);
  if (skipped) parts.push(`${skipped} ${NOT_RUN_TOO_LONG}${status.skipReason ? `: ${status.skipReason}` : ""}`);
  if (unattempted > 0) parts.push(`${unattempted} not run${status.unitError ? ` (could not run: ${status.unitError})` : ""}`);
  else if (status.unitError) parts.push(`could not run: ${status.unitError}`);
  let kind: CellKind;
  let label: string | null = null;
  if (status.scored > 0 || score !== null) kind = status.failed || status.notRun || status.unitError ? "partial" : "scored";
  else if (status.failed > 0 || status.unitError) {
    kind = "failed";
    label = status.unitError ? "could not run" : "failed";
  } else if (skipped > 0 && unattempted <= 0) {
    kind = "skipped";
    label = NOT_RUN_TOO_LONG;
  } else if (status.notRun > 0) {
    kind = "not-run";
    label = "not run";
  } else {
    kind = "empty";
    label = "no samples";
  }
  const stderr = headline?.stderr ?? null;
  return {
    score,
    stderr: stderr === null ? null : round2(stderr),
    n: headline?.n ?? status.scored,
    interval: interval ? [round2(interval[0])!, round2(interval[1])!] : null,
    planned: status.planned,
    scored: status.scored,
    failed: status.failed,
    notRun: status.notRun,
    skipped,
    kind,
    label,
    note: parts.join("; "),
  };
}

function benchmarkView(b: BenchmarkResult): BenchmarkView {
  const lengths = sortLengths([...Object.values(b.cells).flatMap((row) => Object.keys(row)), ...Object.values(b.status?.cells ?? {}).flatMap((row) => Object.keys(row))]);
  const tasks = [...new Set([...Object.keys(b.tasks), ...Object.keys(b.status?.tasks ?? {}), ...Object.keys(b.cells)])];
  return {
    benchmark: b.benchmark,
    capability: b.capability,
    unit: lengthUnit(lengths),
    lengths,
    total: cellView(b.score, b.status?.total, b.scoreInterval ?? null),
    rows: tasks.map((task) => ({
      task,
      total: cellView(b.tasks[task] ?? null, b.status?.tasks[task]),
      cells: lengths.map((l) => (l in (b.cells[task] ?? {}) || b.status?.cells[task]?.[l] ? cellView(b.cells[task]?.[l] ?? null, b.status?.cells[task]?.[l]) : null)),
    })),
    views: b.tables ?? [],
    partialReason: b.partial ? (b.partialReason ?? "partial") : null,
    judge: b.judge ?? null,
    protocol: b.protocol ?? null,
  };
}

function acceleratorLabel(run: LoadedRun): { label: string; details: RunSummary["acceleratorDetails"] } {
  const details = (run.manifest?.accelerators ?? []).map((a) => ({ accelerator: a.accelerator, method: a.method, label: a.label, params: a.params as Record<string, unknown> }));
  return { label: details.length ? details.map((d) => d.label).join(" + ") : "none", details };
}

function summarize(run: LoadedRun, index: number): RunSummary {
  const { label, details } = acceleratorLabel(run);
  const benchmarks = run.results.benchmarks;
  const scored = benchmarks.filter((b) => b.score !== null);
  let capabilities: Record<string, number | null> = {};
  if (run.results.suite) capabilities = { ...run.results.suite.capabilities };
  else if (!run.derivedResults) {
    for (const c of CAPABILITIES) {
      const values = scored.filter((b) => b.capability === c).map((b) => b.score!);
      if (values.length) capabilities[c] = round2(mean(values));
    }
  }
  const suite = run.results.suite;
  const overall = suite ? suite.score : round2(mean(scored.map((b) => b.score!)));
  const overallRule = suite
    ? `${suite.id}@${suite.version}: ${suite.rule} of ${benchmarks.length} benchmark score(s)`
    : `unweighted mean of ${scored.length} benchmark score(s)${run.derivedResults ? " (computed from records: results.json missing)" : ""}`;
  const ok = run.samples.filter((s) => s.status === "ok");
  const failed = run.samples.filter((s) => s.status === "error").length;
  const skipped = run.samples.filter((s) => s.status === "skipped").length;
  const promptTokens = ok.map((s) => s.promptTokens ?? s.prompt?.tokens ?? null).filter((v): v is number => v !== null);
  const totalMs = ok.reduce((a, s) => a + s.totalMs, 0);
  const m = run.manifest;
  return {
    index,
    name: run.name,
    dir: run.dir,
    runId: m?.runId ?? run.results.runId,
    model: m ? m.model.spec : run.name,
    backend: m?.model.backend ?? "",
    createdAt: m?.createdAt ?? null,
    complete: run.results.complete,
    state: run.state,
    stateReason: run.stateReason,
    derivedResults: run.derivedResults,
    tokenizer: m?.tokenizer ? `${m.tokenizer.id} (${m.tokenizer.source})` : null,
    accelerator: label,
    acceleratorDetails: details,
    suite: suite ? { id: suite.id, version: suite.version, score: suite.score, rule: suite.rule, partial: suite.partial ?? false, missing: suite.missing ?? [] } : null,
    overall,
    overallRule,
    overallInterval: suite?.scoreInterval ? [round2(suite.scoreInterval[0])!, round2(suite.scoreInterval[1])!] : null,
    partialBenchmarks: benchmarks.filter((b) => b.partial).map((b) => b.benchmark),
    capabilities,
    benchmarks,
    views: benchmarks.map(benchmarkView),
    counts: {
      samples: run.samples.length,
      ok: ok.length,
      errors: failed,
      skipped,
      // A skipped sample was never sent: nothing of it was cut.
      truncated: run.samples.filter((s) => s.status !== "skipped" && s.prompt?.truncated).length,
    },
    timing: {
      meanMs: round2(mean(ok.map((s) => s.totalMs))),
      totalMs: Math.round(totalMs),
      meanPromptTokens: round2(mean(promptTokens)),
      totalPromptTokens: promptTokens.reduce((a, b) => a + b, 0),
      cachedPromptTokens: ok.some((s) => s.cachedPromptTokens !== null) ? ok.reduce((a, s) => a + (s.cachedPromptTokens ?? 0), 0) : null,
    },
    notices: run.notices.slice(0, 50),
  };
}

function leaderboard(runs: readonly RunSummary[], benchmarkIds: readonly string[]): LeaderboardRow[] {
  const rows = runs.map((r) => ({
    rank: 0,
    run: r.index,
    model: r.model,
    accelerator: r.accelerator,
    overall: r.overall,
    benchmarks: Object.fromEntries(benchmarkIds.map((b) => [b, r.benchmarks.find((x) => x.benchmark === b)?.score ?? null])),
  }));
  rows.sort((a, b) => (b.overall ?? -Infinity) - (a.overall ?? -Infinity) || a.run - b.run);
  rows.forEach((row, i) => {
    const prev = rows[i - 1];
    row.rank = prev && prev.overall === row.overall ? prev.rank : i + 1;
  });
  return rows;
}

/** Headline scores of the samples a run scored, by sample key. */
function scoredSamples(run: LoadedRun): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of run.samples) if (s.status === "ok" && s.score !== null) out.set(sampleKey(s), s.score);
  return out;
}

/**
 * Run `other` against the baseline over the samples both scored (paired by benchmark, task, length
 * and id): McNemar's exact test when every paired score is 0 or 1, else a paired bootstrap of the
 * mean difference. Significant at p < 0.05.
 */
export function pairedSignificance(baseline: ReadonlyMap<string, number>, other: ReadonlyMap<string, number>, keep: (key: string) => boolean): Significance | null {
  const a: number[] = [];
  const b: number[] = [];
  for (const [key, x] of baseline) {
    const y = other.get(key);
    if (y === undefined || !keep(key)) continue;
    a.push(x);
    b.push(y);
  }
  if (a.length === 0) return null;
  const binary = [...a, ...b].every((v) => v === 0 || v === 1);
  if (binary) {
    const m = mcnemarExact(a, b);
    return { test: "mcnemar", n: a.length, p: m.p, significant: m.p < 0.05 };
  }
  // 1,000 resamples (p to 0.002) keep a 50,000-sample comparison to seconds, seeded so it is the same on every machine.
  const boot = pairedBootstrap(a, b, { seed: 1, iterations: 1000 });
  return boot ? { test: "paired-bootstrap", n: a.length, p: boot.p, significant: boot.p < 0.05 } : null;
}

function comparison(runs: readonly RunSummary[], loaded: readonly LoadedRun[], benchmarkIds: readonly string[]): ComparisonRow[] {
  const rows: ComparisonRow[] = [];
  const delta = (scores: (number | null)[]): (number | null)[] =>
    scores.map((s, i) => (i === 0 || s === null || scores[0] === null || scores[0] === undefined ? null : round2(s - scores[0])));
  const scored = runs.length > 1 ? loaded.map(scoredSamples) : [];
  const significance = (keep: (key: string) => boolean): (Significance | null)[] =>
    runs.map((_, i) => (i === 0 || !scored[0] || !scored[i] ? null : pairedSignificance(scored[0], scored[i], keep)));
  for (const b of benchmarkIds) {
    const results = runs.map((r) => r.benchmarks.find((x) => x.benchmark === b));
    const scores = results.map((r) => r?.score ?? null);
    const inBenchmark = (key: string) => key.startsWith(`${b}\u0000`);
    rows.push({ benchmark: b, task: null, scores, deltas: delta(scores), cells: results.map((r) => (r ? cellView(r.score, r.status?.total, r.scoreInterval ?? null) : null)), significance: significance(inBenchmark) });
    const tasks = [...new Set(results.flatMap((r) => (r ? Object.keys(r.tasks) : [])))];
    for (const t of tasks) {
      const ts = results.map((r) => r?.tasks[t] ?? null);
      const inTask = (key: string) => key.startsWith(`${b}\u0000${t}\u0000`);
      rows.push({ benchmark: b, task: t, scores: ts, deltas: delta(ts), cells: results.map((r) => (r ? cellView(r.tasks[t] ?? null, r.status?.tasks[t]) : null)), significance: significance(inTask) });
    }
  }
  return rows;
}

function cutPct(s: CompactSample): number | null {
  const p = s.prompt;
  if (!p || !p.truncated) return null;
  if (p.originalTokens && p.tokens !== null) return Math.max(0, Math.min(100, (1 - p.tokens / p.originalTokens) * 100));
  if (p.originalChars > 0) return Math.max(0, Math.min(100, (1 - p.keptChars / p.originalChars) * 100));
  return null;
}

function truncation(run: LoadedRun, index: number): TruncationSummary {
  const rows = new Map<string, { row: TruncationRow; cuts: number[]; removed: number; removedKnown: boolean }>();
  const histogram = Array.from({ length: 10 }, () => 0);
  for (const s of run.samples) {
    if (!s.prompt || s.status === "skipped") continue;
    const key = `${s.benchmark}\u0000${s.task}`;
    let entry = rows.get(key);
    if (!entry) {
      entry = { row: { benchmark: s.benchmark, task: s.task, samples: 0, truncated: 0, meanCutPct: null, maxCutPct: null, tokensRemoved: null }, cuts: [], removed: 0, removedKnown: false };
      rows.set(key, entry);
    }
    entry.row.samples++;
    if (!s.prompt.truncated) continue;
    entry.row.truncated++;
    const pct = cutPct(s);
    if (pct !== null) {
      entry.cuts.push(pct);
      histogram[Math.min(9, Math.floor(pct / 10))]!++;
    }
    if (s.prompt.originalTokens !== null && s.prompt.tokens !== null) {
      entry.removed += Math.max(0, s.prompt.originalTokens - s.prompt.tokens);
      entry.removedKnown = true;
    }
  }
  return {
    run: index,
    rows: [...rows.values()].map(({ row, cuts, removed, removedKnown }) => ({
      ...row,
      meanCutPct: round2(mean(cuts)),
      maxCutPct: cuts.length ? round2(Math.max(...cuts)) : null,
      tokensRemoved: removedKnown ? removed : null,
    })),
    histogram,
  };
}

function sampleTable(runs: readonly LoadedRun[]): SampleTable {
  const dict: string[] = [];
  const index = new Map<string, number>();
  const intern = (s: string): number => {
    let i = index.get(s);
    if (i === undefined) {
      i = dict.length;
      dict.push(s);
      index.set(s, i);
    }
    return i;
  };
  const rows: SampleRow[] = [];
  runs.forEach((run, r) => {
    for (const s of run.samples) {
      const p = s.prompt;
      rows.push([
        r, intern(s.benchmark), intern(s.task), intern(s.length ?? "all"), s.id, STATUS_CODE[s.status], s.score,
        s.scores, s.prediction, s.predictionChars, s.references, s.referenceCount, s.head, s.tail,
        p ? (p.truncated ? 1 : 0) : null, p?.tokens ?? null, p?.maxTokens ?? null, p?.originalTokens ?? null,
        p?.originalChars ?? null, p?.keptChars ?? null, s.promptTokens, s.completionTokens, s.totalMs, s.ttftMs,
        s.prefillMs, s.decodeMs, s.error ? intern(s.error.code) : -1, s.error?.message ?? null,
      ]);
    }
  });
  return { fields: SAMPLE_FIELDS, dict, rows };
}

/** The sections that carry information for these runs (ids of html.ts SECTIONS). */
function sectionsFor(runs: readonly RunSummary[], truncationRows: readonly TruncationSummary[]): string[] {
  const out = ["overview", "summary"];
  if (runs.some((r) => r.benchmarks.length > 0)) out.push("tables");
  if (runs.some((r) => r.views.some((v) => v.views.some((t) => t.view === "heatmap")))) out.push("heatmap");
  // A radar of fewer than three axes shows nothing a table does not.
  if (runs.some((r) => Object.keys(r.capabilities).length >= 3)) out.push("radar");
  // A trade-off needs at least two points.
  if (runs.filter((r) => r.overall !== null).length >= 2) out.push("accelerators");
  if (truncationRows.some((t) => t.rows.length > 0)) out.push("truncation");
  if (runs.length > 1) out.push("compare");
  out.push("samples");
  return out;
}

/** The report of one run, or of several side by side (the first is the baseline for deltas). */
export function buildReport(runs: readonly LoadedRun[], options: { title?: string; now?: Date } = {}): ReportData {
  const summaries = runs.map(summarize);
  const benchmarkIds = [...new Set(summaries.flatMap((r) => r.benchmarks.map((b) => b.benchmark)))];
  const title =
    options.title ??
    (runs.length === 1 ? `loomscope report: ${summaries[0]!.model}` : `loomscope comparison: ${runs.length} runs`);
  const truncationRows = runs.map((r, i) => truncation(r, i));
  return {
    v: 1,
    title,
    generatedAt: (options.now ?? new Date()).toISOString(),
    runs: summaries,
    leaderboard: leaderboard(summaries, benchmarkIds),
    benchmarks: benchmarkIds,
    comparison: comparison(summaries, runs, benchmarkIds),
    truncation: truncationRows,
    samples: sampleTable(runs),
    sections: sectionsFor(summaries, truncationRows),
  };
}
