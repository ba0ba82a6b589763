/**
 * The benchmark contract on a --data-dir holding data/benchmark_v5.json (four patients and a
 * malformed one), and the kit wiring: ids from the data, every sample built alone from the planned
 * whole build equal to the build itself (and so to utils.py's prompts: see placement.test.ts).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createTestBenchmarkContext, runBenchmarkConformance } from "@loomscope/testkit";
import type { Benchmark, Sample, Tokenizer } from "@loomscope/spec";
import longhealth, { buildSamples, parseBenchmark } from "../src/index.js";
import { fixturePath } from "./helpers.js";

const dataDir = fixturePath(".");
const BOS = 0x110000;
/** [BOS] + code points; BOS decodes to "<s>" (as HF decode without skipping), as in placement.test.ts. */
const tokenizer: Tokenizer = {
  id: "test:chars+bos",
  encode: async (text, options) => [...(options?.addSpecialTokens === false ? [] : [BOS]), ...Array.from(text, (c) => c.codePointAt(0) as number)],
  decode: async (ids, options) => ids.map((i) => (i === BOS ? (options?.skipSpecialTokens ? "" : "<s>") : String.fromCodePoint(i))).join(""),
};
const settings = (protocol: "official" | "loom", maxLen = 3600) => ({ protocol, options: { maxLen, dataUrl: "http://127.0.0.1:9/none.json" } });

runBenchmarkConformance(longhealth.configure!(settings("official")), {
  packageDir: new URL("..", import.meta.url),
  context: { dataDir, tokenizer, seed: 1 },
});

async function stream(benchmark: Benchmark, task: string, seed = 1, withTokenizer = true): Promise<{ samples: Sample[]; issues: unknown[] }> {
  const ctx = createTestBenchmarkContext({ dataDir, seed, ...(withTokenizer ? { tokenizer } : {}) });
  const samples: Sample[] = [];
  for await (const s of benchmark.samples({ task }, ctx)) samples.push(s);
  return { samples, issues: ctx.issues };
}

describe("LongHealth on the kit", () => {
  for (const protocol of ["official", "loom"] as const) {
    it(`builds each sample alone exactly as the whole ${protocol} build does (ids from the data, the run's seed)`, async () => {
      const { benchmark } = parseBenchmark(readFileSync(fixturePath("data/benchmark_v5.json"), "utf8"));
      const whole = new Map((await buildSamples(benchmark, { tokenizer, maxLen: 3600, seed: 1, protocol })).map((s) => [s.id, s]));
      const b = longhealth.configure!(settings(protocol));
      for (const task of ["task1", "task2", "task3"]) {
        const { samples } = await stream(b, task);
        // 4 patients × 2 questions × 5 rounds.
        expect(samples).toHaveLength(40);
        for (const s of samples) {
          const want = whole.get(s.id)!;
          expect(s.input).toEqual(want.input);
          expect([s.references, s.scoring]).toEqual([want.references, want.scoring]);
          expect(s.meta).toMatchObject({ ...want.meta, seed: 1 });
        }
      }
    });
  }

  it("lists ids without a tokenizer, in the official order, and reports the malformed patient with its line once", async () => {
    const b = longhealth.configure!(settings("official"));
    const ctx = createTestBenchmarkContext({ dataDir });
    const ids: string[] = [];
    for await (const h of b.handles!({ task: "task2" }, ctx)) ids.push(h.id);
    expect(ids.slice(0, 6)).toEqual(["task2-patient_01-q0-r1", "task2-patient_01-q0-r3", "task2-patient_01-q0-r5", "task2-patient_01-q0-r7", "task2-patient_01-q0-r9", "task2-patient_01-q1-r1"]);
    for await (const h of b.handles!({ task: "task3" }, ctx)) void h;
    expect(ctx.issues).toEqual([{ file: expect.stringMatching(/data\/benchmark_v5\.json$/), line: 232, message: expect.stringMatching(/^patient_bad: /) }]);
    expect(await b.count!({ task: "task1" }, ctx)).toBe(40);
  });

  it("refuses to build without the model's tokenizer, naming the way out", async () => {
    await expect(stream(longhealth.configure!(settings("official")), "task1", 1, false)).rejects.toMatchObject({ code: "TOKENIZER_MISSING", hint: expect.stringMatching(/--tokenizer/) });
  });

  it("sends the system prompt apart from the documents; LOOM-Scope also cuts the middle", async () => {
    const [sample] = (await stream(longhealth.configure!(settings("official")), "task1")).samples;
    const task = longhealth.tasks.find((t) => t.id === "task1")!;
    const parts = await longhealth.prompt(sample!, task);
    expect(parts).toMatchObject({ template: "{prompt}", truncation: "none", chat: true, system: expect.stringContaining("You are a highly skilled") });
    const loom = longhealth.configure!(settings("loom"));
    expect(await loom.prompt(sample!, loom.tasks.find((t) => t.id === "task1")!)).toMatchObject({ truncation: "middle" });
    expect(task.maxNewTokens).toBe(512);
  });

  it("follows the seed: another seed shuffles the documents differently", async () => {
    const b = longhealth.configure!(settings("official", 100_000));
    const one = (await stream(b, "task1", 1)).samples.map((s) => s.input["prompt"]);
    const two = (await stream(b, "task1", 2)).samples.map((s) => s.input["prompt"]);
    expect(one).not.toEqual(two);
  });
});
