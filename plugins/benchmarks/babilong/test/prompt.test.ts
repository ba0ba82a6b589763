/**
 * The prompt: get_formatted_input for every task and switch combination as the official
 * babilong/prompts.py formats it (test/fixtures/prompts.json), the prompt parts the runner formats,
 * and the result file names of run_model_on_babilong.py.
 */
import { describe, expect, it } from "vitest";
import { pyFormat } from "@loomscope/metrics";
import {
  DEFAULT_PROMPTS,
  DEFAULT_TEMPLATE,
  TASKS,
  babilongPrompt,
  formatInput,
  promptConfig,
  resultConfigJson,
  resultStem,
  type BabilongTask,
} from "../src/index.js";
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
const { default_template: template, cases } = fixture<{ default_template: string; cases: PromptCase[] }>("prompts.json");

describe("BABILong prompt", () => {
  it("has the official template and 20 task prompts", () => {
    expect(DEFAULT_TEMPLATE).toBe(template);
    expect(Object.keys(DEFAULT_PROMPTS)).toEqual([...TASKS]);
    expect(cases.length).toBe(160);
  });

  it("get_formatted_input equals the official output for every task and switch", () => {
    for (const c of cases) {
      const cfg = promptConfig(c.task, {
        useInstruction: c.use_instruction,
        useExamples: c.use_examples,
        usePostPrompt: c.use_post_prompt,
      });
      expect(formatInput(c.context, c.question, cfg.examples, cfg.instruction, cfg.post_prompt, cfg.template)).toBe(c.expected);
    }
  });

  it("prompt parts format to the same text, under both protocols", () => {
    for (const c of cases) {
      const options = { useInstruction: c.use_instruction, useExamples: c.use_examples, usePostPrompt: c.use_post_prompt };
      const parts = babilongPrompt(c.task, c.context, c.question, options);
      expect(pyFormat(parts.template, parts.values)).toBe(c.expected);
      expect(parts.truncation).toBe("none");
      expect(babilongPrompt(c.task, c.context, c.question, options, "loom").truncation).toBe("middle");
    }
  });

  it("sends the system prompt only with the chat template", () => {
    expect(babilongPrompt("qa1", "c", "q", { systemPrompt: "You are a helpful assistant." }).system).toBe("You are a helpful assistant.");
    const raw = babilongPrompt("qa1", "c", "q", { systemPrompt: "You are a helpful assistant.", useChatTemplate: false });
    expect(raw.system).toBeUndefined();
    expect(raw.chat).toBe(false);
  });

  it("names result files as run_model_on_babilong.py does", () => {
    expect(resultStem("qa1", "0k")).toBe("qa1_0k_instruction_yes_examples_yes_post_prompt_yes_chat_template_yes_system_prompt_no");
    expect(resultStem("qa2", "128k", { useExamples: false, useChatTemplate: false, systemPrompt: "x" })).toBe(
      "qa2_128k_instruction_yes_examples_no_post_prompt_yes_chat_template_no_system_prompt_yes",
    );
    const json = JSON.parse(resultConfigJson("qa1", { useInstruction: false }, 0)) as { prompt: Record<string, unknown>; generate_kwargs: Record<string, unknown> };
    expect(Object.keys(json.prompt)).toEqual(["instruction", "examples", "post_prompt", "template", "chat_template", "system_prompt"]);
    expect(json.prompt["instruction"]).toBe("");
    expect(json.generate_kwargs).toEqual({
      max_new_tokens: 20, max_length: null, num_beams: 1, do_sample: false, temperature: null, top_p: null, top_k: null, pad_token_id: 0,
    });
    expect(resultConfigJson("qa1", {}, 2, 0)).toContain('"temperature": 0.0');
    expect(resultConfigJson("qa1", {}, 2)).toContain('"post_prompt": "Always return your answer in the following format: The most recent location of \\u2019person\\u2019');
  });
});
