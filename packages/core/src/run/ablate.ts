/**
 * Ablation (`loom ablate`): the same targets run once per accelerator variant — each its own run
 * directory under one folder, all sharing the response cache, so a variant whose prompts and engine
 * directives equal another's sends nothing — then one table: score per benchmark and task, tokens,
 * the accelerators' own counters summed from the records, wall time and requests of this
 * invocation, and deltas against `none` with a paired test on the samples both scored.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { mcnemarExact, pairedBootstrap } from "@loomscope/metrics";
import { isLoomError, LoomError, type AblationPaired, type AblationRow, type AblationTable, type AblationVariant, type JsonValue, type RunManifest, type RunResults, type SampleRecord } from "@loomscope/spec";
import type { EventBus } from "../events.js";
import { runEvaluation, type RunOptions, type RunOutcome } from "./runner.js";
import { parseAcceleratorSpec } from "./specs.js";
import { RunStore, sampleKey } from "./store.js";

export const BASELINE_VARIANT = "none";

export interface VariantSpec {
  /** `none`, or the accelerator specs joined with `+`. */
  name: string;
  accelerators: string[];
}

const isParam = (token: string): boolean => {
  const eq = token.indexOf("=");
  const colon = token.indexOf(":");
  return eq > 0 && (colon < 0 || eq < colon);
};

/**
 * `none,rag-lancedb:bm25,kv-pruning:snapkv,budget=2048,sparse-attention:minference`: commas separate
 * variants, and a `key=value` item belongs to the accelerator before it; `+` puts several
 * accelerators in one variant (`rag-lancedb:bm25+kv-pruning:snapkv,budget=64`). `none` is added
 * first when missing: it is the baseline of every delta.
 */
export function parseVariants(raw: string | readonly string[]): { variants: VariantSpec[]; added: boolean } {
  const variants: { accelerators: string[][]; none: boolean }[] = [];
  const given: readonly string[] = typeof raw === "string" ? [raw] : raw;
  const items = given.flatMap((r) => r.split(",")).map((t) => t.trim()).filter(Boolean);
  if (items.length === 0) throw new LoomError("USAGE", "--variants is empty", { hint: "e.g. --variants none,kv-pruning:snapkv,budget=64" });
  for (const item of items) {
    const parts: string[] = item.split("+").map((p) => p.trim());
    parts.forEach((part: string, i: number) => {
      if (part === "") throw new LoomError("USAGE", `--variants: "${item}" has an empty part`);
      const current = variants.at(-1);
      if (isParam(part)) {
        const last = current?.accelerators.at(-1);
        if (!current || current.none || !last || i > 0) throw new LoomError("USAGE", `--variants: "${part}" is a parameter with no accelerator before it`, { hint: "write it after its accelerator: kv-pruning:snapkv,budget=64" });
        last.push(part);
      } else if (part === BASELINE_VARIANT) {
        if (parts.length > 1) throw new LoomError("USAGE", `--variants: "none" cannot be combined with accelerators ("${item}")`);
        variants.push({ accelerators: [], none: true });
      } else if (i === 0) variants.push({ accelerators: [[part]], none: false });
      else current!.accelerators.push([part]);
    });
  }
  const specs = variants.map((v) => {
    const accelerators = v.accelerators.map((a) => a.join(","));
    for (const a of accelerators) parseAcceleratorSpec(a); // bad specs fail here, before any run
    return { name: v.none ? BASELINE_VARIANT : accelerators.join("+"), accelerators };
  });
  const seen = new Set<string>();
  for (const v of specs) {
    if (seen.has(v.name)) throw new LoomError("USAGE", `--variants names ${v.name} twice`);
    seen.add(v.name);
  }
  const added = !seen.has(BASELINE_VARIANT);
  if (added) specs.unshift({ name: BASELINE_VARIANT, accelerators: [] });
  return { variants: specs, added };
}

/** A folder name for a variant: its name with anything but letters, digits, `.`, `_`, `-` as `_`. */
export const variantDirName = (name: string): string => name.replace(/[^A-Za-z0-9._-]+/g, "_");

export interface AblationOptions extends Omit<RunOptions, "accelerators" | "runDir"> {
  variants: readonly VariantSpec[];
  /** The folder holding one run directory per variant, and the table. */
  outDir: string;
  /** Seed of the paired bootstrap (default 1). */
  bootstrapSeed?: number;
  /** Called before each variant runs; may return the event bus that variant's run reports on (a progress display). */
  onVariantStart?: (variant: VariantSpec, index: number) => EventBus | void;
  /** Called after each variant; `outcome` is undefined when the variant was refused (its error is on the table). */
  onVariantDone?: (variant: VariantSpec, outcome: RunOutcome | undefined) => void;
}

export interface AblationOutcome {
  table: AblationTable;
  outcomes: RunOutcome[];
}

