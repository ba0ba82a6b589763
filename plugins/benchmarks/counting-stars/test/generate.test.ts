import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createTestBenchmarkContext } from "@loomscope/testkit";
import type { Sample } from "@loomscope/spec";
import { PAUL_GRAHAM_ESSAYS as ESSAY_NAMES } from "@loomscope/benchmark-kit";
import cs, { A_STARS_32, R_STARS_32, STONE_FILE, contextSize, sprinkle } from "../src/index.js";

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "cs-data-"));
  mkdirSync(join(dir, "PaulGrahamEssays"));
  ESSAY_NAMES.forEach((n, i) => writeFileSync(join(dir, "PaulGrahamEssays", `${n}.txt`), `Essay ${i} starts here.\n` + "word ".repeat(400)));
  mkdirSync(join(dir, "counting-stars"));
  writeFileSync(join(dir, STONE_FILE.path), "第一回 甄士隐梦幻识通灵\n------------\n" + "此开卷第一回也。作者自云：曾历过一番梦幻之后，故将真事隐去。ABC abc! \n".repeat(300));
  return dir;
}

async function all(task: string, limit: number, data: string): Promise<Sample[]> {
  const ctx = createTestBenchmarkContext({ dataDir: data, seed: 1 });
  const out: Sample[] = [];
  for await (const s of cs.samples({ task, limit }, ctx)) out.push(s);
  return out;
}

describe("Counting-Stars generation (gen_test_data.ipynb)", () => {
  const data = dataDir();
  it("English: 32 stars, each once, in order, at every int(j/m) words", async () => {
    const [s] = await all("en_acquisition", 1, data);
    const ctx = s!.input["context"]!;
    const found = [...ctx.matchAll(/The little penguin counted (\d+) ★/g)].map((m) => Number(m[1]));
    expect(found).toEqual(A_STARS_32);
    expect(s!.meta?.["context_size"]).toBe(contextSize(4000, "EN"));
    expect(s!.input["question"]).toMatch(/little_penguin/);
  });
  it("Chinese reasoning: wrong then corrected count per star, no Latin letters or ASCII punctuation left", async () => {
    const [s] = await all("zh_reasoning", 1, data);
    const ctx = s!.input["context"]!;
    const found = [...ctx.matchAll(/小企鹅数了(\d+)颗★，但发现数错了，于是又数了一遍，这次数对了，是(\d+)颗★/g)];
    expect(found.map((m) => Number(m[1]))).toEqual(R_STARS_32);
    expect(found.map((m) => Number(m[2]))).toEqual(A_STARS_32);
    const noStars = ctx.replace(/\n小企鹅数了[^\n]*\n/g, "");
    expect(noStars).not.toMatch(/[A-Za-z!,.]/);
    expect(Array.from(noStars).length).toBe(contextSize(4000, "ZH"));
  });
  it("the same settings give the same hashes; lengths differ per level", async () => {
    const a = (await all("en_reasoning", 3, data)).map((s) => s.meta?.["hash"]);
    const b = (await all("en_reasoning", 3, data)).map((s) => s.meta?.["hash"]);
    expect(a).toEqual(b);
    expect(new Set(a).size).toBe(3);
  });
  it("sprinkle places star k after (k+1)·int(j/m) haystack words", () => {
    const text = Array.from({ length: 640 }, (_, i) => `w${i}`).join(" ");
    const out = sprinkle(text, "EN", "searching", 640);
    const first = out.indexOf("\nThe little penguin counted 15 ★\n");
    expect(out.slice(0, first).split(" ").at(-1)).toBe("w19");
  });
});
