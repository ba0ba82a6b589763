import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { PluginManifestSchema, PromptPartsSchema, SampleRecordSchema, AcceleratorUnsupportedError, isLoomError } from "../src/index.js";

const record = {
  v: 1,
  id: "s-1",
  benchmark: "lveval",
  task: "factrecall_en",
  length: "16k",
  status: "ok",
  prediction: "Paris",
  references: ["Paris"],
  scores: { f1: 1 },
  score: 1,
  prompt: null,
  usage: { promptTokens: 10, completionTokens: 1 },
  timings: { startedAt: "2026-01-01T00:00:00.000Z", totalMs: 12 },
  accelerators: [],
  attempts: 1,
  error: null,
};

describe("spec schemas", () => {
  it("validates a record and rejects one without its version", () => {
    expect(SampleRecordSchema.parse(record).id).toBe("s-1");
    expect(SampleRecordSchema.safeParse({ ...record, v: 2 }).success).toBe(false);
  });

  it("checks manifests strictly", () => {
    expect(PluginManifestSchema.safeParse({ kind: "benchmark", id: "lveval", apiVersion: 1, entry: "./dist/index.js" }).success).toBe(true);
    expect(PluginManifestSchema.safeParse({ kind: "benchmark", id: "LV Eval", apiVersion: 1, entry: "x" }).success).toBe(false);
    expect(PluginManifestSchema.safeParse({ kind: "widget", id: "x", apiVersion: 1, entry: "x" }).success).toBe(false);
  });

  it("fills prompt-part defaults", () => {
    const parts = PromptPartsSchema.parse({ template: "{context}", values: { context: "c" } });
    expect(parts).toMatchObject({ contextKey: "context", truncation: "middle", chat: true });
    expect(parts.maxNewTokens).toBeUndefined();
  });

  it("takes a turn's own generation limit, a positive integer", () => {
    expect(PromptPartsSchema.parse({ template: "{context}", values: { context: "c" }, maxNewTokens: 1024 }).maxNewTokens).toBe(1024);
    expect(PromptPartsSchema.safeParse({ template: "{context}", values: { context: "c" }, maxNewTokens: 0 }).success).toBe(false);
    expect(PromptPartsSchema.safeParse({ template: "{context}", values: { context: "c" }, maxNewTokens: 1.5 }).success).toBe(false);
  });

  it("emits JSON Schema files at build that describe the same record", () => {
    const schema = JSON.parse(readFileSync(new URL("../schema/sample-record.v1.json", import.meta.url), "utf8"));
    expect(schema.$schema).toMatch(/json-schema\.org/);
    expect(schema.required).toEqual(expect.arrayContaining(Object.keys(record)));
    expect(schema.properties.status.enum).toEqual(["ok", "error", "skipped"]);
  });

  it("errors carry codes that survive duplicated package copies", () => {
    const error = new AcceleratorUnsupportedError("kv-pruning", "vllm", ["kv.policy"], "use the engine backend");
    expect(isLoomError(error, "ACCELERATOR_UNSUPPORTED")).toBe(true);
    expect(error.message).toBe("accelerator kv-pruning cannot run on backend vllm: missing kv.policy");
    const foreign = Object.assign(new Error("x"), { code: "ACCELERATOR_UNSUPPORTED" });
    expect(isLoomError(foreign, "ACCELERATOR_UNSUPPORTED")).toBe(true);
  });
});
