/**
 * The run: plan → bind → (per sample) prepare → dispatch → score → store → aggregate. Each stage is
 * its own module; this file wires them and owns the run's lifecycle (signals, the two-stage
 * pipeline that bounds memory, resume, totals). Every finished sample is on disk before the next
 * event, and re-running the same command resumes.
 */
import { setMaxListeners } from "node:events";
import { join, resolve } from "node:path";
import { readFileSync } from "node:fs";
import {
  isLoomError,
  LoomError,
  PREFIX_CACHE_FEATURE,
  type BenchmarkContext,
  type DataAccess,
  type JsonObject,
  type RunManifest,
  type RunResults,
  type TaskSpec,
} from "@loomscope/spec";
import { createDataAccess } from "../data/access.js";
import { resolveCacheDir } from "../data/cache.js";
import { EventBus } from "../events.js";
import { PluginRegistry } from "../plugins/registry.js";
import { DEFAULT_RETRY_POLICY } from "../retry.js";
import { computeResults } from "./results.js";
import { bind, type Bound } from "./bind.js";
import { ResponseCache } from "./cache.js";
import { bindJudge, type JudgeBinding } from "./judge.js";
import { AdaptiveLimiter } from "./limiter.js";
import { buildManifest, runDirFor, runIdentity } from "./manifest.js";
import { buildPlan, unreadablePins, type FileTargetLoader, type Plan, type TaskFileLoader, type Unit } from "./plan.js";
import { appendUnitPlan } from "./plan-file.js";
import { processSample, type PipelineContext } from "./pipeline.js";
import { codeMetricsOf, judgeMetricsOf } from "./score.js";
import { createRedactor, findSecretKeys, redactJson, type Redactor } from "../redact.js";
import { isStorageError } from "./fs-errors.js";
import { ManifestKeeper } from "./keeper.js";
import { RunLock } from "./lock.js";
import { checkTokenizer } from "./tokenizer-check.js";
import { identityOf, parseRunSettings, RUN_OPTIONS, type RunOptionTable, type RunSettings } from "./settings.js";
import { parseShard } from "./specs.js";
import { RunStore, sampleKey } from "./store.js";
import { createDispatchOrder, resolveSchedule, type SchedulePolicy } from "./schedule.js";
import { streamSamples } from "./stream.js";
import { estimateBound, type RunEstimate } from "./estimate.js";

export interface RunHooks {
  /** Suite or benchmark ids, or task files. */
  targets: readonly string[];
  cwd?: string;
  env?: Readonly<Record<string, string | undefined>>;
  bus?: EventBus;
  signal?: AbortSignal;
  registry?: PluginRegistry;
  /** The run-option table (default RUN_OPTIONS); an extended one lets new options flow to the manifest and records. */
  optionTable?: RunOptionTable;
  /** Reads `loom run ./task.yaml` targets (the CLI passes @loomscope/benchmark-kit's). */
  loadTaskFile?: TaskFileLoader;
  /** Reads task and suite files given as targets (the CLI passes @loomscope/benchmark-kit's). */
  loadFileTarget?: FileTargetLoader;
  /**
   * Called with a quick cost plan (samples, what is recorded, prompt tokens estimated from characters,
   * the generation budget) once the backend is bound and before any generation request. It builds
   * every prompt once more (no tokenizer call), so it runs only when this hook is given (`loom run`
   * passes one); `estimateRun` is the exact plan.
   */
  onEstimate?: (estimate: RunEstimate) => void;
}

export type RunOptions = RunHooks & RunSettings;

export interface UnitFailure {
  benchmark: string;
  task: string;
  length: string | null;
  message: string;
}

export interface RunOutcome {
  runDir: string;
  manifest: RunManifest;
  results: RunResults;
  interrupted: boolean;
  counts: { ok: number; errors: number; resumed: number; cached: number; skipped: number };
  failures: UnitFailure[];
  /** Why the run stopped early when the backend died (records finished before that are kept). */
  fatal?: string;
  /** Things the user should know (a protocol not available, a setting departing from the official one). */
  notices: string[];
}

