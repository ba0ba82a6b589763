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

const N = 624;
const M = 397;

export class NumpyRandomState {
  private readonly mt = new Uint32Array(N);
  private index = N + 1;

  constructor(seed?: number) {
    if (seed !== undefined) this.seed(seed);
  }

  /** `np.random.seed(n)`. */
  seed(n: number): void {
    if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new RangeError("Seed must be between 0 and 2**32 - 1");
    this.mt[0] = n >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = this.mt[i - 1] as number;
      const x = (prev ^ (prev >>> 30)) >>> 0;
      // 1812433253 * x + i, modulo 2**32, without losing bits to float precision.
      this.mt[i] = (Math.imul(1812433253, x) + i) >>> 0;
    }
    this.index = N;
  }

  /** One 32-bit output of MT19937 (`genrand_int32`). */
  nextUint32(): number {
    if (this.index >= N) {
      if (this.index === N + 1) this.seed(5489);
      const mt = this.mt;
      let k = 0;
      for (; k < N - M; k++) {
        const y = ((mt[k] as number) & 0x80000000) | ((mt[k + 1] as number) & 0x7fffffff);
        mt[k] = (mt[k + M] as number) ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      }
      for (; k < N - 1; k++) {
        const y = ((mt[k] as number) & 0x80000000) | ((mt[k + 1] as number) & 0x7fffffff);
        mt[k] = (mt[k + M - N] as number) ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      }
      const y = ((mt[N - 1] as number) & 0x80000000) | ((mt[0] as number) & 0x7fffffff);
      mt[N - 1] = (mt[M - 1] as number) ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      this.index = 0;
    }
    let y = this.mt[this.index++] as number;
    y ^= y >>> 11;
    y = (y ^ ((y << 7) & 0x9d2c5680)) >>> 0;
    y = (y ^ ((y << 15) & 0xefc60000)) >>> 0;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** `np.random.random_sample()`: a double in [0, 1). */
  randomSample(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864.0 + b) / 9007199254740992.0;
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
