import { CAPABILITIES, type BenchmarkResult } from "@loomscope/spec";
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
  heatmaps: Heatmap[];
  truncation: TruncationSummary[];
  samples: SampleTable;
}

export interface RunSummary {
  index: number;
  name: string;
  dir: string;
  runId: string;
  model: string;
  backend: string;
  createdAt: string | null;
  complete: boolean;
  derivedResults: boolean;
  tokenizer: string | null;
  /** "none" for an unaccelerated run, else the accelerator labels joined. */
  accelerator: string;
  acceleratorDetails: { accelerator: string; method: string; label: string; params: Record<string, unknown> }[];
  suite: { id: string; version: string; score: number | null; rule: string } | null;
  /** Suite score, else the unweighted mean of the benchmark scores. */
  overall: number | null;
  overallRule: string;
  /** Per-capability means (from the suite, else computed the same way from the benchmarks). */
  capabilities: Record<string, number | null>;
  benchmarks: BenchmarkResult[];
  counts: { samples: number; ok: number; errors: number; truncated: number };
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
}

export interface Heatmap {
  run: number;
  benchmark: string;
  task: string | null;
  lengths: string[];
  depths: number[];
  /** Depths given as fractions (0–1) rather than percents. */
  fractional: boolean;
  /** cells[depthIndex][lengthIndex]: mean score × 100 and sample count. */
  cells: ({ score: number; n: number } | null)[][];
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
  "run", "benchmark", "task", "length", "id", "error", "score", "scores", "depth", "prediction", "predictionChars",
  "references", "referenceCount", "head", "tail", "truncated", "tokens", "maxTokens", "originalTokens", "originalChars",
  "keptChars", "promptTokens", "completionTokens", "totalMs", "ttftMs", "prefillMs", "decodeMs", "errorCode", "errorMessage",
] as const;

export type SampleRow = [
  run: number, benchmark: number, task: number, length: number, id: string, error: 0 | 1, score: number | null,
  scores: Record<string, number | null>, depth: number | null, prediction: string | null, predictionChars: number,
  references: string[], referenceCount: number, head: string, tail: string, truncated: 0 | 1 | null, tokens: number | null,
  maxTokens: number | null, originalTokens: number | null, originalChars: number | null, keptChars: number | null,
  promptTokens: number | null, completionTokens: number | null, totalMs: number, ttftMs: number | null,
  prefillMs: number | null, decodeMs: number | null, errorCode: number, errorMessage: string | null,
];

const round2 = (v: number | null): number | null => (v === null || !Number.isFinite(v) ? null : Math.round(v * 100) / 100);
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
    derivedResults: run.derivedResults,
    tokenizer: m?.tokenizer ? `${m.tokenizer.id} (${m.tokenizer.source})` : null,
    accelerator: label,
    acceleratorDetails: details,
    suite: suite ? { id: suite.id, version: suite.version, score: suite.score, rule: suite.rule } : null,
    overall,
    overallRule,
    capabilities,
    benchmarks,
    counts: {
      samples: run.samples.length,
      ok: ok.length,
      errors: run.samples.length - ok.length,
      truncated: run.samples.filter((s) => s.prompt?.truncated).length,
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

function comparison(runs: readonly RunSummary[], benchmarkIds: readonly string[]): ComparisonRow[] {
  const rows: ComparisonRow[] = [];
  const delta = (scores: (number | null)[]): (number | null)[] =>
    scores.map((s, i) => (i === 0 || s === null || scores[0] === null || scores[0] === undefined ? null : round2(s - scores[0])));
  for (const b of benchmarkIds) {
    const results = runs.map((r) => r.benchmarks.find((x) => x.benchmark === b));
    const scores = results.map((r) => r?.score ?? null);
    rows.push({ benchmark: b, task: null, scores, deltas: delta(scores) });
    const tasks = [...new Set(results.flatMap((r) => (r ? Object.keys(r.tasks) : [])))];
    for (const t of tasks) {
      const ts = results.map((r) => r?.tasks[t] ?? null);
      rows.push({ benchmark: b, task: t, scores: ts, deltas: delta(ts) });
    }
  }
  return rows;
}

function heatmaps(run: LoadedRun, index: number): Heatmap[] {
  const out: Heatmap[] = [];
  const groups = new Map<string, CompactSample[]>();
  for (const s of run.samples) {
    if (s.depth === null || s.status !== "ok" || s.score === null) continue;
    const list = groups.get(s.benchmark) ?? [];
    list.push(s);
    groups.set(s.benchmark, list);
  }
  for (const [benchmark, list] of groups) {
    const lengths = sortLengths(list.map((s) => s.length ?? "all"));
    const depths = [...new Set(list.map((s) => s.depth!))].sort((a, b) => a - b);
    const sums = depths.map(() => lengths.map(() => ({ sum: 0, n: 0 })));
    for (const s of list) {
      const cell = sums[depths.indexOf(s.depth!)]![lengths.indexOf(s.length ?? "all")]!;
      cell.sum += s.score! * 100;
      cell.n++;
    }
    const tasks = new Set(list.map((s) => s.task));
    out.push({
      run: index,
      benchmark,
      task: tasks.size === 1 ? [...tasks][0]! : null,
      lengths,
      depths,
      fractional: depths.every((d) => d >= 0 && d <= 1),
      cells: sums.map((row) => row.map((c) => (c.n ? { score: round2(c.sum / c.n)!, n: c.n } : null))),
    });
  }
  return out;
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
    if (!s.prompt) continue;
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
        r, intern(s.benchmark), intern(s.task), intern(s.length ?? "all"), s.id, s.status === "error" ? 1 : 0, s.score,
        s.scores, s.depth, s.prediction, s.predictionChars, s.references, s.referenceCount, s.head, s.tail,
        p ? (p.truncated ? 1 : 0) : null, p?.tokens ?? null, p?.maxTokens ?? null, p?.originalTokens ?? null,
        p?.originalChars ?? null, p?.keptChars ?? null, s.promptTokens, s.completionTokens, s.totalMs, s.ttftMs,
        s.prefillMs, s.decodeMs, s.error ? intern(s.error.code) : -1, s.error?.message ?? null,
      ]);
    }
  });
  return { fields: SAMPLE_FIELDS, dict, rows };
}

/** The report of one run, or of several side by side (the first is the baseline for deltas). */
export function buildReport(runs: readonly LoadedRun[], options: { title?: string; now?: Date } = {}): ReportData {
  const summaries = runs.map(summarize);
  const benchmarkIds = [...new Set(summaries.flatMap((r) => r.benchmarks.map((b) => b.benchmark)))];
  const title =
    options.title ??
    (runs.length === 1 ? `loomscope report: ${summaries[0]!.model}` : `loomscope comparison: ${runs.length} runs`);
  return {
    v: 1,
    title,
    generatedAt: (options.now ?? new Date()).toISOString(),
    runs: summaries,
    leaderboard: leaderboard(summaries, benchmarkIds),
    benchmarks: benchmarkIds,
    comparison: comparison(summaries, benchmarkIds),
    heatmaps: runs.flatMap((r, i) => heatmaps(r, i)),
    truncation: runs.map((r, i) => truncation(r, i)),
    samples: sampleTable(runs),
  };
}
