/**
 * Dispatch: one generation request under the adaptive limiter, with a per-request timeout tied to
 * the run's signal, inside the one retry loop; answered from the response cache when the same
 * model was asked the same thing with the same settings before.
 */
import { BackendRequestError, type Backend, type EngineDirective, type GeneratePrompt, type GenerateResult, type JsonObject, type TaskGeneration } from "@loomscope/spec";
import { classifyError, deadlineError, withRetry, type RetryInfo, type RetryPolicy } from "../retry.js";
import { cacheKey, type ResponseCache } from "./cache.js";
import type { AdaptiveLimiter } from "./limiter.js";
import type { ScheduleItem } from "./schedule.js";
import type { GenerationSettings } from "./settings.js";

export interface DispatchContext {
  backend: Backend;
  /** What identifies the model's outputs (backend id + `Backend.identity()`). */
  modelIdentity: JsonObject;
  limiter: AdaptiveLimiter;
  retry: RetryPolicy;
  timeoutMs: number;
  /**
   * The sample's time limit (`--sample-timeout`), retries and back-off included: `ms` from its first
   * request's start (`at`, set then; waiting for a free slot before it does not count).
   */
  deadline?: { ms: number; label: string; at?: number };
  engine: readonly EngineDirective[];
  gen: GenerationSettings;
  cache: ResponseCache | undefined;
  signal: AbortSignal;
  onRetry(info: RetryInfo): void;
}

export interface DispatchRequest {
  prompt: GeneratePrompt;
  maxNewTokens: number;
  expectedPromptTokens: number | null;
  /** The task's official generation settings (greedy when absent); `--gen` overrides them. */
  generation?: TaskGeneration | undefined;
  /** Where the request stands in the dispatch order (`--schedule`); absent: first come, first served. */
  schedule?: ScheduleItem | undefined;
}

export interface Dispatched {
  result: GenerateResult;
  attempts: number;
  cached: boolean;
}

/** The generation settings a request is sent with: the benchmark's budget and greedy decoding unless `--gen` says otherwise. */
function requestSettings(request: DispatchRequest, gen: GenerationSettings) {
  const task = request.generation ?? {};
  const topP = gen.top_p ?? task.topP;
  const topK = gen.top_k ?? task.topK;
  const stop = gen.stop ?? task.stop;
  return {
    maxNewTokens: gen.max_tokens ?? request.maxNewTokens,
    temperature: gen.temperature ?? task.temperature ?? 0,
    ...(topP !== undefined ? { topP } : {}),
    ...(topK !== undefined ? { topK } : {}),
    ...(gen.seed !== undefined ? { seed: gen.seed } : {}),
    ...(stop !== undefined ? { stop: [...stop] } : {}),
    ...(task.minNewTokens !== undefined ? { minNewTokens: task.minNewTokens } : {}),
  };
}

/** The response-cache key of a request: what `dispatch` looks up (and `loom plan` checks without sending). */
export function responseCacheKey(request: DispatchRequest, ctx: Pick<DispatchContext, "modelIdentity" | "gen" | "engine">): string {
  return cacheKey({ model: ctx.modelIdentity, prompt: request.prompt, settings: requestSettings(request, ctx.gen), engine: ctx.engine });
}

export async function dispatch(request: DispatchRequest, ctx: DispatchContext): Promise<Dispatched> {
  const settings = requestSettings(request, ctx.gen);
  const key = ctx.cache ? responseCacheKey(request, ctx) : undefined;
  if (key !== undefined) {
    const hit = ctx.cache!.get<{ text: string; usage: JsonObject; finishReason: string | null; engineStats: JsonObject | null }>(key);
    if (hit) {
      return {
        result: {
          text: hit.text,
          usage: hit.usage as GenerateResult["usage"],
          timings: { totalMs: 0 },
          ...(hit.finishReason ? { finishReason: hit.finishReason as NonNullable<GenerateResult["finishReason"]> } : {}),
          ...(hit.engineStats ? { engineStats: hit.engineStats } : {}),
        },
        attempts: 0,
        cached: true,
      };
    }
  }
  const { limiter, signal, deadline } = ctx;
  let lastError: unknown;
  const outcome = await withRetry(
    async (attempt) => {
      await limiter.acquire(signal, attempt > 1, request.schedule);
      const epoch = limiter.epoch;
      if (deadline) deadline.at ??= Date.now() + deadline.ms;
      // The request's timeout, cut short by the sample's deadline.
      const left = deadline?.at !== undefined ? deadline.at - Date.now() : Infinity;
      if (left <= 0) {
        limiter.release(request.schedule);
        throw deadlineError(lastError ?? new Error("no attempt finished"), attempt - 1, deadline!.label);
      }
      const timeoutMs = Math.min(ctx.timeoutMs, left);
      const timeoutMessage = timeoutMs < ctx.timeoutMs ? `request stopped after ${Math.round(timeoutMs)} ms: ${deadline!.label} is spent` : `request timed out after ${timeoutMs} ms`;
      // One controller per request, tied to the run's signal and the timeout (cheaper than AbortSignal.any).
      const controller = new AbortController();
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        controller.abort(new BackendRequestError(timeoutMessage, { retryable: true }));
      }, timeoutMs);
      const forward = () => controller.abort(signal.reason);
      signal.addEventListener("abort", forward, { once: true });
      try {
        const result = await ctx.backend.generate({
          prompt: request.prompt,
          ...settings,
          // A lower bound (the template adds tokens): lets backends catch an engine's silent cut.
          ...(request.expectedPromptTokens != null ? { expectedPromptTokens: request.expectedPromptTokens } : {}),
          ...(ctx.engine.length ? { engine: ctx.engine } : {}),
          signal: controller.signal,
        });
        limiter.success();
        return result;
      } catch (error) {
        if (timedOut && !signal.aborted) {
          limiter.failure();
          throw (lastError = new BackendRequestError(timeoutMessage, { retryable: true, cause: error }));
        }
        const verdict = classifyError(error);
        if (verdict.status === 429 || verdict.status === 503) limiter.backoff(`HTTP ${verdict.status}`, verdict.retryAfterMs, epoch);
        else if (verdict.retryable && !signal.aborted) limiter.failure();
        lastError = error;
        throw error;
      } finally {
        clearTimeout(timer);
        signal.removeEventListener("abort", forward);
        limiter.release(request.schedule);
      }
    },
    { policy: ctx.retry, signal, onRetry: ctx.onRetry, healthy: () => limiter.healthy, ...(deadline ? { deadline: () => deadline.at, deadlineLabel: deadline.label } : {}) },
  );
  const result = outcome.value;
  if (key !== undefined) {
    ctx.cache!.put(key, { text: result.text, usage: result.usage as JsonObject, finishReason: result.finishReason ?? null, engineStats: result.engineStats ?? null });
  }
  return { result, attempts: outcome.attempts, cached: false };
}
