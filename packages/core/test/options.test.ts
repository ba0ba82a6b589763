import { describe, expect, it } from "vitest";
import { parseBenchmarkOptions } from "../src/run/options.js";

describe("benchmark options: number[]", () => {
  const declared = { depths: { type: "number[]", description: "needle depths", min: 0, max: 100, default: [0, 50, 100] } } as const;
  it("takes a list of numbers (or a comma list from the command line) and fills the default", () => {
    expect(parseBenchmarkOptions("b", declared, { depths: [10, 20.5] })).toEqual({ depths: [10, 20.5] });
    expect(parseBenchmarkOptions("b", declared, { depths: "10, 20" })).toEqual({ depths: [10, 20] });
    expect(parseBenchmarkOptions("b", declared, {})).toEqual({ depths: [0, 50, 100] });
  });
  it("refuses non-numbers and values out of range, naming the option", () => {
    expect(() => parseBenchmarkOptions("b", declared, { depths: ["ten"] })).toThrow(/option depths: expected a list of numbers/);
    expect(() => parseBenchmarkOptions("b", declared, { depths: "1,x" })).toThrow(/option depths: expected a list of numbers/);
    expect(() => parseBenchmarkOptions("b", declared, { depths: [101] })).toThrow(/option depths: 101 is above 100/);
  });
});
