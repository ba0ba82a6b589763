/**
 * Suites without a package: a suite file lists entries (installed benchmarks or task files, with
 * tasks, lengths, limit, weight, protocol, options) and its aggregation rule; `loom suite show`
 * prints what it will run; the quickstart suite is expressible as one.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildPlan, PluginRegistry } from "@loomscope/core";
import { loadFileTarget, loadTaskFile } from "@loomscope/benchmark-kit";
import { startOpenAIServer, type FakeOpenAIServer } from "@loomscope/testkit";
import { answerLookup, OPENAI_BACKEND, project, REPO, runCli } from "../helpers.js";

const NIAH = join(REPO, "plugins/benchmarks/niah");
const RULER = join(REPO, "plugins/benchmarks/ruler");
const COUNTING_STARS = join(REPO, "plugins/benchmarks/counting-stars");
const QUICKSTART = join(REPO, "plugins/suites/quickstart");

const TASK = `id: codes
data: rows.jsonl
template: "{context}\\n\\nQuestion: {question}\\nAnswer:"
context_field: context
query_field: question
references: answer
metrics: [exact_match]
max_new_tokens: 8
capability: retrieval
`;

describe("suite files", () => {
  let server: FakeOpenAIServer;
  beforeAll(async () => {
    server = await startOpenAIServer({ models: ["test-model"], script: answerLookup });
  });
  afterAll(() => server.close());

  it("runs a suite of an installed benchmark and a task file, weighted, and shows it first", async () => {
    const cwd = project({ plugins: [NIAH, OPENAI_BACKEND], backends: { openai: { baseURL: server.baseURL } } });
    writeFileSync(join(cwd, "codes.yaml"), TASK);
    writeFileSync(join(cwd, "rows.jsonl"), [0, 1, 2].map((i) => JSON.stringify({ context: `The code for item ${i} is ${500 + i}.`, question: `What is the code for item ${i}?`, answer: String(500 + i) })).join("\n"));
    writeFileSync(
      join(cwd, "mine.yaml"),
      `suite: mine
description: a small suite
aggregation: weighted-mean
entries:
  - task: codes.yaml
    weight: 3
  - benchmark: niah
    lengths: ["1000"]
    limit: 2
    options: { haystack: noise }
`,
    );
    const show = await runCli(["suite", "show", "mine.yaml"], { cwd });
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/suite mine@0\.0\.0: a small suite/);
    expect(show.stdout).toMatch(/aggregation: weighted-mean/);
    expect(show.stdout).toMatch(/codes\s+codes\s+—\s+\?\s+official/);
    expect(show.stdout).toMatch(/niah\s+niah\s+1000\s+2\s+official/);

    const run = await runCli(["run", "mine.yaml", "--model", "openai:test-model", "--tokenizer", "tiktoken:o200k_base", "--run-dir", join(cwd, "run"), "-q"], { cwd });
    expect(run.stderr).not.toMatch(/unexpected error/);
    expect([0, 3]).toContain(run.code);
    const results = JSON.parse(readFileSync(join(cwd, "run", "results.json"), "utf8"));
    expect(results.suite.id).toBe("mine");
    expect(results.suite.rule).toBe("weighted-mean");
    const codes = results.benchmarks.find((b: { benchmark: string }) => b.benchmark === "codes");
    const niah = results.benchmarks.find((b: { benchmark: string }) => b.benchmark === "niah");
    expect(codes.score).toBe(100);
    // weighted mean: (3 × codes + 1 × niah) / 4, as loomscope rounds (Python's round to 2).
    const expected = Math.round(((3 * codes.score + niah.score) / 4) * 100) / 100;
    expect(results.suite.score).toBeCloseTo(expected, 2);
    // Re-scoring reads the suite file again.
    expect((await runCli(["score", join(cwd, "run")], { cwd })).code).toBe(0);
  });

  it("expresses the quickstart suite: the same units as the package", async () => {
    const cwd = project({});
    writeFileSync(
      join(cwd, "quickstart.yaml"),
      `suite: quickstart-file
entries:
  - benchmark: niah
    tasks: [niah]
    lengths: ["1000", "4256", "7513"]
    options: { document_depth_percents: [0, 50, 100], haystack: noise }
  - benchmark: ruler
    tasks: [niah_single_1, niah_multikey_2, niah_multikey_3, fwe]
    lengths: [4k]
    limit: 2
  - benchmark: counting-stars
    tasks: [en_acquisition, en_reasoning]
    lengths: [4k, 8k]
    options: { haystack: noise, maxNewTokens: 256 }
`,
    );
    const registry = new PluginRegistry({ cwd, packages: [NIAH, RULER, COUNTING_STARS, QUICKSTART] });
    const fromPackage = await buildPlan(registry, { targets: ["quickstart"], cwd });
    const fromFile = await buildPlan(registry, { targets: ["quickstart.yaml"], cwd, loadTaskFile, loadFileTarget });
    const units = (p: typeof fromPackage) => p.units.map((u) => [u.entry.benchmark.id, u.task.id, u.length ?? null, u.entry.limit ?? null, JSON.stringify(u.entry.options)]);
    expect(units(fromFile)).toEqual(units(fromPackage));
  });

  it("says what is wrong with a suite file", async () => {
    const cwd = project({ plugins: [NIAH, OPENAI_BACKEND] });
    const cases = [
      [`suite: s\nentries:\n  - benchmark: niah\n    task: x.yaml\n`, /an entry names either a benchmark or a task file/],
      [`suite: s\nentrys:\n  - benchmark: niah\n`, /unknown key "entrys" \(did you mean "entries"\?\)/],
      [`suite: s\nentries:\n  - benchmark: nieh\n`, /did you mean "niah"/],
      [`suite: s\nentries: []\n`, /entries/],
    ] as const;
    for (const [text, message] of cases) {
      writeFileSync(join(cwd, "bad.yaml"), text);
      const result = await runCli(["suite", "show", "bad.yaml"], { cwd });
      expect(result.stderr).toMatch(message);
      expect(result.code).toBe(2);
    }
  });
});
