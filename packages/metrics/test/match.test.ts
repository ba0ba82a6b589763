/**
 * SQuAD-style exact match over normalize_answer, and accuracy.
 */
import { describe, expect, it } from "vitest";
import { accuracy, exactMatch, exactMatchAny } from "../src/index.js";

describe("exact match and accuracy", () => {
  it("exact match", () => {
    expect(exactMatch("The Answer.", "answer")).toBe(1);
    expect(exactMatch("The Answer.", "answer", "none")).toBe(0);
    expect(exactMatch("北京。", "北京", "zh")).toBe(1);
    expect(exactMatchAny("b", ["a", "b"])).toBe(1);
    expect(exactMatchAny("b", [])).toBe(0);
  });
  it("accuracy", () => {
    expect(accuracy(["a", "b", "c"], ["a", "x", "c"])).toBeCloseTo(2 / 3, 15);
    expect(() => accuracy([1], [1, 2])).toThrow(RangeError);
  });
});
