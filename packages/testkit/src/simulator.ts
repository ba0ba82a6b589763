/**
 * A serving simulator: what an engine with continuous batching and automatic prefix caching
 * (vLLM's scheduler, in outline) would compute for a stream of requests, on a virtual clock. It
 * measures dispatch policies without a GPU: prefill tokens computed, tokens served from the cache,
 * and the makespan, deterministically and far faster than real time.
 *
 * The cost model, stated:
 * - The engine runs in steps. A step serves every running sequence that is decoding (one token
 *   each), then prefill chunks of the others in admission order, up to `maxBatchedTokens` tokens
 *   in all (chunked prefill). It takes `stepMs + prefillMsPerToken × prefilled tokens +
 *   decodeMsPerToken × decoded tokens`.
 * - At most `maxSeqs` sequences run at once. A request is admitted first come, first served when
 *   the KV budget (`kvBlocks` blocks of `blockSize` tokens) holds its prompt and output; nothing is
 *   preempted.
 * - Prefix caching in blocks: a prompt's full blocks are identified by chained hashes (equal hash,
 *   equal prefix). A block computed by a prefill chunk is cached from the end of that step; an
 *   admitted request reuses the longest run of cached leading blocks (all but its last token when
 *   the whole prompt is cached, as vLLM does). A finished request's blocks stay cached until the
 *   space is needed, least recently used first, a request's tail blocks before its head (vLLM
 *   frees them in reverse order). Requests that share a prefix but run at the same
 *   time each compute the blocks not yet cached when they were admitted.
 * - The first output token comes with the step that finishes the prompt; a request of n output
 *   tokens then decodes n - 1 more steps.
 */

export interface CostModel {
  /** Fixed cost of one engine step, ms (reading the weights). */
  stepMs: number;
  /** Cost of one prompt token computed (not served from the cache), ms. */
  prefillMsPerToken: number;
  /** Cost of one output token of one sequence in a step, ms. */
  decodeMsPerToken: number;
  /** Tokens one step computes at most, decodes and prefill chunks together (vLLM `max_num_batched_tokens`). */
  maxBatchedTokens: number;
  /** Sequences running at once at most (vLLM `max_num_seqs`). */
  maxSeqs: number;
  /** KV cache budget, in blocks. */
  kvBlocks: number;
  /** Tokens per KV block (vLLM 16). */
  blockSize: number;
}

/**
 * An 8B model in bf16 on one 80 GB GPU, roughly: ~20k prefill tokens/s, a 10 ms step, ~460k
 * tokens of KV cache (Llama-3-8B: 128 KiB per token).
 */
export const DEFAULT_COST_MODEL: Readonly<CostModel> = {
  stepMs: 10,
  prefillMsPerToken: 0.05,
  decodeMsPerToken: 0.2,
  maxBatchedTokens: 8192,
  maxSeqs: 64,
  kvBlocks: 28_800,
  blockSize: 16,
};

/** One request as the engine sees it. */
export interface SimRequest {
  /** Chained hashes of the prompt's full blocks (`blockHashes`), `blockSize` tokens each. */
  blocks: readonly number[];
  promptTokens: number;
  /** Output tokens it generates (at least 1). */
  outputTokens: number;
}

export interface SimResult {
  promptTokens: number;
  /** Prompt tokens served from the prefix cache (vLLM's `usage.prompt_tokens_details.cached_tokens`). */
  cachedTokens: number;
  completionTokens: number;
  /** Virtual times, ms. */
  arrivedAt: number;
  admittedAt: number;
  firstTokenAt: number;
  finishedAt: number;
}

export interface SimStats {
  requests: number;
  finished: number;
  /** Prompt tokens computed (prefill work). */
  prefillTokens: number;
  /** Prompt tokens served from the cache. */
  cachedTokens: number;
  decodeTokens: number;
  steps: number;
  /** Virtual time the last request finished, ms (0 before any). */
  makespanMs: number;
  /** Cached blocks dropped to make room. */
  evictedBlocks: number;
  peakRunning: number;
}

export interface SimulatorOptions extends Partial<CostModel> {
  /**
   * How the virtual clock moves. `manual` (default): only `advance()` moves it (a driver that knows
   * when it has submitted everything it will at this instant). `{ settleMs }`: it moves by itself
   * once no request has arrived for `settleMs` real milliseconds (for a client over HTTP, which
   * answers a finished request with its next one within that time).
   */
  clock?: "manual" | { settleMs: number };
}

interface Running {
  req: SimRequest;
  result: SimResult;
  resolve: (r: SimResult) => void;
  /** Prompt tokens computed or cached so far. */
  prefilled: number;
  generated: number;
  /** Cache entries this request holds a reference to. */
  held: number[];
  /** Blocks allocated to it that are not (or not yet) in the cache. */
  privateBlocks: number;
}

