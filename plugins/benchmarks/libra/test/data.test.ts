import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createTestBenchmarkContext } from "@loomscope/testkit";
import type { Benchmark, PromptParts, Sample, SampleRequest } from "@loomscope/spec";
import libra, { LibraRecordSchema, localCandidates, officialPrompt, remotePath, setLoomLemmatizer, taskById } from "../src/index.js";
import { fixturePath } from "./helpers.js";

const rows = (name: string): unknown[] =>
  readFileSync(fixturePath(`data/${name}`), "utf8").trim().split("\n").map((l) => JSON.parse(l) as unknown);

async function collect(b: Benchmark, request: SampleRequest, dataDir: string) {
  const ctx = createTestBenchmarkContext({ dataDir });
  const out: Sample[] = [];
  for await (const s of b.samples(request, ctx)) out.push(s);
  return { samples: out, ctx };
}

/** What core sends: the replacements chain (Python str.replace) over the template. */
function render(parts: PromptParts): string {
  let text = parts.template;
  for (const r of parts.replacements ?? []) text = text.split(r.placeholder).join(parts.values[r.key] as string);
  return text;
}

describe("LIBRA data", () => {
  it("names the hub parquet of each dataset and the --data-dir layouts", () => {
    expect(remotePath("passkey")).toBe("passkey/test-00000-of-00001.parquet");
    expect(localCandidates("ru_qasper")).toEqual([
      "ru_qasper/test-00000-of-00001.parquet",
      "LIBRA/ru_qasper/test-00000-of-00001.parquet",
      "ru_qasper.jsonl",
      "LIBRA/ru_qasper.jsonl",
    ]);
  });

  it("accepts good rows (unknown fields kept) and rejects a malformed one", () => {
    const [a, b, bad] = rows("passkey.jsonl");
    expect(LibraRecordSchema.safeParse(a).success).toBe(true);
    expect(LibraRecordSchema.safeParse(b).success).toBe(true);
    expect(LibraRecordSchema.safeParse(bad).success).toBe(false); // positive_outputs is a string
    const m = LibraRecordSchema.parse(rows("matreshka_yes_no.jsonl")[0]);
    expect((m as Record<string, unknown>)["extra_field"]).toBe(1);
  });

  it("reads the hub parquet, keeping the rows of the asked length in file order", async () => {
    const { samples, ctx } = await collect(libra, { task: "passkey", length: "8k" }, fixturePath("hub"));
    expect(samples.map((s) => [s.id, s.references])).toEqual([
      ["passkey_8k-0", ["90211"]],
      ["passkey_8k-1", ["30807"]],
    ]);
    expect(ctx.issues).toEqual([]);
    expect(Object.keys(ctx.provenance)).toEqual(["data:passkey/test-00000-of-00001.parquet"]);
  });

  it("builds the prompt answer_generator.py builds, {input} in the context included", async () => {
    const { samples } = await collect(libra, { task: "passkey", length: "8k", limit: 1 }, fixturePath("hub"));
    const sample = samples[0]!;
    const task = libra.tasks.find((t) => t.id === "passkey")!;
    const parts = libra.prompt(sample, task) as PromptParts;
    const official = officialPrompt(taskById("passkey").prompt.template, { context: sample.input["context"]!, input: sample.input["input"]! });
    expect(render(parts)).toBe(official);
    expect(official).toContain("Вопрос в тексте: Какой ключ доступа?");
    expect(parts).toMatchObject({ truncation: "keep-head", chat: true, system: "You are a helpful assistant.", contextKey: "context", queryKey: "input" });
  });

  it("follows the options: the vLLM engine cuts the start, no chat model means no template and no system message", async () => {
    const { samples } = await collect(libra, { task: "passkey", length: "4k", limit: 1 }, fixturePath("hub"));
    const task = libra.tasks.find((t) => t.id === "passkey")!;
    const vllm = libra.configure!({ protocol: "official", options: { engine: "vllm", chatModel: true, systemPrompt: "" } });
    expect(vllm.prompt(samples[0]!, task)).toMatchObject({ truncation: "keep-tail", chat: true });
    expect((vllm.prompt(samples[0]!, task) as PromptParts).system).toBeUndefined();
    const base = libra.configure!({ protocol: "official", options: { engine: "hf", chatModel: false, systemPrompt: "Ты помощник." } });
    expect(base.prompt(samples[0]!, task)).toMatchObject({ truncation: "keep-head", chat: false });
    expect((base.prompt(samples[0]!, task) as PromptParts).system).toBeUndefined();
    const loom = libra.configure!({ protocol: "loom", options: { engine: "hf", chatModel: true, systemPrompt: "You are a helpful assistant." } });
    expect(loom.prompt(samples[0]!, task)).toMatchObject({ truncation: "middle" });
    expect((loom.prompt(samples[0]!, task) as PromptParts).system).toBeUndefined();
  });

  it("keeps negative outputs for the scorer", async () => {
    const { samples } = await collect(libra, { task: "matreshka_yes_no", length: "4k" }, fixturePath("hub"));
    expect(samples.map((s) => s.scoring)).toEqual([{ negative_outputs: ["Нет"] }, { negative_outputs: ["Да"] }]);
  });

  it("reads the jsonl export layout and reports a malformed row with file:line", async () => {
    const { samples, ctx } = await collect(libra, { task: "passkey", length: "4k" }, fixturePath("data"));
    expect(samples.map((s) => s.references)).toEqual([["71432"]]);
    expect(ctx.issues.map((i) => `${i.file.split("/").at(-1)}:${i.line}`)).toEqual(["passkey.jsonl:3"]);
  });

  it("refuses em and f1 datasets under protocol loom before reading a row, count_score runs", async () => {
    setLoomLemmatizer(undefined);
    const loom = libra.configure!({ protocol: "loom", options: { engine: "hf", chatModel: true, systemPrompt: "" } });
    await expect(collect(loom, { task: "passkey", length: "4k" }, fixturePath("hub"))).rejects.toThrow(/passkey \(em\).*pymorphy2/);
    const { samples } = await collect(loom, { task: "ru_sci_passage_count", length: "4k" }, fixturePath("hub"));
    expect(samples.length).toBe(2);
  });
});
