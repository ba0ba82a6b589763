/**
 * Rounding the way the official Python scripts round. They differ, so both are here:
 * - Python's built-in `round(x, n)` on a float rounds the exact binary value correctly, ties to
 *   even: `round(0.125, 2) == 0.12`, `round(2.675, 2) == 2.67` (2.675 is stored as 2.67499999...).
 * - numpy's `np.round(x, n)` / `np.around` scales, rounds half-to-even, and unscales:
 *   `rint(x * 10**n) / 10**n`, so it sees the scaled float's rounding error:
 *   `np.round(2.675, 2) == 2.68`, `np.round(0.285, 2) == 0.28`.
 */
import { OfficialScorerError } from "./errors.js";

const F64 = new Float64Array(1);
const U64 = new BigUint64Array(F64.buffer);

/** Exact value of a finite double as mantissa * 2^exponent (mantissa a BigInt integer). */
function decompose(x: number): { mantissa: bigint; exponent: number } {
  F64[0] = x;
  const bits = U64[0] as bigint;
  const expBits = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & 0xfffffffffffffn;
  if (expBits === 0) return { mantissa: frac, exponent: -1074 };
  return { mantissa: frac | 0x10000000000000n, exponent: expBits - 1075 };
}

/**
 * Python's `round(x, ndigits)` for a float: the decimal with `ndigits` digits nearest to the exact
 * value of `x` (ties to even), converted back to the nearest double. `ndigits` may be negative.
 */
export function pythonRound(x: number, ndigits = 0): number {
  if (!Number.isFinite(x) || x === 0) return x;
  if (!Number.isInteger(ndigits)) throw new TypeError("ndigits must be an integer");
  // CPython: beyond these bounds the result is x itself, or a signed zero.
  if (ndigits > 323) return x;
  if (ndigits < -308) return 0 * x;
  const negative = x < 0;
  const { mantissa, exponent } = decompose(Math.abs(x));
  // value * 10^ndigits = mantissa * 2^exponent * 10^ndigits, as a fraction num/den.
  let num = mantissa;
  let den = 1n;
  if (exponent >= 0) num <<= BigInt(exponent);
  else den <<= BigInt(-exponent);
  if (ndigits >= 0) num *= 10n ** BigInt(ndigits);
  else den *= 10n ** BigInt(-ndigits);
  let q = num / den;
  const r = num - q * den;
  const twice = 2n * r;
  if (twice > den || (twice === den && (q & 1n) === 1n)) q += 1n;
  // Correctly rounded conversion of q * 10^-ndigits back to a double.
  const text = ndigits >= 0 ? `${q}e-${ndigits}` : `${q}e${-ndigits}`;
  const y = Number(text);
  return negative ? -y : y;
}

/** IEEE round-half-to-even to an integer (numpy `rint`). */
export function rint(x: number): number {
  if (!Number.isFinite(x)) return x;
  const r = Math.round(x);
  // Math.round rounds .5 up; fix exact ties to the even neighbour.
  if (r - x === 0.5 && r % 2 !== 0) return r - 1;
  return r === 0 && x < 0 ? -0 : r;
}

/**
 * numpy's `np.round(x, decimals)` / `np.around` for float64: `rint(x * 10**d) / 10**d` for
 * d >= 0, `rint(x / 10**-d) * 10**-d` for d < 0.
 */
export function numpyRound(x: number, decimals = 0): number {
  if (!Number.isInteger(decimals)) throw new TypeError("decimals must be an integer");
  if (decimals >= 0) {
    const f = 10 ** decimals;
    return rint(x * f) / f;
  }
  const f = 10 ** -decimals;
  return rint(x / f) * f;
}

/**
 * `round(100 * sum(values) / len(values), digits)` with Python's round, the sum taken in order: the
 * per-task score of LongBench / LV-Eval `scorer`, CLongEval (5 digits), LOOM-Scope's `save_results`
 * and others. An empty list raises ZeroDivisionError, as Python does (`OfficialScorerError`).
 */
export function officialPercent(values: readonly number[], digits = 2): number {
  if (values.length === 0) throw new OfficialScorerError("ZeroDivisionError", "division by zero (no values to average)");
  let total = 0.0;
  for (const v of values) total += v;
  return pythonRound((100 * total) / values.length, digits);
}
