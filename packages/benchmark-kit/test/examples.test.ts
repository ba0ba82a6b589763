/** The examples docs/writing-a-benchmark.md shows, run as they are (the doc embeds these files verbatim). */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createTestBenchmarkContext } from "@loomscope/testkit";
import capitals from "../examples/dataset.js";
import needle from "../examples/generated.js";
import { scoreCapitals } from "../examples/official.js";

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe("docs/writing-a-benchmark.md examples", () => {
  it("the doc embeds each example file byte for byte", () => {
    const doc = readFileSync(here("../../../docs/writing-a-benchmark.md"), "utf8");
    for (const file of ["dataset.ts", "generated.ts", "official.ts"]) {
      expect(doc).toContain("```ts\n" + readFileSync(here(`../examples/${file}`), "utf8") + "```");
    }
  });

  it("dataset: samples from the official layout, scored by its metrics, aggregated into the official table", async () => {
    const ctx = createTestBenchmarkContext({ dataDir: here("./fixtures/capitals") });
    const samples = await all(capitals.samples({ task: "capitals", length: "4k" }, ctx));
    expect(samples.map((s) => s.id)).toEqual(["capitals_4k-0", "capitals_4k-1", "capitals_4k-2"]);
    const values = await Promise.all(samples.map((s, i) => capitals.score({ task: "capitals", prediction: i < 2 ? s.references[0]! : "no", references: s.references })));
    expect(values[0]).toEqual({ contains_answer: 1, qa_f1: 1 });
    const agg = capitals.aggregate!([{ task: "capitals", length: "4k", n: 3, errors: 0, values: { contains_answer: values.map((v) => v["contains_answer"]!) } }]);
    expect(agg.cells).toEqual({ capitals: { "4k": 66.67 } });
    expect(agg.score).toBe(66.67);
    expect(capitals.configure!({ protocol: "loom", options: { strict: true } }).tasks[0]!.maxNewTokens).toBe(16);
  });

  it("generated: ids without generating, then one sample built to its length", async () => {
    const ctx = createTestBenchmarkContext();
    const handles = await all(needle.handles!({ task: "needle", length: "1k" }, ctx));
    expect(handles.map((h) => h.id)).toEqual(["needle_1k_0", "needle_1k_1", "needle_1k_2", "needle_1k_3", "needle_1k_4"]);
    expect(needle.stats.loaded).toBe(0);
    const sample = await handles[2]!.load();
    expect(sample?.references).toEqual(["7002"]);
    expect(sample?.input["context"]).toContain("The magic number is 7002.");
    expect(needle.stats.loaded).toBe(1);
  });

  it("official: the prediction folder in, result.json out; an empty file is an error that writes nothing", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kit-example-"));
    writeFileSync(join(dir, "capitals_4k.jsonl"), ['{"pred": "It is Paris.", "answers": ["Paris"]}', '{"pred": "Roma", "answers": ["Rome"]}'].join("\n"));
    const result = await scoreCapitals({ predictions: dir, log: () => {} });
    expect(readFileSync(result.written[0]!, "utf8")).toBe('{\n    "capitals_4k": 50.0\n}');
    writeFileSync(join(dir, "capitals_8k.jsonl"), "");
    await expect(scoreCapitals({ predictions: dir, out: mkdtempSync(join(tmpdir(), "kit-example-out-")), log: () => {} })).rejects.toThrow(/divides by zero/);
  });
});
