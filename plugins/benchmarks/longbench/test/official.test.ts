/**
 * `loom score longbench --predictions DIR` against what the real scripts wrote for the same
 * folders (test/fixtures/official, made by scripts/make-parity-fixture.py): eval.py's result.json
 * byte for byte, its crashes as errors that write nothing, and LOOM-Scope's length.json /
 * Total.txt / table rows.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { AggregateCell } from "@loomscope/spec";
import { aggregateLongBench, DATASET2METRIC, eBucket, isDataset, scoreOfficialDir, scoreSample } from "../src/index.js";

interface Scenario {
  kind: string;
  model: string;
  e: boolean;
  dir: string;
  out?: string;
  error: string | null;
}
// LONGBENCH_PARITY_FIXTURE=/path/parity.json checks a fixture made with another --seed (its official/ folder beside it)
const fixturesDir = process.env["LONGBENCH_PARITY_FIXTURE"] ? dirname(process.env["LONGBENCH_PARITY_FIXTURE"]) : fileURLToPath(new URL("./fixtures/", import.meta.url));
const { scenarios } = JSON.parse(readFileSync(join(fixturesDir, "parity.json"), "utf8")) as { scenarios: Scenario[] };
const log = (): void => {};
const tmp = (): string => mkdtempSync(join(tmpdir(), "longbench-official-"));

describe("eval.py result.json, byte for byte", () => {
  const ok = scenarios.filter((s) => s.kind !== "loom" && s.error === null);
  it("has the v1, LongBench-E, quirk and empty-bucket folders", () => {
    expect(ok.map((s) => s.kind).sort()).toEqual(["e", "e-empty", "main", "quirks"]);
  });
  for (const s of ok) {
    it(`${s.kind}: ${s.dir}`, async () => {
      const out = tmp();
      const { written } = await scoreOfficialDir({ predictions: join(fixturesDir, s.dir), out, log });
      expect(written).toEqual([join(out, "result.json")]);
      const want = readFileSync(join(fixturesDir, s.dir, "expected-result.json"), "utf8");
      expect(readFileSync(join(out, "result.json"), "utf8")).toBe(want);
      if (s.e) expect(want).toContain('"0-4k"');
    });
  }
});

describe("where eval.py crashes, we stop and write nothing", () => {
  const crashes = scenarios.filter((s) => s.error !== null);
  it("covers the crash scenarios", () => expect(crashes.length).toBeGreaterThanOrEqual(7));
  for (const s of crashes) {
    it(`${s.kind}: ${s.error}`, async () => {
      const out = tmp();
      const want = readFileSync(join(fixturesDir, s.dir, "expected-error.txt"), "utf8").trim();
      const python = want.split(".").pop() as string;
      await expect(scoreOfficialDir({ predictions: join(fixturesDir, s.dir), out, log })).rejects.toThrow(python);
      expect(readdirSync(out)).toEqual([]);
    });
  }
});

describe("protocol loom: LOOM-Scope's evaluate()", () => {
  const s = scenarios.find((x) => x.kind === "loom") as Scenario;
  it("writes length.json and Total.txt byte for byte, and its table rows in score_loom.json", async () => {
    expect(s.error).toBeNull();
    const out = tmp();
    const { written } = await scoreOfficialDir({ predictions: join(fixturesDir, s.dir), out, protocol: "loom", log });
    expect(written.map((p) => p.slice(out.length + 1))).toEqual(["length.json", "Total.txt", "score_loom.json"]);
    const want = join(fixturesDir, s.out as string);
    expect(readFileSync(join(out, "length.json"), "utf8")).toBe(readFileSync(join(want, "length.json"), "utf8"));
    expect(readFileSync(join(out, "Total.txt"), "utf8")).toBe(readFileSync(join(want, "Total.txt"), "utf8"));
    const rows = JSON.parse(readFileSync(join(want, "excel-rows.json"), "utf8")) as Record<string, unknown[][]>;
    const ours = JSON.parse(readFileSync(join(out, "score_loom.json"), "utf8")) as Record<string, unknown[][]>;
    expect(ours["results.xlsx"]?.slice(1)).toEqual(rows["results.xlsx"]);
    expect(ours["results_length.xlsx"]?.slice(1)).toEqual(rows["results_length.xlsx"]);
  });
  it("cannot score LongBench-E files (LOOM-Scope looks the metric up by `qasper_e`)", async () => {
    const e = scenarios.find((x) => x.kind === "e") as Scenario;
    await expect(
      scoreOfficialDir({ predictions: join(fixturesDir, e.dir), out: tmp(), protocol: "loom", log }),
    ).rejects.toThrow(/KeyError/);
  });
});

describe("aggregate() gives eval.py's numbers from per-sample values", () => {
  function readJsonl(path: string): Record<string, unknown>[] {
    return readFileSync(path, "utf8")
      .split("\n")
      .filter((l) => l.length > 0)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  }
  it("v1: each dataset's score equals result.json", () => {
    const s = scenarios.find((x) => x.kind === "main") as Scenario;
    const dir = join(fixturesDir, s.dir);
    const cells: AggregateCell[] = [];
    for (const name of readdirSync(dir).filter((n) => n.endsWith(".jsonl"))) {
      const task = name.slice(0, -".jsonl".length);
      if (!isDataset(task)) continue;
      const lines = readJsonl(join(dir, name));
      // eval.py scores the whole file with the all_classes of its last line
      const classes = lines[lines.length - 1]?.["all_classes"] as string[] | null;
      const values = lines.map((l) => scoreSample(task, l["pred"] as string, l["answers"] as string[], classes));
      cells.push({ task, length: null, n: values.length, errors: 0, values: { [DATASET2METRIC[task]]: values } });
    }
    const agg = aggregateLongBench(cells);
    const want = JSON.parse(readFileSync(join(dir, "expected-result.json"), "utf8")) as Record<string, number>;
    expect(agg.tasks).toEqual(want);
    expect(agg.groups?.["en"]).toBeTypeOf("number");
    expect(agg.groups?.["zh"]).toBeTypeOf("number");
  });
  it("LongBench-E: each bucket equals result.json (NaN there, null here)", () => {
    const s = scenarios.find((x) => x.kind === "e") as Scenario;
    const dir = join(fixturesDir, s.dir);
    const cells: AggregateCell[] = [];
    for (const name of readdirSync(dir).filter((n) => n.endsWith(".jsonl"))) {
      const d = name.slice(0, -".jsonl".length);
      if (!isDataset(d)) continue;
      const lines = readJsonl(join(dir, name));
      if (lines.some((l) => !("length" in l))) continue; // the zip-truncation file is covered by result.json above
      const byBucket = new Map<string, number[]>();
      const classes = lines[lines.length - 1]?.["all_classes"] as string[] | null;
      for (const l of lines) {
        const b = eBucket(l["length"] as number);
        const v = scoreSample(d, l["pred"] as string, l["answers"] as string[], classes);
        byBucket.set(b, [...(byBucket.get(b) ?? []), v]);
      }
      for (const [b, values] of byBucket) {
        cells.push({ task: `${d}_e`, length: b, n: values.length, errors: 0, values: { [DATASET2METRIC[d]]: values } });
      }
    }
    const agg = aggregateLongBench(cells);
    const want = JSON.parse(readFileSync(join(dir, "expected-result.json"), "utf8").replace(/NaN/g, "null")) as Record<
      string,
      Record<string, number | null>
    >;
    let compared = 0;
    for (const [task, row] of Object.entries(agg.cells)) {
      expect(row).toEqual(want[task.replace(/_e$/, "")]);
      compared++;
    }
    expect(compared).toBeGreaterThanOrEqual(12);
    expect(existsSync(dir)).toBe(true);
  });
});
