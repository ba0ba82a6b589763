/**
 * The plugin as core runs it: rows from the official `<data_dir>/<task>.jsonl` layout, malformed rows
 * as data issues with file:line, the family's budgets, sampling and cut, the protocols, scoring and
 * the aggregate.
 */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createTestBenchmarkContext } from "@loomscope/testkit";
import type { Benchmark, Sample, TaskSpec } from "@loomscope/spec";
import infinitebench, { MAX_NEW_TOKENS, TASK_IDS } from "../src/index.js";

const fixtureDir = fileURLToPath(new URL("./fixtures/data/", import.meta.url));

async function all(b: Benchmark, request: Parameters<Benchmark["samples"]>[0], ctx = createTestBenchmarkContext({ dataDir: fixtureDir })): Promise<Sample[]> {
  const out: Sample[] = [];
  for await (const s of b.samples(request, ctx)) out.push(s);
  return out;
}
const task = (b: Benchmark, id: string): TaskSpec => b.tasks.find((t) => t.id === id) as TaskSpec;
const family = (f: string) => infinitebench.configure!({ protocol: "official", options: { family: f } });

describe("samples", () => {
  it("reads <task>.jsonl under --data-dir; a malformed row is a data issue naming file:line, the others keep their row ids", async () => {
    const ctx = createTestBenchmarkContext({ dataDir: fixtureDir });
    const got = await all(infinitebench, { task: "passkey" }, ctx);
    expect(got.map((s) => s.id)).toEqual(["passkey-0", "passkey-1"]);
    expect(ctx.issues.map((i) => [i.file.split("/").pop(), i.line])).toEqual([
      ["passkey.jsonl", 3],
      ["passkey.jsonl", 4],
    ]);
    expect(got[1]).toMatchObject({ references: ["69079"], scoring: { model_family: "gpt4" }, meta: { row: 1 } });
    expect(await infinitebench.count!({ task: "passkey" }, createTestBenchmarkContext({}))).toBe(590);
  });

  it("scores a prediction with the family compute_scores.py is run with", async () => {
    const [s] = await all(family("yarn-mistral"), { task: "passkey" });
    const scores = await family("yarn-mistral").score({ task: "passkey", references: s!.references, scoring: s!.scoring, prediction: " 71432." });
    expect(Object.keys(scores)).toEqual(["first_int_match"]);
  });
});

describe("the family's settings", () => {
  it("gpt4 (the default): chat with its system message, the task budgets, 127,000 tokens cut in one decode", () => {
    const t = task(infinitebench, "kv_retrieval");
    expect(t.maxNewTokens).toBe(MAX_NEW_TOKENS.kv_retrieval);
    expect(t.generation).toEqual({ temperature: 1 }); // eval_gpt4.py leaves the API's default
    expect(infinitebench.defaultMaxLength?.(t, 1_000_000)).toBe(127_000);
  });
  it("yarn-mistral: raw text, greedy, 128 × 1024 tokens; yi: vLLM's 16 new tokens at temperature 0.8, 200,000 tokens", () => {
    const y = family("yarn-mistral");
    expect(task(y, "longbook_sum_eng")).toMatchObject({ maxNewTokens: 1200 });
    expect(task(y, "longbook_sum_eng").generation).toEqual({ temperature: 0 }); // greedy
    expect(y.defaultMaxLength?.(task(y, "passkey"), 32768)).toBe(131072);
    const yi = family("yi-34b-200k");
    expect(task(yi, "math_calc")).toMatchObject({ maxNewTokens: 16, generation: { temperature: 0.8, topP: 0.95 } });
    expect(yi.defaultMaxLength?.(task(yi, "passkey"), undefined)).toBe(200_000);
  });
  it("kimi and claude2 offer only the tasks create_prompt can fill; API families fit to the model's window", () => {
    expect(family("kimi").tasks.map((t) => t.id)).toEqual(TASK_IDS.filter((t) => !/^longbook_(sum|choice|qa)|code_debug/.test(t)));
    expect(family("claude2").tasks.map((t) => t.id)).not.toContain("longbook_qa_eng");
    expect(family("claude2").defaultMaxLength?.(task(family("claude2"), "passkey"), 200_000)).toBe(200_000);
  });
  it("an unknown family is refused by core's option check; the family is refused under --protocol loom", () => {
    expect(infinitebench.options?.["family"]).toMatchObject({ type: "string", values: expect.arrayContaining(["gpt4", "chatglm3"]) });
    expect(() => infinitebench.configure!({ protocol: "loom", options: { family: "gpt4" } })).toThrow(/yarn-mistral/);
    const loom = infinitebench.configure!({ protocol: "loom", options: {} });
    expect(loom.defaultMaxLength?.(task(loom, "passkey"), 32768)).toBe(128000);
  });
});

describe("aggregate", () => {
  it("task score = 100 × mean (compute_scores.py's get_score), the average labelled as not official", () => {
    const agg = infinitebench.aggregate!([{ task: "passkey", length: null, n: 2, errors: 0, values: { first_int_match: [1, 0] } }]);
    expect(agg.tasks).toEqual({ passkey: 50 });
    expect(agg.groups).toEqual({ "average (not official)": 50 });
  });
});
