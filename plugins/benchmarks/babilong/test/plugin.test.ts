/**
 * The plugin as core runs it: the prompt hook gives get_formatted_input's text for every task and
 * switch (the official outputs in test/fixtures/prompts.json) under both protocols, the switches are
 * declared options, the chat rule and system prompt follow them, and the aggregate is the protocol's.
 */
import { describe, expect, it } from "vitest";
import { optionDefaults, type KitBenchmark } from "@loomscope/benchmark-kit";
import { pyFormat } from "@loomscope/metrics";
import type { AggregateCell, JsonObject, Sample } from "@loomscope/spec";
import babilong, { BABILONG_OPTIONS, type BabilongTask } from "../src/index.js";
import { fixture } from "./helpers.js";

interface PromptCase {
  task: BabilongTask;
  use_instruction: boolean;
  use_examples: boolean;
  use_post_prompt: boolean;
  context: string;
  question: string;
  expected: string;
}
const { cases } = fixture<{ cases: PromptCase[] }>("prompts.json");

const configured = (options: JsonObject = {}, protocol: "official" | "loom" = "official") =>
  babilong.configure!({ protocol, options: { ...optionDefaults(BABILONG_OPTIONS), ...options } }) as KitBenchmark;
const sampleOf = (c: { task: string; context: string; question: string }): Sample => ({
  id: `${c.task}_0k-0`,
  task: c.task,
  length: "0k",
  input: { context: c.context, question: c.question },
  references: ["x"],
});

describe("babilong plugin", () => {
  it("declares the run script's switches as options, with the run scripts' defaults", () => {
    expect(Object.keys(babilong.options ?? {})).toEqual(["dataset", "useInstruction", "useExamples", "usePostPrompt", "useChatTemplate", "systemPrompt"]);
    expect(optionDefaults(babilong.options)).toEqual({ dataset: "babilong", useInstruction: true, useExamples: true, usePostPrompt: true, useChatTemplate: true, systemPrompt: "" });
    expect(babilong.protocols).toEqual(["official", "loom"]);
    expect(babilong.failedSamples).toBe("score-empty");
    expect(babilong.capability).toBe("reasoning");
  });

  it("prompts format to get_formatted_input's output for every task and switch, under both protocols", async () => {
    expect(cases.length).toBe(160);
    for (const c of cases) {
      const options = { useInstruction: c.use_instruction, useExamples: c.use_examples, usePostPrompt: c.use_post_prompt };
      for (const protocol of ["official", "loom"] as const) {
        const b = configured(options, protocol);
        const task = b.tasks.find((t) => t.id === c.task)!;
        const parts = await b.prompt(sampleOf(c), task);
        expect(pyFormat(parts.template, parts.values)).toBe(c.expected);
        expect(parts.truncation).toBe(protocol === "loom" ? "middle" : "none");
        expect(parts).toMatchObject({ contextKey: "context", queryKey: "question", chat: true });
      }
    }
  });

  it("follows the chat-template switch and sends the system prompt only with the chat template", async () => {
    const s = sampleOf({ task: "qa1", context: "Mary moved to the bathroom.", question: "Where is Mary?" });
    const withSystem = configured({ systemPrompt: "You are a helpful AI assistant." });
    expect(await withSystem.prompt(s, withSystem.tasks[0]!)).toMatchObject({ chat: true, system: "You are a helpful AI assistant." });
    const raw = configured({ systemPrompt: "You are a helpful AI assistant.", useChatTemplate: false });
    const parts = await raw.prompt(s, raw.tasks[0]!);
    expect(parts.chat).toBe(false);
    expect(parts.system).toBeUndefined();
  });

  it("scores with compare_answers; under LOOM-Scope's protocol aggregates its pooled accuracy", async () => {
    const base = { task: "qa7", references: ["none"], scoring: { question: "How many objects is Mary carrying?" } };
    expect(await babilong.score({ ...base, prediction: "none" })).toEqual({ babilong_accuracy: 0 }); // "none" holds "one"
    expect(await babilong.score({ task: "qa1", references: ["bathroom"], scoring: { question: "Where is Mary?" }, prediction: "The most recent location of Mary is bathroom." })).toEqual({ babilong_accuracy: 1 });
    const cells: AggregateCell[] = [
      { task: "qa1", length: "0k", n: 3, errors: 0, values: { babilong_accuracy: [1, 0, 0] } },
      { task: "qa1", length: "4k", n: 3, errors: 0, values: { babilong_accuracy: [1, 1, 0] } },
      { task: "qa2", length: "0k", n: 1, errors: 0, values: { babilong_accuracy: [1] } },
    ];
    expect(configured({}, "loom").aggregate!(cells).score).toBe(57.14);
    const official = configured().aggregate!(cells);
    expect(official.cells).toEqual({ qa1: { "0k": 100 / 3, "4k": 200 / 3 }, qa2: { "0k": 100, "4k": null } }); // no file: -1, shown as missing
    expect(official.score).toBeNull(); // avg row needs five tasks (collect_results' get_col_mean)
  });
});