const readManifestTotals = (runDir: string): RunManifest["totals"] => {
  if (!existsSync(join(runDir, "manifest.json"))) return undefined;
  const store = RunStore.openForReading(runDir);
  try {
    return store.readManifest()?.totals;
  } finally {
    store.close();
  }
};

/** Run every variant in turn (sharing the response cache), then build the table. */
export async function runAblation(options: AblationOptions): Promise<AblationOutcome> {
  const { variants, outDir, bootstrapSeed, onVariantStart, onVariantDone, ...run } = options;
  if (!run.model) throw new LoomError("USAGE", "no model given", { hint: "pass --model <backend>:<model>" });
  if (run.cache === false) throw new LoomError("USAGE", "loom ablate shares the response cache between variants; --no-cache would make every variant pay for identical prompts", { hint: "drop --no-cache (pass another --cache-dir for a fresh cache)" });
  const outcomes: RunOutcome[] = [];
  const measured: { variant: VariantSpec; runDir: string; wallMs: number; requests: number; outcome: RunOutcome }[] = [];
  const refused: VariantRun[] = [];
  for (const [index, variant] of variants.entries()) {
    const bus = onVariantStart?.(variant, index) ?? run.bus;
    const runDir = join(outDir, variantDirName(variant.name));
    const before = readManifestTotals(runDir)?.requests ?? 0;
    const t0 = performance.now();
    let outcome: RunOutcome;
    try {
      outcome = await runEvaluation({ ...run, ...(bus ? { bus } : {}), accelerators: variant.accelerators, runDir });
    } catch (error) {
      // A variant the backend or a task refuses is a row of the table, not the end of the ablation;
      // the baseline, a full disk, a busy run directory or an interrupt stop it.
      if (variant.name === BASELINE_VARIANT || !isLoomError(error) || ["STORAGE", "RUN_DIR"].includes(error.code) || run.signal?.aborted) throw error;
      onVariantDone?.(variant, undefined);
      refused.push({ name: variant.name, accelerators: variant.accelerators, runDir, results: { v: 1, runId: "", complete: false, benchmarks: [], suite: null }, records: [], wallMs: performance.now() - t0, requests: 0, cached: 0, resumed: 0, error: error.hint ? `${error.message} (${error.hint})` : error.message });
      continue;
    }
    const wallMs = performance.now() - t0;
    outcomes.push(outcome);
    measured.push({ variant, runDir, wallMs, requests: (outcome.manifest.totals?.requests ?? 0) - before, outcome });
    onVariantDone?.(variant, outcome);
    if (outcome.interrupted) break;
  }
  const inputs: VariantRun[] = [];
  for (const m of measured) {
    const store = RunStore.openForReading(m.runDir);
    let records: SampleRecord[];
    try {
      records = [...(await store.records()).values()];
    } finally {
      store.close();
    }
    const planned = new Set(m.outcome.results.benchmarks.map((b) => b.benchmark));
    inputs.push({
      name: m.variant.name,
      accelerators: m.variant.accelerators,
      runDir: m.runDir,
      results: m.outcome.results,
      // The plan's records only (a directory may hold more from an earlier, larger run).
      records: records.filter((r) => planned.has(r.benchmark)),
      wallMs: m.wallMs,
      requests: m.requests,
      cached: m.outcome.counts.cached,
      resumed: m.outcome.counts.resumed,
    });
  }
  // In the order asked for, refused variants included.
  const ordered = variants.flatMap((v) => [...inputs, ...refused].filter((r) => r.name === v.name));
  const table = buildAblationTable(ordered, { model: run.model, targets: [...run.targets], ...(bootstrapSeed !== undefined ? { seed: bootstrapSeed } : {}) });
  return { table, outcomes };
}

export interface VariantRun {
  name: string;
  accelerators: string[];
  runDir: string;
  results: RunResults;
  records: readonly SampleRecord[];
  wallMs: number;
  requests: number;
  cached: number;
  resumed: number;
  /** The variant did not run: why. */
  error?: string;
}

/** Numeric counters of one record: the engine's stats and each prompt accelerator's, by name. */
export function recordCounters(record: SampleRecord): Record<string, number> {
  const out: Record<string, number> = {};
  const add = (prefix: string, stats: Record<string, JsonValue> | undefined) => {
    for (const [k, v] of Object.entries(stats ?? {})) if (typeof v === "number" && Number.isFinite(v)) out[`${prefix}.${k}`] = (out[`${prefix}.${k}`] ?? 0) + v;
  };
  add("engine", record.engineStats);
  // Engine-stage accelerators carry the engine's stats again on their record: counted once, above.
  for (const a of record.accelerators) if (!isEngineCopy(a.stats, record.engineStats)) add(a.accelerator, a.stats);
  return out;
}

const isEngineCopy = (stats: Record<string, JsonValue>, engine: Record<string, JsonValue> | undefined): boolean =>
  engine !== undefined && JSON.stringify(stats) === JSON.stringify(engine);

