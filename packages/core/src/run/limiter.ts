/**
 * Concurrency limit that adapts to the server (AIMD): a rate limit or overload halves it, and a run
 * of successes grows it back one step at a time up to the configured maximum. While the server
 * has asked for a pause (Retry-After), no new request starts.
 */
export class AdaptiveLimiter {
  readonly max: number;
  private current: number;
  private active = 0;
  private successes = 0;
  private pausedUntil = 0;
  private readonly waiters: (() => void)[] = [];
  private readonly onChange: ((limit: number, reason: string) => void) | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(max: number, onChange?: (limit: number, reason: string) => void) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`concurrency must be a positive integer, got ${max}`);
    this.max = max;
    this.current = max;
    this.onChange = onChange;
  }

  get limit(): number {
    return this.current;
  }

  get inFlight(): number {
    return this.active;
  }

  async acquire(signal?: AbortSignal): Promise<void> {
    while (this.active >= this.current || Date.now() < this.pausedUntil) {
      if (signal?.aborted) throw signal.reason;
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        this.schedulePauseEnd();
      });
    }
    this.active++;
  }

  release(): void {
    this.active--;
    this.wake();
  }

  /** Wake every waiter (used on abort so they can observe the signal). */
  wakeAll(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }

  success(): void {
    if (this.current >= this.max) return;
    this.successes++;
    if (this.successes >= this.current) {
      this.successes = 0;
      this.current++;
      this.onChange?.(this.current, "recovered");
      this.wake();
    }
  }

  /** The server pushed back (429 / 503): halve the limit and pause for `retryAfterMs`. */
  backoff(reason: string, retryAfterMs?: number): void {
    this.successes = 0;
    const next = Math.max(1, Math.floor(this.current / 2));
    if (next !== this.current) {
      this.current = next;
      this.onChange?.(this.current, reason);
    }
    if (retryAfterMs !== undefined && retryAfterMs > 0) {
      this.pausedUntil = Math.max(this.pausedUntil, Date.now() + retryAfterMs);
    }
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
    while (free-- > 0 && this.waiters.length > 0) this.waiters.shift()!();
  }
}
