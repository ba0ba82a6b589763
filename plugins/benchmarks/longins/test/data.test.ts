/**
 * Data and prompts: the record schema on an official-format data file (good rows and a malformed
 * one), `toSample`, and the prompt templates against infer/data_loader.py's own output.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { pyFormat } from "@loomscope/metrics";
import { TASKS, parseOfficialFile, promptTemplate, toSample } from "../src/index.js";
import { fixture, fixturePath } from "./helpers.js";

const { records, prompts } = fixture<{
  records: Record<string, { task_prompt: string; Data: string; error: number[] }>;
  prompts: Record<"GIST" | "LIST", Record<string, string>>;
}>("prompts.json");

describe("LongIns prompts", () => {
  it("equal data_loader.load_data's prompts byte for byte", () => {
    for (const mode of ["GIST", "LIST"] as const) {
      for (const [id, record] of Object.entries(records)) {
        const sample = toSample(record, { task: mode, length: "256", key: id, protocol: "official" });
        expect(pyFormat(promptTemplate(mode), sample.input)).toBe(prompts[mode][id]);
      }
    }
  });

  it("keeps LOOM-Scope's indentation under protocol loom (32 spaces for GIST, 24 for LIST)", () => {
    expect(promptTemplate("GIST", "loom")).toBe(promptTemplate("GIST").replaceAll("\n" + " ".repeat(36), "\n" + " ".repeat(32)));
    expect(promptTemplate("LIST", "loom")).toBe(promptTemplate("LIST"));
    expect(TASKS.map((t) => [t.id, t.maxNewTokens, t.loom.maxNewTokens, t.prompt.truncation, t.loom.prompt.truncation])).toEqual([
      ["GIST", 10000, 1000, "none", "middle"],
      ["LIST", 10000, 1000, "none", "middle"],
    ]);
  });
});

describe("LongIns data", () => {
  it("accepts the good records in file order and reports the malformed one", () => {
    const text = readFileSync(fixturePath("data/GIST/256.json"), "utf8");
    const { records: good, issues } = parseOfficialFile(text);
    expect(good.map(([k]) => k)).toEqual(["q_b", "10", "2"]);
    expect(issues).toEqual([{ key: "bad", message: expect.stringContaining("error") }]);
  });

  it("builds the sample eval.py would score: id from the question key, error list kept", () => {
    const text = readFileSync(fixturePath("data/GIST/256.json"), "utf8");
    const [key, record] = parseOfficialFile(text).records[0]!;
    const sample = toSample(record, { task: "GIST", length: "256", key, protocol: "official" });
    expect(sample).toMatchObject({
      id: "GIST_256-q_b",
      task: "GIST",
      length: "256",
      input: { task_prompt: record.task_prompt, Data: record.Data },
      references: ["[2, 4]"],
      scoring: { error: [2, 4] },
    });
  });
});