const sumCounters = (records: readonly SampleRecord[]): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const r of records) for (const [k, v] of Object.entries(recordCounters(r))) out[k] = (out[k] ?? 0) + v;
  return out;
};

const tokens = (records: readonly SampleRecord[]) => ({
  promptTokens: records.reduce((a, r) => a + (r.usage.promptTokens ?? 0), 0),
  completionTokens: records.reduce((a, r) => a + (r.usage.completionTokens ?? 0), 0),
});

/** The paired comparison of two variants' records on the samples both scored. */
export function pairedComparison(base: readonly SampleRecord[], other: readonly SampleRecord[], seed = 1): AblationPaired {
  const scored = (records: readonly SampleRecord[]) => new Map(records.filter((r) => r.status === "ok" && typeof r.score === "number").map((r) => [sampleKey(r), r.score as number]));
  const a = scored(base);
  const b = scored(other);
  const keys = [...a.keys()].filter((k) => b.has(k)).sort();
  const xs = keys.map((k) => a.get(k)!);
  const ys = keys.map((k) => b.get(k)!);
  if (keys.length === 0) return { n: 0, meanDiff: null, interval: null, p: null, test: null };
  const boot = pairedBootstrap(xs, ys, { seed });
  const binary = [...xs, ...ys].every((v) => v === 0 || v === 1);
  if (binary) {
    const m = mcnemarExact(xs, ys);
    return { n: keys.length, meanDiff: boot?.delta ?? null, interval: boot?.interval ?? null, p: m.p, test: "mcnemar", noneOnly: m.aOnly, variantOnly: m.bOnly };
  }
  return { n: keys.length, meanDiff: boot?.delta ?? null, interval: boot?.interval ?? null, p: boot?.p ?? null, test: "paired-bootstrap" };
}

/** The table of variant runs; the first variant named `none` (else the first) is the baseline. */
export function buildAblationTable(runs: readonly VariantRun[], meta: { model: string; targets: string[]; seed?: number }): AblationTable {
  if (runs.length === 0) throw new LoomError("USAGE", "no variant ran");
  const baseline = runs.find((r) => r.name === BASELINE_VARIANT) ?? runs[0]!;
  const notices: string[] = [];
  if (baseline.name !== BASELINE_VARIANT) notices.push(`no "none" variant: deltas are against ${baseline.name}`);
  const rows: AblationRow[] = [];
  const variants: AblationVariant[] = [];
  const scoreOf = (run: VariantRun, benchmark: string, task: string | null): number | null => {
    const b = run.results.benchmarks.find((x) => x.benchmark === benchmark);
    if (!b) return null;
    return task === null ? b.score : (b.tasks[task] ?? null);
  };
  for (const run of runs) {
    let failed = 0;
    let notRun = 0;
    const benchmarkScores: (number | null)[] = [];
    for (const b of run.results.benchmarks) {
      benchmarkScores.push(b.score);
      const tasks: (string | null)[] = [null, ...Object.keys(b.tasks)];
      for (const task of tasks) {
        const status = task === null ? b.status?.total : b.status?.tasks[task];
        const own = run.records.filter((r) => r.benchmark === b.benchmark && (task === null || r.task === task));
        const score = scoreOf(run, b.benchmark, task);
        const base = scoreOf(baseline, b.benchmark, task);
        const isBase = run === baseline;
        rows.push({
          variant: run.name,
          benchmark: b.benchmark,
          task,
          score,
          scored: status?.scored ?? own.filter((r) => r.status === "ok").length,
          failed: status?.failed ?? own.filter((r) => r.status === "error").length,
          notRun: status?.notRun ?? 0,
          ...tokens(own),
          counters: sumCounters(own),
          delta: isBase || score === null || base === null ? null : score - base,
          paired: isBase ? null : pairedComparison(baseline.records.filter((r) => r.benchmark === b.benchmark && (task === null || r.task === task)), own, meta.seed),
        });
        if (task === null) {
          failed += status?.failed ?? 0;
          notRun += status?.notRun ?? 0;
        }
      }
    }
    variants.push({
      name: run.name,
      accelerators: run.accelerators,
      runDir: run.runDir,
      score: benchmarkScores.length > 0 && benchmarkScores.every((s) => s !== null) ? (benchmarkScores as number[]).reduce((a, s) => a + s, 0) / benchmarkScores.length : null,
      wallMs: run.wallMs,
      requests: run.requests,
      cached: run.cached,
      resumed: run.resumed,
      ...tokens(run.records),
      counters: sumCounters(run.records),
      failed,
      notRun,
      ...(run.error !== undefined ? { error: run.error } : {}),
    });
    if (run.error !== undefined) notices.push(`${run.name} did not run: ${run.error}`);
    if (run.cached + run.resumed > 0) notices.push(`${run.name}: ${run.cached} sample(s) from the response cache and ${run.resumed} resumed: its wall time is not the cost of running it`);
  }
  return { v: 1, model: meta.model, targets: meta.targets, baseline: baseline.name, variants, rows, notices };
}
