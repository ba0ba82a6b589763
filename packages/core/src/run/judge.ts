/**
 * The judge slot: any installed backend bound with `--judge <backend:model>` scores judge metrics.
 * Calls go through the one retry loop under their own concurrency limit, are cached on disk by
 * (judge identity, full request), and are recorded on the sample's record.
 */
import type { Backend, ChatTemplater, Judge, JudgeCallRecord, JudgeRequest, JsonObject } from "@loomscope/spec";
import { LoomError } from "@loomscope/spec";
import type { PluginRegistry } from "../plugins/registry.js";
import { withRetry, classifyError, type RetryPolicy } from "../retry.js";
import type { DataAccess } from "@loomscope/spec";
import { hostServices } from "../host.js";
import { cacheKey, type ResponseCache } from "./cache.js";
import { AdaptiveLimiter } from "./limiter.js";
import { parseModelSpec } from "./specs.js";

export interface JudgeBinding {
  readonly id: string;
  /** A judge whose calls are recorded into `calls` (one list per sample). */
  forSample(calls: JudgeCallRecord[]): Judge;
  readonly stats: { calls: number; cached: number };
  dispose(): Promise<void>;
}

export interface JudgeDeps {
  registry: PluginRegistry;
  env: Readonly<Record<string, string | undefined>>;
  cacheDir: string;
  data: DataAccess;
  options: JsonObject;
  cache: ResponseCache | undefined;
  retry: RetryPolicy;
  concurrency: number;
  signal: AbortSignal;
  log: (level: "debug" | "info" | "warn" | "error", message: string) => void;
}

export async function bindJudge(spec: string, deps: JudgeDeps): Promise<JudgeBinding> {
  const { backend: backendId, model } = parseModelSpec(spec);
  const plugin = await deps.registry.load("backend", backendId);
  const backend: Backend = await plugin.create({
    model,
    options: deps.options,
    env: deps.env,
    cacheDir: deps.cacheDir,
    data: deps.data,
    host: hostServices,
    log: (level, message) => deps.log(level, `judge ${spec}: ${message}`),
  });
  let started = false;
  if (backend.start) {
    await backend.start(deps.signal);
    started = true;
  }
  const capabilities = backend.probe ? (await withRetry(() => backend.probe!(deps.signal), { signal: deps.signal })).value : backend.capabilities();
  const chat = capabilities.promptModes.includes("chat");
  const templater: ChatTemplater | undefined = chat ? undefined : await backend.chatTemplate?.();
  if (!chat && !templater) {
    throw new LoomError("JUDGE", `the judge ${spec} takes raw text and has no chat template`, { hint: "use a chat backend as the judge (openai:, vllm:, ollama:)" });
  }
  const limiter = new AdaptiveLimiter(deps.concurrency);
  const stats = { calls: 0, cached: 0 };

  const ask = async (request: JudgeRequest, signal: AbortSignal): Promise<string> => {
    const outcome = await withRetry(
      async () => {
        await limiter.acquire(signal);
        const epoch = limiter.epoch;
        try {
          const result = await backend.generate({
            prompt: chat ? { kind: "chat", messages: request.messages } : { kind: "raw", text: templater!.apply(request.messages, { addGenerationPrompt: true }) },
            maxNewTokens: request.maxNewTokens ?? 1024,
            temperature: request.temperature ?? 0,
            ...(request.stop ? { stop: request.stop } : {}),
            signal,
          });
          limiter.success();
          return result.text;
        } catch (error) {
          const verdict = classifyError(error);
          if (verdict.status === 429 || verdict.status === 503) limiter.backoff(`HTTP ${verdict.status}`, verdict.retryAfterMs, epoch);
          throw error;
        } finally {
          limiter.release();
        }
      },
      { policy: deps.retry, signal },
    );
    return outcome.value;
  };

  return {
    id: spec,
    stats,
    forSample(calls) {
      return {
        id: spec,
        async complete(request, options) {
          const signal = options?.signal ?? deps.signal;
          const requestHash = cacheKey({ judge: { backend: backendId, model }, request });
          const cached = deps.cache?.get<string>(requestHash);
          if (cached !== undefined) {
            stats.cached++;
            calls.push({ judge: spec, requestHash, verdict: cached, cached: true });
            return cached;
          }
          stats.calls++;
          const verdict = await ask(request, signal);
          deps.cache?.put(requestHash, verdict);
          calls.push({ judge: spec, requestHash, verdict, cached: false });
          return verdict;
        },
      };
    },
    async dispose() {
      limiter.dispose();
      if (started) await backend.stop?.().catch(() => undefined);
    },
  };
}
