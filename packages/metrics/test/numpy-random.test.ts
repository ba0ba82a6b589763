/**
 * numpy's legacy RandomState: test/fixtures/numpy_random.json holds, for 12 seeds, 120 seeded
 * random calls each (random_sample, uniform, randint with ranges up to 2**32, choice) and what
 * numpy returned. Made by scripts/make-numpy-random-fixture.py.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { NumpyRandomState, pyFloatRepr } from "../src/index.js";

interface Call {
  call: "random_sample" | "uniform" | "randint" | "choice";
  args?: (number | string)[];
  value: string | number;
}
const fixture = JSON.parse(readFileSync(join(__dirname, "fixtures", "numpy_random.json"), "utf8")) as { runs: { seed: number; calls: Call[] }[] };

describe("NumpyRandomState", () => {
  it("reproduces numpy's draws call by call", () => {
    expect(fixture.runs.length).toBeGreaterThanOrEqual(10);
    for (const run of fixture.runs) {
      const rs = new NumpyRandomState(run.seed);
      for (const c of run.calls) {
        let got: string | number;
        if (c.call === "random_sample") got = pyFloatRepr(rs.randomSample());
        else if (c.call === "uniform") got = pyFloatRepr(rs.uniform(c.args![0] as number, c.args![1] as number));
        else if (c.call === "randint") got = rs.randint(c.args![0] as number, c.args![1] as number);
        else got = rs.choice(c.args as string[]);
        expect({ seed: run.seed, call: c.call, got }).toEqual({ seed: run.seed, call: c.call, got: c.value });
      }
    }
  });

  it("refuses seeds numpy refuses", () => {
    expect(() => new NumpyRandomState(-1)).toThrow(RangeError);
    expect(() => new NumpyRandomState(2 ** 32)).toThrow(RangeError);
  });
});
