import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { jsonElements, parseCsv, tarMember } from "../src/index.js";

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** Feed a text in chunks of `size` characters, to cross every boundary. */
async function* chunks(text: string, size: number): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

describe("jsonElements", () => {
  const doc = `[\n {"a": "x,]}\\"", "b": [1, {"c": null}]},\n  "plain \\u00e9",\n 12.5e3, true, null,\n [[], {}]\n]`;
  const expected = ['{"a": "x,]}\\"", "b": [1, {"c": null}]}', '"plain \\u00e9"', "12.5e3", "true", "null", "[[], {}]"];

  it("yields the raw text of each element of a top-level array, whatever the chunking", async () => {
    for (const size of [1, 2, 3, 7, 1000]) {
      const got = await collect(jsonElements(chunks(doc, size)));
      expect(got.map((e) => e.text)).toEqual(expected);
      expect(got.map((e) => e.line)).toEqual([2, 3, 4, 4, 4, 5]);
      for (const e of got) expect(() => JSON.parse(e.text)).not.toThrow();
    }
  });

  it("yields the values of an object of records with their keys", async () => {
    const text = '{"patient_01": {"texts": {"t1": "a"}}, "patient_02": {"texts": {}}}';
    const got = await collect(jsonElements(chunks(text, 5)));
    expect(got).toEqual([
      { text: '{"texts": {"t1": "a"}}', line: 1, key: "patient_01" },
      { text: '{"texts": {}}', line: 1, key: "patient_02" },
    ]);
  });

  it("reads the list under a key of a top-level object, and only it", async () => {
    const text = '{"version": "1.0", "meta": [9], "data": [{"id": 1}, {"id": 2}], "tail": [3]}';
    const got = await collect(jsonElements(chunks(text, 4), { key: "data" }));
    expect(got.map((e) => e.text)).toEqual(['{"id": 1}', '{"id": 2}']);
    await expect(collect(jsonElements(chunks(text, 4), { key: "rows" }))).rejects.toThrow(/no key "rows"/);
  });

  it("reads a sequence of top-level values (JSON Lines) with `sequence`, and an array as before", async () => {
    const lines = ' {"a": "x]\\"}{,"}\n{"b": [1, {"c": 2}]}\n"s\\\\" 12 true\nnull\n';
    for (const size of [1, 2, 3, 7, 1000]) {
      const got = await collect(jsonElements(chunks(lines, size), { sequence: true }));
      expect(got.map((e) => JSON.parse(e.text))).toEqual([{ a: 'x]"}{,' }, { b: [1, { c: 2 }] }, "s\\", 12, true, null]);
      expect(got.map((e) => e.line)).toEqual([1, 2, 3, 3, 3, 4]);
      const array = await collect(jsonElements(chunks(doc, size), { sequence: true }));
      expect(array.map((e) => e.text)).toEqual(expected);
    }
    await expect(collect(jsonElements(chunks('{"a": 1}\n{"b":', 4), { sequence: true }))).rejects.toThrow(/ends inside a value/);
    await expect(collect(jsonElements(chunks("[1] [2]", 4), { sequence: true }))).rejects.toThrow(/after the JSON document/);
  });

  it("says when a file is truncated or empty", async () => {
    await expect(collect(jsonElements(chunks('[{"a": 1}, {"b":', 3)))).rejects.toThrow(/ends inside a value/);
    await expect(collect(jsonElements(chunks("  \n", 3)))).rejects.toThrow(/empty/);
  });
});

describe("parseCsv", () => {
  it("handles quotes, doubled quotes, newlines inside quotes and CRLF, with line numbers", () => {
    const rows = parseCsv('\uFEFFq,a\r\n"say ""hi""","x,y"\r\n"multi\nline",z\n', "f.csv");
    expect(rows).toEqual([
      { file: "f.csv", line: 2, value: { q: 'say "hi"', a: "x,y" } },
      { file: "f.csv", line: 3, value: { q: "multi\nline", a: "z" } },
    ]);
    expect(() => parseCsv('a\n"open', "g.csv")).toThrow(/g.csv:2: a quoted field is never closed/);
  });
});

describe("tarMember", () => {
  it("streams one member of a .tar.gz (long names included) and says when it is absent", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kit-tar-"));
    const deep = join(dir, "src", "a".repeat(60), "b".repeat(60));
    mkdirSync(deep, { recursive: true });
    writeFileSync(join(deep, "rows.jsonl"), '{"x": 1}\n{"x": 2}\n');
    writeFileSync(join(dir, "src", "other.txt"), "no");
    execFileSync("tar", ["-czf", join(dir, "data.tar.gz"), "-C", join(dir, "src"), "."]);
    const found = await tarMember(join(dir, "data.tar.gz"), (name) => name.endsWith("/rows.jsonl"));
    expect(found?.name).toBe(`${"a".repeat(60)}/${"b".repeat(60)}/rows.jsonl`);
    const text = (await collect(found!.stream)).map(String).join("");
    expect(text).toBe('{"x": 1}\n{"x": 2}\n');
    expect(await tarMember(join(dir, "data.tar.gz"), (name) => name === "missing.jsonl")).toBeUndefined();
  });
});
