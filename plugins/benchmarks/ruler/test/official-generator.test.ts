/**
 * Samples equal the official generator's, byte for byte: test/fixtures/generator.json holds what
 * RULER's own scripts/data/synthetic/*.py wrote (run by scripts/make-generator-fixture.py with a
 * word tokenizer, small data files and prepare.py's arguments), for every task, in RULER's single
 * stream (`sampling: "stream"`) and with each sample's streams seeded as `independent` seeds them.
 */
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createTestBenchmarkContext } from "@loomscope/testkit";
import type { Tokenizer } from "@loomscope/spec";
import { RULER_TEMPLATES } from "../src/index.js";
import { collect, configured } from "./helpers.js";

interface Case {
  task: string;
  max_seq_length: number;
  template: string;
  sampling: "stream" | "independent";
  samples: { input: string; answer_prefix: string; outputs: string[]; length: number }[];
}
interface Fixture {
  seed: number;
  templates: Record<string, string>;
  data: { essay: string; squad: unknown; hotpotqa: unknown; english_words: number };
  cases: Case[];
}
const fx = JSON.parse(readFileSync(new URL("./fixtures/generator.json", import.meta.url), "utf8")) as Fixture;

const data = mkdtempSync(join(tmpdir(), "ruler-official-data-"));
mkdirSync(join(data, "ruler"));
writeFileSync(join(data, "ruler", "PaulGrahamEssays.json"), JSON.stringify({ text: fx.data.essay }));
writeFileSync(join(data, "ruler", "squad.json"), JSON.stringify(fx.data.squad));
writeFileSync(join(data, "ruler", "hotpotqa.json"), JSON.stringify(fx.data.hotpotqa));
writeFileSync(join(data, "ruler", "english_words.json"), JSON.stringify(Object.fromEntries(Array.from({ length: fx.data.english_words }, (_, i) => [String(i), `randle${i}`]))));

/** The fixture script's stub tokenizer: a token per ASCII word-character run, and per other non-space character. */
const WORDS = /[A-Za-z0-9_]+|[^A-Za-z0-9_ \t\n\r\f\v]/g;
const wordTokenizer: Tokenizer = {
  id: "test-words-v1",
  encode: async (text) => Array.from(text.matchAll(WORDS), (_, i) => i),
  decode: async () => "",
};

const LEVEL: Record<number, string> = { 4096: "4k", 8192: "8k" };

describe("RULER's generator, run locally, and ours give the same samples", () => {
  it("covers every task in both samplings and three templates", () => {
    expect(new Set(fx.cases.map((c) => c.task)).size).toBe(13);
    expect(new Set(fx.cases.map((c) => c.sampling))).toEqual(new Set(["stream", "independent"]));
    expect(new Set(fx.cases.map((c) => c.template))).toEqual(new Set(["base", "meta-chat", "meta-llama3"]));
  });
  it("template.py's table is ours", () => {
    expect(RULER_TEMPLATES).toEqual(fx.templates);
  });
  it.each(fx.cases.map((c) => [`${c.task} ${c.max_seq_length} ${c.template} ${c.sampling}`, c] as const))("%s", async (_name, c) => {
    const bench = configured({ samples: c.samples.length, sampling: c.sampling, template: c.template, random_seed: fx.seed });
    const ctx = createTestBenchmarkContext({ tokenizer: wordTokenizer, dataDir: data });
    const got = await collect(bench, { task: c.task, length: LEVEL[c.max_seq_length]! }, ctx);
    expect(got.map((s) => ({ input: s.input["input"], answer_prefix: s.input["answer_prefix"], outputs: s.references, length: s.meta?.["tokens"] }))).toEqual(c.samples);
  });
});
