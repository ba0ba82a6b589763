/** data.json's format (test/fixtures/data/data.json: a JSON array, one malformed record) through the streaming reader, the schema and toSample. */
import { createReadStream, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { LongBenchV2RecordSchema, jsonArrayElements, toSample } from "../src/index.js";

const path = new URL("./fixtures/data/data.json", import.meta.url);

async function* chunksOf(text: string, size: number): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}
async function collect(chunks: AsyncIterable<{ index: number; text: string }>): Promise<{ index: number; text: string }[]> {
  const out: { index: number; text: string }[] = [];
  for await (const e of chunks) out.push(e);
  return out;
}

describe("jsonArrayElements", () => {
  it("yields every record of data.json whatever the chunk size", async () => {
    const text = readFileSync(path, "utf8");
    const whole = JSON.parse(text) as unknown[];
    for (const size of [1, 7, 64, 100000]) {
      const elements = await collect(jsonArrayElements(chunksOf(text, size)));
      expect(elements.map((e) => JSON.parse(e.text) as unknown)).toEqual(whole);
      expect(elements.map((e) => e.index)).toEqual(whole.map((_, i) => i));
    }
  });
  it("streams a file without reading it whole", async () => {
    const elements = await collect(jsonArrayElements(createReadStream(path, { encoding: "utf8", highWaterMark: 97 }) as AsyncIterable<string>));
    expect(elements.length).toBe(4);
  });
  it("handles brackets, braces and escaped quotes inside strings, and scalar elements", async () => {
    const text = '[ {"a": "x]}\\"{["}, [1, [2]], "s,]", 3 , null ]';
    const elements = await collect(jsonArrayElements(chunksOf(text, 3)));
    expect(elements.map((e) => JSON.parse(e.text) as unknown)).toEqual([{ a: 'x]}"{[' }, [1, [2]], "s,]", 3, null]);
  });
  it("refuses what is not one closed array", async () => {
    await expect(collect(jsonArrayElements(chunksOf('{"a": 1}', 4)))).rejects.toThrow(/expected a JSON array/);
    await expect(collect(jsonArrayElements(chunksOf('[{"a": 1}', 4)))).rejects.toThrow(/not closed/);
  });
});

describe("LongBenchV2RecordSchema and toSample", () => {
  const records = JSON.parse(readFileSync(path, "utf8")) as unknown[];
  it("accepts the official records and rejects the malformed one (answer E)", () => {
    const results = records.map((r) => LongBenchV2RecordSchema.safeParse(r));
    expect(results.map((r) => r.success)).toEqual([true, true, true, false]);
    expect(results[3]?.error?.issues[0]?.path).toEqual(["answer"]);
  });
  it("keys samples by _id, levels them by length, keeps difficulty for result.py's columns", () => {
    const sample = toSample(LongBenchV2RecordSchema.parse(records[2]), { task: "longbench_v2", index: 2 });
    expect(sample).toMatchObject({
      id: "6713495ebb02136c067d4c5a",
      task: "longbench_v2",
      length: "medium",
      references: ["C"],
      scoring: { answer: "C", difficulty: "hard" },
      meta: { difficulty: "hard", domain: "Long-dialogue History Understanding", index: 2 },
    });
    expect(sample.input["question"]).toBe("第三轮对话中用户问了什么？");
    expect(Object.keys(sample.input)).toEqual(["context", "question", "choice_A", "choice_B", "choice_C", "choice_D"]);
  });
});
