import { describe, expect, it } from "vitest";
import { countScore, exactMatchScore, libraSampleScore, loomNormalizeAnswer, loomExactMatchScore, normalizeLibraAnswer, qaF1Score, setLoomLemmatizer } from "../src/index.js";

// Expected values printed by Debian 12's python3 running ai-forever/LIBRA's evaluation/metrics.py.
describe("LIBRA metrics, Russian text handling", () => {
  it("em is a case-sensitive substring test with no normalisation", () => {
    expect(exactMatchScore("Ответ: Москва.", "Москва")).toBe(1);
    expect(exactMatchScore("ответ: москва", "Москва")).toBe(0);
    expect(exactMatchScore("Ёлка", "Елка")).toBe(0);
    expect(exactMatchScore("", "")).toBe(1);
  });
  it("count_score counts Python's Unicode digit runs", () => {
    expect(countScore("12 параграфов", "12")).toBe(1);
    expect(countScore("В тексте 12 уникальных параграфов из 24.", "12")).toBe(0.5);
    expect(countScore("١٢", "12")).toBe(0);
    expect(countScore("двенадцать", "12")).toBe(0);
    expect(countScore("012", "12")).toBe(0);
  });
  it("f1 lower-cases Cyrillic, removes only ASCII punctuation, keeps ё", () => {
    expect(normalizeLibraAnswer("«Война и Мир», ЁЛКА — Пётр!")).toBe("«война и мир» ёлка — пётр");
    expect(qaF1Score("Лев Толстой.", "лев толстой")).toBe(1);
    expect(qaF1Score("ёлка", "елка")).toBe(0);
  });
  it("negative outputs: all present gives 0, some present subtract their share", () => {
    expect(libraSampleScore("em", "Да и Нет", ["Да"], ["Нет"])).toBe(0);
    expect(libraSampleScore("em", "А или Б", ["А"], ["Б", "В"])).toBe(0.5);
    expect(libraSampleScore("em", "Б", ["А"], ["Б", "В"])).toBe(0);
    expect(() => libraSampleScore("em", "x", [], [])).toThrow(/max\(\) arg is an empty sequence/);
  });
});

describe("LOOM-Scope normalisation (protocol loom)", () => {
  it("refuses em and f1 without a pymorphy2 lemmatizer, naming it", () => {
    setLoomLemmatizer(undefined);
    expect(() => libraSampleScore("em", "Москва", ["Москва"], [], "loom")).toThrow(/pymorphy2/);
    expect(libraSampleScore("count_score", "12", ["12"], [], "loom")).toBe(1);
  });
  it("strips every word to [a-zа-яй0-9_] before lemmatising (ё and hyphens vanish)", () => {
    const seen: string[] = [];
    const lemmatizer = { id: "identity", normalForm: (t: string) => (seen.push(t), t) };
    expect(loomNormalizeAnswer("Ёлка, кто-то! Foo_1 ١٢", lemmatizer)).toBe("лка ктото foo_1 ");
    expect(seen).toEqual(["лка", "ктото", "foo_1", ""]);
    setLoomLemmatizer(lemmatizer);
    expect(loomExactMatchScore("МОСКВА!", "москва")).toBe(1);
    setLoomLemmatizer(undefined);
  });
});
