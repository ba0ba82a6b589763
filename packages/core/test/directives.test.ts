// The bind-time directive check: a backend gets only the directives it declares, whichever backend
// it is, and a catalogued directive only with the catalogue's params.
import { defineAccelerator, defineBackend, type AcceleratorPlugin, type BackendPlugin, type EngineDirective } from "@loomscope/spec";
import { describe, expect, it } from "vitest";
import { bind, type BindRequest } from "../src/run/bind.js";
import { checkDirectives } from "../src/run/directives.js";
import type { Plan } from "../src/run/plan.js";
import type { PluginRegistry } from "../src/plugins/registry.js";

const snapkv: EngineDirective = { accelerator: "kv-pruning", method: "snapkv", params: { budget: 64, windowSize: 32, kernelSize: 7, pooling: "maxpool" } };
const none = async () => [];

function backendPlugin(id: string, directives?: readonly `${string}:${string}`[]): BackendPlugin {
  return defineBackend({
    kind: "backend",
    apiVersion: 1,
    id,
    description: id,
    ...(directives ? { directives } : {}),
    create: ({ model }) => ({
      id,
      model,
      capabilities: () => ({ promptModes: ["chat"], exactTokenizer: false, features: [] }),
      generate: async () => ({ text: "", usage: {}, timings: { totalMs: 0 } }),
      describe: () => ({}),
    }),
  });
}

/** An accelerator that asks for whatever directive it was built with, on any backend. */
function acceleratorPlugin(directive: EngineDirective): AcceleratorPlugin {
  return defineAccelerator({
    kind: "accelerator",
    apiVersion: 1,
    id: directive.accelerator,
    stage: "engine",
    description: "test",
    methods: [{ id: directive.method, description: "", defaults: {} }],
    defaultMethod: directive.method,
    bind: () => ({ stage: "engine", accelerator: directive.accelerator, method: directive.method, params: directive.params, label: "test", directive }),
  });
}

function registryOf(backends: BackendPlugin[], accelerator: AcceleratorPlugin): PluginRegistry {
  const fake = {
    list: (kind?: string) => (kind === "backend" ? backends.map((b) => ({ manifest: { kind: "backend", id: b.id } })) : []),
    load: async (kind: string, id: string) => {
      const found = kind === "backend" ? backends.find((b) => b.id === id) : accelerator.id === id ? accelerator : undefined;
      if (!found) throw new Error(`no ${kind} ${id}`);
      return found;
    },
  };
  return fake as unknown as PluginRegistry;
}

async function bindWith(model: string, backends: BackendPlugin[], directive: EngineDirective) {
  const request: BindRequest = {
    registry: registryOf(backends, acceleratorPlugin(directive)),
    model,
    accelerators: [`${directive.accelerator}:${directive.method}`],
    backendOptions: {},
    maxLength: undefined,
    tokenizer: undefined,
    chatTemplate: undefined,
    force: false,
    cwd: "/tmp",
    env: {},
    cacheDir: "/tmp",
    data: {} as BindRequest["data"],
    runDir: "/tmp",
    signal: new AbortController().signal,
    log: () => {},
  };
  const plan: Plan = { entries: [], suite: undefined, units: [], notices: [] };
  const result = await bind(request, plan).catch((error: unknown) => error);
  return { result };
}

describe("checkDirectives", () => {
  it("passes what the backend declares, with the catalogue's params", async () => {
    await expect(checkDirectives({ backend: "engine", directives: ["kv-pruning:snapkv"] }, [snapkv], none)).resolves.toBeUndefined();
  });

  it("refuses an undeclared directive, naming the backend, the directive and who honours it", async () => {
    const others = async () => [
      { backend: "engine", directives: ["kv-pruning:snapkv"] },
      { backend: "ollama", directives: ["kv-pruning:streamingllm"] },
    ];
    const error = await checkDirectives({ backend: "openai", directives: ["kv-pruning:streamingllm"] }, [snapkv], others).catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: "DirectiveUnhonouredError",
      code: "DIRECTIVE_UNHONOURED",
      message: "backend openai does not honour directive kv-pruning:snapkv",
      hint: "backends that honour kv-pruning:snapkv: engine",
      honouredBy: ["engine"],
    });
  });

  it("asks for the other backends only on a refusal", async () => {
    let asked = 0;
    const others = async () => {
      asked++;
      return [];
    };
    await checkDirectives({ backend: "engine", directives: ["kv-pruning:snapkv"] }, [snapkv], others);
    expect(asked).toBe(0);
    await expect(checkDirectives({ backend: "x", directives: [] }, [snapkv], others)).rejects.toMatchObject({ hint: expect.stringMatching(/no installed backend honours kv-pruning:snapkv/) });
    expect(asked).toBe(1);
  });

  it("refuses a catalogued directive whose params are not the catalogue's (an accelerator out of step)", async () => {
    const partial = { ...snapkv, params: { budget: 64 } };
    await expect(checkDirectives({ backend: "engine", directives: ["kv-pruning:snapkv"] }, [partial], none)).rejects.toMatchObject({
      code: "DIRECTIVE_PARAMS",
      message: expect.stringMatching(/^kv-pruning:snapkv: windowSize: /),
    });
  });

  it("passes a directive the catalogue does not define when the backend declares it (a third-party pair)", async () => {
    const custom = { accelerator: "my-cache", method: "quantize", params: { bits: 4 } };
    await expect(checkDirectives({ backend: "mine", directives: ["my-cache:quantize"] }, [custom], none)).resolves.toBeUndefined();
  });
});

describe("bind refuses unhonoured directives before any work, for every backend alike", () => {
  const custom: EngineDirective = { accelerator: "my-cache", method: "quantize", params: {} };
  const backends = [backendPlugin("silent"), backendPlugin("declares", ["my-cache:quantize"]), backendPlugin("other", ["kv-pruning:snapkv"])];

  it("a backend declaring nothing honours nothing (it used to ignore the directive)", async () => {
    const { result } = await bindWith("silent:m", backends, custom);
    expect(result).toMatchObject({ code: "DIRECTIVE_UNHONOURED", message: "backend silent does not honour directive my-cache:quantize", honouredBy: ["declares"] });
  });

  it("a backend honouring other directives refuses this one", async () => {
    const { result } = await bindWith("other:m", backends, custom);
    expect(result).toMatchObject({ code: "DIRECTIVE_UNHONOURED", backend: "other", directive: "my-cache:quantize" });
  });

  it("the backend that declares it binds", async () => {
    const { result } = await bindWith("declares:m", backends, custom);
    expect(result).toMatchObject({ backendId: "declares", engineDirectives: [custom] });
  });
});