const DEFAULT_TIMEOUT_MS = 10 * 60_000;
/** Samples in hand per request slot, and at most this many beyond the slots (see runPipeline). */
const WORKERS_PER_SLOT = 4;
const MAX_EXTRA_WORKERS = 256;
/** One sample's requests, retries and back-off included: a hung server costs at most this per sample. */
const DEFAULT_SAMPLE_TIMEOUT_MS = 30 * 60_000;
/** Tokens kept free for the chat template when the max length is derived from the model's window. */
export const TEMPLATE_RESERVE_TOKENS = 128;

const HOOK_KEYS = new Set(["targets", "cwd", "env", "bus", "signal", "registry", "optionTable", "loadTaskFile", "loadFileTarget", "onEstimate"]);

/** Session state shared by the stages (and by `estimateRun`, which binds the same way). */
export interface Session {
  settings: Record<string, unknown> & RunSettings;
  table: RunOptionTable;
  targets: readonly string[];
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  bus: EventBus;
  userSignal: AbortSignal;
  controller: AbortController;
  registry: PluginRegistry;
  cacheDir: string;
  data: DataAccess & { downloader: unknown };
  plan: Plan;
  backendOptions: JsonObject;
  runDir: string;
  identity: ReturnType<typeof runIdentity>;
  log: (level: "debug" | "info" | "warn" | "error", message: string, source?: string) => void;
  redact: Redactor;
  onEstimate: ((estimate: RunEstimate) => void) | undefined;
}

export function systemPromptOf(value: string | undefined, cwd: string): string | undefined {
  if (value === undefined || !value.startsWith("@")) return value;
  return readFileSync(resolve(cwd, value.slice(1)), "utf8");
}

/** Settings validated, plan built, identity and run directory decided: nothing touched yet. */
export async function openSession(options: RunOptions): Promise<Session> {
  const table = options.optionTable ?? RUN_OPTIONS;
  const raw = Object.fromEntries(Object.entries(options).filter(([k]) => !HOOK_KEYS.has(k)));
  const settings = parseRunSettings(raw, table) as Record<string, unknown> & RunSettings;
  // Secrets come from the environment only: a credential in an option would be written to the manifest.
  const secrets = findSecretKeys(settings);
  if (secrets.length > 0) {
    throw new LoomError("USAGE", `${secrets.join(", ")} look like secrets; loomscope reads secrets only from the environment (options are written to the run's manifest)`, {
      hint: "put the secret in an environment variable and name it (e.g. --backend-opt apiKeyEnv=MY_KEY)",
    });
  }
  if (!settings.model) throw new LoomError("USAGE", "no model given", { hint: "pass --model <backend>:<model>, e.g. --model ollama:qwen3:8b" });
  const cwd = resolve(options.cwd ?? process.cwd());
  const env = options.env ?? process.env;
  const bus = options.bus ?? new EventBus();
  const keyNames = [settings.backendOptions, settings.judgeOptions, ...Object.values(settings.backends ?? {})].flatMap((o) => (typeof o?.apiKeyEnv === "string" ? [o.apiKeyEnv] : []));
  const redact = createRedactor(env, keyNames);
  const log = (level: "debug" | "info" | "warn" | "error", message: string, source?: string) => bus.emit("log", { level, message: redact(message), ...(source ? { source } : {}) });
  const registry = options.registry ?? new PluginRegistry({ cwd });
  const cacheDir = resolveCacheDir(settings.cacheDir, env);
  const data = createDataAccess({
    cacheDir,
    ...(settings.dataDir ? { dataDir: resolve(cwd, settings.dataDir) } : {}),
    ...(settings.offline !== undefined ? { offline: settings.offline } : {}),
    env,
    onRetry: (info) => log("warn", `download retry ${info.attempt}: ${info.reason}; waiting ${info.delayMs} ms`),
  });
  const benchmarkOptions: Record<string, JsonObject> = { ...(settings.benchmarks ?? {}) };
  for (const [id, o] of Object.entries(settings.benchmarkOptions ?? {})) benchmarkOptions[id] = { ...(benchmarkOptions[id] ?? {}), ...o };
  const plan = await buildPlan(registry, {
    targets: options.targets,
    cwd,
    ...(settings.tasks ? { tasks: settings.tasks } : {}),
    ...(settings.lengths ? { lengths: settings.lengths } : {}),
    ...(settings.limit !== undefined ? { limit: settings.limit } : {}),
    ...(settings.protocol ? { protocol: settings.protocol } : {}),
    benchmarkOptions,
    ...(settings.allowCodeExecution ? { allowCodeExecution: true } : {}),
    ...(options.loadTaskFile ? { loadTaskFile: options.loadTaskFile } : {}),
    ...(options.loadFileTarget ? { loadFileTarget: options.loadFileTarget } : {}),
  });
  const unreadable = unreadablePins(plan);
  if (unreadable.length > 0) {
    throw new LoomError("DATA_PINNED", `${unreadable.length} planned unit(s) cannot read the data their suite pins: ${unreadable.slice(0, 5).join("; ")}${unreadable.length > 5 ? "; …" : ""}`, {
      hint: plan.suite ? `complete the lock of suite ${plan.suite.suite.id} (each file's sha256 and sample ids), or leave these units out with --tasks/--lengths` : "give each pinned file its sha256",
    });
  }
  const backendId = settings.model.slice(0, settings.model.indexOf(":"));
  const backendOptions: JsonObject = { ...(settings.backends?.[backendId] ?? {}), ...(settings.backendOptions ?? {}), ...(settings.launch ? { launch: true } : {}) };
  const identity = runIdentity({ targets: options.targets, plan, settings: identityOf(settings, table), backendOptions });
  const runDir = runDirFor(cwd, { runDir: settings.runDir, out: settings.out, model: settings.model, targets: options.targets, hash: identity.hash });
  const controller = new AbortController();
  const userSignal = options.signal ?? new AbortController().signal;
  if (userSignal.aborted) controller.abort(userSignal.reason);
  userSignal.addEventListener("abort", () => controller.abort(userSignal.reason), { once: true });
  // Every in-flight request listens for the run's abort: that is one listener per request, not a leak.
  setMaxListeners(0, controller.signal);
  // Settings that depart from every benchmark's official generation: said once, recorded in the manifest.
  if (settings.gen && Object.keys(settings.gen).length) plan.notices.push(`--gen ${Object.entries(settings.gen).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(",")} departs from the benchmarks' official generation settings`);
  if (settings.systemPrompt !== undefined) plan.notices.push("--system-prompt departs from the benchmarks' official prompts");
  for (const notice of plan.notices) log("warn", notice);
  return { settings, table, targets: options.targets, cwd, env, bus, userSignal, controller, registry, cacheDir, data, plan, backendOptions, runDir, identity, log, redact, onEstimate: options.onEstimate };
}

