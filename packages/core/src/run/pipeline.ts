/**
 * One sample through the run: prepare its prompt, dispatch it (and the follow-up turns of a
 * multi-turn official prompt), score the prediction, store the record, emit the event. A failure
 * at any step becomes an error record; an interrupted sample writes nothing, so a resume runs it.
 */
import { BackendRequestError, isLoomError, type LoomError, type GenerateResult, type JudgeCallRecord, type PromptParts, type PromptStats, type PromptTurn, type Sample, type SampleRecord, type TaskSpec } from "@loomscope/spec";
import type { EventBus } from "../events.js";
import type { RetryPolicy } from "../retry.js";
import type { Bound } from "./bind.js";
import type { ResponseCache } from "./cache.js";
import { dispatch } from "./dispatch.js";
import type { JudgeBinding } from "./judge.js";
import type { AdaptiveLimiter } from "./limiter.js";
import type { Unit } from "./plan.js";
import type { RunUsage } from "./keeper.js";
import { preparePrompt, type PrepareContext, type PreparedPrompt } from "./prepare.js";
import { scoreRecord } from "./score.js";
import { scheduleItem, type SchedulePolicy } from "./schedule.js";
import { recordSettingsOf, type RunOptionTable, type RunSettings } from "./settings.js";
import type { RunStore } from "./store.js";
import { isStorageError } from "./fs-errors.js";
import { checkPromptCount } from "./tokenizer-check.js";

export interface PipelineContext {
  bus: EventBus;
  store: RunStore;
  bound: Bound;
  judge: JudgeBinding | undefined;
  limiter: AdaptiveLimiter;
  signal: AbortSignal;
  /** Stop the run (a fatal backend error). */
  abort(error: unknown): void;
  log: (level: "debug" | "info" | "warn" | "error", message: string, source?: string) => void;
  maxLengthFor(unit: Unit): number | undefined;
  /** The model's window and a turn's generation budget, when the window is known (prompts over the difference are skipped). */
  windowFor?(task: TaskSpec, turnMaxNewTokens?: number): { window: number; budget: number } | undefined;
  settings: RunSettings & Record<string, unknown>;
  table: RunOptionTable;
  systemPrompt: string | undefined;
  retry: RetryPolicy;
  timeoutMs: number;
  cache: ResponseCache | undefined;
  modelIdentity: Record<string, import("@loomscope/spec").JsonValue>;
  onRawAsChat(): void;
  counts: { ok: number; errors: number; cached: number; skipped: number };
  totals: RunUsage;
  failures: { benchmark: string; task: string; length: string | null; message: string }[];
  /** Set once when the backend cannot serve any more requests. */
  fatal: { message?: string };
  /** Set once when the run directory cannot be written (disk full, read-only): the run stops. */
  storage: { error?: LoomError };
  /** The dispatch order (`--schedule`): which waiting request takes the next free slot. */
  schedule: SchedulePolicy;
  /** Time limit of one sample's requests, retries and back-off included (`--sample-timeout`). */
  sampleTimeoutMs: number;
  /** Removes secrets from text bound for records, logs and the terminal. */
  redact: (text: string) => string;
  /** A record was written (the manifest's totals are saved as the run goes). */
  onRecord(): void;
  /** A warning said once per run, whatever number of samples show it. */
  warnOnce(key: string, message: string): void;
}

const errorInfo = (error: unknown, redact: (text: string) => string): { code: string; message: string; status?: number } => {
  const status = error instanceof BackendRequestError ? error.status : undefined;
  return {
    code: isLoomError(error) ? error.code : error instanceof Error && error.name === "TimeoutError" ? "TIMEOUT" : "ERROR",
    message: redact(error instanceof Error ? error.message : String(error)),
    ...(status !== undefined ? { status } : {}),
  };
};

interface Generated {
  result: GenerateResult;
  attempts: number;
  cached: boolean;
  prompt: PromptStats;
  accelerators: PreparedPrompt["accelerators"];
  turns: { output: string }[];
}

/** What preparing a unit's prompts needs from the run (the run's pipeline and `loom plan` share it). */
export type PrepareSource = Pick<PipelineContext, "bound" | "maxLengthFor" | "systemPrompt" | "settings" | "retry" | "signal" | "onRawAsChat" | "windowFor">;

