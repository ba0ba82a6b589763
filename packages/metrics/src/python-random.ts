/**
 * CPython's `random.Random` (Modules/_randommodule.c and Lib/random.py of Python 3.11): the
 * MT19937 generator seeded as `random.seed(a)` seeds it (an int's absolute value as 32-bit words,
 * least significant first, through `init_by_array`; a str or bytes as version 2: the bytes followed
 * by their SHA-512, read as one big-endian int), and the methods official scripts use to shuffle
 * and sample — `random`, `getrandbits`, `_randbelow`, `randrange`, `randint`, `choice`, `shuffle`,
 * `sample` — drawing exactly the same numbers in the same order, so a seeded Python run and this
 * one pick the same elements.
 */
import { createHash } from "node:crypto";
import { Mt19937 } from "./mt19937.js";


export class PyRandom {
  private readonly mt = new Mt19937();

  constructor(seed: number | bigint | string | Uint8Array = 0) {
    this.seed(seed);
  }

  /** `random.seed(a)` for an int (any size, sign ignored), a str or bytes (version 2). */
  seed(a: number | bigint | string | Uint8Array): void {
    let n: bigint;
    if (typeof a === "number") {
      if (!Number.isInteger(a)) throw new TypeError("PyRandom.seed: float seeds are hashed by Python; pass an int");
      n = BigInt(a);
    } else if (typeof a === "bigint") n = a;
    else {
      const bytes = typeof a === "string" ? new TextEncoder().encode(a) : a;
      const digest = createHash("sha512").update(bytes).digest();
      n = 0n;
      for (const b of [...bytes, ...digest]) n = (n << 8n) | BigInt(b);
    }
    if (n < 0n) n = -n;
    const key: number[] = [];
    while (n > 0n) {
      key.push(Number(n & 0xffffffffn));
      n >>= 32n;
    }
    if (key.length === 0) key.push(0);
    this.mt.initByArray(key);
  }

  /**
   * `getstate()`: the generator's state (the 624 words and the position), to resume the same
   * sequence later with `setstate` (Python's tuple holds the same numbers, position last).
   */
  getstate(): { mt: Uint32Array; index: number } {
    return this.mt.getState();
  }

  /** `setstate(state)`: continue from a state `getstate` returned. */
  setstate(state: { readonly mt: Uint32Array; readonly index: number }): void {
    this.mt.setState(state);
  }

  /** `genrand_uint32`: the next 32 random bits. */
  nextUint32(): number {
    return this.mt.nextUint32();
  }

  /** `random()`: a float in [0, 1) with 53 random bits. */
  random(): number {
    return this.mt.random53();
  }

  /** `getrandbits(k)`: k random bits (32-bit words, least significant first; the last one shifted). */
  getrandbits(k: number): bigint {
    if (k < 0) throw new RangeError("number of bits must be non-negative");
    if (k === 0) return 0n;
    if (k <= 32) return BigInt(this.nextUint32() >>> (32 - k));
    let out = 0n;
    let shift = 0n;
    for (let left = k; left > 0; left -= 32) {
      let r = this.nextUint32();
      if (left < 32) r >>>= 32 - left;
      out |= BigInt(r) << shift;
      shift += 32n;
    }
    return out;
  }

  /** `_randbelow(n)` (`_randbelow_with_getrandbits`): uniform in [0, n), n > 0. */
  randbelow(n: number): number {
    if (!Number.isSafeInteger(n) || n <= 0) throw new RangeError("randbelow needs a positive integer");
    const k = n.toString(2).length;
    let r = Number(this.getrandbits(k));
    while (r >= n) r = Number(this.getrandbits(k));
    return r;
  }

  /** `randrange(stop)` / `randrange(start, stop)` (step 1). */
  randrange(start: number, stop?: number): number {
    if (stop === undefined) {
      if (start > 0) return this.randbelow(start);
      throw new RangeError("empty range for randrange()");
    }
    const width = stop - start;
    if (width > 0) return start + this.randbelow(width);
    throw new RangeError(`empty range for randrange() (${start}, ${stop}, ${width})`);
  }

  /** `randint(a, b)`: uniform in [a, b]. */
  randint(a: number, b: number): number {
    return this.randrange(a, b + 1);
  }

  /** `choice(seq)`. */
  choice<T>(seq: readonly T[]): T {
    if (seq.length === 0) throw new RangeError("Cannot choose from an empty sequence");
    return seq[this.randbelow(seq.length)] as T;
  }

  /** `choices(population, k=k)` without weights: `population[floor(random() * n)]`, k times. */
  choices<T>(population: readonly T[], k = 1): T[] {
    const n = population.length;
    if (n === 0) throw new RangeError("Cannot choose from an empty population");
    const out: T[] = [];
    for (let i = 0; i < k; i++) out.push(population[Math.floor(this.random() * n)] as T);
    return out;
  }

  /** `shuffle(x)`: in place, as Python does. */
  shuffle<T>(x: T[]): void {
    for (let i = x.length - 1; i >= 1; i--) {
      const j = this.randbelow(i + 1);
      const t = x[i] as T;
      x[i] = x[j] as T;
      x[j] = t;
    }
  }

  /** `sample(population, k)`: k elements in selection order (pool or set method as Python picks). */
  sample<T>(population: readonly T[], k: number): T[] {
    const n = population.length;
    if (!(Number.isInteger(k) && k >= 0 && k <= n)) throw new RangeError("Sample larger than population or is negative");
    const result: T[] = new Array<T>(k);
    let setsize = 21;
    if (k > 5) setsize += 4 ** Math.ceil(Math.log(k * 3) / Math.log(4));
    if (n <= setsize) {
      const pool = [...population];
      for (let i = 0; i < k; i++) {
        const j = this.randbelow(n - i);
        result[i] = pool[j] as T;
        pool[j] = pool[n - i - 1] as T;
      }
    } else {
      const selected = new Set<number>();
      for (let i = 0; i < k; i++) {
        let j = this.randbelow(n);
        while (selected.has(j)) j = this.randbelow(n);
        selected.add(j);
        result[i] = population[j] as T;
      }
    }
    return result;
  }
}
