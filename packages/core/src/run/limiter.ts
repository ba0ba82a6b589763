import type { DispatchOrder, ScheduleItem } from "./schedule.js";

/**
 * A first-in first-out queue with O(1) push and shift (Array#shift is O(n): thousands of waiters
 * made waking them quadratic).
 */
export class Queue<T> {
  private items: (T | undefined)[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head++] = undefined;
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  /** Remove and return every item, oldest first. */
  drain(): T[] {
    const out = this.items.slice(this.head) as T[];
    this.items = [];
    this.head = 0;
    return out;
  }
}

/** The last `size` outcomes, and how many of them were bad. */
class Window {
  private readonly marks: boolean[] = [];
  private at = 0;
  private bad = 0;
  constructor(private readonly size: number) {}

  note(bad: boolean): void {
    if (this.marks.length < this.size) this.marks.push(bad);
    else {
      if (this.marks[this.at]) this.bad--;
      this.marks[this.at] = bad;
      this.at = (this.at + 1) % this.size;
    }
    if (bad) this.bad++;
  }

  /** The bad share, over a quarter of the window at least (one bad answer at the start is not half of anything). */
  get share(): number {
    return this.bad / Math.max(this.marks.length, this.size / 4);
  }
}

/** What a limit decrease keeps of the concurrency (AIMD's multiplicative decrease). */
const DECREASE = 0.5;
/** Recent answers weighed for pushback, and the share of pushback among them that means "too many". */
export const PUSHBACK_WINDOW = 20;
export const PUSHBACK_SHARE = 0.5;

/**
 * Concurrency limit that adapts to the server (AIMD): pushback (429 / 503) lowers it, and a run of
 * successes grows it back one step at a time up to the configured maximum.
 *
 * Rate limits cost what they must, not more. A Retry-After is the wait the server asked of the
 * request it refused: that request's retry waits it out (the retry loop does this); the other
 * requests are not paused. The limit comes down only when pushback is a large share of the recent
 * answers (`PUSHBACK_SHARE` of the last `PUSHBACK_WINDOW`): a server over its capacity refuses most
 * requests, while an occasional 429 costs one retry, not half the throughput (halving on every
 * 429 made a run with 30 % faults 18 times slower). One burst lowers it once: pushback from a
 * request that started before the last decrease is already accounted for (TCP's "once per round
 * trip"). Only when the server still pushes back with one request at a time does nothing new
 * start until its Retry-After is over, so a long account-wide limit does not burn every sample's
 * attempts.
 */
