/**
 * The benchmark contract on a --data-dir in fetch_data.sh's file names (JSON lists, each with one
 * malformed row), and what the kit wiring adds: run.py's item counts and index ids, the data URL
 * option, LOOM-Scope's settings under --protocol loom.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createTestBenchmarkContext, runBenchmarkConformance } from "@loomscope/testkit";
import type { Benchmark, Sample } from "@loomscope/spec";
import adaLeval, { dataFile } from "../src/index.js";
import { fixturePath } from "./helpers.js";

const dataDir = fixturePath("data");

runBenchmarkConformance(adaLeval, {
  packageDir: new URL("..", import.meta.url),
  context: { dataDir },
  requests: [
    { task: "stackselect", length: "1k" },
    { task: "textsort", length: "2k" },
  ],
});

async function all(benchmark: Benchmark, task: string, length: string, dir = dataDir): Promise<{ samples: Sample[]; issues: unknown[] }> {
  const ctx = createTestBenchmarkContext({ dataDir: dir });
  const samples: Sample[] = [];
  for await (const s of benchmark.samples({ task, length }, ctx)) samples.push(s);
  return { samples, issues: ctx.issues };
}

describe("Ada-LEval on the kit", () => {
  it("keys samples by run.py's index and reports the malformed row with its line", async () => {
    const ss = await all(adaLeval, "stackselect", "1k");
    expect(ss.samples.map((s) => s.id)).toEqual(["stackselect_1k-4711_A2", "stackselect_1k-q-17_A1", "stackselect_1k-9_A12"]);
    expect(ss.issues).toEqual([{ file: expect.stringMatching(/stackselect_1k\.json$/), line: 4, message: expect.stringContaining("all_answers") }]);
    const ts = await all(adaLeval, "textsort", "2k");
    expect(ts.samples.map((s) => s.id)).toEqual(["textsort_2k-12_3_0_2_1", "textsort_2k-13_7_5_6_4"]);
    expect(ts.issues).toEqual([{ file: expect.stringMatching(/textsort_2k\.json$/), line: 3, message: expect.stringContaining("para_offset") }]);
  });

  it("keeps dataset.py's first 1000 / 200 items (normal) or 200 / 50 (api); LOOM-Scope keeps every item", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ada-count-"));
    const rows = Array.from({ length: 230 }, (_, i) => ({ book_id: i, para_offset: [1, 2, 3, 4], answer: [1, 2, 3, 4], prompt: `p${i}` }));
    writeFileSync(join(dir, "textsort_1k.json"), JSON.stringify(rows));
    writeFileSync(join(dir, "textsort_32k.json"), JSON.stringify(rows));
    const count = async (b: Benchmark, length: string) => (await all(b, "textsort", length, dir)).samples.length;
    expect(await count(adaLeval, "1k")).toBe(230);
    expect(await count(adaLeval, "32k")).toBe(200);
    const api = adaLeval.configure!({ protocol: "official", options: { subset: "api", dataUrl: "http://x" } });
    expect([await count(api, "1k"), await count(api, "32k")]).toEqual([200, 50]);
    const loom = adaLeval.configure!({ protocol: "loom", options: { subset: "normal", dataUrl: "http://x" } });
    expect(await count(loom, "32k")).toBe(230);
  });

  it("sends build_prompt's text as one user message, untruncated, with 1024 new tokens; LOOM-Scope truncates the middle", async () => {
    const [sample] = (await all(adaLeval, "stackselect", "1k")).samples;
    const task = adaLeval.tasks.find((t) => t.id === "stackselect")!;
    expect(await adaLeval.prompt(sample!, task)).toMatchObject({ chat: true, truncation: "none" });
    expect(task.maxNewTokens).toBe(1024);
    const loom = adaLeval.configure!({ protocol: "loom", options: { subset: "normal", dataUrl: "http://x" } });
    expect(await loom.prompt(sample!, loom.tasks.find((t) => t.id === "stackselect")!)).toMatchObject({ truncation: "middle" });
  });

  it("downloads from fetch_data.sh's URL, or a mirror given as dataUrl", () => {
    expect(dataFile("stackselect", "6k").file).toEqual({ source: "url", url: "http://opencompass.openxlab.space/utils/AdaLEval/stackselect_6k.json", path: "data/stackselect_6k.json" });
    expect(dataFile("textsort", "1k", "http://127.0.0.1:9/m/").file).toMatchObject({ url: "http://127.0.0.1:9/m/textsort_1k.json" });
  });

  it("scores an API failure text as a wrong answer, as run.py does (failed samples score as empty)", async () => {
    expect(adaLeval.failedSamples).toBe("score-empty");
    const [sample] = (await all(adaLeval, "textsort", "2k")).samples;
    const base = { task: "textsort", length: "2k", references: sample!.references, scoring: sample!.scoring! };
    expect(await adaLeval.score({ ...base, prediction: "Failed to obtain answer via API. " })).toEqual({ tsort_accuracy: 0 });
    expect(await adaLeval.score({ ...base, prediction: "" })).toEqual({ tsort_accuracy: 0 });
    // The official zip comparison counts a prefix as right; LOOM-Scope compares whole lists.
    expect(await adaLeval.score({ ...base, prediction: "Answer: [2, 4]" })).toEqual({ tsort_accuracy: 1 });
    expect(await adaLeval.score({ ...base, prediction: "Answer: [2, 4]", protocol: "loom" })).toEqual({ tsort_accuracy: 0 });
  });
});
