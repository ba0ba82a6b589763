import { BackendRequestError, isLoomError } from "@loomscope/spec";

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}
export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 6, baseDelayMs: 500, maxDelayMs: 60_000 };

export interface RetryInfo {
  attempt: number;
  delayMs: number;
  reason: string;
  status: number | undefined;
}

/** Whether an error is worth another attempt, and how long the server asked us to wait. */
export function classifyError(error: unknown): { retryable: boolean; retryAfterMs?: number; status?: number } {
  if (error instanceof BackendRequestError || isLoomError(error, "BACKEND_REQUEST")) {
    const e = error as BackendRequestError;
    return {
      retryable: e.retryable,
      ...(e.retryAfterMs !== undefined ? { retryAfterMs: e.retryAfterMs } : {}),
      ...(e.status !== undefined ? { status: e.status } : {}),
    };
  }
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const causeCode = (error.cause as { code?: unknown } | undefined)?.code;
    // A host name that does not resolve will not resolve in a second either (offline machine, typo).
    if (code === "ENOTFOUND" || causeCode === "ENOTFOUND") return { retryable: false };
    const transient = ["ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT", "UND_ERR_SOCKET", "UND_ERR_CONNECT_TIMEOUT"];
    if (transient.includes(String(code)) || transient.includes(String(causeCode))) return { retryable: true };
    if (error.name === "TypeError" && /fetch failed|terminated|other side closed/i.test(error.message)) {
      return { retryable: true };
    }
  }
  return { retryable: false };
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * The one retry loop of loomscope: exponential back-off with full jitter, honouring the server's
 * Retry-After when it gives one. Used by the runner for model requests and by the downloader.
 */
export async function withRetry<T>(
  operation: (attempt: number) => Promise<T>,
  options: {
    policy?: RetryPolicy;
    signal?: AbortSignal;
    onRetry?: (info: RetryInfo, error: unknown) => void;
    random?: () => number;
    /** Epoch ms after which no retry starts (or a function giving it, once known): the last error is thrown, saying the time is spent. */
    deadline?: number | (() => number | undefined);
    /** Names the deadline in the error (e.g. "--sample-timeout 1800000 ms"). */
    deadlineLabel?: string;
    /**
     * Whether the server answers most other requests: then the back-off stays at its base (the
     * failure is this request's bad luck); it grows exponentially only for a server in trouble.
     */
    healthy?: () => boolean;
  } = {},
): Promise<{ value: T; attempts: number }> {
  const policy = options.policy ?? DEFAULT_RETRY_POLICY;
  const random = options.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      return { value: await operation(attempt), attempts: attempt };
    } catch (error) {
      if (options.signal?.aborted) throw error;
      const verdict = classifyError(error);
      if (!verdict.retryable || attempt >= policy.attempts) {
        // An error that counted its own attempts (a deadline reached before a request went out) keeps its count.
        if (error instanceof Error && !("attempts" in error)) Object.assign(error, { attempts: attempt });
        throw error;
      }
      const exponent = options.healthy?.() ? 0 : attempt - 1;
      const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** exponent);
      const delayMs = verdict.retryAfterMs ?? Math.round(backoff * (0.5 + random() / 2));
      const deadline = typeof options.deadline === "function" ? options.deadline() : options.deadline;
      if (deadline !== undefined && Date.now() + delayMs >= deadline) {
        throw deadlineError(error, attempt, options.deadlineLabel);
      }
      options.onRetry?.(
        {
          attempt,
          delayMs,
          reason: error instanceof Error ? error.message : String(error),
          status: verdict.status,
        },
        error,
      );
      await sleep(delayMs, options.signal);
    }
  }
}

/** The last error of a request that ran out of time, saying so (status and cause kept). */
export function deadlineError(last: unknown, attempts: number, label = "the time limit"): BackendRequestError {
  const message = last instanceof Error ? last.message : String(last);
  const status = last instanceof BackendRequestError ? last.status : undefined;
  const error = new BackendRequestError(`gave up after ${attempts} attempt${attempts === 1 ? "" : "s"}: ${label} is spent; last error: ${message}`, {
    retryable: false,
    ...(status !== undefined ? { status } : {}),
    cause: last,
  });
  return Object.assign(error, { attempts });
}
