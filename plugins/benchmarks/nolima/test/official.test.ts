/**
 * `scoreOfficial`: gather_results.ipynb's gathered_results.csv, byte for byte, for the tester's
 * output files in test/fixtures/runs (made by the official code; see generate.test.ts).
 */
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fromJson, pyJsonLoads } from "@loomscope/metrics";
import { scoreOfficial } from "../src/index.js";
import { FIXTURES } from "./helpers.js";

const log = (): void => {};
const tmp = (): string => mkdtempSync(join(tmpdir(), "nolima-official-"));

describe("gathered_results.csv", () => {
  for (const set of ["needle_set", "needle_set_w_Distractor"]) {
    it(`equals the notebook's output for ${set} (paths as given, "direct" files skipped)`, async () => {
      const out = tmp();
      // The notebook was run from the package folder with this relative path; result_name keeps it.
      const { written } = await scoreOfficial({ predictions: `test/fixtures/runs/${set}/`, out, log });
      expect(readFileSync(written[0]!, "utf8")).toBe(readFileSync(join(FIXTURES, "gathered", `${set}.csv`), "utf8"));
    });
  }

  it("fails as DictWriter does when a later file has a key the first lacks, writing nothing", async () => {
    const { error } = JSON.parse(readFileSync(join(FIXTURES, "gathered", "mixed.error.json"), "utf8")) as { error: string };
    const out = tmp();
    await expect(scoreOfficial({ predictions: "test/fixtures/runs/", out, log })).rejects.toMatchObject({ pythonError: error });
    expect(readdirSync(out)).toEqual([]);
  });

  it("refuses the LOOM-Scope protocol (its NoLiMa scorer was not available)", async () => {
    await expect(scoreOfficial({ predictions: "test/fixtures/runs/needle_set/", out: tmp(), log, protocol: "loom" })).rejects.toThrow(/not available/);
  });

  it("reads JSON with Python's types", () => {
    const v = fromJson(pyJsonLoads('{"b": 1, "a": 1.0, "c": [1e3, -0, "x\\ny"], "d": null}'));
    expect(v).toMatchObject({ kind: "dict" });
    const entries = (v as { entries: [{ cps: number[] }, unknown][] }).entries;
    expect(entries.map(([k]) => String.fromCodePoint(...k.cps))).toEqual(["b", "a", "c", "d"]);
    expect(entries[0]![1]).toEqual({ kind: "int", value: 1n });
    expect(entries[1]![1]).toEqual({ kind: "float", value: 1 });
  });
});
