import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PyFloat } from "@loomscope/metrics";
import { officialScoreError, pathExists, readOfficialJson } from "../src/index.js";

describe("official-scoring helpers", () => {
  const dir = mkdtempSync(join(tmpdir(), "kit-official-"));

  it("reads JSON with Python's values, and names the official script's crash otherwise", async () => {
    writeFileSync(join(dir, "ok.json"), '{"a": 1.0, "b": [1, 2]}');
    const value = await readOfficialJson(join(dir, "ok.json"), "data file", "eval.py");
    expect(value instanceof Map && value.get("a")).toBeInstanceOf(PyFloat);
    writeFileSync(join(dir, "bad.json"), "{nope");
    await expect(readOfficialJson(join(dir, "bad.json"), "data file", "eval.py")).rejects.toMatchObject({
      code: "OFFICIAL_SCORE",
      message: expect.stringMatching(/^data file .*bad\.json is not JSON \(.*\); eval\.py raises JSONDecodeError$/),
    });
    await expect(readOfficialJson(join(dir, "missing.json"), "data file", "run.py")).rejects.toMatchObject({ code: "OFFICIAL_SCORE", message: expect.stringMatching(/\(run\.py raises here\)$/) });
  });

  it("says whether a path exists, and raises OFFICIAL_SCORE with a hint", async () => {
    expect(await pathExists(dir)).toBe(true);
    expect(await pathExists(join(dir, "nothing"))).toBe(false);
    expect(() => officialScoreError("boom", "fix it")).toThrow(expect.objectContaining({ code: "OFFICIAL_SCORE", hint: "fix it" }));
  });
});
