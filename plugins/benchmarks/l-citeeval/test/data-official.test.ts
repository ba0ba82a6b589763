import { mkdtemp, mkdir, readFile, writeFile, cp } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Judge } from "@loomscope/spec";
import { pyFormat } from "@loomscope/metrics";
import { CITATION_METRICS, CORRECTNESS_METRICS, LCiteEvalRecordSchema, TASKS, maxGenLen, officialPrompt, scoreOfficialLCiteEval, toSample, useSentenceParameters, loadPunktTab } from "../src/index.js";
import { fixturePath } from "./helpers.js";

const narrative = JSON.parse(readFileSync(fixturePath("data/L-CiteEval-Data_narrativeqa.json"), "utf8")) as unknown[];
const dialsim = JSON.parse(readFileSync(fixturePath("data/L-CiteEval-Data_dialsim.json"), "utf8")) as unknown[];
const row = (id: string) => TASKS.find((t) => t.id === id) as (typeof TASKS)[number];

describe("data and task table", () => {
  it("accepts official-format records and rejects a malformed one", () => {
    expect(narrative.map((r) => LCiteEvalRecordSchema.safeParse(r).success)).toEqual([true, true, true, false]);
  });

  it("builds prompt fields that format to the official prompt, with the eval scripts' length bucket", () => {
    for (const [raw, task] of [[narrative[0], "narrativeqa"], [narrative[1], "narrativeqa"], [narrative[2], "narrativeqa"], [dialsim[0], "dialsim"]] as const) {
      const rec = LCiteEvalRecordSchema.parse(raw);
      const s = toSample(rec, row(task));
      expect(pyFormat(row(task).prompt.template, s.input)).toBe(officialPrompt(task, { question: rec.question ?? null, docs: rec.docs, ...(rec.role ? { role: rec.role } : {}) }));
    }
    expect(toSample(LCiteEvalRecordSchema.parse(narrative[0]), row("narrativeqa")).length).toBe("8k");
    expect(toSample(LCiteEvalRecordSchema.parse(narrative[1]), row("narrativeqa")).length).toBe("24k");
    expect(toSample(LCiteEvalRecordSchema.parse(narrative[2]), row("narrativeqa")).length).toBeUndefined();
    expect(toSample(LCiteEvalRecordSchema.parse(dialsim[0]), row("dialsim")).input["role"]).toBe("Sheldon");
  });

  it("keeps the official generation table, typo included", () => {
    expect([maxGenLen("narrativeqa"), maxGenLen("hotpotqa"), maxGenLen("niah"), maxGenLen("qmsum")]).toEqual([800, 200, 128, 800]);
    expect(TASKS.length).toBe(21);
    expect(row("hotpotqa").metrics.map((m) => [m.id, m.judge ?? null])).toEqual([
      ["citation_f1", "NLI"], ["citation_rec", "NLI"], ["citation_prec", "NLI"], ["cite_num", "NLI"], ["f1", null], ["precision", null], ["recall", null],
    ]);
    expect(row("niah").metrics.every((m) => m.judge === undefined)).toBe(true);
  });
});

describe("metric objects", () => {
  it("score correctness without a judge and citations through the NLI judge with the official pair", async () => {
    useSentenceParameters(await loadPunktTab(fixturePath("punkt_tab/english")));
    const requests: string[][] = [];
    const judge: Judge = { id: "fake:nli", complete: async (r) => (requests.push(r.messages.map((m) => m.content)), "entailment") };
    const input = { prediction: "An old knight guards it [2].", references: [], scoring: { id: 1, answer: ["The old knight"], docs: ["The tower.", "An old knight guards the tower."] }, task: "narrativeqa", protocol: "official" as const, judge };
    const values: Record<string, number | null> = {};
    for (const m of [...CITATION_METRICS("narrativeqa"), ...CORRECTNESS_METRICS("narrativeqa")]) values[m.id] = await m.score(input);
    expect(requests).toEqual([["Passage: An old knight guards the tower.", "An old knight guards it."]]);
    expect(values).toMatchObject({ citation_f1: 1, citation_rec: 1, citation_prec: 1, cite_num: 1 });
    expect(values["f1"]).toBe((2 * 0.5 * 1) / (0.5 + 1));
  });
});

describe("metric objects with the built-in English Punkt model", () => {
  it("split sentences as nltk.sent_tokenize does, with no parameters supplied", async () => {
    useSentenceParameters();
    const hypotheses: string[] = [];
    const judge: Judge = { id: "fake:nli", complete: async (r) => (hypotheses.push(r.messages[1]?.content ?? ""), "entailment") };
    const docs = ["Mr. Smith guards the tower.", "He is old."];
    const input = { prediction: "Mr. Smith guards it [1]. He is old [2].", references: [], scoring: { id: 2, answer: ["Smith"], docs }, task: "narrativeqa", protocol: "official" as const, judge };
    const [f1] = CITATION_METRICS("narrativeqa");
    expect(await f1?.score(input)).toBe(1);
    // "Mr." is an abbreviation of the English model: two sentences, not three.
    expect(hypotheses).toEqual(["Mr. Smith guards it.", "He is old."]);
  });
});

describe("metric objects under --protocol loom", () => {
  it("score what LOOM-Scope reports and refuse what it does not", async () => {
    const input = { prediction: "An old knight guards it [2].", references: [], scoring: { id: 1, answer: ["The old knight"], docs: ["The tower.", "An old knight guards the tower."] }, task: "narrativeqa", protocol: "loom" as const };
    const [f1, precision] = CORRECTNESS_METRICS("narrativeqa");
    expect(await f1?.score(input)).toBe((2 * 0.5 * 1) / (0.5 + 1));
    expect(() => precision?.score(input)).toThrow(/does not report "precision"/);
    const niah = CITATION_METRICS("niah");
    expect(await niah[0]?.score({ ...input, task: "niah", prediction: "x [9]", scoring: { id: 1, answer: "needle", docs: ["no"] } })).toBe(0);
  });
});

describe("scoreOfficial", () => {
  it("writes eval_citation.py's file for an official result folder and says eval_correct.py writes nothing", async () => {
    const fx = JSON.parse(readFileSync(fixturePath("parity-citation.json"), "utf8")) as { runs: { exp: string; task: string; records: unknown[]; generations: string[]; output: string | null }[] };
    const run = fx.runs.find((r) => r.task === "niah") as (typeof fx.runs)[number];
    const root = await mkdtemp(join(tmpdir(), "lce-official-"));
    await mkdir(join(root, "data", "L-CiteEval", run.exp), { recursive: true });
    await mkdir(join(root, "result", run.exp, run.task), { recursive: true });
    await writeFile(join(root, "data", "L-CiteEval", run.exp, `${run.task}.json`), JSON.stringify(run.records));
    const preds = run.records.map((r, i) => ({ id: i + 1, question: (r as { question: string }).question, answer: (r as { answer: unknown }).answer, generation: [run.generations[i]], model_input: "x" }));
    await writeFile(join(root, "result", run.exp, run.task, "1shot_test-model.json"), JSON.stringify(preds, null, 2));
    await cp(fixturePath("punkt_tab"), join(root, "nltk_data", "tokenizers", "punkt_tab"), { recursive: true });
    const result = await scoreOfficialLCiteEval({ predictions: root, log: () => {} });
    expect(await readFile(join(root, "result", run.exp, run.task, "deberta_score_1shot_test-model.json"), "utf8")).toBe(run.output);
    expect(result.summary).toMatch(/eval_correct\.py writes nothing \(it raises NameError: name 'low_bound'/);
  });
});