export function prepareContextOf(ctx: PrepareSource, unit: Unit): PrepareContext {
  return {
    promptBindings: ctx.bound.promptBindings,
    tokenizer: ctx.bound.tokenizer,
    templater: ctx.bound.templater,
    capabilities: ctx.bound.capabilities,
    maxLengthFor: () => ctx.maxLengthFor(unit),
    systemPrompt: ctx.systemPrompt,
    logPrompts: ctx.settings.logPrompts ?? "snippet",
    retry: ctx.retry,
    signal: ctx.signal,
    onRawAsChat: ctx.onRawAsChat,
    ...(ctx.windowFor ? { windowFor: ctx.windowFor } : {}),
  };
}

/** A sample's first-turn prompt parts, as the benchmark builds them. */
export async function firstPromptParts(ctx: PrepareSource, unit: Unit, sample: Sample): Promise<PromptParts> {
  const maxLength = ctx.maxLengthFor(unit);
  return unit.entry.benchmark.prompt(sample, unit.task, { ...(ctx.bound.tokenizer ? { tokenizer: ctx.bound.tokenizer } : {}), ...(maxLength !== undefined ? { maxLength } : {}) });
}

/** Prepare and dispatch every turn; the last output is the prediction. */
async function generate(ctx: PipelineContext, unit: Unit, sample: Sample, drawn: number, releasePrep: () => void, onPrompt: (p: PromptStats) => void): Promise<Generated> {
  const benchmark = unit.entry.benchmark;
  const prepareCtx = prepareContextOf(ctx, unit);
  let parts: PromptParts | undefined = await firstPromptParts(ctx, unit, sample);
  const turns: PromptTurn[] = [];
  let attempts = 0;
  let cached = true;
  // The sample's time limit, shared by its turns; it starts with its first request.
  const deadline = { ms: ctx.sampleTimeoutMs, label: `the sample's time limit (--sample-timeout ${ctx.sampleTimeoutMs} ms)` } as { ms: number; label: string; at?: number };
  for (;;) {
    const prepared = await preparePrompt(parts!, unit.task, sample.id, prepareCtx);
    // The parts hold the whole context: only a later turn of a multi-turn prompt needs them again.
    // Dropped here, so a sample waiting for a request slot or a retry holds its fitted prompt only.
    const turnParts: PromptParts | undefined = benchmark.followUp ? parts : undefined;
    const maxNewTokens = parts!.maxNewTokens ?? unit.task.maxNewTokens;
    parts = undefined;
    if (turns.length === 0) {
      onPrompt(prepared.stats);
      // The prompt is built: drop the sample's (possibly huge) inputs and free the preparation slot,
      // unless a later turn of the official prompt needs them again.
      if (!benchmark.followUp) sample.input = {};
      releasePrep();
    }
    const out = await dispatch(
      {
        prompt: prepared.request,
        maxNewTokens,
        expectedPromptTokens: prepared.stats.tokens,
        generation: unit.task.generation,
        ...(ctx.schedule !== "official" ? { schedule: scheduleItem(drawn, prepared.request, prepared.stats.tokens, ctx.schedule) } : {}),
      },
      {
        deadline,
        backend: ctx.bound.backend,
        modelIdentity: ctx.modelIdentity,
        limiter: ctx.limiter,
        retry: ctx.retry,
        timeoutMs: ctx.timeoutMs,
        engine: ctx.bound.engineDirectives,
        gen: ctx.settings.gen ?? {},
        cache: ctx.cache,
        signal: ctx.signal,
        onRetry: (info) =>
          ctx.bus.emit("request:retry", { sampleId: sample.id, attempt: info.attempt, delayMs: info.delayMs, reason: ctx.redact(info.reason), ...(info.status !== undefined ? { status: info.status } : {}) }),
      },
    );
    // The server's count of the prompt against ours: a tokenizer that under-counts leaves prompts uncut.
    if (!out.cached && ctx.bound.tokenizer) {
      const mismatch = checkPromptCount(prepared.countedTokens, out.result.usage.promptTokens, ctx.bound.tokenizer.id, ctx.bound.tokenizerSource.startsWith("backend"));
      if (mismatch) ctx.warnOnce("tokenizer-mismatch", `${mismatch} (the first such sample: ${sample.id})`);
    }
    attempts += out.attempts;
    cached &&= out.cached;
    if (!turnParts) {
      // One turn: the prediction is its output.
      return { result: out.result, attempts, cached, prompt: prepared.stats, accelerators: prepared.accelerators, turns: [] };
    }
    turns.push({ prompt: turnParts, output: out.result.text });
    const next: PromptParts | undefined = benchmark.followUp?.(sample, unit.task, turns);
    if (next === undefined) {
      // A multi-turn exchange: the prediction is the benchmark's (default: the last output); every turn's output is kept.
      const prediction = turns.length > 1 && benchmark.prediction ? benchmark.prediction(sample, unit.task, turns) : out.result.text;
      return {
        result: { ...out.result, text: prediction },
        attempts,
        cached,
        prompt: prepared.stats,
        accelerators: prepared.accelerators,
        turns: turns.length > 1 ? turns.map((t) => ({ output: t.output })) : [],
      };
    }
    parts = next;
  }
}

