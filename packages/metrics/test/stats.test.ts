import { describe, expect, it } from "vitest";
import { bootstrapInterval, mcnemarExact, meanStderr, pairedBootstrap, quantile } from "../src/index.js";

describe("uncertainty", () => {
  it("standard error of a mean: sample sd (n − 1) over √n, as lm-eval prints it", () => {
    // mean 0.75; sample variance ((3 × 0.25²) + 0.75²) / 3 = 0.25; sd 0.5; stderr 0.5 / √4 = 0.25.
    expect(meanStderr([1, 0, 1, 1])).toEqual({ mean: 0.75, stderr: 0.25, n: 4 });
    expect(meanStderr([0.3])).toEqual({ mean: 0.3, stderr: null, n: 1 });
    expect(meanStderr([])).toEqual({ mean: null, stderr: null, n: 0 });
  });

  it("McNemar's exact test counts the discordant pairs and sums the binomial tail", () => {
    expect(mcnemarExact([1, 1, 1, 0, 0], [0, 0, 1, 1, 0])).toEqual({ aOnly: 2, bOnly: 1, p: 1, n: 5 });
    // 8 vs 2 discordant: 2 × P(X ≤ 2), X ~ Bin(10, ½) = 2 × 56/1024.
    const a = [...Array(8).fill(1), ...Array(2).fill(0), ...Array(5).fill(1)];
    const b = [...Array(8).fill(0), ...Array(2).fill(1), ...Array(5).fill(1)];
    expect(mcnemarExact(a, b).p).toBeCloseTo(0.109375, 12);
    expect(mcnemarExact(Array(10).fill(1), Array(10).fill(0)).p).toBeCloseTo(2 / 1024, 12);
  });

  it("quantiles interpolate as numpy's default", () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4], 0.025)).toBeCloseTo(1.075, 12);
  });

  it("bootstrap intervals are seeded, cover the statistic and shrink with more data", () => {
    const small = [[1, 0, 1, 0, 1, 1, 0, 1]];
    const big = [Array.from({ length: 800 }, (_, i) => (i % 8 < 5 ? 1 : 0))];
    const mean = (g: readonly (readonly number[])[]) => g[0]!.reduce((a, b) => a + b, 0) / g[0]!.length;
    const ci = bootstrapInterval(small, mean)!;
    expect(bootstrapInterval(small, mean)).toEqual(ci);
    expect(ci[0]).toBeLessThan(0.625);
    expect(ci[1]).toBeGreaterThan(0.625);
    const wide = bootstrapInterval(big, mean)!;
    expect(wide[1] - wide[0]).toBeLessThan((ci[1] - ci[0]) / 5);
  });

  it("a paired bootstrap flags a consistent improvement and not a coin flip", () => {
    const a = Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? 0.4 : 0.6));
    const better = a.map((x) => x + 0.1);
    const noisy = a.map((x, i) => (i % 4 < 2 ? x + 0.05 : x - 0.05));
    const up = pairedBootstrap(a, better)!;
    expect(up.delta).toBeCloseTo(0.1, 12);
    expect(up.p).toBeLessThan(0.01);
    expect(up.interval[0]).toBeGreaterThan(0);
    expect(pairedBootstrap(a, noisy)!.p).toBeGreaterThan(0.5);
  });
});
