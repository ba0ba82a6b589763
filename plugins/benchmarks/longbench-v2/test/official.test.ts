/**
 * `loom score longbench-v2 --predictions results/` against what the real result.py wrote for the
 * same folders (test/fixtures/official): result.txt byte for byte, its crashes as errors that write
 * nothing.
 */
import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { AggregateCell } from "@loomscope/spec";
import { aggregateLongBenchV2, judge, judgedItems, resultRow, scoreOfficialDir } from "../src/index.js";

interface Scenario {
  kind: string;
  compensated: boolean;
  dir: string;
  error: string | null;
}
// LONGBENCH_V2_PARITY_FIXTURE=/path/parity.json checks a fixture made with another --seed (its official/ folder beside it)
const fixturesDir = process.env["LONGBENCH_V2_PARITY_FIXTURE"] ? dirname(process.env["LONGBENCH_V2_PARITY_FIXTURE"]) : fileURLToPath(new URL("./fixtures/", import.meta.url));
const { scenarios } = JSON.parse(readFileSync(join(fixturesDir, "parity.json"), "utf8")) as { scenarios: Scenario[] };
const log = (): void => {};
const tmp = (): string => mkdtempSync(join(tmpdir(), "longbench-v2-"));

describe("result.py result.txt, byte for byte", () => {
  const ok = scenarios.filter((s) => s.error === null);
  it("has the main, compensated, extreme and odd-label folders", () => {
    expect(ok.map((s) => s.kind).sort()).toEqual(["compensated", "extremes", "main", "odd-labels"]);
  });
  for (const s of ok) {
    it(`${s.kind}`, async () => {
      const out = tmp();
      const { written } = await scoreOfficialDir({ predictions: join(fixturesDir, s.dir), out, log, compensated: s.compensated });
      expect(written).toEqual([join(out, "result.txt")]);
      const want = readFileSync(join(fixturesDir, s.dir, "..", "expected-result.txt"), "utf8");
      expect(readFileSync(join(out, "result.txt"), "utf8")).toBe(want);
    });
  }
  it("writes next to results/ by default, as result.py (run beside results/) does", async () => {
    const s = ok.find((x) => x.kind === "extremes") as Scenario;
    const dir = join(fixturesDir, s.dir);
    const out = tmp();
    const copy = join(out, "results");
    const { cpSync } = await import("node:fs");
    cpSync(dir, copy, { recursive: true });
    const { written } = await scoreOfficialDir({ predictions: copy, log });
    expect(written).toEqual([join(out, "result.txt")]);
    expect(readdirSync(copy).sort()).toEqual(readdirSync(dir).sort());
  });
});

describe("where result.py crashes, we stop and write nothing", () => {
  const crashes = scenarios.filter((s) => s.error !== null);
  it("covers the crash scenarios", () => expect(crashes.length).toBeGreaterThanOrEqual(6));
  for (const s of crashes) {
    it(`${s.kind}: ${s.error}`, async () => {
      const out = tmp();
      const python = (s.error as string).split(".").pop() as string;
      await expect(scoreOfficialDir({ predictions: join(fixturesDir, s.dir), out, log })).rejects.toThrow(python);
      expect(readdirSync(out)).toEqual([]);
    });
  }
});

describe("protocol loom", () => {
  it("refuses: LOOM-Scope's v2 evaluation file is not available", async () => {
    const s = scenarios.find((x) => x.kind === "main") as Scenario;
    await expect(scoreOfficialDir({ predictions: join(fixturesDir, s.dir), out: tmp(), protocol: "loom", log })).rejects.toThrow(
      /not available/,
    );
  });
});

describe("per-sample accuracy and aggregate() give result.py's row", () => {
  it("judge(response, answer) equals the judge pred.py stored, for every item", async () => {
    const s = scenarios.find((x) => x.kind === "main") as Scenario;
    const dir = join(fixturesDir, s.dir);
    let n = 0;
    for (const name of readdirSync(dir).filter((f) => f.endsWith(".jsonl"))) {
      for (const line of readFileSync(join(dir, name), "utf8").split("\n").filter((l) => l.length > 0)) {
        const item = JSON.parse(line) as { response: string; answer: string; judge: boolean };
        expect(judge(item.response, item.answer)).toBe(item.judge ? 1 : 0);
        n++;
      }
    }
    expect(n).toBeGreaterThanOrEqual(200);
  });
  it("aggregateLongBenchV2 reproduces a row of result.txt", async () => {
    const s = scenarios.find((x) => x.kind === "main") as Scenario;
    const dir = join(fixturesDir, s.dir);
    const lines = readFileSync(join(dir, "GLM-4-9B-Chat.jsonl"), "utf8").split("\n").filter((l) => l.length > 0);
    const byLength = new Map<string, { values: number[]; meta: { difficulty: string }[] }>();
    for (const line of lines) {
      const item = JSON.parse(line) as { response: string; answer: string; difficulty: string; length: string };
      const cell = byLength.get(item.length) ?? { values: [], meta: [] };
      cell.values.push(judge(item.response, item.answer));
      cell.meta.push({ difficulty: item.difficulty });
      byLength.set(item.length, cell);
    }
    const cells: AggregateCell[] = [...byLength].map(([length, c]) => ({
      task: "longbench_v2",
      length,
      n: c.values.length,
      errors: 0,
      values: { accuracy: c.values },
      meta: c.meta,
    }));
    const agg = aggregateLongBenchV2(cells);
    const want = readFileSync(join(dir, "..", "expected-result.txt"), "utf8").split("\n").find((l) => l.startsWith("GLM-4-9B-Chat\t"));
    const wantValues = (want as string).split("\t").slice(1).map(Number);
    expect(agg.tables?.[0]?.cells[0]).toEqual(wantValues);
    expect(agg.score).toBe(wantValues[0]);
    expect(resultRow(await judgedItems(join(dir, "GLM-4-9B-Chat.jsonl")))).toEqual({
      Overall: wantValues[0], Easy: wantValues[1], Hard: wantValues[2], Short: wantValues[3], Medium: wantValues[4], Long: wantValues[5],
    });
  });
});