/** Chained hashes of the full blocks of a token-id sequence (equal hashes: equal prefixes). */
export function blockHashes(ids: ArrayLike<number>, blockSize = DEFAULT_COST_MODEL.blockSize): number[] {
  const out: number[] = [];
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  const full = Math.floor(ids.length / blockSize) * blockSize;
  for (let i = 0; i < full; i++) {
    const t = ids[i]!;
    a = Math.imul(a ^ t, 0x01000193);
    b = Math.imul(b ^ (t + 0x9e3779b9), 0x01000193) ^ (b >>> 13);
    if ((i + 1) % blockSize === 0) out.push((a >>> 0) * 0x200000 + ((b >>> 0) & 0x1fffff));
  }
  return out;
}

export class ServingSimulator {
  readonly model: Readonly<CostModel>;
  private clock = 0;
  private readonly waiting: Running[] = [];
  private running: Running[] = [];
  /** Cached blocks: hash → references held by running requests. */
  private readonly cache = new Map<number, number>();
  /** Cached blocks no request holds, least recently used first (evicted from the front). */
  private readonly evictable = new Map<number, true>();
  private privateTotal = 0;
  /** Finished requests so far, and the head that did not fit when this was the count. */
  private releases = 0;
  private blockedAt = -1;
  private blockedHead: Running | undefined;
  private readonly settleMs: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private advancing = false;
  readonly stats: SimStats = { requests: 0, finished: 0, prefillTokens: 0, cachedTokens: 0, decodeTokens: 0, steps: 0, makespanMs: 0, evictedBlocks: 0, peakRunning: 0 };

  constructor(options: SimulatorOptions = {}) {
    const { clock, ...model } = options;
    this.model = { ...DEFAULT_COST_MODEL, ...Object.fromEntries(Object.entries(model).filter(([, v]) => v !== undefined)) };
    for (const [key, value] of Object.entries(this.model)) {
      if (!(typeof value === "number" && Number.isFinite(value) && value >= 0)) throw new RangeError(`ServingSimulator: ${key} must be a non-negative number, got ${String(value)}`);
    }
    if (this.model.blockSize < 1 || this.model.maxSeqs < 1 || this.model.maxBatchedTokens < 1) throw new RangeError("ServingSimulator: blockSize, maxSeqs and maxBatchedTokens must be at least 1");
    this.settleMs = clock !== undefined && clock !== "manual" ? clock.settleMs : undefined;
  }

  /** The virtual time, ms. */
  get now(): number {
    return this.clock;
  }

  /** Requests admitted or waiting, not finished. */
  get pending(): number {
    return this.waiting.length + this.running.length;
  }

  /** Chained block hashes of a token-id prompt, in this simulator's block size. */
  blockHashes(ids: ArrayLike<number>): number[] {
    return blockHashes(ids, this.model.blockSize);
  }

  /** A request arriving now; settles when the engine has generated its last token. */
  submit(request: SimRequest): Promise<SimResult> {
    const { blockSize, kvBlocks } = this.model;
    const need = Math.ceil((request.promptTokens + Math.max(1, request.outputTokens)) / blockSize);
    if (need > kvBlocks) return Promise.reject(new RangeError(`ServingSimulator: a request of ${request.promptTokens} + ${request.outputTokens} tokens needs ${need} KV blocks; the budget is ${kvBlocks}`));
    if (request.blocks.length > Math.floor(request.promptTokens / blockSize)) return Promise.reject(new RangeError("ServingSimulator: more prompt blocks than the prompt's tokens fill"));
    this.stats.requests++;
    return new Promise<SimResult>((resolve) => {
      this.waiting.push({
        req: request,
        resolve,
        prefilled: 0,
        generated: 0,
        held: [],
        privateBlocks: 0,
        result: { promptTokens: request.promptTokens, cachedTokens: 0, completionTokens: Math.max(1, request.outputTokens), arrivedAt: this.clock, admittedAt: -1, firstTokenAt: -1, finishedAt: -1 },
      });
      this.armSettle();
    });
  }

  /**
   * Run engine steps until at least one request finishes (their promises settle) or nothing is
   * left. Returns the requests finished by the last step.
   */
  advance(): SimResult[] {
    this.advancing = true;
    try {
      while (this.pending > 0) {
        const finished = this.step();
        if (finished.length > 0) return finished;
      }
      return [];
    } finally {
      this.advancing = false;
    }
  }

  /** Run until every submitted request has finished (a driver with no more requests to send). */
  drain(): void {
    while (this.pending > 0) this.advance();
  }

