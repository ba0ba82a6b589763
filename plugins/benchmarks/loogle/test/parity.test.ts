/**
 * Parity with LooGLE's Evaluation/automatic_eval.py + automatic_metrics.py (fixtures made by
 * scripts/make-parity-fixture.py under PYTHONHASHSEED=0 with Debian's nltk 3.8 and rouge 1.0.1):
 * every per-pair value, the dicts the script prints, score_official.json, and the files on which
 * the official script stops.
 */
import { mkdtemp, readFile, readdir } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fixtureFiles } from "@loomscope/testkit";
import { getBleuScore, getExactMatch, getMeteorScore, getPartialMatch, getRougeScore, officialHypothesis, scoreOfficial } from "../src/index.js";

// PARITY_FIXTURES points at another set (the scripts' --seed N: predictions these scorers were never checked on).
const FIX = fixtureFiles(new URL("./fixtures/", import.meta.url)).dir;
const parity = JSON.parse(readFileSync(join(FIX, "parity.json"), "utf8")) as {
  files: Record<string, { task: string; per_pair: Record<string, (number | number[])[]>; printed: Record<string, number | number[]> }>;
  crash: Record<string, string | null>;
};

function ulps(a: number, b: number): number {
  const u = new BigInt64Array(new Float64Array([a, b]).buffer);
  const d = (u[0] as bigint) - (u[1] as bigint);
  return Number(d < 0n ? -d : d);
}

/** exp/log/pow values: bit-equal except where glibc misrounds (~0.07% of calls), then 1 ulp. */
function closeToLibm(got: number[], want: number[]): void {
  expect(got.length).toBe(want.length);
  const far = got.map((g, i) => [i, g, want[i] as number]).filter(([, g, w]) => ulps(g as number, w as number) > 1);
  expect(far).toEqual([]);
  expect(got.filter((g, i) => g !== want[i]).length).toBeLessThanOrEqual(Math.max(1, Math.ceil(got.length * 0.01)));
}

async function lines(name: string): Promise<{ llm_output: (string | Record<string, string>)[]; output: (string | Record<string, string>)[] }[]> {
  return (await readFile(join(FIX, "Output", name), "utf8")).trim().split("\n").map((l) => JSON.parse(l));
}

describe("per-pair values equal automatic_metrics.py", () => {
  const total = Object.values(parity.files).reduce((n, f) => n + (Object.values(f.per_pair)[0] as unknown[]).length, 0);
  it(`covers at least 100 pairs over the four tasks (${total})`, () => expect(total).toBeGreaterThanOrEqual(100));
  for (const [name, file] of Object.entries(parity.files)) {
    it(`${name}`, async () => {
      const pairs = (await lines(name)).flatMap((l) => l.output.map((ref, i) => ({ ref, hyp: officialHypothesis(l.llm_output[i] as string) })));
      if (file.task === "shortdep_cloze") {
        expect(pairs.map((p) => getExactMatch(p.ref as Record<string, string>, p.hyp))).toEqual(file.per_pair["get_exact_match"]);
        expect(pairs.map((p) => getPartialMatch(p.ref as Record<string, string>, p.hyp))).toEqual(file.per_pair["get_partial_match"]);
        return;
      }
      const bleu = pairs.map((p) => getBleuScore(p.ref as string, p.hyp));
      const want = file.per_pair["get_bleu_score"] as number[][];
      closeToLibm(bleu.flat(), want.flat());
      expect(pairs.map((p) => getRougeScore(p.ref as string, p.hyp))).toEqual(file.per_pair["get_rouge_score"]);
      closeToLibm(pairs.map((p) => getMeteorScore(p.ref as string, p.hyp, 0)), file.per_pair["get_meteor_score"] as number[]);
    });
  }
});

describe("scoreOfficial over Output/ writes what automatic_eval.py prints", () => {
  it("score_official.json holds the printed dicts", async () => {
    const out = await mkdtemp(join(tmpdir(), "loogle-"));
    const logs: string[] = [];
    const res = await scoreOfficial({ predictions: join(FIX, "Output"), out, log: (_l, m) => logs.push(m) });
    expect(res.written).toEqual([join(out, "score_official.json")]);
    const got = JSON.parse(await readFile(join(out, "score_official.json"), "utf8")) as Record<string, Record<string, Record<string, number | number[]>>>;
    for (const [name, file] of Object.entries(parity.files)) {
      if (file.task === "shortdep_cloze") {
        expect(got[name]?.["automatic_match"]).toEqual(file.printed);
      } else {
        const sim = got[name]?.["automatic_sim"] as Record<string, number | number[]>;
        closeToLibm([...(sim["get_bleu_score"] as number[]), sim["get_meteor_score"] as number], [...(file.printed["get_bleu_score"] as number[]), file.printed["get_meteor_score"] as number]);
        expect(sim["get_rouge_score"]).toEqual(file.printed["get_rouge_score"]);
        expect(got[name]?.["not_computed"]).toEqual([expect.stringContaining("get_bertscore")]);
      }
    }
  });

  for (const [name, error] of Object.entries(parity.crash)) {
    it(`stops where the official script raises ${error}: ${name}, writing nothing`, async () => {
      const dir = await mkdtemp(join(tmpdir(), "loogle-crash-"));
      const { copyFile } = await import("node:fs/promises");
      await copyFile(join(FIX, "crash", name), join(dir, name));
      await expect(scoreOfficial({ predictions: dir, log: () => {} })).rejects.toThrow(error as string);
      expect(await readdir(dir)).toEqual([name]);
    });
  }
});
