/**
 * The two protocols, each explicit: `official` (nick7nlp/Counting-Stars: no generation budget, strict
 * json.loads for English answers, viz.ipynb's scores) and `loom` (LOOM-Scope 0.1's Counting_Stars.py
 * and metrics.py: 128 tokens with 3 beams, json_repair on every answer, round(score/32, 2), the prompt
 * cut in the middle). Beam search cannot be asked of the backends: the departure is recorded.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { optionDefaults, type KitBenchmark } from "@loomscope/benchmark-kit";
import { createTestBenchmarkContext } from "@loomscope/testkit";
import cs, { A_STARS_32, COUNTING_STARS_OPTIONS, LOOM_GENERATION, OFFICIAL_MAX_NEW_TOKENS, loomSampleScore, loomTaskAcc } from "../src/index.js";

const configured = (protocol: "official" | "loom") => cs.configure!({ protocol, options: { ...optionDefaults(COUNTING_STARS_OPTIONS), haystack: "noise" } }) as KitBenchmark;
const answer = (stars: readonly number[]) => JSON.stringify({ little_penguin: stars });

describe("Counting-Stars: official and LOOM-Scope protocols", () => {
  it("declares both protocols", () => {
    expect(cs.protocols).toEqual(["official", "loom"]);
  });
  it("generation: the official sets no budget (a ceiling of 1024 here); LOOM-Scope 128 tokens, its 3 beams recorded as not reproduced", async () => {
    expect(configured("official").tasks.every((t) => t.maxNewTokens === OFFICIAL_MAX_NEW_TOKENS)).toBe(true);
    expect(configured("loom").tasks.every((t) => t.maxNewTokens === 128)).toBe(true);
    expect(LOOM_GENERATION).toEqual({ max_tokens: 128, num_beams: 3, do_sample: false });
    const ctx = createTestBenchmarkContext({});
    for await (const _s of configured("loom").samples({ task: "en_acquisition", length: "4k" }, ctx)) break;
    expect(String(ctx.provenance["generator"]?.["generation"])).toMatch(/num_beams=3.*greedily/);
    const official = createTestBenchmarkContext({});
    for await (const _s of configured("official").samples({ task: "en_acquisition", length: "4k" }, official)) break;
    expect(String(official.provenance["generator"]?.["generation"])).toMatch(/no generation budget/);
  });
  it("prompt: the official never cuts it; LOOM-Scope's process_data cuts it in the middle to the max length", async () => {
    const sample = { id: "x", task: "en_acquisition", input: { context: "C", question: "Q" }, references: [] };
    expect((await configured("official").prompt(sample, cs.tasks[0]!)).truncation).toBe("none");
    expect((await configured("loom").prompt(sample, cs.tasks[0]!)).truncation).toBe("middle");
  });
  it("parsing: an English answer with text after the JSON fails json.loads officially (0) and is repaired by LOOM-Scope's json_repair", async () => {
    const prediction = `${answer(A_STARS_32)} I hope this helps!`;
    expect(await configured("official").score({ task: "en_acquisition", prediction, references: [], protocol: "official" })).toEqual({ counting_stars: 0 });
    expect(await configured("loom").score({ task: "en_acquisition", prediction, references: [], protocol: "loom" })).toEqual({ counting_stars: 1 });
  });
  it("scores: LOOM-Scope rounds a sample to two decimals (1 of 32 stars: 0.03; officially 0.03125) and a task to round(100*sum/len, 2)", async () => {
    const one = answer([A_STARS_32[0]!]);
    expect(await configured("official").score({ task: "en_acquisition", prediction: one, references: [], protocol: "official" })).toEqual({ counting_stars: 1 / 32 });
    expect(loomSampleScore(one, "EN", "searching")).toBe(0.03);
    expect(loomSampleScore("not json at all", "EN", "searching")).toBe(0);
    expect(loomSampleScore("```json\n{\"小企鹅\": [16, 116]}\n```", "ZH", "reasoning")).toBe(0.02);
    expect(loomTaskAcc([0.03, 0.5, 1])).toBe(51);
    const agg = configured("loom").aggregate!([{ task: "en_acquisition", length: "4k", n: 3, errors: 0, values: { counting_stars: [0.03, 0.5, 1] } }]);
    expect(agg.tasks["en_acquisition"]).toBe(51);
  });
  it("loom score counting-stars --predictions DIR --protocol loom writes LOOM-Scope's task ACC", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cs-loom-"));
    const lines = [answer(A_STARS_32), answer([A_STARS_32[0]!]), "garbage"].map((response) => JSON.stringify({ response, reference_counting_results: A_STARS_32, LEN: 1000 }));
    writeFileSync(join(dir, "counting_stars_en_searching.jsonl"), lines.join("\n") + "\n");
    const res = await cs.scoreOfficial!({ predictions: dir, protocol: "loom", log: () => {} });
    expect(JSON.parse(readFileSync(res.written[0]!, "utf8"))).toEqual({ stars_en_searching: { ACC: 34.33 } });
  });
});
