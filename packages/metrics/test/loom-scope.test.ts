import { describe, expect, it } from "vitest";
import { categorizeLength, constructResultTable2Overall } from "../src/index.js";

describe("LOOM-Scope shared helpers", () => {
  it("categorize_length: strictly-greater thresholds 8000 / 16000 / 32000 / 64000 / 130000", () => {
    const cases: [number, string][] = [
      [0, "0-8k"], [8000, "0-8k"], [8001, "8k-16k"], [16000, "8k-16k"], [16001, "16k-32k"], [32001, "32k-64k"],
      [64000, "32k-64k"], [64001, "64k-128k"], [128001, "64k-128k"], [130000, "64k-128k"], [130001, ">128k"], [1e7, ">128k"],
    ];
    for (const [len, label] of cases) expect(categorizeLength(len)).toBe(label);
  });

  it("ConstructResultTable2 overall: count-weighted, numpy-rounded", () => {
    expect(constructResultTable2Overall(new Map([["a", 50], ["b", 100]]), new Map([["a", 6], ["b", 1]]))).toBe(57.14);
    // numpy rounds the scaled float: 1.005 * 100 = 100.49999999999999 -> 100, so 1.0
    expect(constructResultTable2Overall(new Map([["a", 1.005]]), new Map([["a", 1]]))).toBe(1.0);
    expect(constructResultTable2Overall(new Map(), new Map())).toBe(0);
    // Printed by Debian 12's python3 with numpy: w = sum(np.mean([s]) * c), t = sum(c), round(w / t, 2).
    expect(constructResultTable2Overall(new Map([["a", 33.33], ["b", 66.67]]), new Map([["a", 3], ["b", 1]]))).toBe(41.66);
    expect(constructResultTable2Overall(new Map([["a", 12.5], ["b", 0.75], ["c", 99.99]]), new Map([["a", 200], ["b", 50], ["c", 1000]]))).toBe(82.02);
  });
});
