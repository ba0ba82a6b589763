import { describe, expect, it } from "vitest";
import { METRICS, PyFormatError, metricById, pyFloat, pyFloatRepr, pyFormat, pyJsonDumps, pyStrip, pyStripChars } from "../src/index.js";

// Expected strings printed by Debian 12's python3 (3.11.2): json.dumps / repr on the same values.
describe("Python-compatible output", () => {
  it("json.dumps with ensure_ascii, indent and sort_keys", () => {
    const value = { a: 1, b: [1.5, null, true], c: 'é"\n\u2028😀' };
    expect(pyJsonDumps(value)).toBe('{"a": 1, "b": [1.5, null, true], "c": "\\u00e9\\"\\n\\u2028\\ud83d\\ude00"}');
    expect(pyJsonDumps(value, { ensureAscii: false, indent: 4 })).toBe(
      '{\n    "a": 1,\n    "b": [\n        1.5,\n        null,\n        true\n    ],\n    "c": "é\\"\\n\u2028😀"\n}',
    );
    expect(pyJsonDumps({ z: 0.1 + 0.2, y: Number.NaN, x: 1e-7, w: pyFloat(1e16), v: {} }, { sortKeys: true })).toBe(
      '{"v": {}, "w": 1e+16, "x": 1e-07, "y": NaN, "z": 0.30000000000000004}',
    );
    expect(pyJsonDumps([], { indent: 2 })).toBe("[]");
    expect(pyJsonDumps("\x00\x1f\x7f")).toBe('"\\u0000\\u001f\\u007f"');
    expect(pyJsonDumps("\x7f", { ensureAscii: false })).toBe('"\x7f"');
    expect(pyJsonDumps([pyFloat(1), 1], { integers: "int" })).toBe("[1.0, 1]");
  });

  it("repr(float)", () => {
    expect([1e16, 1e-5, 123456789012345678, 0.0001, -2.5, 100].map(pyFloatRepr)).toEqual([
      "1e+16",
      "1e-05",
      "1.2345678901234568e+17",
      "0.0001",
      "-2.5",
      "100.0",
    ]);
  });

  it("str.format refuses what it cannot reproduce, with Python's error kind", () => {
    expect(pyFormat("{{a}} {a}", { a: "x" })).toBe("{a} x");
    expect(() => pyFormat("{b}", {})).toThrow(PyFormatError);
    expect(() => pyFormat("{0}", {})).toThrow(/only named fields/);
    expect(() => pyFormat("a } b", {})).toThrow(/Single '}'/);
  });

  it("str.strip uses Python's whitespace set", () => {
    expect(pyStrip("\u3000\x1c answer \x85")).toBe("answer");
    expect(pyStrip("\u200b x")).toBe("\u200b x"); // ZERO WIDTH SPACE is not whitespace to Python
    expect(pyStripChars("**A**.", "*.")).toBe("A");
  });
});

describe("metric registry", () => {
  it("scores the best reference and says what it knows", async () => {
    const input = { prediction: "The Eiffel Tower", references: ["Louvre", "Eiffel Tower"], task: "t", protocol: "official" as const };
    expect(await metricById("exact_match").score(input)).toBe(1);
    expect(await metricById("contains").score({ ...input, prediction: "it is the eiffel tower." })).toBe(1);
    expect(await metricById("accuracy").score({ ...input, prediction: " Louvre\n" })).toBe(1);
    expect(await metricById("qa_f1").score({ ...input, prediction: "Eiffel" })).toBeCloseTo(2 / 3, 12);
    expect(METRICS.qa_f1?.scale).toBe(100);
    expect(() => metricById("bleu")).toThrow(/known metrics: exact_match/);
  });
});

