/**
 * numpy's legacy global random state (`np.random.seed`, `np.random.random_sample`,
 * `np.random.uniform`, `np.random.randint`, `np.random.choice`), which official generators seed
 * and draw from (NoLiMa's needle characters and distractor depths). The legacy `RandomState`
 * stream is frozen by numpy's compatibility policy, so these values hold for every numpy version:
 * - `seed(n)`: MT19937 `init_genrand(n)` (n in [0, 2**32));
 * - `random_sample()`: 53-bit double from two 32-bit draws, `(a >> 5) * 2**26 + (b >> 6)) / 2**53`;
 * - `uniform(low, high)`: `low + (high - low) * random_sample()`;
 * - `randint(low, high)` for ranges below 2**32: masked rejection sampling on 32-bit draws;
 * - `choice(seq)`: `seq[randint(0, len(seq))]`.
 */

import { Mt19937 } from "./mt19937.js";

export class NumpyRandomState {
  private readonly mt = new Mt19937();

  constructor(seed?: number) {
    if (seed !== undefined) this.seed(seed);
  }

  /** `np.random.seed(n)`: `init_genrand(n)`. */
  seed(n: number): void {
    if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new RangeError("Seed must be between 0 and 2**32 - 1");
    this.mt.initGenrand(n);
  }

  /** One 32-bit output of MT19937 (`genrand_int32`). */
  nextUint32(): number {
    return this.mt.nextUint32();
  }

  /** `np.random.random_sample()`: a double in [0, 1). */
  randomSample(): number {
    return this.mt.random53();
  }

  /** `np.random.uniform(low, high)`. */
  uniform(low = 0, high = 1): number {
    return low + (high - low) * this.randomSample();
  }

  /** `np.random.randint(low, high)` (one value; high - low at most 2**32). */
  randint(low: number, high: number): number {
    const rng = high - 1 - low;
    if (rng < 0) throw new RangeError("low >= high");
    if (rng === 0) return low;
    if (rng > 0xffffffff) throw new RangeError("ranges of 2**32 and more are not supported");
    if (rng === 0xffffffff) return low + this.nextUint32();
    let mask = rng;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    mask >>>= 0;
    let value: number;
    do value = (this.nextUint32() & mask) >>> 0;
    while (value > rng);
    return low + value;
  }

  /** `np.random.choice(seq)` (uniform, with replacement, one element). */
  choice<T>(seq: readonly T[]): T {
    if (seq.length === 0) throw new RangeError("'a' cannot be empty unless no samples are taken");
    return seq[this.randint(0, seq.length)] as T;
  }
}
