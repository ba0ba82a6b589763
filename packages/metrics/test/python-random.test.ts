/**
 * PyRandom against CPython 3.11's random.Random: test/fixtures/py-random.json holds, per seed
 * (ints of every size and sign, str seeds), the draws Python made (scripts/make-random-fixture.py).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { NumpyRandomState, PyRandom, pyFloatRepr } from "../src/index.js";

interface Case {
  seed: string;
  kind: "int" | "str";
  random: string[];
  getrandbits: [number, string][];
  randrange: number[];
  randint: number[];
  shuffle20: number[];
  sample_pool: number[];
  sample_set: number[];
  sample_small: number[];
  sample_all: number[];
  choice: string[];
  choices: string[];
  after: string;
}
const { cases, numpy_cases: numpyCases } = JSON.parse(readFileSync(new URL("./fixtures/py-random.json", import.meta.url), "utf8")) as {
  cases: Case[];
  numpy_cases: { seed: number; randint: [number, number, number][] }[];
};
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

describe("PyRandom (CPython's Mersenne Twister)", () => {
  it.each(cases.map((c) => [c.seed, c] as const))("draws what Python draws for seed %s", (_s, c) => {
    const r = new PyRandom(c.kind === "int" ? BigInt(c.seed) : c.seed);
    expect(range(5).map(() => pyFloatRepr(r.random()))).toEqual(c.random);
    expect(c.getrandbits.map(([k]) => [k, r.getrandbits(k).toString()])).toEqual(c.getrandbits);
    expect([1, 2, 3, 10, 1000, 2 ** 31 + 5].map((n) => r.randrange(n))).toEqual(c.randrange);
    expect(range(5).map(() => r.randint(-3, 17))).toEqual(c.randint);
    const x = range(20);
    r.shuffle(x);
    expect(x).toEqual(c.shuffle20);
    expect(r.sample(range(30), 25)).toEqual(c.sample_pool);
    expect(r.sample(range(1000), 60)).toEqual(c.sample_set);
    expect(r.sample(range(200), 10)).toEqual(c.sample_small);
    expect(r.sample(range(7), 7)).toEqual(c.sample_all);
    expect(range(6).map(() => r.choice([..."abcdefg"]))).toEqual(c.choice);
    expect(r.choices([..."ABCDEFGHIJKLMNOPQRSTUVWXYZ"], 12)).toEqual(c.choices);
    expect(pyFloatRepr(r.random())).toBe(c.after);
  });

  it("gives Python's getstate() numbers and resumes the same sequence after setstate()", () => {
    const r = new PyRandom(5);
    r.random();
    r.random();
    const state = r.getstate();
    // Python: r = random.Random(5); r.random(); r.random(); s = r.getstate() → s[1][-1] == 4, s[1][:3] …
    expect([state.index, state.mt[0], state.mt[1], state.mt[2], state.mt.reduce((a, b) => a + b, 0)]).toEqual([4, 800844005, 2707223550, 1310751727, 1307961938886]);
    const ahead = range(5).map(() => r.random());
    r.shuffle(range(50));
    const other = new PyRandom(99);
    other.setstate(state);
    expect(range(5).map(() => other.random())).toEqual(ahead);
    expect(() => other.setstate({ mt: new Uint32Array(3), index: 0 })).toThrow(/invalid state/);
  });

  it("refuses what Python refuses", () => {
    const r = new PyRandom(1);
    expect(() => r.sample([1, 2], 3)).toThrow(/Sample larger/);
    expect(() => r.choice([])).toThrow(/empty sequence/);
    expect(() => r.randrange(0)).toThrow(/empty range/);
  });
});

describe("NumpyRandomState (numpy's legacy np.random)", () => {
  it.each(numpyCases.map((c) => [c.seed, c] as const))("np.random.seed(%s) then randint draws what numpy draws", (_s, c) => {
    const np = new NumpyRandomState(c.seed);
    expect(c.randint.map(([lo, hi]) => [lo, hi, np.randint(lo, hi)])).toEqual(c.randint);
  });
  it("refuses what numpy refuses", () => {
    expect(() => new NumpyRandomState(-1)).toThrow(/Seed must be between/);
    expect(() => new NumpyRandomState(2 ** 32)).toThrow(/Seed must be between/);
    expect(() => new NumpyRandomState(1).randint(5, 5)).toThrow(/low >= high/);
  });
});
