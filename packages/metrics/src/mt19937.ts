/**
 * The Mersenne Twister MT19937 (Matsumoto & Nishimura's mt19937ar.c) that both CPython's `random`
 * (Modules/_randommodule.c) and numpy's legacy `RandomState` (randomkit / mt19937) run:
 * `init_genrand`, `init_by_array`, `genrand_int32`, and the 53-bit double both build from two draws.
 * Seeding policy (how an int, a str or nothing becomes a key) is each library's and lives in
 * `PyRandom` and `NumpyRandomState`.
 */

const N = 624;
const M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;

export class Mt19937 {
  private readonly mt = new Uint32Array(N);
  /** N + 1: not seeded yet. */
  private mti = N + 1;

  /** `init_genrand(s)`. */
  initGenrand(s: number): void {
    const mt = this.mt;
    mt[0] = s >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = (mt[i - 1] as number) ^ ((mt[i - 1] as number) >>> 30);
      // 1812433253 * prev + i, modulo 2**32, without losing bits to float precision.
      mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
    this.mti = N;
  }

  /** `init_by_array(key)` (32-bit words). */
  initByArray(key: readonly number[]): void {
    const mt = this.mt;
    this.initGenrand(19650218);
    let i = 1;
    let j = 0;
    for (let k = Math.max(N, key.length); k > 0; k--) {
      const prev = (mt[i - 1] as number) ^ ((mt[i - 1] as number) >>> 30);
      mt[i] = (((mt[i] as number) ^ Math.imul(prev, 1664525)) + (key[j] as number) + j) >>> 0;
      i++;
      j++;
      if (i >= N) {
        mt[0] = mt[N - 1] as number;
        i = 1;
      }
      if (j >= key.length) j = 0;
    }
    for (let k = N - 1; k > 0; k--) {
      const prev = (mt[i - 1] as number) ^ ((mt[i - 1] as number) >>> 30);
      mt[i] = (((mt[i] as number) ^ Math.imul(prev, 1566083941)) - i) >>> 0;
      i++;
      if (i >= N) {
        mt[0] = mt[N - 1] as number;
        i = 1;
      }
    }
    mt[0] = 0x80000000;
    this.mti = N;
  }

  /** The 624 words and the position (Python's `getstate()` tuple holds the same numbers, position last). */
  getState(): { mt: Uint32Array; index: number } {
    return { mt: new Uint32Array(this.mt), index: this.mti };
  }

  /** Continue from a state `getState` returned. */
  setState(state: { readonly mt: Uint32Array; readonly index: number }): void {
    if (state.mt.length !== N || !Number.isInteger(state.index) || state.index < 0 || state.index > N) throw new RangeError("invalid state");
    this.mt.set(state.mt);
    this.mti = state.index;
  }

  /** `genrand_int32`: the next 32 random bits (seeded with 5489 first if never seeded, as mt19937ar.c does). */
  nextUint32(): number {
    const mt = this.mt;
    if (this.mti >= N) {
      if (this.mti === N + 1) this.initGenrand(5489);
      let kk = 0;
      for (; kk < N - M; kk++) {
        const y = ((mt[kk] as number) & UPPER_MASK) | ((mt[kk + 1] as number) & LOWER_MASK);
        mt[kk] = (mt[kk + M] as number) ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
      }
      for (; kk < N - 1; kk++) {
        const y = ((mt[kk] as number) & UPPER_MASK) | ((mt[kk + 1] as number) & LOWER_MASK);
        mt[kk] = (mt[kk + (M - N)] as number) ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
      }
      const y = ((mt[N - 1] as number) & UPPER_MASK) | ((mt[0] as number) & LOWER_MASK);
      mt[N - 1] = (mt[M - 1] as number) ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
      this.mti = 0;
    }
    let y = mt[this.mti++] as number;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** `genrand_res53` (Python's `random()`, numpy's `random_sample()`): a double in [0, 1) with 53 random bits. */
  random53(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864.0 + b) / 9007199254740992.0;
  }
}
