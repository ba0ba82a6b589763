/**
 * samples() on a tiny archive in the official layout (built at test time), and on a local folder
 * laid out as the official scripts read one, through a fake DataAccess.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { BenchmarkContext, DataIssue, JsonObject, Sample, SampleRequest } from "@loomscope/spec";
import lveval, { DATASETS, LENGTH_LEVELS } from "../src/index.js";
import { fakeDataAccess, makeZip } from "./fake-data.js";
import { pyFormat } from "./helpers.js";

const rec = (i: number, extra: Record<string, unknown> = {}): string =>
  JSON.stringify({
    input: `Question ${i}?`,
    context: `Passage ${i}. The answer is answer${i}.`,
    answers: [`answer${i}`, `other${i}`],
    length: 1000 + i,
    dataset: "hotpotwikiqa_mixup",
    language: "en",
    answer_keywords: `answer${i}`,
    confusing_facts: [],
    ...extra,
  });

function setup(files: Record<string, string>, dataDir?: string) {
  const cacheDir = mkdtempSync(join(tmpdir(), "lveval-cache-"));
  const byZip = new Map<string, Record<string, string>>();
  for (const [name, text] of Object.entries(files)) {
    const dataset = name.split("/")[0] as string;
    byZip.set(dataset, { ...(byZip.get(dataset) ?? {}), [name]: text });
  }
  for (const [dataset, entries] of byZip) writeFileSync(join(cacheDir, `${dataset}.zip`), makeZip(entries));
  const data = fakeDataAccess(dataDir === undefined ? { cacheDir } : { cacheDir, dataDir });
  const issues: DataIssue[] = [];
  const provenance: Record<string, JsonObject> = {};
  const ctx: BenchmarkContext = {
    cacheDir,
    data,
    seed: 0,
    options: {},
    signal: new AbortController().signal,
    log: () => {},
    reportDataIssue: (issue) => issues.push(issue),
    recordProvenance: (key, value) => (provenance[key] = value),
  };
  return { ctx, data, issues, provenance, cacheDir };
}

async function collect(request: SampleRequest, ctx: BenchmarkContext): Promise<Sample[]> {
  const out: Sample[] = [];
  for await (const s of lveval.samples(request, ctx)) out.push(s);
  return out;
}

const HOTPOT_16K = [rec(0), "{not json", rec(2), "", rec(3, { answers: "not a list" }), rec(4), ""].join("\n");

describe("samples from the official zip", () => {
  it("streams records in file order, reports malformed lines and goes on", async () => {
    const { ctx, data, issues, provenance } = setup({
      "hotpotwikiqa_mixup/hotpotwikiqa_mixup_16k.jsonl": HOTPOT_16K,
      "hotpotwikiqa_mixup/hotpotwikiqa_mixup_32k.jsonl": rec(9),
      "__MACOSX/hotpotwikiqa_mixup/._hotpotwikiqa_mixup_16k.jsonl": "junk",
    });
    const samples = await collect({ task: "hotpotwikiqa_mixup", length: "16k" }, ctx);
    expect(samples.map((s) => s.id)).toEqual([
      "hotpotwikiqa_mixup_16k-0",
      "hotpotwikiqa_mixup_16k-2",
      "hotpotwikiqa_mixup_16k-4",
    ]);
    expect(data.fetched).toEqual([
      { source: "huggingface", repo: "Infinigence/LVEval", repoType: "dataset", path: "hotpotwikiqa_mixup.zip" },
    ]);
    expect(issues.map((i) => [i.file.split("!")[1], i.line])).toEqual([
      ["hotpotwikiqa_mixup/hotpotwikiqa_mixup_16k.jsonl", 2],
      ["hotpotwikiqa_mixup/hotpotwikiqa_mixup_16k.jsonl", 5],
    ]);
    expect(issues[1]?.message).toMatch(/answers/);
    expect(provenance["data:hotpotwikiqa_mixup.zip"]).toMatchObject({ repo: "Infinigence/LVEval", origin: "cache" });
    expect(samples[0]).toEqual({
      id: "hotpotwikiqa_mixup_16k-0",
      task: "hotpotwikiqa_mixup",
      length: "16k",
      input: { context: "Passage 0. The answer is answer0.", input: "Question 0?" },
      references: ["answer0", "other0"],
      scoring: { answer_keywords: "answer0" },
      meta: { line: 1, language: "en", words: 1000 },
    });
  });

  it("honours limit and sample ids, and ids do not depend on them", async () => {
    const { ctx } = setup({ "hotpotwikiqa_mixup/hotpotwikiqa_mixup_16k.jsonl": HOTPOT_16K });
    // The limit takes the first n records in file order (before parsing); the malformed second one is a data issue, not replaced.
    expect((await collect({ task: "hotpotwikiqa_mixup", length: "16k", limit: 3 }, ctx)).map((s) => s.id)).toEqual([
      "hotpotwikiqa_mixup_16k-0",
      "hotpotwikiqa_mixup_16k-2",
    ]);
    const picked = await collect({ task: "hotpotwikiqa_mixup", length: "16k", sampleIds: ["hotpotwikiqa_mixup_16k-4"] }, ctx);
    expect(picked.map((s) => s.input["input"])).toEqual(["Question 4?"]);
  });

  it("walks all five levels in order when no length is asked for", async () => {
    const files: Record<string, string> = {};
    for (const l of LENGTH_LEVELS) files[`factrecall_zh/factrecall_zh_${l}.jsonl`] = [rec(1), rec(2)].join("\n");
    const { ctx } = setup(files);
    const ids = (await collect({ task: "factrecall_zh" }, ctx)).map((s) => s.id);
    expect(ids).toEqual(LENGTH_LEVELS.flatMap((l) => [`factrecall_zh_${l}-0`, `factrecall_zh_${l}-1`]));
    expect(await lveval.count!({ task: "factrecall_zh", limit: 3 }, ctx)).toBe(3);
    expect(await lveval.count!({ task: "factrecall_zh" }, ctx)).toBe(1000);
  });

  it("says which file is missing from an archive", async () => {
    const { ctx } = setup({ "lic_mixup/lic_mixup_16k.jsonl": rec(1) });
    await expect(collect({ task: "lic_mixup", length: "64k" }, ctx)).rejects.toThrow(/lic_mixup\/lic_mixup_64k\.jsonl/);
  });

  it("rejects unknown tasks and lengths", async () => {
    const { ctx } = setup({});
    await expect(collect({ task: "narrativeqa" }, ctx)).rejects.toThrow(/no task/);
    await expect(collect({ task: "lic_mixup", length: "8k" }, ctx)).rejects.toThrow(/length level/);
  });
});

describe("samples from a local folder", () => {
  it("reads <dataset>_<len>.jsonl from --data-dir without downloading", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "lveval-data-"));
    writeFileSync(join(dataDir, "cmrc_mixup_16k.jsonl"), [rec(1), rec(2)].join("\n") + "\n");
    mkdirSync(join(dataDir, "dureader_mixup"));
    writeFileSync(join(dataDir, "dureader_mixup", "dureader_mixup_32k.jsonl"), rec(3, { answer_keywords: null }) + "\n");
    const { ctx, data } = setup({}, dataDir);
    const cmrc = await collect({ task: "cmrc_mixup", length: "16k" }, ctx);
    const du = await collect({ task: "dureader_mixup", length: "32k" }, ctx);
    expect(cmrc.map((s) => s.id)).toEqual(["cmrc_mixup_16k-0", "cmrc_mixup_16k-1"]);
    expect(du[0]?.scoring).toEqual({ answer_keywords: null });
    expect(data.fetched).toEqual([]);
    expect(await lveval.count!({ task: "cmrc_mixup", length: "16k" }, ctx)).toBeUndefined();
  });
});

describe("end to end on a tiny archive", () => {
  it("samples → prompt → (an oracle model) → score → aggregate", async () => {
    const files: Record<string, string> = {};
    for (const d of DATASETS) files[`${d}/${d}_16k.jsonl`] = [rec(1), rec(2)].join("\n");
    const { ctx } = setup(files);
    const values = new Map<string, number[]>();
    for (const task of lveval.tasks) {
      let i = 0;
      for await (const sample of lveval.samples({ task: task.id, length: "16k" }, ctx)) {
        const parts = await lveval.prompt(sample, task);
        expect(pyFormat(parts.template, parts.values)).toContain(sample.input["context"]);
        // The first sample is answered right, the second wrong.
        const prediction = i++ === 0 ? (sample.references[0] as string) : "no idea";
        const scores = await lveval.score({ task: task.id, length: "16k", prediction, references: sample.references, ...(sample.scoring ? { scoring: sample.scoring } : {}) });
        for (const [metric, v] of Object.entries(scores)) if (v !== null) values.set(`${task.id}|${metric}`, [...(values.get(`${task.id}|${metric}`) ?? []), v]);
      }
    }
    const agg = lveval.aggregate!(
      [...values].map(([k, v]) => {
        const [task, metric] = k.split("|") as [string, string];
        return { task, length: "16k", n: v.length, errors: 0, values: { [metric]: v } };
      }),
    );
    expect(agg.cells["hotpotwikiqa_mixup"]?.["16k"]).toBe(50);
    expect(agg.cells["dureader_mixup"]?.["16k"]).toBe(50);
    expect(agg.score).toBe(50);
    expect(agg.tables?.[0]?.rows.length).toBe(14);
  });
});
