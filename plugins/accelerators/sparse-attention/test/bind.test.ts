import { AcceleratorUnsupportedError, directiveSchema, SPARSE_ATTENTION_DIRECTIVE, type BindRequest, type EngineBinding } from "@loomscope/spec";
import { describe, expect, it } from "vitest";
import plugin from "../src/index.js";

const request = (backend: string, features: string[], method: string): BindRequest => ({
  method,
  params: {},
  backend: { id: backend, model: "m", capabilities: { promptModes: ["chat"], exactTokenizer: false, features } },
  cacheDir: "/tmp",
  env: {},
  log: () => {},
});
const METHODS = plugin.methods.map((m) => m.id);

describe("sparse-attention bindings", () => {
  it("has four methods with defaults", () => {
    expect(METHODS).toEqual(["minference", "flexprefill", "xattention", "blocktopk"]);
    expect(plugin.methods.find((m) => m.id === "xattention")!.defaults).toEqual({ threshold: 0.9, stride: 16, blockSize: 128 });
  });
  it.each(METHODS)("engine binds %s", async (method) => {
    const b = (await plugin.bind(request("engine", ["kv.policy", "attention.sparse-prefill"], method))) as EngineBinding;
    expect(b.label).toMatch(/reference engine/);
    expect(b.directive.accelerator).toBe("sparse-attention");
  });
  it.each(METHODS)("a server declaring attention.sparse-prefill.launch binds %s by launch flags", async (method) => {
    const b = (await plugin.bind(request("sglang", ["attention.sparse-prefill.launch"], method))) as EngineBinding;
    expect(b.label).toMatch(/launch flags/);
  });
  const table: [string, string, string[], RegExp][] = [];
  for (const method of METHODS) {
    table.push([method, "vllm", ["kv.fp8"], /no switchable sparse prefill since v0\.11/]);
    table.push([method, "llamacpp", ["kv.erase-range", "kv.compaction"], /no sparse attention kernels/]);
    table.push([method, "ollama", ["kv.context-shift"], /no control over the attention kernel/]);
    table.push([method, "openai", [], /no control over the attention kernel/]);
  }
  it.each(table)("%s on %s refuses with AcceleratorUnsupportedError", async (method, backend, features, why) => {
    let error: unknown;
    try {
      await plugin.bind(request(backend, features, method));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AcceleratorUnsupportedError);
    expect((error as AcceleratorUnsupportedError).missing).toEqual(["attention.sparse-prefill"]);
    expect((error as AcceleratorUnsupportedError).hint).toMatch(why);
  });
});

describe("sparse-attention against the spec's directive catalogue", () => {
  it("offers exactly the catalogue's methods, and every directive it emits is what the catalogue defines", async () => {
    expect(plugin.methods.map((m) => m.id)).toEqual(Object.keys(SPARSE_ATTENTION_DIRECTIVE.methods));
    for (const { id } of plugin.methods) {
      const b = (await plugin.bind(request("engine", ["kv.policy", "attention.sparse-prefill"], id))) as EngineBinding;
      expect(b.directive.accelerator).toBe(SPARSE_ATTENTION_DIRECTIVE.accelerator);
      expect(directiveSchema(b.directive)!.parse(b.directive.params)).toEqual(b.directive.params);
    }
  });
});
