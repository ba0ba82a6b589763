/**
 * Results researchers can trust: a task that could not run and a sample that failed for good are
 * visible in every output, the score says it is partial; requests already answered are never paid
 * for again (the run directory resumes across --limit; the response cache across settings).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOpenAIServer, type FakeOpenAIServer } from "@loomscope/testkit";
import { answerLookup, OPENAI_BACKEND, project, recordLines, runCli } from "../helpers.js";

const TASK = (id: string, data: string, extra = "") => `id: ${id}
data: ${data}
template: "{context}\\n\\nQuestion: {question}\\nAnswer:"
context_field: context
query_field: question
references: answer
metrics: [exact_match, qa_f1]
max_new_tokens: 8
${extra}`;

const rows = (n: number, long?: number) =>
  Array.from({ length: n }, (_, i) =>
    JSON.stringify({
      context: `${i === long ? "filler words go here. ".repeat(300) : ""}The code for item ${i} is ${1000 + i}.`,
      question: `What is the code for item ${i}?`,
      answer: String(1000 + i),
    }),
  ).join("\n") + "\n";

describe("failures stay visible", () => {
  let server: FakeOpenAIServer;
  beforeAll(async () => {
    server = await startOpenAIServer({ models: [{ id: "small-model", maxModelLen: 2048 }], script: answerLookup });
  });
  afterAll(() => server.close());

  it("a task without data and a sample the server refuses appear in results.json, the table and the csv; the score is partial", async () => {
    const cwd = project({ plugins: [OPENAI_BACKEND] });
    // Never cut, and counted with a tokenizer that is not the server's: the client thinks the long
    // sample fits (~1.5k o200k tokens), the server counts 6.6k and refuses it with a 400.
    writeFileSync(join(cwd, "codes.yaml"), TASK("codes", "rows.jsonl", "truncation: none\n"));
    writeFileSync(join(cwd, "rows.jsonl"), rows(4, 2));
    writeFileSync(join(cwd, "hub.yaml"), TASK("hub-codes", "hf:example-org/missing/rows.jsonl"));
    const runDir = join(cwd, "run");
    const result = await runCli(["run", "codes.yaml", "hub.yaml", "--model", "openai:small-model", "--backend-opt", `baseURL=${server.baseURL}`, "--run-dir", runDir, "--offline", "-q", "--tokenizer", "tiktoken:o200k_base"], { cwd });
    expect(result.stderr).not.toMatch(/unexpected error/);
    expect(result.code).toBe(3);
    // -q hides progress, never what went wrong.
    expect(result.stderr).toMatch(/error: hub-codes\/hub-codes did not run: rows\.jsonl is not in the cache .*downloads are off/);

    const records = recordLines(runDir);
    expect(records.length).toBe(4);
    const failed = records.filter((r) => r.status === "error");
    expect(failed.map((r) => [r.id, r.error?.status])).toEqual([["codes-2", 400]]);

    const results = JSON.parse(readFileSync(join(runDir, "results.json"), "utf8"));
    expect(results.complete).toBe(false);
    const codes = results.benchmarks.find((b: { benchmark: string }) => b.benchmark === "codes");
    const hub = results.benchmarks.find((b: { benchmark: string }) => b.benchmark === "hub-codes");
    expect(codes.status.tasks.codes).toMatchObject({ planned: 4, scored: 3, failed: 1, notRun: 0, firstError: expect.stringMatching(/400/) });
    expect(codes.partial).toBe(true);
    expect(codes.partialReason).toMatch(/1 failed sample\(s\) are left out of the score/);
    // 3 of 3 scored samples are right; the score over the plan is not 100, so it is marked partial.
    expect(codes.score).toBe(100);
    expect(codes.status.tasks.codes.metrics.exact_match).toEqual({ mean: 100, stderr: 0, n: 3 });
    expect(hub.score).toBeNull();
    expect(hub.partial).toBe(true);
    expect(hub.status.cells["hub-codes"].all).toMatchObject({ scored: 0, unitError: expect.stringMatching(/not in the cache/) });

    // The table shows both benchmarks, the failed sample and the task that did not run.
    expect(result.stdout).toMatch(/codes \(general, judge: none\)|codes \(general\)/);
    expect(result.stdout).toMatch(/hub-codes\s+not run/);
    expect(result.stdout).toMatch(/overall\s+100\.00\*/);
    expect(result.stdout).toMatch(/\* partial: 1 failed sample\(s\) are left out of the score/);

    // The csv export has a row for each cell, the failed one included.
    const csv = await runCli(["report", runDir, "--format", "csv"], { cwd });
    expect(csv.code).toBe(0);
    expect(csv.stdout).toMatch(/hub-codes/);
    const lines = csv.stdout.trim().split("\n").map((l) => l.split(","));
    const col = (name: string) => lines[0]!.indexOf(name);
    const hubRow = lines.find((l) => l[col("benchmark")] === "hub-codes" && l[col("task")] === "hub-codes" && l[col("length")] === "")!;
    expect([hubRow[col("score")], hubRow[col("status")], hubRow[col("scored")]]).toEqual(["", "failed", "0"]);
    expect(hubRow.slice(col("note")).join(",")).toMatch(/could not run: .*not in the cache/);
    const codesRow = lines.find((l) => l[col("benchmark")] === "codes" && l[col("task")] === "codes" && l[col("length")] === "")!;
    expect([codesRow[col("score")], codesRow[col("n")], codesRow[col("failed")], codesRow[col("status")]]).toEqual(["100", "3", "1", "partial"]);
  });

  it("--limit 5 then --limit 12 sends exactly 7 more requests; another temperature sends all 12 again", async () => {
    const cwd = project({ plugins: [OPENAI_BACKEND] });
    writeFileSync(join(cwd, "codes.yaml"), TASK("codes", "rows.jsonl"));
    writeFileSync(join(cwd, "rows.jsonl"), rows(20));
    const args = ["run", "codes.yaml", "--model", "openai:small-model", "--backend-opt", `baseURL=${server.baseURL}`, "-q", "--tokenizer", "tiktoken:o200k_base"];
    const generations = () => server.requests.filter((r) => r.path.endsWith("/chat/completions")).length;
    const before = generations();
    expect((await runCli([...args, "--limit", "5"], { cwd })).code).toBe(0);
    expect(generations() - before).toBe(5);
    const second = await runCli([...args, "--limit", "12"], { cwd });
    expect(second.code).toBe(0);
    expect(generations() - before).toBe(12);
    expect(second.stdout).toMatch(/7 ok, 0 failed, 5 resumed/);
    const hot = await runCli([...args, "--limit", "12", "--gen", "temperature=0.7"], { cwd });
    expect(hot.code).toBe(0);
    expect(generations() - before).toBe(24);
    // The same settings once more, in a new run directory: every answer from the response cache.
    const cached = await runCli([...args, "--limit", "12", "--gen", "temperature=0.7", "--run-dir", join(cwd, "again")], { cwd });
    expect(cached.code).toBe(0);
    expect(generations() - before).toBe(24);
    expect(cached.stdout).toMatch(/12 ok \(12 from the response cache\)/);
    expect(recordLines(join(cwd, "again")).every((r) => (r as unknown as { cached?: boolean }).cached === true)).toBe(true);
  });
});
