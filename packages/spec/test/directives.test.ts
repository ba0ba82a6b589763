import { describe, expect, expectTypeOf, it } from "vitest";
import {
  DIRECTIVE_CATALOGUE,
  directiveNames,
  directiveSchema,
  KV_PRUNING_DIRECTIVE,
  parseMethodParams,
  SPARSE_ATTENTION_DIRECTIVE,
  withDefaults,
  type CataloguedDirectiveName,
  type DirectiveParams,
} from "../src/index.js";

describe("the directive catalogue", () => {
  it("names each directive <accelerator>:<method>", () => {
    expect(directiveNames(KV_PRUNING_DIRECTIVE)).toEqual(["kv-pruning:streamingllm", "kv-pruning:h2o", "kv-pruning:snapkv", "kv-pruning:pyramidkv", "kv-pruning:l2norm", "kv-pruning:tova"]);
    expect(directiveNames(SPARSE_ATTENTION_DIRECTIVE)).toEqual(["sparse-attention:minference", "sparse-attention:flexprefill", "sparse-attention:xattention", "sparse-attention:blocktopk"]);
    expect(Object.keys(DIRECTIVE_CATALOGUE)).toEqual(["kv-pruning", "sparse-attention"]);
    expectTypeOf<"kv-pruning:snapkv">().toExtend<CataloguedDirectiveName>();
    expectTypeOf<"kv-pruning:nope">().not.toExtend<CataloguedDirectiveName>();
    expectTypeOf<DirectiveParams<typeof KV_PRUNING_DIRECTIVE, "tova">>().toEqualTypeOf<{ budget: number }>();
  });

  it("params arrive resolved: every field required, nothing unknown", () => {
    const schema = directiveSchema({ accelerator: "kv-pruning", method: "tova" })!;
    expect(schema.parse({ budget: 8 })).toEqual({ budget: 8 });
    expect(schema.safeParse({}).success).toBe(false);
    expect(schema.safeParse({ budget: 8, extra: 1 }).success).toBe(false);
    expect(directiveSchema({ accelerator: "my-cache", method: "quantize" })).toBeUndefined();
    expect(directiveSchema({ accelerator: "kv-pruning", method: "quantize" })).toBeUndefined();
  });

  it("withDefaults fills in the named fields and keeps the constraints and strictness", () => {
    const schema = withDefaults(KV_PRUNING_DIRECTIVE.methods.h2o, { recentShare: 0.5 });
    expect(schema.parse({ budget: 4 })).toEqual({ budget: 4, recentShare: 0.5 });
    expect(schema.safeParse({}).success).toBe(false);
    expect(schema.safeParse({ budget: 4, recentShare: 2 }).success).toBe(false);
    expect(schema.safeParse({ budget: 4, other: 1 }).success).toBe(false);
    expect(() => withDefaults(KV_PRUNING_DIRECTIVE.methods.h2o, { nope: 1 } as never)).toThrow(/"nope"/);
  });

  it("parseMethodParams words each problem and names what the method takes", () => {
    const schema = KV_PRUNING_DIRECTIVE.methods.tova;
    expect(() => parseMethodParams("tova", schema, { budget: 1, x: 2, y: 3 })).toThrow("tova: unknown params x, y");
    try {
      parseMethodParams("tova", schema, { budget: -1 }, "ENGINE_DIRECTIVE");
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: "ENGINE_DIRECTIVE", hint: "tova takes budget", message: expect.stringMatching(/^tova: budget: /) });
    }
  });
});

describe("the directive catalogue as JSON Schema (schema/directives.v1.json, written at build)", () => {
  it("names every catalogued directive with its params schema: all fields required, nothing else", async () => {
    const { readFileSync } = await import("node:fs");
    const file = JSON.parse(readFileSync(new URL("../schema/directives.v1.json", import.meta.url), "utf8")) as { directives: Record<string, { required: string[]; additionalProperties: boolean }> };
    expect(Object.keys(file.directives)).toEqual([...directiveNames(KV_PRUNING_DIRECTIVE), ...directiveNames(SPARSE_ATTENTION_DIRECTIVE)]);
    expect(file.directives["sparse-attention:xattention"]).toMatchObject({ required: ["threshold", "stride", "blockSize"], additionalProperties: false });
  });
});
