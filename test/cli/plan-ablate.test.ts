/**
 * `loom plan` and `loom ablate` end to end through the CLI.
 *
 * plan: against the testkit OpenAI server, whose tokenizer is one token per UTF-8 byte (and whose
 * /tokenize the openai backend finds), on a task file whose prompts are counted by hand below; no
 * generation request is sent; what is recorded or cached is subtracted; truncation and prompts too
 * long for the window are the run's own verdicts; price and throughput give cost and GPU-hours.
 *
 * ablate: on the reference engine with a random tiny model, none plus two KV-pruning methods: the
 * table's tokens and counters are the sums of the records; a second ablation over the same cache
 * sends 0 generation requests.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOpenAIServer, type FakeOpenAIServer } from "@loomscope/testkit";
import { answerLookup, FIXTURE_BENCHMARK, OPENAI_BACKEND, project, recordLines, REPO, runCli } from "../helpers.js";

const TASK = `id: codes
data: data/rows.jsonl
template: "{context}\\n\\nQuestion: {question}\\nAnswer:"
context_field: context
query_field: question
references: answer
metrics: [exact_match]
max_new_tokens: 8
`;
const row = (i: number, context = `The code for item ${i} is ${3000 + i}.`) => JSON.stringify({ context, question: `What is the code for item ${i}?`, answer: String(3000 + i) });
/**
 * Hand count of one prompt, in UTF-8 bytes (= the testkit tokenizer's tokens):
 * "The code for item 0 is 3000." 28 + "\n\nQuestion: " 12 + "What is the code for item 0?" 28 + "\nAnswer:" 8 = 76.
 */
const PROMPT_TOKENS = 76;
/** The long row: a 100-byte context (28 + 1 + 71), so its prompt is 76 + 72 = 148 tokens. */
const LONG_CONTEXT = `The code for item 5 is 3005. ${"x".repeat(71)}`;

interface PlanJson {
  tokens: { basis: string; tokenizer: string | null };
  rows: { benchmark: string; task: string; samples: number; recorded: number; cached: number; requests: number; promptTokens: number; maxNewTokens: number; truncated: number; tooLong: number; failed: number }[];
  totals: { samples: number; recorded: number; cached: number; requests: number; promptTokens: number; maxNewTokens: number; truncated: number; tooLong: number };
  cost: { usd: number; source: string } | null;
  gpu: { hours: number; prefill: number; decode: number; source: string } | null;
  notices: string[];
}

