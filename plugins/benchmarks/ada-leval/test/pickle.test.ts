/**
 * The pickle reader against pickles made by Python's own pickle module at protocols 0-5
 * (test/fixtures/pickles.json, scripts/make-pickle-fixture.py): every value read back exactly,
 * every pickle that imports or calls code (or builds a set) refused before anything runs.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { PyFloat, pyFloatRepr } from "@loomscope/metrics";
import { PyTuple, UnpicklingError, unpickle, type PickleValue } from "../src/pickle.js";

type Tagged = unknown;
const { cases } = JSON.parse(readFileSync(new URL("./fixtures/pickles.json", import.meta.url), "utf8")) as {
  cases: { name: string; protocol: number; pickle: string; value: Tagged }[];
};

function tag(v: PickleValue): Tagged {
  if (v === null || typeof v === "boolean") return v;
  if (typeof v === "number" || typeof v === "bigint") return { int: String(v) };
  if (v instanceof PyFloat) return { float: pyFloatRepr(v.value) };
  if (typeof v === "string") return { str: v };
  if (v instanceof Uint8Array) return { bytes: Buffer.from(v).toString("base64") };
  if (Array.isArray(v)) return v.map(tag);
  if (v instanceof PyTuple) return { tuple: v.items.map(tag) };
  if (v instanceof Map) return { dict: [...v].map(([k, x]) => [tag(k), tag(x)]) };
  throw new Error("unexpected value");
}

describe("unpickle", () => {
  it("reads what Python pickled, at every protocol, and refuses code", () => {
    expect(cases.length).toBeGreaterThanOrEqual(50);
    const wrong: unknown[] = [];
    for (const c of cases) {
      const bytes = Buffer.from(c.pickle, "base64");
      let got: Tagged;
      try {
        got = tag(unpickle(bytes));
      } catch (e) {
        if (!(e instanceof UnpicklingError)) throw e;
        got = /refused opcode/.test(e.message) ? "refused" : `error: ${e.message}`;
      }
      if (JSON.stringify(got) !== JSON.stringify(c.value)) wrong.push({ name: c.name, protocol: c.protocol, got: JSON.stringify(got).slice(0, 200) });
    }
    expect(wrong).toEqual([]);
  });

  it("keeps shared references shared (memo) and dict order", () => {
    const c = cases.find((x) => x.name === "shared-list" && x.protocol === 4)!;
    const v = unpickle(Buffer.from(c.pickle, "base64")) as PickleValue[];
    expect(v[0]).toBe(v[1]);
    const p = cases.find((x) => x.name === "ada-leval-predictions" && x.protocol === 4)!;
    const m = unpickle(Buffer.from(p.pickle, "base64")) as Map<PickleValue, PickleValue>;
    expect(m.size).toBe(1050);
    expect([...m.keys()].slice(0, 2)).toEqual(["1000_A1", "1001_A2"]);
  });

  it("fails cleanly on truncated or unknown data", () => {
    const c = cases.find((x) => x.name === "unicode" && x.protocol === 4)!;
    const bytes = Buffer.from(c.pickle, "base64");
    expect(() => unpickle(bytes.subarray(0, bytes.length - 5))).toThrow(UnpicklingError);
    expect(() => unpickle(Uint8Array.from([0xff]))).toThrow(/invalid load key/);
  });
});
