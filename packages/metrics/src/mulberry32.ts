/**
 * mulberry32: a small, fast, seeded PRNG returning floats in [0, 1). The same seed gives the same
 * sequence on every machine and Node version — what generated data, fault plans, random model
 * weights and bootstrap resampling need. Not cryptographic, and not Python's `random` (that is
 * `PyRandom`, for code that must draw what the official Python draws).
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
