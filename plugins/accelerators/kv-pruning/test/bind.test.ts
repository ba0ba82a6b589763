import { AcceleratorUnsupportedError, directiveSchema, KV_PRUNING_DIRECTIVE, type BackendCapabilities, type BindRequest, type EngineBinding } from "@loomscope/spec";
import { describe, expect, it } from "vitest";
import plugin, { streamingllmKeep } from "../src/index.js";

const BACKENDS: Record<string, string[]> = {
  engine: ["kv.policy", "attention.sparse-prefill"],
  llamacpp: ["kv.erase-range", "kv.compaction"],
  ollama: ["kv.context-shift"],
  openai: ["kv.context-shift"], // llama-server behind the OpenAI-compatible backend
  vllm: ["kv.fp8"],
  anthropic: [],
};
const request = (backend: string, method: string, params: BindRequest["params"] = {}): BindRequest => ({
  method,
  params,
  backend: { id: backend, model: "m", capabilities: { promptModes: ["chat"], exactTokenizer: false, features: BACKENDS[backend]! } satisfies BackendCapabilities },
  cacheDir: "/tmp",
  env: {},
  log: () => {},
});
const METHODS = plugin.methods.map((m) => m.id);

describe("kv-pruning bindings", () => {
  it("has the six methods with their papers' defaults", () => {
    expect(METHODS).toEqual(["streamingllm", "h2o", "snapkv", "pyramidkv", "l2norm", "tova"]);
    expect(plugin.methods.find((m) => m.id === "streamingllm")!.defaults).toEqual({ sinkTokens: 4, windowTokens: 1020, compact: false });
    expect(plugin.methods.find((m) => m.id === "snapkv")!.defaults).toEqual({ budget: 1024, windowSize: 32, kernelSize: 7, pooling: "maxpool" });
  });

  it.each(METHODS)("engine runs %s exactly as defined", async (method) => {
    const b = (await plugin.bind(request("engine", method))) as EngineBinding;
    expect(b.stage).toBe("engine");
    expect(b.directive).toEqual({ accelerator: "kv-pruning", method, params: b.params });
    expect(b.label).toContain("reference engine");
  });

  it("llamacpp runs streamingllm by erasing ranges, with the directive the llamacpp backend reads", async () => {
    const b = (await plugin.bind(request("llamacpp", "streamingllm", { sinkTokens: 4, windowTokens: 256, compact: true }))) as EngineBinding;
    expect(b.label).toMatch(/by erasing KV ranges after prefill/);
    expect(b.label).toMatch(/compacted/);
    expect(b.directive).toEqual({ accelerator: "kv-pruning", method: "streamingllm", params: { sinkTokens: 4, windowTokens: 256, compact: true } });
    // the positions llama.cpp keeps are the engine's
    expect(streamingllmKeep(8192, 4, 256)).toHaveLength(260);
  });

  it.each(["ollama", "openai"])("%s runs streamingllm only as context shift, labelled so", async (backend) => {
    const b = (await plugin.bind(request(backend, "streamingllm"))) as EngineBinding;
    expect(b.label).toMatch(/context shift/);
    expect(b.label).toMatch(/only when the context overflows/);
  });

  // Every unsupported (method, backend) pair, as a table: all refuse at bind time, before a run starts.
  const refusals: [string, string, RegExp][] = [];
  for (const method of METHODS.filter((m) => m !== "streamingllm")) {
    refusals.push([method, "llamacpp", /neither keys nor attention weights/]);
    refusals.push([method, "ollama", /only shifts context on overflow/]);
    refusals.push([method, "openai", /only shifts context on overflow/]);
  }
  for (const method of METHODS) {
    refusals.push([method, "vllm", /no token eviction \(only fp8/]);
    refusals.push([method, "anthropic", /declares no KV-cache control/]);
  }
  it.each(refusals)("%s on %s refuses with AcceleratorUnsupportedError", async (method, backend, why) => {
    let error: unknown;
    try {
      await plugin.bind(request(backend, method));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AcceleratorUnsupportedError);
    const e = error as AcceleratorUnsupportedError;
    expect(e.accelerator).toBe("kv-pruning");
    expect(e.backend).toBe(backend);
    expect(e.missing.length).toBeGreaterThan(0);
    expect(e.hint).toMatch(why);
  });

  it("compaction without kv.compaction, or on context shift, refuses", async () => {
    const req = request("llamacpp", "streamingllm", { compact: true });
    req.backend.capabilities = { ...req.backend.capabilities, features: ["kv.erase-range"] };
    await expect(async () => plugin.bind(req)).rejects.toBeInstanceOf(AcceleratorUnsupportedError);
    await expect(async () => plugin.bind(request("ollama", "streamingllm", { compact: true }))).rejects.toBeInstanceOf(AcceleratorUnsupportedError);
  });

  it("unknown params are refused, not ignored", async () => {
    await expect(async () => plugin.bind(request("engine", "streamingllm", { sink: 4 }))).rejects.toThrow(/streamingllm: unknown param sink/);
  });
});

describe("kv-pruning against the spec's directive catalogue", () => {
  it("offers exactly the catalogue's methods, and every directive it emits is what the catalogue defines", async () => {
    expect(METHODS).toEqual(Object.keys(KV_PRUNING_DIRECTIVE.methods));
    for (const method of METHODS) {
      const b = (await plugin.bind(request("engine", method))) as EngineBinding;
      expect(b.directive.accelerator).toBe(KV_PRUNING_DIRECTIVE.accelerator);
      expect(directiveSchema(b.directive)!.parse(b.directive.params)).toEqual(b.directive.params);
    }
  });

  it("refuses an unknown param with the names the method takes", () => {
    expect(() => plugin.bind(request("engine", "snapkv", { budgett: 4 }))).toThrow(/snapkv: unknown param budgett/);
    try {
      plugin.bind(request("engine", "snapkv", { budgett: 4 }));
    } catch (error) {
      expect(error).toMatchObject({ code: "ACCELERATOR_PARAMS", hint: "snapkv takes budget, windowSize, kernelSize, pooling" });
    }
  });
});