/**
 * Refusals that need the plan and the bound backend, before anything is built or sent. `report`
 * (`loom plan`) receives the refusals that do not change what prompts are built (no judge, code
 * execution not allowed, no tokenizer) instead of their being thrown.
 */
export function checkBeforeRun(s: Session, bound: Bound, maxLengthFor: (unit: Unit) => number | undefined, report?: (refusal: LoomError) => void): void {
  const refuse = (error: LoomError) => {
    if (!report) throw error;
    report(error);
  };
  const needJudge = s.plan.entries.flatMap((e) => judgeMetricsOf(e.benchmark, e.tasks.map((t) => t.id)));
  if (needJudge.length > 0 && !s.settings.judge) {
    refuse(new LoomError("USAGE", `these metrics are scored by a judge model and no judge is bound: ${needJudge.slice(0, 6).join("; ")}${needJudge.length > 6 ? "; …" : ""}`, {
      hint: "pass --judge <backend:model> (e.g. --judge openai:gpt-4o), or leave those tasks out with --tasks",
    }));
  }
  const runsCode = s.plan.entries.flatMap((e) => codeMetricsOf(e.benchmark, e.tasks.map((t) => t.id)));
  if (runsCode.length > 0 && !s.settings.allowCodeExecution) {
    refuse(new LoomError("USAGE", `these metrics run model-written code, which needs --allow-code-execution: ${runsCode.slice(0, 6).join("; ")}${runsCode.length > 6 ? "; …" : ""}`, {
      hint: "pass --allow-code-execution to run it in a sandboxed child process (no network, memory and time limits), or leave those tasks out with --tasks",
    }));
  }
  const window = bound.capabilities.maxInputTokens;
  for (const unit of s.plan.units) {
    const limit = maxLengthFor(unit);
    const budget = generationBudget(s, unit.task);
    if (limit !== undefined && limit < 1) {
      throw new LoomError("USAGE", `${unit.entry.benchmark.id}/${unit.task.id}: the model's ${window}-token window leaves no room for a prompt after the ${budget}-token generation budget`, {
        hint: "use a model with a larger window, or pass --max-length and --gen max_tokens=<n> that fit",
      });
    }
  }
  if ((s.plan.units.some((u) => maxLengthFor(u) !== undefined) || s.settings.maxLength !== undefined) && !bound.tokenizer) {
    refuse(new LoomError("TOKENIZER", "prompts must be fitted to a max length, but the backend gives no tokenizer", {
      hint: "pass --tokenizer tiktoken:o200k_base or --tokenizer ./path/to/tokenizer.json",
    }));
  }
}

