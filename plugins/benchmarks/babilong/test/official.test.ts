/**
 * `scoreOfficial` against what babilong/collect_results.py wrote for the same prediction folders
 * (test/fixtures/official-result, made by scripts/make-parity-fixture.py), and against LOOM-Scope's
 * eval.py for its layout (test/fixtures/loom-result).
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { allResultsCsv, modelResults, resultsTable, scoreOfficial } from "../src/index.js";
import { FIXTURES, fixture } from "./helpers.js";

const MODELS = ["test-org/model-a", "test-org/model-b", "other-org/model-c"];
const collect = fixture<{
  models: Record<string, { tasks: string[]; lengths: string[]; configs: Record<string, number[][]> }>;
  model_order: string[];
}>("official-result/collect.json");
const log = (): void => {};
const read = (p: string): string => readFileSync(p, "utf8");
const tmp = (): string => mkdtempSync(join(tmpdir(), "babilong-official-"));

describe("collect_results parity", () => {
  it("get_model_results: the same configurations, tasks, lengths and accuracies, to the last bit", async () => {
    for (const model of MODELS) {
      const expected = collect.models[model]!;
      const got = await modelResults(join(FIXTURES, "babilong_evals", model));
      expect(got.map((c) => c.config).sort()).toEqual(Object.keys(expected.configs).sort());
      for (const c of got) {
        expect(c.tasks).toEqual(expected.tasks);
        expect(c.lengths).toEqual(expected.lengths);
        expect(c.accuracy).toEqual(expected.configs[c.config]);
      }
    }
  });

  it("writes <org>/<model>.csv byte for byte (process_single_model)", async () => {
    for (const model of MODELS) {
      const out = tmp();
      const { written } = await scoreOfficial({ predictions: join(FIXTURES, "babilong_evals", model), out, log });
      expect(written).toEqual([join(out, `${model}.csv`)]);
      expect(read(join(out, `${model}.csv`))).toBe(read(join(FIXTURES, "official-result", `${model}.csv`)));
    }
  });

  it("writes all_results.csv byte for byte in the order Python listed the models (process_all_models)", async () => {
    const tables = await Promise.all(
      collect.model_order.map(async (model) => ({
        model,
        table: resultsTable(await modelResults(join(FIXTURES, "babilong_evals", model))),
      })),
    );
    expect(allResultsCsv(tables)).toBe(read(join(FIXTURES, "official-result", "all_results.csv")));
  });

  it("scores the whole evals folder: one CSV per model and all_results.csv (models sorted)", async () => {
    const out = tmp();
    const { written, summary } = await scoreOfficial({ predictions: join(FIXTURES, "babilong_evals"), out, log });
    expect(written.sort()).toEqual([...MODELS.map((m) => join(out, `${m}.csv`)), join(out, "all_results.csv")].sort());
    for (const m of MODELS) expect(read(join(out, `${m}.csv`))).toBe(read(join(FIXTURES, "official-result", `${m}.csv`)));
    const rows = (text: string): string[] => text.trim().split("\n").slice(1).sort();
    const header = (text: string): string[] => (text.split("\n")[0] as string).split(",").sort();
    const expected = read(join(FIXTURES, "official-result", "all_results.csv"));
    const got = read(join(out, "all_results.csv"));
    expect(header(got)).toEqual(header(expected));
    // Column order follows the model order, so compare cell by cell through the header.
    const asRecords = (text: string): string[] => {
      const [h, ...body] = text.trim().split("\n");
      const cols = (h as string).split(",");
      return body.map((line) => {
        const cells = line.split(",");
        return cols.map((c, i) => `${c}=${cells[i]}`).sort().join("|");
      }).sort();
    };
    expect(asRecords(got)).toEqual(asRecords(expected));
    expect(rows(got).length).toBe(rows(expected).length);
    expect(summary).toContain("best setup:");
  });

  it("fails like the official collection, writing nothing", async () => {
    const errors = fixture<Record<string, string>>("crash_evals/crash.json");
    expect(errors).toEqual({ "test-org/model-x": "AttributeError", "test-org/model-y": "ValueError" });
    for (const [model, error] of Object.entries(errors)) {
      const out = tmp();
      await expect(scoreOfficial({ predictions: join(FIXTURES, "crash_evals", model), out, log })).rejects.toMatchObject({
        pythonError: error,
      });
      expect(readdirSync(out)).toEqual([]);
    }
  });

  it("defaults the output folder to the predictions folder", async () => {
    const dir = tmp();
    cpSync(join(FIXTURES, "babilong_evals", "test-org", "model-b"), join(dir, "test-org", "model-b"), { recursive: true });
    await scoreOfficial({ predictions: join(dir, "test-org", "model-b"), log });
    const written = join(dir, "test-org", "model-b", "test-org", "model-b.csv");
    expect(existsSync(written)).toBe(true);
    expect(read(written)).toBe(read(join(FIXTURES, "official-result", "test-org", "model-b.csv")));
  });
});

describe("LOOM-Scope protocol", () => {
  const printed = fixture<{
    log: string[];
    tasks: Record<string, number>;
    lengths: Record<string, number>;
    counts: Record<string, number>;
    length_counts: Record<string, number>;
  }>("loom-result/printed.json");

  it("writes length.json and Total.txt as eval.py does, and the printed tables", async () => {
    const out = tmp();
    await scoreOfficial({ predictions: join(FIXTURES, "loom_preds"), out, protocol: "loom", log });
    expect(JSON.parse(read(join(out, "length.json")))).toEqual(JSON.parse(read(join(FIXTURES, "loom-result", "length.json"))));
    expect(read(join(out, "Total.txt"))).toBe(read(join(FIXTURES, "loom-result", "Total.txt")));
    const score = JSON.parse(read(join(out, "score_loom.json"))) as {
      babilong: Record<string, { ACC: number }>;
      count: Record<string, number>;
      Total: number;
      length: Record<string, { ACC: number }>;
      count_length: Record<string, number>;
      Total_length: number;
    };
    expect(Object.fromEntries(Object.entries(score.babilong).map(([k, v]) => [k, v.ACC]))).toEqual(printed.tasks);
    expect(Object.fromEntries(Object.entries(score.length).map(([k, v]) => [k, v.ACC]))).toEqual(printed.lengths);
    expect(score.count).toEqual(printed.counts);
    expect(score.count_length).toEqual(printed.length_counts);
    // The two "Average | Overall" rows ConstructResultTable2 printed: lengths table first, then tasks.
    const overall = printed.log.filter((l) => l.includes("Average") && l.includes("Overall") && !l.includes("Total"));
    const value = (line: string): number => Number((line.split("|")[4] as string).trim());
    expect(overall.map(value)).toEqual([score.Total_length, score.Total]);
  });
});
