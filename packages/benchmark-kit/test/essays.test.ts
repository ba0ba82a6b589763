import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createTestBenchmarkContext } from "@loomscope/testkit";
import { PAUL_GRAHAM_ESSAYS, paulGrahamEssay, readPaulGrahamEssays } from "../src/index.js";

describe("the Paul Graham essays haystack", () => {
  it("lists gkamradt's 49 essays in sorted order", () => {
    expect(PAUL_GRAHAM_ESSAYS.length).toBe(49);
    expect([...PAUL_GRAHAM_ESSAYS].sort()).toEqual(PAUL_GRAHAM_ESSAYS);
    expect(paulGrahamEssay("gap")).toMatchObject({ source: "url", path: "PaulGrahamEssays/gap.txt", url: expect.stringMatching(/gkamradt\/LLMTest_NeedleInAHaystack\/.*\/PaulGrahamEssays\/gap\.txt$/) });
  });
  it("reads them from --data-dir in order and records each checksum", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kit-essays-"));
    mkdirSync(join(dir, "PaulGrahamEssays"));
    PAUL_GRAHAM_ESSAYS.forEach((n) => writeFileSync(join(dir, "PaulGrahamEssays", `${n}.txt`), `essay ${n}\n`));
    const ctx = createTestBenchmarkContext({ dataDir: dir });
    const texts = await readPaulGrahamEssays(ctx, "haystack");
    expect(texts[0]).toBe("essay addiction\n");
    expect(texts.at(-1)).toBe("essay worked\n");
    expect(Object.keys(ctx.provenance["haystack"]!).length).toBe(49);
  });
  it("offline without the files, it names the missing file", async () => {
    const ctx = createTestBenchmarkContext({ dataDir: mkdtempSync(join(tmpdir(), "kit-empty-")) });
    await expect(readPaulGrahamEssays(ctx)).rejects.toThrow(/PaulGrahamEssays\/addiction\.txt/);
  });
});
