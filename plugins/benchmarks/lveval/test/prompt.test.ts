/** Prompts, generation limits and metrics per dataset against LV-Eval's config.py (fixtures/prompts.json). */
import { describe, expect, it } from "vitest";
import lveval, { DATASET_PROMPT, DATASETS, LENGTH_LEVELS, type DatasetName } from "../src/index.js";
import type { Sample } from "@loomscope/spec";
import { fixture, pyFormat } from "./helpers.js";

const fx = fixture<{
  record: { input: string; context: string };
  lengths: string[];
  prompts: { dataset: DatasetName; maxgen: number; metric: string; prompt: string }[];
}>("prompts.json");

describe("tasks and prompts", () => {
  it("lists the 11 official datasets and 5 length levels in config.py order", () => {
    expect(lveval.tasks.map((t) => t.id)).toEqual(fx.prompts.map((p) => p.dataset));
    expect(lveval.tasks.map((t) => t.id)).toEqual([...DATASETS]);
    expect([...LENGTH_LEVELS]).toEqual(fx.lengths);
    expect(lveval.capability).toBe("reasoning");
  });

  for (const p of fx.prompts) {
    it(`${p.dataset}: template, max new tokens and metric are the official ones`, async () => {
      const task = lveval.tasks.find((t) => t.id === p.dataset)!;
      expect(task.maxNewTokens).toBe(p.maxgen);
      expect(task.metrics).toEqual([p.metric]);
      expect(task.lengths).toEqual(fx.lengths);
      const sample: Sample = { id: "x", task: p.dataset, length: "16k", input: { ...fx.record }, references: ["x"] };
      const parts = await lveval.prompt(sample, task);
      expect(parts.truncation).toBe("middle");
      expect(parts.contextKey).toBe("context");
      expect(parts.queryKey).toBe("input");
      expect(parts.template).toBe(DATASET_PROMPT[p.dataset]);
      expect(pyFormat(parts.template, parts.values)).toBe(p.prompt);
    });
  }

  it("tags single-hop / multi-hop and language as the README groups them", () => {
    const tags = Object.fromEntries(lveval.tasks.map((t) => [t.id, [...(t.tags ?? []), t.language]]));
    expect(tags["dureader_mixup"]).toEqual(["multi-hop", "zh", "zh"]);
    expect(tags["loogle_MIR_mixup"]).toEqual(["multi-hop", "en", "en"]);
    expect(tags["factrecall_zh"]).toEqual(["single-hop", "zh", "zh"]);
    expect(lveval.tasks.filter((t) => t.tags?.includes("single-hop")).map((t) => t.id).sort()).toEqual(
      ["cmrc_mixup", "factrecall_en", "factrecall_zh", "loogle_SD_mixup", "multifieldqa_en_mixup", "multifieldqa_zh_mixup"],
    );
  });
});

describe("the official chat and truncation rules", () => {
  const sample: Sample = { id: "x", task: "cmrc_mixup", length: "16k", input: { context: "c", input: "q" }, references: ["a"] };
  it("sends the prompt raw, as prediction.py does for every model it does not special-case; the option applies the model's template", async () => {
    const task = lveval.tasks.find((t) => t.id === "cmrc_mixup")!;
    expect((await lveval.prompt(sample, task)).chat).toBe(false);
    const templated = lveval.configure!({ protocol: "official", options: { chatTemplate: true } });
    expect((await templated.prompt(sample, templated.tasks.find((t) => t.id === "cmrc_mixup")!)).chat).toBe(true);
    expect(lveval.options?.["chatTemplate"]).toMatchObject({ type: "boolean", default: false });
  });
  it("fits prompts to the model window − 500 tokens, or prediction.py's default 15,500 when the window is unknown", () => {
    const task = lveval.tasks[0]!;
    expect(lveval.defaultMaxLength!(task, 32_768)).toBe(32_268);
    expect(lveval.defaultMaxLength!(task, undefined)).toBe(15_500);
  });
});
