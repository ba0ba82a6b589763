/**
 * Dispatch order (`--schedule`): which prepared sample's request takes the next free request slot.
 * Records, scores and reports do not depend on it (they follow the official sample order); only
 * what the server has to compute does.
 *
 * - `official`: first come, first served (the order samples come out of preparation).
 * - `longest`: the longest prompt first, so the slowest requests do not start last.
 * - `prefix`: samples whose prompts share a long prefix (one document asked several questions, one
 *   haystack up to its needle) go back to back, and the first of such a group goes alone: its
 *   siblings wait until it has finished, so the server's prefix cache (vLLM, SGLang) holds the
 *   shared part when they arrive instead of every sibling computing it at once. Samples that reuse
 *   a finished prefix go first (before the server evicts it), then group leaders, then the rest;
 *   longest-first within each. While siblings wait, only `COLD_WHILE_SIBLINGS_WAIT` requests
 *   without a prefix to reuse are in flight, so the siblings are not queued behind them.
 *
 * `prefix` is the default where the backend declares `PREFIX_CACHE_FEATURE`, `longest` elsewhere.
 *
 * The pipeline holds a bounded window of prepared samples (the request slots and up to three
 * samples per slot waiting, see runner.ts), so a policy reorders within that lookahead, never over
 * the whole run: memory stays bounded by fitted prompts in hand.
 */
import { PREFIX_CACHE_FEATURE, type GeneratePrompt } from "@loomscope/spec";

export const SCHEDULE_POLICIES = ["official", "prefix", "longest"] as const;
export type SchedulePolicy = (typeof SCHEDULE_POLICIES)[number];
/**
 * The default where the server caches prompt prefixes (`PREFIX_CACHE_FEATURE`): the one
 * tools/bench/schedule.mjs measured best (least prefill and shortest makespan on the simulator).
 */
export const DEFAULT_SCHEDULE: SchedulePolicy = "prefix";

/**
 * The policy a run uses: the one asked for; else `prefix` where the backend's server reuses prompt
 * prefixes, and `longest` where it cannot (holding siblings back would only cost time there).
 */
export function resolveSchedule(asked: SchedulePolicy | undefined, features: readonly string[]): SchedulePolicy {
  if (asked !== undefined) return asked;
  return features.includes(PREFIX_CACHE_FEATURE) ? DEFAULT_SCHEDULE : "longest";
}

/** Characters per prefix block: prompts are compared block by block through chained hashes. */
export const PREFIX_BLOCK_CHARS = 512;
/** A shared prefix this long (in blocks, ~2k characters) makes samples a group; shorter ones (a common instruction) do not. */
export const MIN_SHARED_BLOCKS = 4;
/**
 * While siblings wait for (or can reuse) a group's prefix, at most this many requests that compute
 * their prefix from scratch are in flight. A server whose KV cache is full queues requests first
 * come, first served: a sibling sent behind many cold requests finds its document evicted by the
 * time it is admitted (tools/bench/schedule.mjs, LEval shape: prefill 1.35 × its unique prefix with 8,
 * 1.13 × with 4, 1.00 × with 2).
 */
export const COLD_WHILE_SIBLINGS_WAIT = 2;
/** Finished prefix blocks remembered as probably still cached by the server (least recently used dropped first). */
const WARM_BLOCKS = 1 << 16;

/** What the scheduler knows of one request. */
export interface ScheduleItem {
  /** Position in the official order (ties go to the earlier sample). */
  readonly order: number;
  /** The prompt's size (our token count, or its characters when nothing was counted). */
  readonly size: number;
  /** Chained hashes of the prompt's full prefix blocks: `blocks[i]` identifies the prefix up to block i's end. */
  readonly blocks: readonly number[];
}

/** The prompt as one string, as the server sees its prefix (messages in order, roles included). */
function promptText(prompt: GeneratePrompt): string {
  if (prompt.kind === "raw") return prompt.text;
  let out = "";
  for (const m of prompt.messages) out += `\u0001${m.role}\u0002${m.content}`;
  return out;
}