describe("loom plan", () => {
  let server: FakeOpenAIServer;
  beforeAll(async () => {
    server = await startOpenAIServer({ models: ["test-model", { id: "small-model", maxModelLen: 90 }], script: answerLookup });
  });
  afterAll(() => server.close());
  const completions = () => server.requests.filter((r) => /\/(chat\/)?completions$/.test(r.path)).length;

  function files(rows: string[]): string {
    const cwd = project({ plugins: [OPENAI_BACKEND], backends: { openai: { baseURL: server.baseURL } } });
    writeFileSync(join(cwd, "task.yaml"), TASK);
    mkdirSync(join(cwd, "data"));
    writeFileSync(join(cwd, "data", "rows.jsonl"), rows.join("\n") + "\n");
    return cwd;
  }
  const plan = async (cwd: string, extra: string[] = []) => {
    const result = await runCli(["plan", "task.yaml", "--model", "openai:test-model", "--run-dir", join(cwd, "run"), "--json", ...extra], { cwd });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    return JSON.parse(result.stdout) as PlanJson;
  };

  it("counts samples, exact prompt tokens and the generation budget by hand, sending no generation request", async () => {
    const cwd = files([0, 1, 2, 3, 4].map((i) => row(i)));
    const before = completions();
    const p = await plan(cwd);
    expect(completions()).toBe(before);
    expect(p.tokens.basis).toBe("exact");
    expect(p.rows).toEqual([
      { benchmark: "codes", task: "codes", length: null, samples: 5, recorded: 0, cached: 0, requests: 5, promptTokens: 5 * PROMPT_TOKENS, maxNewTokens: 5 * 8, truncated: 0, tooLong: 0, failed: 0 },
    ]);
    // The table says the same, and the price and throughput give the cost and GPU-hours of those tokens.
    const text = await runCli(["plan", "task.yaml", "--model", "openai:test-model", "--run-dir", join(cwd, "run"), "--price", "in=2.5,out=10", "--throughput", "prefill=1000,decode=100"], { cwd });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/codes\s+codes\s+—\s+5\s+0\s+0\s+5\s+380\s+40\s+0\s+0\s+0/);
    expect(text.stdout).toMatch(/plan: 5 samples → 5 requests, 380 prompt tokens \(exact\), ≤ 40 generated/);
    const priced = await plan(cwd, ["--price", "in=2.5,out=10", "--throughput", "prefill=1000,decode=100"]);
    expect(priced.cost?.usd).toBeCloseTo((380 * 2.5 + 40 * 10) / 1e6, 12);
    expect(priced.gpu?.hours).toBeCloseTo((380 / 1000 + 40 / 100) / 3600, 12);
    expect(completions()).toBe(before);
  });

  it("subtracts what the run directory holds and what the response cache answers; loom run prints the plan's total first", async () => {
    const cwd = files([0, 1, 2, 3, 4].map((i) => row(i)));
    const run = await runCli(["run", "task.yaml", "--model", "openai:test-model", "--run-dir", join(cwd, "run"), "--limit", "3"], { cwd });
    expect(run.code).toBe(0);
    // Before it starts, without tokenizing every prompt twice: 76 characters a prompt at 4 a token.
    expect(run.stderr).toMatch(/plan: 3 samples → 3 requests, 57 prompt tokens \(est\.\), ≤ 24 generated/);
    const resumed = await plan(cwd);
    expect(resumed.totals).toMatchObject({ samples: 5, recorded: 3, cached: 0, requests: 2, promptTokens: 2 * PROMPT_TOKENS, maxNewTokens: 16 });
    // Another run directory: nothing recorded there, but the cache holds the three answers.
    const other = await runCli(["plan", "task.yaml", "--model", "openai:test-model", "--run-dir", join(cwd, "other"), "--json"], { cwd });
    expect((JSON.parse(other.stdout) as PlanJson).totals).toMatchObject({ samples: 5, recorded: 0, cached: 3, requests: 2, promptTokens: 2 * PROMPT_TOKENS });
    const noCache = await runCli(["plan", "task.yaml", "--model", "openai:test-model", "--run-dir", join(cwd, "other"), "--no-cache", "--json"], { cwd });
    expect((JSON.parse(noCache.stdout) as PlanJson).totals).toMatchObject({ cached: 0, requests: 5 });
  });

  it("reports prompts the run will truncate, and prompts too long for the window that it will not send", async () => {
    const cwd = files([...[0, 1, 2, 3, 4].map((i) => row(i)), row(5, LONG_CONTEXT)]);
    const model = ["--model", "openai:small-model"];
    // Window 90, budget 8: room for 82. Cut to 80, the long prompt fits; uncut (max length 200) it does not.
    const cut = await runCli(["plan", "task.yaml", ...model, "--max-length", "80", "--json"], { cwd });
    expect(cut.code).toBe(0);
    expect((JSON.parse(cut.stdout) as PlanJson).totals).toMatchObject({ samples: 6, requests: 6, truncated: 1, tooLong: 0, promptTokens: 5 * PROMPT_TOKENS + 80 });
    const uncut = await runCli(["plan", "task.yaml", ...model, "--max-length", "200", "--json"], { cwd });
    expect((JSON.parse(uncut.stdout) as PlanJson).totals).toMatchObject({ samples: 6, requests: 5, truncated: 0, tooLong: 1, promptTokens: 5 * PROMPT_TOKENS });
  });

  it("--measure times one prefill-heavy and one decode-heavy request on the live server", async () => {
    const cwd = files([row(0)]);
    const before = completions();
    const p = await plan(cwd, ["--measure"]);
    expect(completions() - before).toBe(2);
    expect(p.gpu?.source).toMatch(/^measured/);
    expect(p.gpu!.prefill).toBeGreaterThan(0);
    expect(p.gpu!.decode).toBeGreaterThan(0);
  });

  it("plans a run that loom run would refuse (a judge metric without --judge), saying so", async () => {
    const cwd = project({ plugins: [join(REPO, "test/fixtures/plugins/benchmark-judged"), OPENAI_BACKEND], backends: { openai: { baseURL: server.baseURL } } });
    const result = await runCli(["plan", "judged-qa", "--model", "openai:test-model"], { cwd });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/note: loom run would refuse: these metrics are scored by a judge model and no judge is bound/);
    expect(result.stdout).toMatch(/plan: \d+ samples → \d+ requests/);
  });

  it("refuses bad flags with the expected form", async () => {
    const cwd = files([row(0)]);
    const bad = await runCli(["plan", "task.yaml", "--model", "openai:test-model", "--price", "in=2"], { cwd });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--price: missing out \(expected in=<number>,out=<number>\)/);
    const zero = await runCli(["plan", "task.yaml", "--model", "openai:test-model", "--throughput", "prefill=0,decode=1"], { cwd });
    expect(zero.code).toBe(2);
    expect(zero.stderr).toMatch(/--throughput: prefill must be a positive number/);
  });
});

const ENGINE = join(REPO, "plugins/backends/engine");
const KV = join(REPO, "plugins/accelerators/kv-pruning");

interface AblationJson {
  baseline: string;
  variants: { name: string; requests: number; cached: number; promptTokens: number; completionTokens: number; counters: Record<string, number>; runDir: string }[];
  rows: { variant: string; benchmark: string; task: string | null; score: number | null; delta: number | null; paired: { n: number; test: string | null } | null; counters: Record<string, number>; promptTokens: number; completionTokens: number }[];
}