describe("pyTextLines / pyDecodeUtf8", () => {
  it("splits as Python's text-mode iteration does and decodes strictly, keeping a BOM", async () => {
    const { pyTextLines, pyDecodeUtf8 } = await import("../src/index.js");
    expect(pyTextLines("a\nb\r\nc\rd")).toEqual(["a", "b", "c", "d"]);
    expect(pyTextLines("a\n")).toEqual(["a"]);
    expect(pyTextLines("a\n\n")).toEqual(["a", ""]);
    expect(pyTextLines("")).toEqual([]);
    expect(pyTextLines("x\u2028y")).toEqual(["x\u2028y"]);
    expect(pyDecodeUtf8(Uint8Array.from([0xef, 0xbb, 0xbf, 0x61]))).toBe("\ufeffa");
    expect(() => pyDecodeUtf8(Uint8Array.from([0xff]))).toThrow(expect.objectContaining({ name: "PythonError", pythonError: "UnicodeDecodeError" }));
  });

  it("reads a file as open(path, encoding='utf-8').read() does", async () => {
    const { pyReadText } = await import("../src/index.js");
    const { mkdtemp, writeFile } = await import("node:fs/promises");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const dir = await mkdtemp(join(tmpdir(), "py-read-"));
    await writeFile(join(dir, "ok.txt"), Uint8Array.from([0xef, 0xbb, 0xbf, 0x61, 0x0d, 0x0a, 0x62, 0x0d]));
    await writeFile(join(dir, "bad.txt"), Uint8Array.from([0x61, 0xc3]));
    expect(await pyReadText(join(dir, "ok.txt"))).toBe("\ufeffa\nb\n");
    await expect(pyReadText(join(dir, "bad.txt"))).rejects.toMatchObject({ pythonError: "UnicodeDecodeError" });
    await expect(pyReadText(join(dir, "missing.txt"))).rejects.toMatchObject({ code: "ENOENT" });
  });
});

// Printed by Debian 12's python3: s.lstrip(), s.rstrip(), len(s).
describe("str.lstrip / str.rstrip / len", () => {
  it("strips Python's whitespace (\\x1c-\\x1f, \\x85, \\u3000 …) and counts code points", async () => {
    const { pyLstrip, pyRstrip, pyStrip, pyLen } = await import("../src/index.js");
    const s = "\x1c\u3000 a b\u200b\x85\t";
    expect(pyLstrip(s)).toBe("a b\u200b\x85\t");
    expect(pyRstrip(s)).toBe("\x1c\u3000 a b\u200b");
    expect(pyStrip(s)).toBe("a b\u200b");
    expect(pyLen("a😀é")).toBe(3);
  });
});

// Printed by Debian 12's python3: f"{x:.2f}", f"{x:.1f}", f"{x:.4f}".
describe("pyFormatFixed", () => {
  it("formats as Python's fixed-point format spec does", async () => {
    const { pyFormatFixed } = await import("../src/index.js");
    const cases: [number, string, string, string][] = [
      [-0.0, "-0.00", "-0.0", "-0.0000"], [-0.001, "-0.00", "-0.0", "-0.0010"], [0.125, "0.12", "0.1", "0.1250"],
      [2.675, "2.67", "2.7", "2.6750"], [1e21, "1000000000000000000000.00", "1000000000000000000000.0", "1000000000000000000000.0000"],
      [-1.5, "-1.50", "-1.5", "-1.5000"], [NaN, "nan", "nan", "nan"], [Infinity, "inf", "inf", "inf"], [123.456, "123.46", "123.5", "123.4560"], [0.005, "0.01", "0.0", "0.0050"],
    ];
    for (const [x, d2, d1, d4] of cases) expect([x, pyFormatFixed(x, 2), pyFormatFixed(x, 1), pyFormatFixed(x, 4)]).toEqual([x, d2, d1, d4]);
  });
});

// Printed by Debian 12's python3: sorted(["b", "a", "é", "😀", "\uff61", "ab", ""]).
describe("pyStrCompare", () => {
  it("orders as Python's sorted() does (code points, not UTF-16 units)", async () => {
    const { pyStrCompare } = await import("../src/index.js");
    expect(["b", "a", "é", "😀", "\uff61", "ab", ""].sort(pyStrCompare)).toEqual(["", "a", "ab", "b", "é", "\uff61", "😀"]);
    expect(["😀", "\uff61"].sort()).toEqual(["😀", "\uff61"]); // JavaScript's default order differs
  });
});
