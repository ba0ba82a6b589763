/**
 * One schema per run option: an option added to the table (here in the test) is validated, changes
 * the run's identity, and reaches the manifest and every record with no other code.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { PluginRegistry, RUN_OPTIONS, runEvaluation, type RunOption, type RunOptions } from "@loomscope/core";
import { loadTaskFile } from "@loomscope/benchmark-kit";
import { startOpenAIServer, type FakeOpenAIServer } from "@loomscope/testkit";
import { answerLookup, OPENAI_BACKEND, project, recordLines } from "../helpers.js";

describe("run options come from one table", () => {
  let server: FakeOpenAIServer;
  beforeAll(async () => {
    server = await startOpenAIServer({ models: ["test-model"], script: answerLookup });
  });
  afterAll(() => server.close());

  it("a new option flows to the manifest and the records, and into the run's identity", async () => {
    const cwd = project({});
    writeFileSync(join(cwd, "codes.yaml"), 'id: codes\ndata: rows.jsonl\ntemplate: "{context} {question}"\ncontext_field: context\nquery_field: question\nreferences: answer\nmetrics: [exact_match]\nmax_new_tokens: 8\n');
    writeFileSync(join(cwd, "rows.jsonl"), [0, 1].map((i) => JSON.stringify({ context: `The code for item ${i} is ${10 + i}.`, question: `What is the code for item ${i}?`, answer: String(10 + i) })).join("\n"));
    const fixtureKnob: RunOption = { schema: z.number().int().min(0), description: "an option added by this test", identity: true, onRecord: true };
    const run = (knob: unknown) =>
      runEvaluation({
        targets: [join(cwd, "codes.yaml")],
        model: "openai:test-model",
        backendOptions: { baseURL: server.baseURL },
        tokenizer: "tiktoken:o200k_base",
        out: join(cwd, "runs"),
        cacheDir: join(cwd, "cache"),
        cwd,
        registry: new PluginRegistry({ cwd, packages: [OPENAI_BACKEND] }),
        loadTaskFile,
        optionTable: { ...RUN_OPTIONS, fixtureKnob },
        fixtureKnob: knob,
      } as RunOptions);
    const outcome = await run(7);
    const manifest = JSON.parse(readFileSync(join(outcome.runDir, "manifest.json"), "utf8"));
    expect(manifest.config.fixtureKnob).toBe(7);
    const records = recordLines(outcome.runDir) as unknown as { settings?: { fixtureKnob?: number } }[];
    expect(records.length).toBe(2);
    expect(records.every((r) => r.settings?.fixtureKnob === 7)).toBe(true);
    // Part of the identity: another value is another run directory.
    expect((await run(8)).runDir).not.toBe(outcome.runDir);
    // Validated like every option: a bad value is a usage error naming it.
    await expect(run(-1)).rejects.toMatchObject({ code: "USAGE", message: expect.stringMatching(/fixtureKnob/) });
  });
});