interface EngineRecordLine {
  status: string;
  usage: { promptTokens: number | null; completionTokens: number | null };
  engineStats?: Record<string, unknown>;
  cached?: boolean;
}

describe("loom ablate", () => {
  const VARIANTS = "none,kv-pruning:snapkv,budget=32,kv-pruning:h2o,budget=32";
  const NAMES = ["none", "kv-pruning:snapkv,budget=32", "kv-pruning:h2o,budget=32"];
  const cwd = project({ plugins: [FIXTURE_BENCHMARK, ENGINE, KV], benchmarks: { "fixture-qa": { samples: 3, words: 60 } } });
  const ablate = (dir: string) => runCli(["ablate", "fixture-qa", "--tasks", "lookup", "--model", "engine:random:tiny", "--variants", VARIANTS, "--dir", join(cwd, dir), "--json", "-q"], { cwd });

  it("runs none and two KV-pruning methods; the table's tokens and counters are the records' sums", async () => {
    const result = await ablate("first");
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const table = JSON.parse(result.stdout) as AblationJson;
    expect(table.baseline).toBe("none");
    expect(table.variants.map((v) => v.name)).toEqual(NAMES);
    for (const v of table.variants) {
      const records = recordLines(v.runDir) as unknown as EngineRecordLine[];
      expect(records.length).toBe(3);
      expect(v.requests).toBe(3);
      const sums: Record<string, number> = {};
      for (const r of records) for (const [k, x] of Object.entries(r.engineStats ?? {})) if (typeof x === "number") sums[`engine.${k}`] = (sums[`engine.${k}`] ?? 0) + x;
      expect(v.counters).toEqual(sums);
      expect(v.promptTokens).toBe(records.reduce((a, r) => a + (r.usage.promptTokens ?? 0), 0));
      expect(v.completionTokens).toBe(records.reduce((a, r) => a + (r.usage.completionTokens ?? 0), 0));
      const taskRow = table.rows.find((r) => r.variant === v.name && r.task === "lookup")!;
      expect(taskRow.counters).toEqual(sums);
      expect(taskRow.paired === null).toBe(v.name === "none");
      if (v.name !== "none") expect(taskRow.paired?.n).toBe(3);
    }
    // Pruning to 32 entries keeps fewer KV entries than the dense baseline.
    const kept = (name: string) => table.variants.find((v) => v.name === name)!.counters["engine.kvEntriesKept"]!;
    expect(kept("kv-pruning:snapkv,budget=32")).toBeLessThan(kept("none"));
    expect(readFileSync(join(cwd, "first", "ablation.html"), "utf8")).toMatch(/<svg[^>]*aria-label="quality\/cost frontier"/);
    expect(readFileSync(join(cwd, "first", "ablation.md"), "utf8")).toMatch(/## Quality\/cost frontier/);
    expect(existsSync(join(cwd, "first", "ablation.json"))).toBe(true);
  });

  it("a second ablation over the same response cache sends 0 generation requests", async () => {
    const result = await ablate("second");
    expect(result.code).toBe(0);
    const table = JSON.parse(result.stdout) as AblationJson;
    for (const v of table.variants) {
      expect(v.requests).toBe(0);
      expect(v.cached).toBe(3);
      const records = recordLines(v.runDir) as unknown as EngineRecordLine[];
      expect(records.every((r) => r.cached === true)).toBe(true);
      const manifest = JSON.parse(readFileSync(join(v.runDir, "manifest.json"), "utf8")) as { totals: { requests: number } };
      expect(manifest.totals.requests).toBe(0);
    }
  });

  it("a variant that cannot run is a row saying why, the others still run, and the exit code says so", async () => {
    const result = await runCli(["ablate", "fixture-qa", "--tasks", "lookup", "--model", "engine:random:tiny", "--variants", "none,kv-pruning:nosuch", "--dir", join(cwd, "third"), "--json", "-q"], { cwd });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/error: variant kv-pruning:nosuch did not run: kv-pruning has no method "nosuch"/);
    const table = JSON.parse(result.stdout) as Omit<AblationJson, "variants"> & { variants: { name: string; error?: string | null }[] };
    expect(table.variants.map((v) => [v.name, v.error ?? null])).toEqual([
      ["none", null],
      ["kv-pruning:nosuch", expect.stringMatching(/has no method "nosuch"/)],
    ]);
    expect(table.rows.every((r) => r.variant === "none")).toBe(true);
  });

  it("refuses a parameter with no accelerator before it", async () => {
    const result = await runCli(["ablate", "fixture-qa", "--model", "engine:random:tiny", "--variants", "budget=32,none"], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/"budget=32" is a parameter with no accelerator before it/);
  });
});
