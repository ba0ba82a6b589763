import { describe, expect, it } from "vitest";
import { directiveNames, KV_PRUNING_DIRECTIVE, SPARSE_ATTENTION_DIRECTIVE, type BackendCreateOptions } from "@loomscope/spec";
import { runDirectiveConformance } from "@loomscope/testkit";
import plugin, { type EngineBackend } from "../src/index.js";

const create = (model: string) =>
  plugin.create({ model, options: {}, env: {}, cacheDir: "/tmp", host: {} as BackendCreateOptions["host"], log: () => {} } as unknown as BackendCreateOptions) as EngineBackend;
const signal = new AbortController().signal;

describe("engine backend plugin", () => {
  it("declares its features, raw prompts, an exact tokenizer and a chat template", async () => {
    const b = create("random:tiny");
    expect(b.capabilities()).toMatchObject({ promptModes: ["raw"], exactTokenizer: true, features: ["kv.policy", "attention.sparse-prefill"] });
    const tpl = await b.chatTemplate();
    expect(tpl!.apply([{ role: "user", content: "q" }], { addGenerationPrompt: true })).toBe("<|user|>\nq\n<|assistant|>\n");
    expect(await (await b.tokenizer()).encode("hé")).toEqual([256, 104, 195, 169]);
  });

  it("interprets kv-pruning and sparse-attention directives and reports the work", async () => {
    const b = create('random:{"preset":"tiny","seed":4}');
    const text = "x".repeat(400);
    const plain = await b.generate({ prompt: { kind: "raw", text }, maxNewTokens: 5, temperature: 0, signal });
    const pruned = await b.generate({
      prompt: { kind: "raw", text },
      maxNewTokens: 5,
      temperature: 0,
      signal,
      engine: [
        { accelerator: "kv-pruning", method: "streamingllm", params: { sinkTokens: 4, windowTokens: 60, compact: false } },
        { accelerator: "sparse-attention", method: "blocktopk", params: { blockSize: 64, topK: 2 } },
      ],
    });
    const s = plain.engineStats as Record<string, number>;
    const p = pruned.engineStats as Record<string, number | number[]>;
    expect(s["prefillProducts"]).toBe(s["densePrefillProducts"]);
    expect(p["prefillProducts"] as number).toBeLessThan((p["densePrefillProducts"] as number) * 0.75);
    expect(p["maxEntriesReadPerLayer"]).toEqual([64, 64]);
    expect(p["kvEntriesRead"] as number).toBeLessThan(s["kvEntriesRead"]!);
    expect(plain.usage).toEqual({ promptTokens: 401, completionTokens: 5 });
  });

  it("refuses unknown accelerators, methods and params instead of ignoring them", async () => {
    const b = create("random:tiny");
    const run = (engine: { accelerator: string; method: string; params: Record<string, number> }[]) =>
      b.generate({ prompt: { kind: "raw", text: "hi" }, maxNewTokens: 1, temperature: 0, signal, engine });
    await expect(run([{ accelerator: "rag-lancedb", method: "x", params: {} }])).rejects.toThrow(/no support for accelerator/);
    await expect(run([{ accelerator: "kv-pruning", method: "quest", params: {} }])).rejects.toThrow(/unknown kv-pruning method/);
    await expect(run([{ accelerator: "kv-pruning", method: "snapkv", params: { windowsize: 3 } }])).rejects.toThrow(/snapkv: unknown param windowsize/);
  });

  it("refuses a missing model folder or an unknown preset", async () => {
    expect(() => create("/nonexistent/model")).toThrow(/not a model folder/);
    expect(() => create("random:huge")).toThrow(/no preset/);
  });
});

// The library runs every catalogued kv-pruning and sparse-attention method.
runDirectiveConformance(plugin, [...directiveNames(KV_PRUNING_DIRECTIVE), ...directiveNames(SPARSE_ATTENTION_DIRECTIVE)]);