/**
 * Run one sample to a record. Returns what happened, for the unit's counts. `drawn` is the sample's
 * position in the official order (the dispatch order breaks ties with it).
 */
export async function processSample(ctx: PipelineContext, unit: Unit, sample: Sample, releasePrep: () => void, drawn = 0): Promise<"ok" | "error" | "skipped" | "interrupted"> {
  const benchmark = unit.entry.benchmark;
  const length = unit.length ?? null;
  const startedAt = new Date();
  const t0 = performance.now();
  ctx.bus.emit("sample:start", { benchmark: benchmark.id, task: unit.task.id, length, sampleId: sample.id });
  const settings = recordSettingsOf(ctx.settings, ctx.table);
  const base = {
    v: 1 as const,
    id: sample.id,
    benchmark: benchmark.id,
    task: unit.task.id,
    length,
    references: sample.references,
    ...(sample.scoring ? { scoring: sample.scoring } : {}),
    ...(sample.meta ? { meta: sample.meta } : {}),
    ...(settings ? { settings } : {}),
  };
  let prompt: PromptStats | null = null;
  let generated: Generated | undefined;
  let judgeCalls: JudgeCallRecord[] = [];
  try {
    generated = await generate(ctx, unit, sample, drawn, releasePrep, (p) => {
      prompt = p;
      ctx.bus.emit("sample:prompt", { benchmark: benchmark.id, task: unit.task.id, length, sampleId: sample.id, tokens: p.tokens, truncated: p.truncated });
    });
    const { result } = generated;
    const accelerators = [
      ...generated.accelerators,
      // Engine bindings act inside the backend: their record is the binding plus what the engine reports.
      ...ctx.bound.bindings.flatMap((b) => (b.stage === "engine" ? [{ accelerator: b.accelerator, method: b.method, label: b.label, params: b.params, stats: result.engineStats ?? {} }] : [])),
    ];
    const scored = await scoreRecord(benchmark, { task: unit.task.id, length, references: sample.references, scoring: sample.scoring, prediction: result.text }, { judge: ctx.judge, protocol: unit.entry.protocol, signal: ctx.signal });
    judgeCalls = scored.judgeCalls;
    const record: SampleRecord = {
      ...base,
      status: "ok",
      prediction: result.text,
      scores: scored.scores,
      score: scored.score,
      prompt: generated.prompt,
      usage: {
        promptTokens: result.usage.promptTokens ?? null,
        completionTokens: result.usage.completionTokens ?? null,
        // The server's prefix-cache figure of this request; a response-cache answer sent no request.
        ...(!generated.cached && result.usage.cachedPromptTokens !== undefined ? { cachedPromptTokens: result.usage.cachedPromptTokens } : {}),
      },
      // totalMs is the sample's whole time here (queueing and retries included), not the last request's.
      timings: { ...result.timings, startedAt: startedAt.toISOString(), totalMs: performance.now() - t0 },
      accelerators,
      ...(result.engineStats ? { engineStats: result.engineStats } : {}),
      attempts: generated.attempts,
      error: null,
      finishReason: result.finishReason ?? null,
      ...(generated.cached ? { cached: true } : {}),
      ...(generated.turns.length ? { turns: generated.turns } : {}),
      ...(judgeCalls.length ? { judge: judgeCalls } : {}),
    };
    if (!save(ctx, record)) return "interrupted";
    addUsage(ctx, generated);
    ctx.onRecord();
    ctx.counts.ok++;
    if (generated.cached) ctx.counts.cached++;
    ctx.bus.emit("sample:done", { record });
    return "ok";
  } catch (error) {
    if (isLoomError(error, "BACKEND_FATAL")) {
      // The backend cannot serve any more requests: stop the run, keep what finished.
      if (ctx.fatal.message === undefined) {
        ctx.fatal.message = ctx.redact(error.hint ? `${error.message} (${error.hint})` : error.message);
        ctx.log("error", ctx.fatal.message, ctx.bound.backendId);
        ctx.abort(error);
      }
      return "interrupted";
    }
    // An interrupted sample is not finished: no record, so a resume runs it again.
    if (ctx.signal.aborted) return "interrupted";
    if (isLoomError(error, "PROMPT_TOO_LONG") && !generated) return skipSample(ctx, { ...base, prompt, startedAt, t0 }, error);
    const attempts = (error as { attempts?: number }).attempts ?? generated?.attempts ?? 0;
    const result = generated?.result;
    const record: SampleRecord = {
      ...base,
      status: "error",
      prediction: result?.text ?? null,
      scores: {},
      score: null,
      prompt,
      usage: { promptTokens: result?.usage.promptTokens ?? null, completionTokens: result?.usage.completionTokens ?? null },
      timings: { startedAt: startedAt.toISOString(), totalMs: performance.now() - t0 },
      accelerators: generated?.accelerators ?? [],
      attempts,
      error: errorInfo(error, ctx.redact),
      ...(result ? { finishReason: result.finishReason ?? null } : {}),
      ...(judgeCalls.length ? { judge: judgeCalls } : {}),
    };
    if (!save(ctx, record)) return "interrupted";
    ctx.totals.requests += attempts;
    ctx.onRecord();
    ctx.counts.errors++;
    ctx.bus.emit("sample:error", { record });
    return "error";
  }
}