export class AdaptiveLimiter {
  readonly max: number;
  private current: number;
  private active = 0;
  private successes = 0;
  private pausedUntil = 0;
  /** Bumped at each decrease: requests started before it carry an older epoch. */
  private decreases = 0;
  private readonly waiters = new Queue<() => void>();
  /** Retries wait here and go first: a sample that already waited out its back-off is not queued behind fresh ones. */
  private readonly retries = new Queue<() => void>();
  /** The last answers: pushback (429/503) or success. */
  private readonly pushbacks = new Window(PUSHBACK_WINDOW);
  /** The last answers: any failure or success. */
  private readonly failures = new Window(PUSHBACK_WINDOW);
  private readonly onChange: ((limit: number, reason: string) => void) | undefined;
  /** First attempts that carry a schedule item wait here, started in the policy's order (`--schedule`). */
  private readonly order: DispatchOrder | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(max: number, onChange?: (limit: number, reason: string) => void, order?: DispatchOrder) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`concurrency must be a positive integer, got ${max}`);
    this.max = max;
    this.current = max;
    this.onChange = onChange;
    this.order = order;
  }

  get limit(): number {
    return this.current;
  }

  get inFlight(): number {
    return this.active;
  }

  /** Read when a request starts; pass it to `backoff` so one burst of pushback counts once. */
  get epoch(): number {
    return this.decreases;
  }

  /** Whether new requests are held back by a server-requested pause. */
  get paused(): boolean {
    return Date.now() < this.pausedUntil;
  }

  /**
   * Wait for a free slot; `retry` (a request's second or later attempt) is served before first
   * attempts. A first attempt with a schedule `item` waits in the dispatch order's pool, which
   * decides when it starts; pass the same item to `release`.
   */
  async acquire(signal?: AbortSignal, retry = false, item?: ScheduleItem): Promise<void> {
    const order = this.order;
    if (order && item && !retry) {
      for (;;) {
        if (signal?.aborted) throw signal.reason;
        // `wake` counts the slot as taken and the item as started when it grants one (false: woken to see the abort).
        const granted = await new Promise<boolean>((resolve) => {
          order.push(item, resolve);
          this.wake();
        });
        if (granted) {
          if (signal?.aborted) {
            this.release(item);
            throw signal.reason;
          }
          return;
        }
      }
    }
    while (this.active >= this.current || Date.now() < this.pausedUntil) {
      if (signal?.aborted) throw signal.reason;
      await new Promise<void>((resolve) => {
        (retry ? this.retries : this.waiters).push(resolve);
        this.schedulePauseEnd();
      });
    }
    this.active++;
    if (item) this.order?.started(item);
  }

  release(item?: ScheduleItem): void {
    this.active--;
    if (item) this.order?.finished(item);
    this.wake();
  }

  /** Wake every waiter (used on abort so they can observe the signal). */
  wakeAll(): void {
    for (const waiter of [...this.retries.drain(), ...this.waiters.drain()]) waiter();
    for (const grant of this.order?.drain() ?? []) grant(false);
  }

  /** The share of pushback among the recent answers. */
  get pushbackShare(): number {
    return this.pushbacks.share;
  }

  /**
   * Whether the server answers most requests: then a failed request is its own bad luck, and its
   * retry needs no growing back-off (that is for a server in trouble).
   */
  get healthy(): boolean {
    return this.failures.share < PUSHBACK_SHARE;
  }

  /** A request failed in another way than pushback (500, reset, malformed body, timeout). */
  failure(): void {
    this.failures.note(true);
  }

  success(): void {
    this.pushbacks.note(false);
    this.failures.note(false);
    if (this.current >= this.max) return;
    this.successes++;
    if (this.successes >= this.current) {
      this.successes = 0;
      this.current++;
      this.onChange?.(this.current, "recovered");
      this.wake();
    }
  }

  /**
   * The server pushed back (429 / 503). `startedEpoch` is `epoch` as read when the refused request
   * started: pushback from before the last decrease does not lower the limit again.
   */
  backoff(reason: string, retryAfterMs?: number, startedEpoch?: number): void {
    this.pushbacks.note(true);
    this.failures.note(true);
    // Occasional pushback: the refused request retries after its wait; nothing else changes.
    if (this.pushbackShare < PUSHBACK_SHARE) return;
    this.successes = 0;
    const stale = startedEpoch !== undefined && startedEpoch < this.decreases;
    if (this.current <= 1) {
      // One request at a time and still refused: the server wants quiet, so wait as it asked.
      if (!stale && retryAfterMs !== undefined && retryAfterMs > 0) this.pausedUntil = Math.max(this.pausedUntil, Date.now() + retryAfterMs);
      return;
    }
    if (stale) return;
    this.current = Math.max(1, Math.floor(this.current * DECREASE));
    this.decreases++;
    this.onChange?.(this.current, reason);
  }

  private schedulePauseEnd(): void {
    const wait = this.pausedUntil - Date.now();
    if (wait <= 0 || this.timer) return;
    // Ref'd on purpose: while requests wait out a Retry-After pause, this timer is all that keeps
    // the event loop alive (an unref'd one let Node exit with code 13 mid-run). `dispose()` clears it.
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.wake();
    }, wait);
  }

  /** Stop the pause timer (the run is over; nothing waits any more). */
  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.wakeAll();
  }

  private wake(): void {
    let free = this.current - this.active;
    if (Date.now() < this.pausedUntil) {
      this.schedulePauseEnd();
      return;
    }
    // Retries first; they take their slot when they run (a first attempt granted below takes it now).
    while (free > 0 && this.retries.length > 0) {
      free--;
      this.retries.shift()!();
    }
    while (free > 0 && this.order && this.order.length > 0) {
      const grant = this.order.shift();
      if (!grant) break; // what waits must wait for a sibling's prefix
      free--;
      this.active++;
      grant(true);
    }
    while (free-- > 0 && this.waiters.length > 0) this.waiters.shift()!();
  }
}
