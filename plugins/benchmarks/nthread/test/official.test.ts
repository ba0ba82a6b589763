/**
 * `scoreOfficial` on prediction folders against what the README loop printed for them
 * (official-result/printed.json) and what LOOM-Scope's eval.py wrote (loom-result/).
 */
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { pyFormatFixed } from "@loomscope/metrics";
import { scoreOfficial } from "../src/index.js";
import { FIXTURES, fixture } from "./helpers.js";

const log = (): void => {};
const tmp = (): string => mkdtempSync(join(tmpdir(), "nthread-official-"));
const read = (p: string): string => readFileSync(p, "utf8");

describe("scoreOfficial (README protocol)", () => {
  it("prints the same accuracy per task file as the README loop", async () => {
    const out = tmp();
    const { written } = await scoreOfficial({ predictions: join(FIXTURES, "predictions"), out, log });
    expect(written).toEqual([join(out, "score_official.json")]);
    expect(JSON.parse(read(written[0]!))).toEqual(fixture("official-result/printed.json"));
  });

  it("stops on a response the README code cannot score, writing nothing", async () => {
    const out = tmp();
    const { error } = fixture<{ error: string }>("crash_predictions/crash.json");
    await expect(scoreOfficial({ predictions: join(FIXTURES, "crash_predictions"), out, log })).rejects.toMatchObject({ pythonError: error });
    expect(readdirSync(out)).toEqual([]);
  });

  it("formats like Python's .2f (ties to even on the exact value, nan)", () => {
    expect(pyFormatFixed(12.125, 2)).toBe("12.12");
    expect(pyFormatFixed(12.375, 2)).toBe("12.38");
    expect(pyFormatFixed(2.675, 2)).toBe("2.67");
    expect(pyFormatFixed(NaN, 2)).toBe("nan");
    expect(pyFormatFixed(100, 2)).toBe("100.00");
  });
});

describe("scoreOfficial (LOOM-Scope protocol)", () => {
  it("writes length.json and Total.txt as eval.py does, and the printed tables", async () => {
    const out = tmp();
    await scoreOfficial({ predictions: join(FIXTURES, "loom_preds"), out, protocol: "loom", log });
    expect(JSON.parse(read(join(out, "length.json")))).toEqual(JSON.parse(read(join(FIXTURES, "loom-result", "length.json"))));
    expect(read(join(out, "Total.txt"))).toBe(read(join(FIXTURES, "loom-result", "Total.txt")));
    const { log: printed } = fixture<{ log: string[] }>("loom-result/printed.json");
    const score = JSON.parse(read(join(out, "score_loom.json"))) as {
      NThread: Record<string, { ACC: number }>;
      Total: number;
      length: Record<string, { AVG: number }>;
      Total_length: number;
    };
    const rows = (metric: string): Record<string, number> =>
      Object.fromEntries(
        printed
          .map((l) => l.split("|").map((s) => s.trim()))
          .filter((cells) => cells[3] === metric)
          .map((cells) => [cells[2] as string, Number(cells[4])]),
      );
    expect(Object.fromEntries(Object.entries(score.NThread).map(([k, v]) => [k, v.ACC]))).toEqual(rows("ACC"));
    expect(Object.fromEntries(Object.entries(score.length).map(([k, v]) => [k, v.AVG]))).toEqual(rows("AVG"));
    const overall = printed.filter((l) => l.includes("Average") && !l.includes("Total")).map((l) => Number((l.split("|")[4] as string).trim()));
    expect(overall).toEqual([score.Total_length, score.Total]);
  });
});
