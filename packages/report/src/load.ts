import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { createInterface } from "node:readline";
import {
  RunManifestSchema,
  RunResultsSchema,
  SampleRecordSchema,
  type BenchmarkResult,
  type RunManifest,
  type RunResults,
  type SampleRecord,
} from "@loomscope/spec";

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
  /** `meta.depth` when the benchmark records a needle depth (NIAH-style). */
  depth: number | null;
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
  samples: CompactSample[];
  /** Lines or files that could not be read, each with where and why. */
  notices: string[];
}

const cut = (text: string, max: number): string => (text.length > max ? text.slice(0, max) : text);
const tailCut = (text: string, max: number): string => (text.length > max ? text.slice(text.length - max) : text);

export function compactRecord(record: SampleRecord, limits: TextLimits = DEFAULT_TEXT_LIMITS): CompactSample {
  const depth = record.meta?.["depth"];
  const p = record.prompt;
  return {
    id: record.id,
    benchmark: record.benchmark,
    task: record.task,
    length: record.length,
    status: record.status,
    score: record.score,
    scores: record.scores,
    depth: typeof depth === "number" && Number.isFinite(depth) ? depth : null,
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

/** True when a directory looks like a run directory (has a manifest, results or records). */
export function isRunDir(dir: string): boolean {
  return existsSync(join(dir, "manifest.json")) || existsSync(join(dir, "results.json"));
}

/**
 * Run directories named by the user: each argument is a run directory, or a results folder whose
 * run directories (up to two levels down) are taken in name order.
 */
export function findRunDirs(paths: readonly string[], depth = 2): string[] {
  const out: string[] = [];
  const visit = (dir: string, level: number): void => {
    if (isRunDir(dir)) {
      out.push(dir);
      return;
    }
    if (level >= depth) return;
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

function recordFiles(dir: string): string[] {
  const root = join(dir, "records");
  if (!existsSync(root)) return [];
  const files: string[] = [];
  for (const benchmark of readdirSync(root, { withFileTypes: true })) {
    if (!benchmark.isDirectory()) continue;
    for (const file of readdirSync(join(root, benchmark.name))) if (file.endsWith(".jsonl")) files.push(join(root, benchmark.name, file));
  }
  return files.sort();
}

const sampleKey = (r: { benchmark: string; task: string; length: string | null; id: string }): string =>
  `${r.benchmark}\u0000${r.task}\u0000${r.length ?? ""}\u0000${r.id}`;

/** Read a run directory: manifest, results and records (the last record per sample wins, as in the store). */
export async function loadRun(dir: string, options: { limits?: TextLimits } = {}): Promise<LoadedRun> {
  const limits = options.limits ?? DEFAULT_TEXT_LIMITS;
  const abs = resolve(dir);
  const notices: string[] = [];
  let manifest: RunManifest | null = null;
  const manifestFile = join(abs, "manifest.json");
  if (existsSync(manifestFile)) {
    const parsed = RunManifestSchema.safeParse(readJson(manifestFile, notices));
    if (parsed.success) manifest = parsed.data;
    else notices.push(`${manifestFile}: not a run manifest (${parsed.error.issues[0]?.path.join(".") ?? ""}: ${parsed.error.issues[0]?.message ?? ""})`);
  }
  const latest = new Map<string, CompactSample>();
  for (const file of recordFiles(abs)) {
    const reader = createInterface({ input: createReadStream(file, { encoding: "utf8" }), crlfDelay: Infinity });
    let line = 0;
    for await (const text of reader) {
      line++;
      if (text.trim() === "") continue;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        notices.push(`${file}:${line}: not JSON; skipped`);
        continue;
      }
      const parsed = SampleRecordSchema.safeParse(value);
      if (!parsed.success) {
        notices.push(`${file}:${line}: not a record (${parsed.error.issues[0]?.path.join(".") ?? ""}: ${parsed.error.issues[0]?.message ?? ""}); skipped`);
        continue;
      }
      latest.set(sampleKey(parsed.data), compactRecord(parsed.data, limits));
    }
  }
  const samples = [...latest.values()];
  let results: RunResults | null = null;
  const resultsFile = join(abs, "results.json");
  if (existsSync(resultsFile)) {
    const parsed = RunResultsSchema.safeParse(readJson(resultsFile, notices));
    if (parsed.success) results = parsed.data;
    else notices.push(`${resultsFile}: not a results file (${parsed.error.issues[0]?.message ?? ""}); scores computed from records`);
  }
  const derivedResults = results === null;
  if (!results) results = deriveResults(manifest?.runId ?? basename(abs), samples);
  return { dir: abs, name: basename(abs), manifest, results, derivedResults, samples, notices };
}

function readJson(file: string, notices: string[]): unknown {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    notices.push(`${file}: ${(error as Error).message}`);
    return undefined;
  }
}

const round2 = (v: number | null): number | null => (v === null ? null : Math.round(v * 100) / 100);
const mean = (xs: readonly number[]): number | null => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

/**
 * Scores for a run without results.json (still running, or interrupted): the default aggregation
 * (headline score × 100, task = mean over its samples, benchmark = mean of tasks). The capability is
 * unknown without the plugin, so it is reported as "general" and the report says the scores are derived.
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
    const perTask = new Map<string, number[]>();
    const perCell = new Map<string, Map<string, number[]>>();
    let errors = 0;
    for (const s of list) {
      if (s.status === "error" || s.score === null) {
        if (s.status === "error") errors++;
        continue;
      }
      perTask.set(s.task, [...(perTask.get(s.task) ?? []), s.score * 100]);
      const row = perCell.get(s.task) ?? new Map<string, number[]>();
      const key = s.length ?? "all";
      row.set(key, [...(row.get(key) ?? []), s.score * 100]);
      perCell.set(s.task, row);
    }
    const tasks: Record<string, number | null> = {};
    const cells: Record<string, Record<string, number | null>> = {};
    for (const [task, values] of perTask) tasks[task] = round2(mean(values));
    for (const [task, row] of perCell) cells[task] = Object.fromEntries([...row].map(([l, v]) => [l, round2(mean(v))]));
    const taskScores = Object.values(tasks).filter((v): v is number => v !== null);
    benchmarks.push({
      benchmark,
      capability: "general",
      score: round2(mean(taskScores)),
      tasks,
      cells,
      samples: { ok: list.length - errors, errors },
    });
  }
  return { v: 1, runId, complete: false, benchmarks, suite: null };
}