/**
 * Chained hashes of a prompt's full blocks of `PREFIX_BLOCK_CHARS` characters (two 32-bit FNV-1a
 * lanes folded into one safe integer): equal hashes at block i mean equal prefixes up to there.
 */
export function prefixBlocks(prompt: GeneratePrompt | string, blockChars = PREFIX_BLOCK_CHARS): number[] {
  const text = typeof prompt === "string" ? prompt : promptText(prompt);
  const full = Math.floor(text.length / blockChars);
  const out = new Array<number>(full);
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let block = 0; block < full; block++) {
    const end = (block + 1) * blockChars;
    for (let i = block * blockChars; i < end; i++) {
      const c = text.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x01000193) ^ (b >>> 15);
    }
    out[block] = (a >>> 0) * 0x200000 + ((b >>> 0) & 0x1fffff);
  }
  return out;
}

export function scheduleItem(order: number, prompt: GeneratePrompt, size: number | null | undefined, policy: SchedulePolicy): ScheduleItem {
  const blocks = policy === "prefix" ? prefixBlocks(prompt) : [];
  return { order, size: size ?? (prompt.kind === "raw" ? prompt.text.length : prompt.messages.reduce((n, m) => n + m.content.length, 0)), blocks };
}

type Grant = (granted: boolean) => void;

/** Waiting first attempts, in the order a policy starts them; told when requests start and finish. */
export interface DispatchOrder {
  readonly policy: SchedulePolicy;
  readonly length: number;
  push(item: ScheduleItem, grant: Grant): void;
  /** The next request allowed to start now, removed from the pool and counted as started (undefined: none may start yet). */
  shift(): Grant | undefined;
  /** Every waiter, removed (the run stops). */
  drain(): Grant[];
  started(item: ScheduleItem): void;
  finished(item: ScheduleItem): void;
}

interface Waiting {
  item: ScheduleItem;
  grant: Grant;
}

/** Longest first; the earlier sample on ties. */
const longestFirst = (x: ScheduleItem, y: ScheduleItem): number => y.size - x.size || x.order - y.order;

class SortedOrder implements DispatchOrder {
  protected pool: Waiting[] = [];
  constructor(readonly policy: SchedulePolicy) {}

  get length(): number {
    return this.pool.length;
  }

  push(item: ScheduleItem, grant: Grant): void {
    this.pool.push({ item, grant });
  }

  shift(): Grant | undefined {
    const at = this.pick();
    if (at < 0) return undefined;
    const [chosen] = this.pool.splice(at, 1);
    return chosen!.grant;
  }

  /** Index of the waiter to start, or -1. */
  protected pick(): number {
    let best = -1;
    for (let i = 0; i < this.pool.length; i++) {
      if (best < 0 || this.before(this.pool[i]!.item, this.pool[best]!.item)) best = i;
    }
    return best;
  }

  protected before(x: ScheduleItem, y: ScheduleItem): boolean {
    return this.policy === "official" ? x.order < y.order : longestFirst(x, y) < 0;
  }

  drain(): Grant[] {
    const out = this.pool.map((w) => w.grant);
    this.pool = [];
    return out;
  }

  started(_item: ScheduleItem): void {}
  finished(_item: ScheduleItem): void {}
}

const bump = (map: Map<number, number>, key: number, by: number): void => {
  const n = (map.get(key) ?? 0) + by;
  if (n > 0) map.set(key, n);
  else map.delete(key);
};

/**
 * How many blocks of `blocks` from `start` on satisfy `has`, up to the first that does not. The
 * sets asked about are prefix-closed (chained hashes: a block present means the blocks before it
 * are), so a binary search finds the end.
 */
function leading(blocks: readonly number[], has: (hash: number) => boolean, start = 0): number {
  let lo = start;
  let hi = blocks.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (has(blocks[mid]!)) lo = mid + 1;
    else hi = mid;
  }
  return lo - start;
}