/** A sample whose prompt cannot fit the model's window: recorded as skipped (never sent, never scored). */
function skipSample(
  ctx: PipelineContext,
  base: Omit<SampleRecord, "status" | "prediction" | "scores" | "score" | "prompt" | "usage" | "timings" | "accelerators" | "attempts" | "error"> & { prompt: PromptStats | null; startedAt: Date; t0: number },
  error: LoomError,
): "skipped" | "interrupted" {
  const { prompt, startedAt, t0, ...rest } = base;
  const record: SampleRecord = {
    ...rest,
    status: "skipped",
    prediction: null,
    scores: {},
    score: null,
    prompt,
    usage: { promptTokens: null, completionTokens: null },
    timings: { startedAt: startedAt.toISOString(), totalMs: performance.now() - t0 },
    accelerators: [],
    attempts: 0,
    error: { code: error.code, message: error.message },
  };
  if (!save(ctx, record)) return "interrupted";
  ctx.onRecord();
  ctx.counts.skipped++;
  ctx.bus.emit("sample:skipped", { record });
  return "skipped";
}

/**
 * Store a record. When the run directory cannot be written (disk full, read-only), the run stops:
 * the records written so far are saved, and this sample is not finished (a resume runs it).
 */
function save(ctx: PipelineContext, record: SampleRecord): boolean {
  try {
    ctx.store.append(record);
    return true;
  } catch (error) {
    if (!isStorageError(error)) throw error;
    if (ctx.storage.error === undefined) {
      ctx.storage.error = error;
      ctx.abort(error);
    }
    return false;
  }
}

function addUsage(ctx: PipelineContext, generated: Generated): void {
  const { result } = generated;
  ctx.totals.requests += generated.attempts;
  if (generated.cached) {
    ctx.totals.cached++;
    return;
  }
  ctx.totals.promptTokens += result.usage.promptTokens ?? 0;
  ctx.totals.completionTokens += result.usage.completionTokens ?? 0;
  ctx.totals.cachedPromptTokens += result.usage.cachedPromptTokens ?? 0;
  if (result.usage.costUsd !== undefined) {
    ctx.totals.costUsd += result.usage.costUsd;
    ctx.totals.priced = true;
  }
}
