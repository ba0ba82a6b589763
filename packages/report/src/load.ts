import { readdirSync, statSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { pythonRound, meanStderr } from "@loomscope/metrics";
import { isRunDirectory, readRunDirectory, type BenchmarkResult, type CellStatus, type RunManifest, type RunResults, type RunState, type SampleRecord } from "@loomscope/spec";

/** Caps on the text kept per sample for the browser, so a 50,000-record report stays small. */
export interface TextLimits {
  /** Characters of the prompt head and of the prompt tail. */
  prompt: number;
  prediction: number;
  /** Characters per reference, and how many references. */
  reference: number;
  references: number;
}

export const DEFAULT_TEXT_LIMITS: TextLimits = { prompt: 600, prediction: 4000, reference: 1000, references: 5 };

/** One sample as the report keeps it: the record's numbers in full, its text cut to the limits. */
export interface CompactSample {
  id: string;
  benchmark: string;
  task: string;
  length: string | null;
  status: SampleRecord["status"];
  score: number | null;
  scores: Record<string, number | null>;
  prediction: string | null;
  predictionChars: number;
  references: string[];
  referenceCount: number;
  head: string;
  tail: string;
  prompt: {
    tokens: number | null;
    maxTokens: number | null;
    truncated: boolean;
    originalChars: number;
    keptChars: number;
    originalTokens: number | null;
  } | null;
  promptTokens: number | null;
  completionTokens: number | null;
  /** Prompt tokens the server served from its prefix cache, where it reported them. */
  cachedPromptTokens: number | null;
  totalMs: number;
  ttftMs: number | null;
  prefillMs: number | null;
  decodeMs: number | null;
  error: { code: string; message: string } | null;
}

/** A run directory read without writing anything to it. */
export interface LoadedRun {
  dir: string;
  name: string;
  manifest: RunManifest | null;
  results: RunResults;
  /** True when results.json was missing and the scores were computed here from the records. */
  derivedResults: boolean;
  /** Running, complete, incomplete or interrupted, and why (spec's run-directory reader judges it). */
  state: RunState;
  stateReason: string;
  samples: CompactSample[];
  /** Lines or files that could not be read, each with where and why. */
  notices: string[];
}

const cut = (text: string, max: number): string => (text.length > max ? text.slice(0, max) : text);
const tailCut = (text: string, max: number): string => (text.length > max ? text.slice(text.length - max) : text);

export function compactRecord(record: SampleRecord, limits: TextLimits = DEFAULT_TEXT_LIMITS): CompactSample {
  const p = record.prompt;
  return {
    id: record.id,
    benchmark: record.benchmark,
    task: record.task,
    length: record.length,
    status: record.status,
    score: record.score,
    scores: record.scores,
    prediction: record.prediction === null ? null : cut(record.prediction, limits.prediction),
    predictionChars: record.prediction?.length ?? 0,
    references: record.references.slice(0, limits.references).map((r) => cut(r, limits.reference)),
    referenceCount: record.references.length,
    head: p ? cut(p.head, limits.prompt) : "",
    tail: p ? tailCut(p.tail, limits.prompt) : "",
    prompt: p
      ? { tokens: p.tokens, maxTokens: p.maxTokens, truncated: p.truncated, originalChars: p.originalChars, keptChars: p.keptChars, originalTokens: p.originalTokens }
      : null,
    promptTokens: record.usage.promptTokens,
    completionTokens: record.usage.completionTokens,
    cachedPromptTokens: record.usage.cachedPromptTokens ?? null,
    totalMs: record.timings.totalMs,
    ttftMs: record.timings.ttftMs ?? null,
    prefillMs: record.timings.prefillMs ?? null,
    decodeMs: record.timings.decodeMs ?? null,
    error: record.error ? { code: record.error.code, message: record.error.message } : null,
  };
}

/** True when a directory looks like a run directory (has a manifest or results). */
export const isRunDir = isRunDirectory;

/**
 * Run directories named by the user: each argument is a run directory, or a results folder whose
 * run directories (up to two levels down) are taken in name order.
 */
export function findRunDirs(paths: readonly string[], levels = 2): string[] {
  const out: string[] = [];
  const visit = (dir: string, level: number): void => {
    if (isRunDir(dir)) {
      out.push(dir);
      return;
    }
    if (level >= levels) return;
    let entries: string[];
    try {
      entries = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const name of entries) {
      if (name.startsWith(".") || name === "node_modules") continue;
      const full = join(dir, name);
      try {
        if (statSync(full).isDirectory()) visit(full, level + 1);
      } catch {
        /* vanished */
      }
    }
  };
  for (const p of paths) visit(resolve(p), 0);
  return [...new Set(out)];
}

/**
 * Read a run directory through spec's reader (the one core uses): manifest, results and records,
 * the last record per sample winning. Nothing is written; what cannot be read becomes a notice.
 */
export async function loadRun(dir: string, options: { limits?: TextLimits } = {}): Promise<LoadedRun> {
  const limits = options.limits ?? DEFAULT_TEXT_LIMITS;
  const run = readRunDirectory(dir, { invalid: "notice" });
  const notices: string[] = [];
  const manifest = run.manifest;
  let results = run.results;
  for (const n of run.notices) notices.push(n.file.endsWith("results.json") ? `${n.message}; scores computed from records` : n.message);
  const latest = await run.latestRecords({ onNotice: (n) => notices.push(n.message), map: (r) => compactRecord(r, limits) });
  const samples = [...latest.values()];
  const derivedResults = results === null;
  if (!results) results = deriveResults(manifest?.runId ?? basename(run.dir), samples);
  return { dir: run.dir, name: basename(run.dir), manifest, results, derivedResults, state: run.state, stateReason: run.stateReason, samples, notices };
}

/** The first error of a list of samples, as a cell shows it. */
const firstMessage = (list: readonly CompactSample[]): string | null => list[0]?.error?.message ?? null;

/** A cell's status from its samples alone (no plan known): every sample recorded is planned. */
function derivedStatus(list: readonly CompactSample[]): CellStatus {
  const ok = list.filter((s) => s.status === "ok");
  const failed = list.filter((s) => s.status === "error");
  const skipped = list.filter((s) => s.status === "skipped");
  const values = ok.map((s) => s.score).filter((v): v is number => typeof v === "number");
  const stats = meanStderr(values);
  return {
    planned: list.length,
    scored: ok.length,
    failed: failed.length,
    notRun: skipped.length,
    ...(skipped.length ? { skipped: skipped.length, skipReason: firstMessage(skipped) } : {}),
    unitError: null,
    firstError: firstMessage(failed),
    // The headline score × 100, as the derived scores are.
    metrics: { score: { mean: stats.mean === null ? null : stats.mean * 100, stderr: stats.stderr === null ? null : stats.stderr * 100, n: stats.n } },
  };
}

const round2 = (v: number | null): number | null => (v === null ? null : pythonRound(v, 2));
const mean = (xs: readonly number[]): number | null => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

/**
 * Scores for a run without results.json (still running, or interrupted): the default aggregation
 * (headline score × 100, task = mean over its samples, benchmark = mean of tasks, Python's round),
 * with each cell's scored / failed / not-run counts. The capability is unknown without the plugin,
 * so it is reported as "general" and the report says the scores are derived.
 */
export function deriveResults(runId: string, samples: readonly CompactSample[]): RunResults {
  const byBenchmark = new Map<string, CompactSample[]>();
  for (const s of samples) {
    const list = byBenchmark.get(s.benchmark) ?? [];
    list.push(s);
    byBenchmark.set(s.benchmark, list);
  }
  const benchmarks: BenchmarkResult[] = [];
  for (const [benchmark, list] of byBenchmark) {
    const byCell = new Map<string, Map<string, CompactSample[]>>();
    for (const s of list) {
      const row = byCell.get(s.task) ?? new Map<string, CompactSample[]>();
      const key = s.length ?? "all";
      row.set(key, [...(row.get(key) ?? []), s]);
      byCell.set(s.task, row);
    }
    const scored = (xs: readonly CompactSample[]) => xs.filter((s) => s.status === "ok" && s.score !== null).map((s) => s.score! * 100);
    const tasks: Record<string, number | null> = {};
    const cells: Record<string, Record<string, number | null>> = {};
    const status: NonNullable<BenchmarkResult["status"]> = { cells: {}, tasks: {}, total: derivedStatus(list) };
    for (const [task, row] of byCell) {
      const all = [...row.values()].flat();
      tasks[task] = round2(mean(scored(all)));
      cells[task] = Object.fromEntries([...row].map(([l, v]) => [l, round2(mean(scored(v)))]));
      status.cells[task] = Object.fromEntries([...row].map(([l, v]) => [l, derivedStatus(v)]));
      status.tasks[task] = derivedStatus(all);
    }
    const taskScores = Object.values(tasks).filter((v): v is number => v !== null);
    const errors = list.filter((s) => s.status === "error").length;
    const skipped = list.filter((s) => s.status === "skipped").length;
    benchmarks.push({
      benchmark,
      capability: "general",
      score: round2(mean(taskScores)),
      tasks,
      cells,
      samples: { ok: list.filter((s) => s.status === "ok").length, errors },
      status,
      partial: errors + skipped > 0,
      partialReason: errors + skipped > 0 ? [errors ? `${errors} failed sample(s) are left out of the score` : "", skipped ? `${skipped} sample(s) not run (too long for the model's window)` : ""].filter(Boolean).join("; ") : null,
    });
  }
  return { v: 1, runId, complete: false, benchmarks, suite: null };
}
