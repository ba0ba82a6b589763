import type { ChatMessage } from "./prompt.js";

/**
 * A model that scores predictions (an LLM judge with the benchmark's official prompt, or an NLI
 * model served by a backend). Bound with `--judge <backend:model>`; core sends its calls through
 * the one retry loop and caches them on disk, so re-scoring costs nothing.
 */
export interface JudgeRequest {
  messages: ChatMessage[];
  maxNewTokens?: number;
  /** Official judge settings (most use 0 or the API default). */
  temperature?: number;
  topP?: number;
  stop?: readonly string[];
  /**
   * Which try this is when the official code asks the same judge the same thing again (a verdict
   * that did not parse, sampling at temperature > 0): part of the cache key, so each try is its
   * own call and re-scoring replays the same sequence.
   */
  attempt?: number;
}

export interface Judge {
  /** `<backend>:<model>` as bound, named next to every judge-dependent number. */
  readonly id: string;
  /** The judge's raw reply. Cached by (judge identity, request). */
  complete(request: JudgeRequest, options?: { signal?: AbortSignal }): Promise<string>;
}

/** What a judge call left on a record: enough to audit and to re-use. */
export interface JudgeCallRecord {
  judge: string;
  /** sha256 of the canonical request (messages and parameters). */
  requestHash: string;
  verdict: string;
  cached: boolean;
}