/** The max input tokens of a unit: the user's, else the benchmark's official rule, else the window less the generation budget. */
export function maxLengthRule(s: Session, bound: Bound) {
  const window = bound.capabilities.maxInputTokens;
  return (unit: Unit): number | undefined => {
    if (s.settings.maxLength !== undefined) return s.settings.maxLength;
    const official = unit.entry.benchmark.defaultMaxLength?.(unit.task, window);
    if (official !== undefined) return window !== undefined ? Math.min(official, window - generationBudget(s, unit.task)) : official;
    return window !== undefined ? window - generationBudget(s, unit.task) - TEMPLATE_RESERVE_TOKENS : undefined;
  };
}

const generationBudget = (s: Session, task: TaskSpec): number => s.settings.gen?.max_tokens ?? task.maxNewTokens;

export async function runEvaluation(options: RunOptions): Promise<RunOutcome> {
  const s = await openSession(options);
  // One writer per run directory, taken before anything starts (a launched server, a judge).
  const lock = RunLock.acquire(s.runDir, "loom run", (message) => s.log("warn", message, "store"));
  try {
    return await runLocked(s);
  } finally {
    lock.release();
  }
}

/** Create, start and probe the backend and bind the accelerators, as the session's settings say. */
export function bindSession(s: Session): Promise<Bound> {
  const signal = s.controller.signal;
  return bind(
    {
      registry: s.registry,
      model: s.settings.model!,
      accelerators: s.settings.accelerators ?? [],
      backendOptions: s.backendOptions,
      maxLength: s.settings.maxLength,
      tokenizer: s.settings.tokenizer,
      chatTemplate: s.settings.chatTemplate,
      force: Boolean(s.settings.force),
      cwd: s.cwd,
      env: s.env,
      cacheDir: s.cacheDir,
      data: s.data,
      runDir: s.runDir,
      signal,
      log: s.log,
    },
    s.plan,
  );
}