  /** Stop the settle timer (nothing more will be sent). */
  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private armSettle(): void {
    if (this.settleMs === undefined || this.advancing) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.pending === 0) return;
      this.advance();
      // The finished requests' answers go out now; their clients' next requests reset the timer.
      if (this.pending > 0) this.armSettle();
    }, this.settleMs);
  }

  /** Free blocks, counting the cached ones nobody holds (they can be evicted). */
  private freeBlocks(): number {
    return this.model.kvBlocks - (this.cache.size - this.evictable.size) - this.privateTotal;
  }

  private admit(): void {
    const { blockSize, maxSeqs } = this.model;
    while (this.waiting.length > 0 && this.running.length < maxSeqs) {
      const r = this.waiting[0]!;
      // A head that did not fit waits for a finished request to free room (checking every step costs O(blocks)).
      if (this.blockedAt === this.releases && this.blockedHead === r) return;
      const blocks = r.req.blocks;
      // The hit blocks nobody holds are counted free; holding them takes them off that count.
      let hit = 0;
      let reclaimed = 0;
      for (; hit < blocks.length; hit++) {
        const refs = this.cache.get(blocks[hit]!);
        if (refs === undefined) break;
        if (refs === 0) reclaimed++;
      }
      const total = Math.ceil((r.req.promptTokens + r.result.completionTokens) / blockSize);
      const fresh = total - hit;
      if (this.freeBlocks() - reclaimed < fresh) {
        // First come, first served: the head waits for room.
        this.blockedAt = this.releases;
        this.blockedHead = r;
        return;
      }
      this.waiting.shift();
      for (let i = 0; i < hit; i++) {
        const h = blocks[i]!;
        this.cache.set(h, this.cache.get(h)! + 1);
        this.evictable.delete(h);
        r.held.push(h);
      }
      this.allocate(fresh);
      r.privateBlocks = fresh;
      // A prompt cached whole still computes its last token (the logits come from it).
      const cached = Math.min(hit * blockSize, r.req.promptTokens - 1);
      r.prefilled = cached;
      r.result.cachedTokens = cached;
      r.result.admittedAt = this.clock;
      this.stats.cachedTokens += cached;
      this.running.push(r);
    }
  }

  private allocate(n: number): void {
    while (this.model.kvBlocks - this.cache.size - this.privateTotal < n) {
      const oldest = this.evictable.keys().next();
      if (oldest.done) throw new Error("ServingSimulator: KV budget accounting broke");
      this.evictable.delete(oldest.value);
      this.cache.delete(oldest.value);
      this.stats.evictedBlocks++;
    }
    this.privateTotal += n;
  }

  /** One engine step; returns the requests it finished. */
  private step(): SimResult[] {
    this.admit();
    // With nothing running every cached block is evictable, and `submit` refused what the budget cannot hold.
    if (this.running.length === 0) throw new Error("ServingSimulator: no request can be admitted");
    this.stats.peakRunning = Math.max(this.stats.peakRunning, this.running.length);
    const { blockSize, maxBatchedTokens } = this.model;
    let budget = maxBatchedTokens;
    let decoded = 0;
    let prefilled = 0;
    const decoding: Running[] = [];
    const chunks: [Running, number][] = [];
    for (const r of this.running) {
      if (r.prefilled >= r.req.promptTokens && budget > 0) {
        decoding.push(r);
        budget--;
        decoded++;
      }
    }
    for (const r of this.running) {
      if (budget <= 0) break;
      const left = r.req.promptTokens - r.prefilled;
      if (left <= 0) continue;
      const chunk = Math.min(left, budget);
      chunks.push([r, chunk]);
      budget -= chunk;
      prefilled += chunk;
    }
    const m = this.model;
    this.clock += m.stepMs + m.prefillMsPerToken * prefilled + m.decodeMsPerToken * decoded;
    this.stats.steps++;
    this.stats.prefillTokens += prefilled;
    this.stats.decodeTokens += decoded;
    const finished: Running[] = [];
    for (const r of decoding) {
      r.generated++;
      if (r.generated >= r.result.completionTokens) finished.push(r);
    }
    for (const [r, chunk] of chunks) {
      const before = Math.floor(r.prefilled / blockSize);
      r.prefilled += chunk;
      const after = Math.min(Math.floor(r.prefilled / blockSize), r.req.blocks.length);
      // Blocks computed in this step join the cache (unless a sibling computed them first).
      for (let i = before; i < after; i++) {
        const h = r.req.blocks[i]!;
        if (this.cache.has(h)) continue; // a sibling computed it first: this copy stays private
        this.cache.set(h, 1);
        r.held.push(h);
        r.privateBlocks--;
        this.privateTotal--;
      }
      if (r.prefilled >= r.req.promptTokens) {
        r.result.firstTokenAt = this.clock;
        r.generated = 1;
        this.stats.decodeTokens++;
        if (r.generated >= r.result.completionTokens) finished.push(r);
      }
    }
    if (finished.length === 0) return [];
    const done = new Set(finished);
    this.running = this.running.filter((r) => !done.has(r));
    for (const r of finished) this.release(r);
    this.stats.makespanMs = this.clock;
    return finished.map((r) => r.result);
  }

  private release(r: Running): void {
    // Tail blocks first, as vLLM frees them: a prefix's head outlives its tail in the LRU order.
    for (let i = r.held.length - 1; i >= 0; i--) {
      const h = r.held[i]!;
      const refs = this.cache.get(h)! - 1;
      this.cache.set(h, refs);
      if (refs === 0) {
        this.evictable.delete(h);
        this.evictable.set(h, true);
      }
    }
    this.privateTotal -= r.privateBlocks;
    this.releases++;
    r.result.finishedAt = this.clock;
    if (r.result.firstTokenAt < 0) r.result.firstTokenAt = this.clock;
    this.stats.finished++;
    r.resolve(r.result);
  }
}
