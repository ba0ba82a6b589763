import { describe, expect, it } from "vitest";
import { PythonError, PyFloat, categorizeLength, categorizeLengthOf, constructResultTable2Overall, loomScopeSaveResults } from "../src/index.js";

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

  it("categorize_length of a json.loads value: numbers and bools bucket, anything else is Python's TypeError", () => {
    expect(categorizeLengthOf(9000)).toBe("8k-16k");
    expect(categorizeLengthOf(200000n)).toBe(">128k");
    expect(categorizeLengthOf(new PyFloat(8000.5))).toBe("8k-16k");
    expect(categorizeLengthOf(true)).toBe("0-8k");
    expect(() => categorizeLengthOf("9000")).toThrow(PythonError);
    expect(() => categorizeLengthOf(null)).toThrow(/'NoneType' and 'int'/);
    expect(() => categorizeLengthOf(undefined)).toThrow(/TypeError/);
  });

  it("save_results: per-task and per-bucket round(100*sum/len, 2), length.json, Total.txt, both overalls (printed by python3 + numpy)", () => {
    const saved = loomScopeSaveResults(
      "Bench",
      new Map([["qa1", [1, 0, 1]], ["qa2", [0.5, 1 / 3]]]),
      new Map([["8k-16k", [1, 0.5]], ["0-8k", [0, 1, 1 / 3]]]),
      { lengthMetric: "AVG" },
    );
    expect([...saved.tasks.scores]).toEqual([["qa1", 66.67], ["qa2", 41.67]]);
    expect([...saved.lengths.scores]).toEqual([["8k-16k", 75], ["0-8k", 44.44]]);
    expect(saved.tasks.overall).toBe(56.67);
    expect(saved.lengths.overall).toBe(56.66);
    expect(saved.files.get("length.json")).toBe('{\n  "8k-16k": 2,\n  "0-8k": 3\n}');
    expect(saved.files.get("Total.txt")).toBe("56.67");
    expect(JSON.parse(saved.files.get("score_loom.json")!)).toEqual({
      Bench: { qa1: { ACC: 66.67 }, qa2: { ACC: 41.67 } },
      count: { qa1: 3, qa2: 2 },
      Total: 56.67,
      length: { "8k-16k": { AVG: 75 }, "0-8k": { AVG: 44.44 } },
      count_length: { "8k-16k": 2, "0-8k": 3 },
      Total_length: 56.66,
    });
    expect(saved.files.get("score_loom.json")).toContain('"AVG": 75.0');
  });
});
