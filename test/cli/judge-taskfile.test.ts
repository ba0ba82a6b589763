/**
 * The judge slot and task files, end to end through the CLI against the testkit server: the judge
 * gets the benchmark's prompt, its calls are cached (re-scoring makes none), a run that needs a
 * judge and has none refuses; a task file runs with exact scores and bad ones are clear errors.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOpenAIServer, type FakeOpenAIServer, type ScriptRequest } from "@loomscope/testkit";
import { answerLookup, OPENAI_BACKEND, project, recordLines, REPO, runCli } from "../helpers.js";

const JUDGED = join(REPO, "test/fixtures/plugins/benchmark-judged");

/** The model answers lookups (item 3 wrong on purpose); the judge compares the two answers. */
function script(request: ScriptRequest): string {
  if (request.prompt.includes("JUDGE:")) {
    const ref = /Reference answer: (.*)/.exec(request.prompt)?.[1];
    const got = /Model answer: (.*)/.exec(request.prompt)?.[1];
    return ref !== undefined && got?.includes(ref) ? "yes" : "no";
  }
  return request.prompt.includes("item 3?") ? "9999" : answerLookup(request);
}

describe("judge metrics", () => {
  let server: FakeOpenAIServer;
  beforeAll(async () => {
    server = await startOpenAIServer({ models: ["test-model", "judge-model"], script });
  });
  afterAll(() => server.close());
  const judgeCalls = () => server.requests.filter((r) => r.path.endsWith("/chat/completions") && (JSON.stringify(r.body) ?? "").includes("JUDGE:")).length;

  it("sends the benchmark's judge prompt, records the verdicts, names the judge, and re-scoring makes no judge call", async () => {
    const cwd = project({ plugins: [JUDGED, OPENAI_BACKEND], backends: { openai: { baseURL: server.baseURL } } });
    const runDir = join(cwd, "run");
    const before = judgeCalls();
    const run = await runCli(["run", "judged-qa", "--model", "openai:test-model", "--judge", "openai:judge-model", "--run-dir", runDir, "--tokenizer", "tiktoken:o200k_base", "-q"], { cwd });
    expect(run.stderr).not.toMatch(/unexpected error/);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(judgeCalls() - before).toBe(4);
    const judged = server.requests.filter((r) => (JSON.stringify(r.body) ?? "").includes("JUDGE:")).at(-1)!;
    expect((judged.body as { model: string }).model).toBe("judge-model");
    expect((judged.body as { messages: { content: string }[] }).messages[0]!.content).toMatch(/^JUDGE: Question: What is the code for item \d\?\nReference answer: \d+\nModel answer: .*\nIs the model answer correct\? Reply with yes or no\.$/);
    const records = recordLines(runDir) as unknown as { id: string; scores: Record<string, number>; judge?: { judge: string; verdict: string }[] }[];
    expect(records.map((r) => [r.id, r.scores["judge_correct"]]).sort()).toEqual([["lookup-0", 1], ["lookup-1", 1], ["lookup-2", 1], ["lookup-3", 0]]);
    expect(records.every((r) => r.judge?.[0]?.judge === "openai:judge-model")).toBe(true);
    const results = JSON.parse(readFileSync(join(runDir, "results.json"), "utf8"));
    expect(results.benchmarks[0].judge).toBe("openai:judge-model");
    expect(results.benchmarks[0].metrics.judge_correct.judge).toBe("LLM judge");
    expect(run.stdout).toMatch(/judge: openai:judge-model/);

    const rescore = await runCli(["score", runDir], { cwd });
    expect(rescore.code).toBe(0);
    expect(judgeCalls() - before).toBe(4);
  });

  it("refuses before any request when a metric needs a judge and none is bound, naming the flag", async () => {
    const cwd = project({ plugins: [JUDGED, OPENAI_BACKEND], backends: { openai: { baseURL: server.baseURL } } });
    const requests = server.requests.length;
    const run = await runCli(["run", "judged-qa", "--model", "openai:test-model", "--tokenizer", "tiktoken:o200k_base"], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/judged-qa\/lookup: judge_correct \(LLM judge\)/);
    expect(run.stderr).toMatch(/--judge <backend:model>/);
    expect(server.requests.filter((r) => r.path.endsWith("/chat/completions")).length).toBe(server.requests.slice(0, requests).filter((r) => r.path.endsWith("/chat/completions")).length);
  });
});

describe("task files", () => {
  let server: FakeOpenAIServer;
  beforeAll(async () => {
    server = await startOpenAIServer({ models: ["test-model"], script });
  });
  afterAll(() => server.close());

  const TASK = `id: codes
data: data/rows.jsonl
template: "{context}\\n\\nQuestion: {question}\\nAnswer:"
context_field: context
query_field: question
references: answer
metrics: [exact_match, qa_f1]
max_new_tokens: 8
`;
  const rows = Array.from({ length: 5 }, (_, i) => JSON.stringify({ context: `The code for item ${i} is ${3000 + i}.`, question: `What is the code for item ${i}?`, answer: String(3000 + i) }));

  function files(yaml: string, data: string[]): string {
    const cwd = project({ plugins: [OPENAI_BACKEND], backends: { openai: { baseURL: server.baseURL } } });
    writeFileSync(join(cwd, "task.yaml"), yaml);
    mkdirSync(join(cwd, "data"));
    writeFileSync(join(cwd, "data", "rows.jsonl"), data.join("\n") + "\n");
    return cwd;
  }
  const run = (cwd: string, target: string, extra: string[] = []) => runCli(["run", target, "--model", "openai:test-model", "--tokenizer", "tiktoken:o200k_base", "--run-dir", join(cwd, "run"), ...extra], { cwd });

  it("runs from any folder with exact scores; a malformed line is a data issue with file:line", async () => {
    const cwd = files(TASK, [...rows.slice(0, 2), "{oops", ...rows.slice(2)]);
    // Five good rows; item 3 is answered wrong by the model: 4 of 5 right.
    const result = await runCli(["run", join(cwd, "task.yaml"), "--model", "openai:test-model", "--backend-opt", `baseURL=${server.baseURL}`, "--tokenizer", "tiktoken:o200k_base", "--run-dir", join(cwd, "run")], { cwd: REPO });
    expect(result.stderr).toMatch(/data\/rows\.jsonl:3: invalid JSON/);
    expect(result.code).toBe(0);
    const results = JSON.parse(readFileSync(join(cwd, "run", "results.json"), "utf8"));
    expect(results.benchmarks[0].score).toBe(80);
    expect(results.benchmarks[0].status.tasks.codes.metrics.exact_match).toMatchObject({ mean: 80, n: 5 });
    expect(recordLines(join(cwd, "run")).length).toBe(5);
  });

  it("says what is wrong with a task file, and exits 2", async () => {
    const bad = [
      [TASK.replace("[exact_match, qa_f1]", "[exact_matsh]"), /unknown metric "exact_matsh" \(did you mean "exact_match"\?\)/],
      [TASK.replace("references: answer\n", ""), /missing required key "references"/],
      [TASK.replace("template:", "templat:"), /task\.yaml:3: unknown key "templat" \(did you mean "template"\?\)/],
      [TASK.replace("data/rows.jsonl", "data/nowhere.jsonl"), /task\.yaml: data file .*nowhere\.jsonl does not exist/],
    ] as const;
    for (const [yaml, message] of bad) {
      const cwd = files(yaml, rows);
      const result = await run(cwd, "task.yaml");
      expect(result.stderr).toMatch(message);
      expect(result.code).toBe(2);
    }
  });
});
