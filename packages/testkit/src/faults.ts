import { seededRandom } from "@loomscope/core";

/**
 * Fault injection for the fake servers: deterministic (seeded), settable at run time.
 *
 * A plan applies to "eligible" requests — by default the generation routes
 * (`/v1/chat/completions`, `/v1/completions`, `/api/chat`, `/api/generate`). The first eligible
 * requests take the entries of `sequence` in order (`null` = answer normally); after that, each
 * eligible request gets a fault with probability `rate`, drawn from `faults` with a PRNG seeded by
 * `seed`. So the n-th eligible request always gets the same decision for the same plan.
 */
export type Fault =
  /** 429 with `Retry-After` (seconds), `retry-after-ms`, and OpenAI `x-ratelimit-*` headers. */
  | { kind: "rate-limit"; retryAfterSeconds?: number }
  /**
   * A server error (default 500). With `afterChunks` on a streaming request, that many chunks are
   * sent first and the error arrives inside the stream (`data: {"error":…}` / an NDJSON error line).
   */
  | { kind: "error"; status?: 500 | 502 | 503 | 504; message?: string; retryAfterSeconds?: number; afterChunks?: number }
  /** Answer normally after an extra delay (default 2000 ms). */
  | { kind: "slow"; delayMs?: number }
  /**
   * Destroy the socket. Non-streaming: at once (default), or after writing the headers and half of
   * the body when `afterChunks` > 0. Streaming: after `afterChunks` chunks (default 2).
   */
  | { kind: "reset"; afterChunks?: number }
  /** 200 with a body that is not valid JSON (streaming: one malformed `data:` event after `afterChunks` chunks, default 1). */
  | { kind: "malformed-json"; afterChunks?: number }
  /** Never answer; the request stays open until the client gives up or the server closes. */
  | { kind: "hang" }
  /** 200 with an HTML page (a proxy's login page) instead of the API's JSON or event stream. */
  | { kind: "html"; title?: string };

export type FaultKind = Fault["kind"];
export const FAULT_KINDS: readonly FaultKind[] = ["rate-limit", "error", "slow", "reset", "malformed-json", "hang", "html"];

/** A fault, or just its kind with default parameters. */
export type FaultInput = Fault | FaultKind;

export interface FaultPlan {
  /** Faults for the first eligible requests, in order; `null` answers that request normally. */
  sequence?: readonly (FaultInput | null)[];
  /** Fraction (0–1) of eligible requests after the sequence that get a fault. Default 0. */
  rate?: number;
  /** Faults drawn (uniformly, or by `weight`) when `rate` fires. Default: `["rate-limit", "error"]`. */
  faults?: readonly (FaultInput | { fault: FaultInput; weight: number })[];
  /** PRNG seed for `rate` and the draw. Default 1. */
  seed?: number;
  /** Which routes are eligible: `"generation"` (default), `"all"`, or a list of paths. */
  routes?: "generation" | "all" | readonly string[];
}

export function normalizeFault(input: FaultInput): Fault {
  return typeof input === "string" ? ({ kind: input } as Fault) : input;
}

/** The seeded PRNG fault plans draw from (core's mulberry32). */
export const createPrng = seededRandom;

export class FaultInjector {
  private plan: FaultPlan | undefined;
  private position = 0;
  private random: () => number = createPrng(1);
  private weighted: { fault: Fault; weight: number }[] = [];
  private totalWeight = 0;

  constructor(plan?: FaultPlan) {
    this.set(plan);
  }

  set(plan: FaultPlan | undefined): void {
    if (plan?.rate !== undefined && (!(plan.rate >= 0) || plan.rate > 1)) {
      throw new RangeError(`fault rate must be within [0, 1], got ${plan.rate}`);
    }
    this.plan = plan;
    this.position = 0;
    this.random = createPrng(plan?.seed ?? 1);
    const pool = plan?.faults ?? ["rate-limit", "error"];
    this.weighted = pool.map((entry) =>
      typeof entry === "object" && "fault" in entry
        ? { fault: normalizeFault(entry.fault), weight: entry.weight }
        : { fault: normalizeFault(entry), weight: 1 },
    );
    this.totalWeight = this.weighted.reduce((sum, w) => sum + w.weight, 0);
  }

  get active(): boolean {
    return this.plan !== undefined;
  }

  eligible(path: string, generation: boolean): boolean {
    const routes = this.plan?.routes ?? "generation";
    if (routes === "all") return true;
    if (routes === "generation") return generation;
    return routes.includes(path);
  }

  /** Decide the fault for the next eligible request (advances the sequence and the PRNG). */
  next(): Fault | undefined {
    const plan = this.plan;
    if (plan === undefined) return undefined;
    const seq = plan.sequence;
    if (seq !== undefined && this.position < seq.length) {
      const entry = seq[this.position++];
      return entry === null || entry === undefined ? undefined : normalizeFault(entry);
    }
    const rate = plan.rate ?? 0;
    if (rate <= 0) return undefined;
    const roll = this.random();
    const pick = this.random();
    if (roll >= rate || this.totalWeight <= 0) return undefined;
    let target = pick * this.totalWeight;
    for (const w of this.weighted) {
      target -= w.weight;
      if (target < 0) return w.fault;
    }
    return this.weighted[this.weighted.length - 1]?.fault;
  }
}