async function runLocked(s: Session): Promise<RunOutcome> {
  const signal = s.controller.signal;
  const bound = await bindSession(s);
  let judge: JudgeBinding | undefined;
  try {
    const maxLengthFor = maxLengthRule(s, bound);
    checkBeforeRun(s, bound, maxLengthFor);
    if (bound.tokenizer && s.plan.units.some((u) => maxLengthFor(u) !== undefined)) await checkTokenizer(bound.tokenizer, `the tokenizer ${bound.tokenizer.id} (${bound.tokenizerSource})`);
    if (s.onEstimate) {
      // A plan that cannot be computed never stops the run: the run reports its own errors.
      try {
        s.onEstimate(await estimateBound(s, bound, maxLengthFor, { quick: true }));
      } catch (error) {
        if (signal.aborted) throw error;
        s.log("warn", `no plan total: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    const useCache = s.settings.cache !== false;
    if (s.settings.judge) {
      judge = await bindJudge(s.settings.judge, {
        registry: s.registry,
        env: s.env,
        cacheDir: s.cacheDir,
        data: s.data,
        options: { ...(s.settings.backends?.[s.settings.judge.slice(0, s.settings.judge.indexOf(":"))] ?? {}), ...(s.settings.judgeOptions ?? {}) },
        cache: useCache ? new ResponseCache(join(s.cacheDir, "responses", "judge")) : undefined,
        retry: s.settings.retry ?? DEFAULT_RETRY_POLICY,
        concurrency: s.settings.concurrency ?? 4,
        signal,
        log: (level, message) => s.log(level, message, "judge"),
      });
    }
    return await execute(s, bound, judge, maxLengthFor, useCache);
  } finally {
    await judge?.dispose();
    await bound.dispose();
  }
}

/** Open the run directory, run every sample of the plan, aggregate and write the results. */
async function execute(s: Session, bound: Bound, judge: JudgeBinding | undefined, maxLengthFor: (unit: Unit) => number | undefined, useCache: boolean): Promise<RunOutcome> {
  const signal = s.controller.signal;
  const store = RunStore.open(s.runDir, { ...(s.settings.fsync ? { fsync: true } : {}), onNotice: (n) => s.log(n.level, n.message, "store") });
  let keeper: ManifestKeeper | undefined;
  let saved = 0;
  try {
    const previous = store.readManifest();
    if (previous && previous.configHash !== s.identity.hash) {
      throw new LoomError("RUN_DIR", `${s.runDir} holds a run with a different configuration`, { hint: "use another --run-dir, or the same options as that run to resume it" });
    }
    const existing = await store.records((n) => s.log(n.level, n.message, "store"));
    saved = existing.size;
    const retryErrors = s.settings.retryErrors ?? true;
    const schedule = resolveSchedule(s.settings.schedule, bound.capabilities.features);
    if (schedule === "prefix" && !bound.capabilities.features.includes(PREFIX_CACHE_FEATURE)) {
      s.log("warn", `--schedule prefix: ${bound.backendId} reuses no prompt prefix across requests, so holding samples back for a shared prefix saves nothing here`);
    }
    const done = new Set<string>();
    // A skipped sample cannot fit this model's window (part of the run's identity): never retried.
    for (const [key, record] of existing) if (record.status !== "error" || !retryErrors) done.add(key);
    const manifest = redactJson(buildManifest({
      runDir: s.runDir,
      previous,
      identity: s.identity,
      plan: s.plan,
      plugins: [
        ...s.plan.entries.map((e) => ("plugin" in e.origin ? e.origin.plugin : { kind: "benchmark" as const, id: e.benchmark.id, file: e.origin.file, version: e.benchmark.version })),
        s.registry.require("backend", bound.backendId),
        ...(s.settings.accelerators ?? []).map((a) => s.registry.require("accelerator", a.split(/[:,]/)[0]!)),
        ...(s.plan.suite ? ["plugin" in s.plan.suite ? s.plan.suite.plugin : { kind: "suite" as const, id: s.plan.suite.suite.id, file: s.plan.suite.file, version: s.plan.suite.suite.version }] : []),
      ],
      model: { spec: s.settings.model!, backend: bound.backendId, info: bound.backend.describe() },
      tokenizer: bound.tokenizer ? { id: bound.tokenizer.id, source: bound.tokenizerSource } : null,
      chatTemplate: bound.templater ? { id: bound.templater.id } : null,
      accelerators: bound.bindings.map((b) => ({ accelerator: b.accelerator, method: b.method, label: b.label, params: b.params })),
      judge: s.settings.judge,
      seed: s.settings.seed ?? 0,
      schedule,
      cwd: s.cwd,
    }), s.redact);
    const ctx = pipelineContext(s, bound, judge, maxLengthFor, store, useCache, schedule);
    keeper = new ManifestKeeper({
      store,
      manifest,
      previousProvenance: structuredClone(previous?.provenance ?? {}),
      resumedBenchmarks: new Set([...existing.values()].map((r) => r.benchmark)),
      usage: ctx.totals,
      redact: s.redact,
      runDir: s.runDir,
      onRefuse: (error) => s.controller.abort(error),
    });
    const book = keeper;
    ctx.onRecord = () => {
      try {
        book.noteRecord();
      } catch (error) {
        if (!isStorageError(error)) throw error;
        if (ctx.storage.error === undefined) {
          ctx.storage.error = error;
          s.controller.abort(error);
        }
      }
    };
    keeper.flush();
    const planned = await runPipeline(s, ctx, done, manifest, keeper);
    saved += ctx.counts.ok + ctx.counts.errors + ctx.counts.skipped;
    // Refusals that stop the run as a whole: what finished is saved, and nothing is aggregated.
    if (keeper.refusal) throw keeper.refusal;
    if (ctx.storage.error) throw ctx.storage.error;
    const interrupted = s.userSignal.aborted;
    // Aggregate over the plan: every record of its samples, resumed ones included, and nothing else.
    const all = [...(await store.records()).values()].filter((r) => planned.has(sampleKey(r)));
    const unitErrors = new Map(ctx.failures.map((f) => [`${f.task}\u0000${f.length ?? ""}`, f.message]));
    const results = await computeResults(
      manifest.runId,
      s.plan.entries.map((entry) => ({
        benchmark: entry.benchmark,
        protocol: entry.protocol,
        facts: {
          planned,
          units: s.plan.units.filter((u) => u.entry === entry).map((u) => ({ task: u.task.id, length: u.length ?? null })),
          unitErrors: new Map([...unitErrors].filter(([k]) => ctx.failures.some((f) => f.benchmark === entry.benchmark.id && k === `${f.task}\u0000${f.length ?? ""}`))),
        },
      })),
      all,
      { suite: s.plan.suite?.suite, complete: !signal.aborted && ctx.failures.length === 0, judge: s.settings.judge ?? null },
    );
    for (const result of results.benchmarks) s.bus.emit("benchmark:done", { result });
    store.writeResults(results);
    keeper.flush();
    s.bus.emit("run:done", { results, interrupted, runDir: s.runDir });
    return {
      runDir: s.runDir,
      manifest,
      results,
      interrupted,
      counts: { ...ctx.counts, resumed: done.size },
      failures: ctx.failures,
      ...(ctx.fatal.message !== undefined ? { fatal: ctx.fatal.message } : {}),
      notices: s.plan.notices,
    };
  } catch (error) {
    try {
      keeper?.flush(); // the usage of this invocation, whatever stopped it
    } catch {
      // the disk fails: the error below says so
    }
    if (!isStorageError(error)) throw error;
    // The disk is full or read-only: say which file, and that finished samples are safe.
    throw new LoomError("STORAGE", error.message, {
      hint: `${saved} finished sample record(s) are saved in ${s.runDir}. ${error.hint ?? ""} — the run resumes where it stopped`.trim(),
      cause: error,
    });
  } finally {
    store.close();
  }
}

/** The model's window and a turn's generation budget, when the window is known: prompts over the difference are skipped. */
export function windowRule(s: Session, bound: Bound) {
  return (task: TaskSpec, turnMaxNewTokens?: number): { window: number; budget: number } | undefined => {
    const window = bound.capabilities.maxInputTokens;
    return window === undefined ? undefined : { window, budget: s.settings.gen?.max_tokens ?? turnMaxNewTokens ?? task.maxNewTokens };
  };
}

function pipelineContext(s: Session, bound: Bound, judge: JudgeBinding | undefined, maxLengthFor: (unit: Unit) => number | undefined, store: RunStore, useCache: boolean, schedule: SchedulePolicy): PipelineContext {
  const signal = s.controller.signal;
  // `official` keeps the limiter's own first-come queue; the others order first attempts by policy.
  const order = schedule === "official" ? undefined : createDispatchOrder(schedule);
  const limiter = new AdaptiveLimiter(s.settings.concurrency ?? 4, (limit, reason) => s.bus.emit("concurrency:change", { backend: bound.backendId, limit, reason }), order);
  let warnedRawAsChat = false;
  const warned = new Set<string>();
  return {
    bus: s.bus,
    store,
    bound,
    judge,
    limiter,
    signal,
    abort: (error) => s.controller.abort(error),
    log: s.log,
    maxLengthFor,
    windowFor: windowRule(s, bound),
    settings: s.settings,
    table: s.table,
    systemPrompt: systemPromptOf(s.settings.systemPrompt, s.cwd),
    retry: s.settings.retry ?? DEFAULT_RETRY_POLICY,
    timeoutMs: s.settings.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    cache: useCache ? new ResponseCache(join(s.cacheDir, "responses", "generate")) : undefined,
    modelIdentity: { backend: bound.backendId, ...(bound.backend.identity?.() ?? { model: bound.model }) },
    onRawAsChat: () => {
      if (warnedRawAsChat) return;
      warnedRawAsChat = true;
      s.log("warn", `the official code sends some prompts as raw text without a chat template; ${bound.backendId} takes only chat messages, so they are sent as one user message (recorded as mode "raw-as-chat")`);
    },
    counts: { ok: 0, errors: 0, cached: 0, skipped: 0 },
    totals: { promptTokens: 0, completionTokens: 0, requests: 0, costUsd: 0, priced: false, cached: 0, cachedPromptTokens: 0 },
    failures: [],
    fatal: {},
    storage: {},
    sampleTimeoutMs: s.settings.sampleTimeoutMs ?? DEFAULT_SAMPLE_TIMEOUT_MS,
    schedule,
    redact: s.redact,
    onRecord: () => undefined,
    warnOnce: (key, message) => {
      if (warned.has(key)) return;
      warned.add(key);
      s.log("warn", message, bound.backendId);
    },
  };
}

/** The sample stream through the two-stage pipeline; returns the keys of every planned sample. */
async function runPipeline(s: Session, ctx: PipelineContext, done: ReadonlySet<string>, manifest: RunManifest, keeper: ManifestKeeper): Promise<Set<string>> {
  const signal = s.controller.signal;
  const planned = new Set<string>();
  let drawn = 0;
  const progress = new Map<Unit, { pending: number; exhausted: boolean; ok: number; errors: number }>();
  const stateOf = (unit: Unit) => {
    let st = progress.get(unit);
    if (!st) progress.set(unit, (st = { pending: 0, exhausted: false, ok: 0, errors: 0 }));
    return st;
  };
  const maybeTaskDone = (unit: Unit) => {
    const st = stateOf(unit);
    if (st.exhausted && st.pending === 0) s.bus.emit("task:done", { benchmark: unit.entry.benchmark.id, task: unit.task.id, length: unit.length ?? null, ok: st.ok, errors: st.errors });
  };
  const shard = s.settings.shard ? parseShard(s.settings.shard, s.env) : undefined;
  const plannedTasks = await Promise.all(s.plan.units.map((unit) => plannedTask(s, unit, done, shard !== undefined)));
  s.bus.emit("run:start", { runId: manifest.runId, runDir: s.runDir, manifest, plan: plannedTasks });
  const contextFor = (unit: Unit): BenchmarkContext => benchmarkContext(s, unit, (benchmark, key, value) => keeper.recordProvenance(benchmark, key, value), ctx);
  const iterator = streamSamples(s.plan.units, {
    contextFor,
    done,
    shard,
    signal,
    planned,
    onUnitStart: (unit) => s.bus.emit("task:start", { ...unitLabel(unit), total: plannedTasks[s.plan.units.indexOf(unit)]?.total, resumed: plannedTasks[s.plan.units.indexOf(unit)]?.resumed ?? 0 }),
    onUnitEnd: (unit) => {
      stateOf(unit).exhausted = true;
      maybeTaskDone(unit);
    },
    onUnitError: (unit, error) => {
      if (isLoomError(error, "DATA_CHANGED")) return; // the run stops; the refusal is thrown once
      const message = s.redact(error instanceof Error ? error.message : String(error));
      const hint = isLoomError(error) && error.hint ? ` (${s.redact(error.hint)})` : "";
      ctx.failures.push({ ...unitLabel(unit), message: message + hint });
      s.log("error", `${unit.entry.benchmark.id}/${unit.task.id}${unit.length ? `/${unit.length}` : ""}: ${message}${hint}`, unit.entry.benchmark.id);
    },
    onDuplicate: (unit, id) => contextFor(unit).reportDataIssue({ file: `${unit.task.id}${unit.length ? `/${unit.length}` : ""}`, message: `duplicate sample id ${id}; skipped` }),
    onUnitComplete: (unit, ids) => appendUnitPlan(s.runDir, { ...unitLabel(unit), ids: [...ids] }),
  });
  // Two stages: at most `prepSlots` samples exist in full (drawn from the stream, prompt being built
  // and truncated); after that only the fitted prompt waits for one of the request slots. So memory
  // is bounded by a few full contexts, however long they are and however many requests are in flight.
  const prepSlots = new AdaptiveLimiter(Math.max(1, Math.min(ctx.limiter.max, s.settings.prepareConcurrency ?? 4)));
  // More samples in hand than request slots: a sample waiting out a retry's back-off (a Retry-After,
  // a 500's delay) holds no slot, and another sample takes it. Only fitted prompts wait here.
  const workers = Math.min(ctx.limiter.max * WORKERS_PER_SLOT, ctx.limiter.max + MAX_EXTRA_WORKERS);
  const wake = () => {
    prepSlots.wakeAll();
    ctx.limiter.wakeAll();
  };
  signal.addEventListener("abort", wake);
  try {
    await Promise.all(
      Array.from({ length: workers }, async () => {
        for (;;) {
          if (signal.aborted) return;
          try {
            await prepSlots.acquire(signal);
          } catch {
            return;
          }
          let released = false;
          const releasePrep = () => {
            if (!released) {
              released = true;
              prepSlots.release();
            }
          };
          const next = await iterator.next();
          if (next.done) {
            releasePrep();
            return;
          }
          const { unit, sample } = next.value;
          const position = drawn++;
          const st = stateOf(unit);
          st.pending++;
          try {
            const outcome = await processSample(ctx, unit, sample, releasePrep, position);
            if (outcome === "ok") st.ok++;
            else if (outcome === "error") st.errors++;
          } finally {
            releasePrep();
            st.pending--;
            maybeTaskDone(unit);
          }
        }
      }),
    );
  } finally {
    signal.removeEventListener("abort", wake);
    ctx.limiter.dispose();
    prepSlots.dispose();
  }
  return planned;
}

const unitLabel = (unit: Unit) => ({ benchmark: unit.entry.benchmark.id, task: unit.task.id, length: unit.length ?? null });

async function plannedTask(s: Session, unit: Unit, done: ReadonlySet<string>, sharded: boolean) {
  let total: number | undefined;
  try {
    total = await unit.entry.benchmark.count?.(
      {
        task: unit.task.id,
        ...(unit.length !== undefined ? { length: unit.length } : {}),
        ...(unit.entry.limit !== undefined ? { limit: unit.entry.limit } : {}),
        ...(unit.entry.sampleIds ? { sampleIds: unit.entry.sampleIds } : {}),
      },
      benchmarkContext(s, unit, () => undefined, undefined),
    );
  } catch {
    total = undefined;
  }
  if (sharded) total = undefined; // unknown until ids are hashed
  let resumed = 0;
  for (const key of done) if (key.startsWith(unit.key)) resumed++;
  return { ...unitLabel(unit), total, resumed };
}

/** The data issues a session has reported, so a file read twice (plan total, then run) warns once. */
const reportedIssues = new WeakMap<Session, Set<string>>();

export function benchmarkContext(s: Session, unit: Unit, record: (benchmark: string, key: string, value: JsonObject) => void, ctx: Pick<PipelineContext, "maxLengthFor" | "bound"> | undefined): BenchmarkContext {
  const benchmark = unit.entry.benchmark.id;
  const maxLength = ctx?.maxLengthFor(unit);
  return {
    protocol: unit.entry.protocol,
    ...(maxLength !== undefined ? { maxLength } : {}),
    ...(ctx?.bound.templater ? { chatTemplate: ctx.bound.templater } : {}),
    cacheDir: s.cacheDir,
    data: s.data,
    ...(ctx?.bound.tokenizer ? { tokenizer: ctx.bound.tokenizer } : {}),
    seed: s.settings.seed ?? 0,
    options: unit.entry.options,
    ...(unit.entry.pinnedData ? { pinnedData: unit.entry.pinnedData } : {}),
    signal: s.controller.signal,
    log: (level, message) => s.log(level, message, benchmark),
    reportDataIssue: (issue) => {
      // Once per session: `loom run`'s plan total reads the data before the run does.
      const where = `${issue.file}${issue.line !== undefined ? `:${issue.line}` : ""}`;
      const seen = reportedIssues.get(s) ?? new Set<string>();
      reportedIssues.set(s, seen);
      const key = `${benchmark}\0${where}\0${issue.message}`;
      if (seen.has(key)) return;
      seen.add(key);
      s.bus.emit("data:issue", { benchmark, ...issue });
      s.log("warn", `${where}: ${issue.message}`, benchmark);
    },
    recordProvenance: (key, value) => record(benchmark, key, value),
  };
}