class PrefixOrder extends SortedOrder {
  /** Blocks of requests being served (a sibling waits for them). */
  private readonly inFlight = new Map<number, number>();
  /** Blocks of finished requests, least recently used first. */
  private readonly warm = new Map<number, true>();
  /** Blocks of waiting samples, and how many hold each. */
  private readonly waiting = new Map<number, number>();
  /** Requests in flight that compute their prefix from scratch (no finished sibling to reuse). */
  private readonly cold = new Set<ScheduleItem>();

  constructor() {
    super("prefix");
  }

  override push(item: ScheduleItem, grant: Grant): void {
    super.push(item, grant);
    for (const h of item.blocks) bump(this.waiting, h, 1);
  }

  override shift(): Grant | undefined {
    const pick = this.choose();
    if (pick === undefined) return undefined;
    const [chosen] = this.pool.splice(pick.at, 1);
    const item = chosen!.item;
    for (const h of item.blocks) bump(this.waiting, h, -1);
    if (!pick.warm) this.cold.add(item);
    // Started now, not when the grant's promise settles: the next pick must see it in flight.
    this.started(item);
    return chosen!.grant;
  }

  override drain(): Grant[] {
    this.waiting.clear();
    return super.drain();
  }

  private choose(): { at: number; warm: boolean } | undefined {
    // Rank: 2 reuses a finished prefix (by its length), 1 leads a group, 0 the rest; -1 waits for a sibling.
    const ranks: [number, number][] = [];
    let siblingsWaiting = false;
    for (const { item } of this.pool) {
      const warm = leading(item.blocks, (h) => this.warm.has(h));
      // A long prefix still being computed for a sibling: wait for it rather than compute it again.
      const pending = leading(item.blocks, (h) => this.inFlight.has(h), warm);
      if (pending >= MIN_SHARED_BLOCKS) {
        siblingsWaiting = true;
        ranks.push([-1, 0]);
      } else if (warm >= MIN_SHARED_BLOCKS) {
        siblingsWaiting = true;
        ranks.push([2, warm]);
      } else ranks.push([leading(item.blocks, (h) => (this.waiting.get(h) ?? 0) >= 2) >= MIN_SHARED_BLOCKS ? 1 : 0, 0]);
    }
    // Siblings wait: keep cold requests few, so the siblings are not queued behind them in a full server.
    const coldAllowed = !siblingsWaiting || this.cold.size < COLD_WHILE_SIBLINGS_WAIT;
    let best = -1;
    for (let i = 0; i < this.pool.length; i++) {
      const rank = ranks[i]!;
      if (rank[0] < 0 || (rank[0] < 2 && !coldAllowed)) continue;
      if (best < 0) {
        best = i;
        continue;
      }
      const top = ranks[best]!;
      if (rank[0] > top[0] || (rank[0] === top[0] && (rank[1] > top[1] || (rank[1] === top[1] && longestFirst(this.pool[i]!.item, this.pool[best]!.item) < 0)))) best = i;
    }
    return best < 0 ? undefined : { at: best, warm: ranks[best]![0] === 2 };
  }

  override started(item: ScheduleItem): void {
    for (const h of item.blocks) bump(this.inFlight, h, 1);
  }

  override finished(item: ScheduleItem): void {
    this.cold.delete(item);
    // Tail first: the head is the most recently used, so dropping the oldest keeps every prefix whole.
    for (let i = item.blocks.length - 1; i >= 0; i--) {
      const h = item.blocks[i]!;
      bump(this.inFlight, h, -1);
      this.warm.delete(h);
      this.warm.set(h, true);
    }
    for (const h of this.warm.keys()) {
      if (this.warm.size <= WARM_BLOCKS) break;
      this.warm.delete(h);
    }
  }
}

export function createDispatchOrder(policy: SchedulePolicy): DispatchOrder {
  return policy === "prefix" ? new PrefixOrder() : new SortedOrder(policy);
}
