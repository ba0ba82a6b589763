/**
 * Uncertainty for reported numbers: the standard error of a mean (as lm-evaluation-harness prints
 * it: sample standard deviation / √n), percentile bootstrap intervals of any aggregate, and paired
 * tests for comparing two runs on the same samples (paired bootstrap; McNemar's exact test for 0/1
 * metrics). Every resampling is seeded, so the same records give the same interval on every machine.
 */

import { mulberry32 } from "./mulberry32.js";

/** Mean and its standard error (sample sd with n − 1, over √n); stderr is null below 2 values. */
export function meanStderr(values: readonly number[]): { mean: number | null; stderr: number | null; n: number } {
  const n = values.length;
  if (n === 0) return { mean: null, stderr: null, n };
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / n;
  if (n < 2) return { mean, stderr: null, n };
  let ss = 0;
  for (const v of values) ss += (v - mean) * (v - mean);
  return { mean, stderr: Math.sqrt(ss / (n - 1)) / Math.sqrt(n), n };
}

/** The seeded generator resampling draws from (mulberry32): reproducible, not cryptographic. */
export const resamplingRandom = mulberry32;

export interface BootstrapOptions {
  /** Resamples (default 1000). */
  iterations?: number;
  /** Two-sided level (default 0.95). */
  level?: number;
  seed?: number;
}

/** The `q` quantile of sorted values (linear interpolation, numpy's default). */
export function quantile(sorted: readonly number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (pos - lo);
}

/**
 * Percentile bootstrap of an aggregate over groups of values (cells): each group is resampled with
 * replacement on its own (stratified), the aggregate recomputed; the interval is the central `level`
 * of the resampled aggregates. Null when the aggregate is null on the data.
 */
export function bootstrapInterval<T>(
  groups: readonly (readonly T[])[],
  aggregate: (groups: readonly (readonly T[])[]) => number | null,
  options: BootstrapOptions = {},
): [number, number] | null {
  if (aggregate(groups) === null) return null;
  const iterations = options.iterations ?? 1000;
  const level = options.level ?? 0.95;
  const random = resamplingRandom(options.seed ?? 1);
  const stats: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const resampled = groups.map((g) => (g.length === 0 ? g : Array.from({ length: g.length }, () => g[Math.floor(random() * g.length)] as T)));
    const v = aggregate(resampled);
    if (v !== null && Number.isFinite(v)) stats.push(v);
  }
  if (stats.length === 0) return null;
  stats.sort((a, b) => a - b);
  return [quantile(stats, (1 - level) / 2), quantile(stats, 1 - (1 - level) / 2)];
}

/**
 * Paired bootstrap of a difference in means (run B − run A) over the samples both runs scored:
 * the share of resamples whose difference has the other sign than the observed one, doubled, is
 * the p-value; the interval is the percentile interval of the difference.
 */
export function pairedBootstrap(
  a: readonly number[],
  b: readonly number[],
  options: BootstrapOptions = {},
): { delta: number; interval: [number, number]; p: number; n: number } | null {
  if (a.length !== b.length) throw new RangeError(`paired samples differ in count: ${a.length} and ${b.length}`);
  const n = a.length;
  if (n === 0) return null;
  const diffs = a.map((x, i) => (b[i] as number) - x);
  const delta = diffs.reduce((s, d) => s + d, 0) / n;
  const iterations = options.iterations ?? 2000;
  const random = resamplingRandom(options.seed ?? 1);
  const means: number[] = [];
  let opposite = 0;
  for (let i = 0; i < iterations; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += diffs[Math.floor(random() * n)] as number;
    const m = s / n;
    means.push(m);
    if (delta >= 0 ? m <= 0 : m >= 0) opposite++;
  }
  means.sort((x, y) => x - y);
  const level = options.level ?? 0.95;
  return { delta, interval: [quantile(means, (1 - level) / 2), quantile(means, 1 - (1 - level) / 2)], p: delta === 0 ? 1 : Math.min(1, (2 * opposite) / iterations), n };
}

/**
 * McNemar's exact test for paired 0/1 outcomes: of the discordant pairs, `b10` right in A only and
 * `b01` right in B only; the two-sided binomial p-value of the smaller count under p = 1/2.
 */
export function mcnemarExact(a: readonly number[], b: readonly number[]): { aOnly: number; bOnly: number; p: number; n: number } {
  if (a.length !== b.length) throw new RangeError(`paired samples differ in count: ${a.length} and ${b.length}`);
  let aOnly = 0;
  let bOnly = 0;
  for (let i = 0; i < a.length; i++) {
    const x = (a[i] as number) >= 0.5;
    const y = (b[i] as number) >= 0.5;
    if (x && !y) aOnly++;
    else if (y && !x) bOnly++;
  }
  const n = aOnly + bOnly;
  if (n === 0) return { aOnly, bOnly, p: 1, n: a.length };
  const k = Math.min(aOnly, bOnly);
  // P(X <= k) for X ~ Binomial(n, 1/2), summed in log space to stay finite for large n.
  let logC = 0;
  let tail = 0;
  for (let i = 0; i <= k; i++) {
    if (i > 0) logC += Math.log(n - i + 1) - Math.log(i);
    tail += Math.exp(logC - n * Math.LN2);
  }
  return { aOnly, bOnly, p: Math.min(1, 2 * tail), n: a.length };
}
