/**
 * LooGLE end to end: official rows (fixtures/data, from LooGLE-testdata) served as the hub's
 * data.zip → `loom run loogle` against a scripted fake model and a scripted fake GPT-4 judge →
 * the numbers and judge requests the official Evaluation code gives on the same predictions
 * (fixtures/expected.json, made by plugins/benchmarks/loogle/scripts/make-e2e-fixture.py).
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeZip } from "@loomscope/core";
import { startOpenAIServer, type FakeOpenAIServer, type ScriptRequest } from "@loomscope/testkit";
import { OPENAI_BACKEND, project, recordLines, REPO, runCli } from "../helpers.js";
import { serveFiles, type HubStandIn } from "../hub-standin.js";

const LOOGLE = join(REPO, "plugins/benchmarks/loogle");
const FIX = join(REPO, "test/loogle/fixtures");
const TASKS = ["shortdep_qa", "longdep_summarization", "shortdep_cloze"] as const;
const script = JSON.parse(readFileSync(join(FIX, "script.json"), "utf8")) as { model: { match: string; answer: string }[]; judge: { match: string; reply: string }[] };
const expected = JSON.parse(readFileSync(join(FIX, "expected.json"), "utf8")) as {
  automatic: Record<string, Record<string, number | number[]>>;
  llm: Record<string, { get_gpt4_score: number }>;
  judge_requests: Record<string, { role: string; content: string }[][]>;
};
const rows = (task: string) => readFileSync(join(FIX, "data", `${task}.json`), "utf8");

const lastContent = (r: ScriptRequest) => r.messages?.at(-1)?.content ?? r.prompt;

/** The fake model: the scripted answer for the question (or document) it is asked about. */
function model(request: ScriptRequest): string {
  const text = lastContent(request);
  const question = /\nQuestion: ([\s\S]*)\nAnswer: $/.exec(text)?.[1] ?? / Question: ([\s\S]*) What are the masked entities\? \nAnswer:$/.exec(text)?.[1];
  const hit = script.model.find((m) => (question !== undefined ? m.match === question : text.includes(m.match)));
  return hit?.answer ?? "no scripted answer";
}
/** The fake judge: the scripted verdict for the question (QA) or the generated summary. */
const judge = (request: ScriptRequest): string => script.judge.find((j) => lastContent(request).includes(j.match))?.reply ?? "no scripted verdict";

/** Generation requests a fake server answered (its probes and tokenizer calls aside). */
const judgeChats = (server: FakeOpenAIServer) => server.requests.filter((r) => r.method === "POST" && r.path.endsWith("/chat/completions"));
const close = (got: number | null | undefined, want: number) => expect(got).toBeCloseTo(want, 9);

describe("LooGLE end to end", () => {
  let modelServer: FakeOpenAIServer;
  let judgeServer: FakeOpenAIServer;
  let hub: HubStandIn;
  let hubUrl = "";
  const hubRequests: string[] = [];

  beforeAll(async () => {
    modelServer = await startOpenAIServer({ models: [{ id: "test-model", maxModelLen: 32768 }], script: model });
    judgeServer = await startOpenAIServer({ models: [{ id: "judge-model", maxModelLen: 32768 }], script: judge });
    const zip = makeZip(Object.fromEntries(TASKS.map((t) => [`data/${t}.json`, rows(t)])));
    hub = await serveFiles(new Map([["/datasets/bigainlco/LooGLE/resolve/main/data.zip", zip]]), { requests: hubRequests });
    hubUrl = `${hub.url}`;
  });
  afterAll(async () => {
    await modelServer.close();
    await judgeServer.close();
    hub.close();
  });

  const run = (cwd: string, extra: string[], env: Record<string, string> = {}) =>
    runCli(["run", "loogle", "--tasks", TASKS.join(","), "--model", "openai:test-model", "--backend-opt", `baseURL=${modelServer.baseURL}`, ...extra], { cwd, env });

  it("downloads data.zip through HF_ENDPOINT, sends the official judge prompts, prints the official numbers; re-scoring calls no judge", async () => {
    const cwd = project({ plugins: [LOOGLE, OPENAI_BACKEND] });
    const runDir = join(cwd, "run");
    const result = await run(
      cwd,
      ["--run-dir", runDir, "--cache-dir", join(cwd, "cache"), "--judge", "openai:judge-model", "--judge-opt", `baseURL=${judgeServer.baseURL}`, "--benchmark-opt", "loogle.promptStyle=gpt"],
      { HF_ENDPOINT: hubUrl },
    );
    expect(result.stderr.split("\n").filter((l) => /^error/.test(l))).toEqual([]);
    expect(result.code).toBe(0);
    expect(hubRequests.filter((u) => u.endsWith("data.zip")).length).toBe(1);
    const records = recordLines(runDir) as (ReturnType<typeof recordLines>[number] & { finishReason: string | null })[];
    expect(records.map((r) => r.status)).toEqual(Array(14).fill("ok"));
    // Every scripted answer fits its task's budget (the official Output files hold them whole).
    expect(records.every((r) => r.finishReason === "stop")).toBe(true);

    // pred_gpt_models.py: the whole prompt is one system message.
    const sent = modelServer.requests.filter((r) => r.path.endsWith("/chat/completions")).map((r) => (r.body as { messages: { role: string }[] }).messages.map((m) => m.role));
    expect(sent.length).toBe(14);
    expect(sent.every((roles) => roles.join() === "system")).toBe(true);

    // The judge got exactly what llm_score.py sends (order aside: samples run concurrently).
    const asked = judgeChats(judgeServer).map((r) => JSON.stringify((r.body as { messages: unknown }).messages));
    const want = Object.values(expected.judge_requests).flat().map((m) => JSON.stringify(m));
    expect([...asked].sort()).toEqual([...want].sort());
    expect(judgeChats(judgeServer).every((r) => (r.body as { max_tokens?: number; temperature?: number }).max_tokens === 10 && (r.body as { temperature?: number }).temperature === 0)).toBe(true);

    const results = JSON.parse(readFileSync(join(runDir, "results.json"), "utf8"));
    const table = results.benchmarks[0].tables[0] as { rows: string[]; columns: string[]; cells: (number | null)[][] };
    const at = (task: string, column: string) => table.cells[table.rows.indexOf(task)]![table.columns.indexOf(column)];
    for (const task of ["shortdep_qa", "longdep_summarization"]) {
      const printed = expected.automatic[`${task}_e2e-model.jsonl`]!;
      const [b1, b4] = printed["get_bleu_score"] as number[];
      const [r1, r2, rl] = printed["get_rouge_score"] as number[];
      close(at(task, "BLEU-1"), 100 * b1!);
      close(at(task, "BLEU-4"), 100 * b4!);
      close(at(task, "ROUGE-1"), 100 * r1!);
      close(at(task, "ROUGE-2 (README: ROUGE-4)"), 100 * r2!);
      close(at(task, "ROUGE-L"), 100 * rl!);
      close(at(task, "METEOR"), 100 * (printed["get_meteor_score"] as number));
    }
    // QA: 2 True, 2 False, 2 malformed verdicts left out; summaries: int(" 40\n") and int("85").
    close(at("shortdep_qa", "GPT-4 judge (QA accuracy)"), 100 * expected.llm["shortdep_qa_e2e-model.jsonl"]!.get_gpt4_score);
    close(at("longdep_summarization", "GPT-4 score (0-100)"), expected.llm["longdep_summarization_e2e-model.jsonl"]!.get_gpt4_score);
    close(at("shortdep_cloze", "Exact match"), 100 * (expected.automatic["shortdep_cloze_e2e-model.jsonl"]!["get_exact_match"] as number));
    close(at("shortdep_cloze", "Partial match"), 100 * (expected.automatic["shortdep_cloze_e2e-model.jsonl"]!["get_partial_match"] as number));
    expect(result.stdout).toMatch(/LooGLE \(x100; BERTScore not computed\)/);
    expect(result.stdout).toMatch(/shortdep_qa\s.*\s50\.00\s/);

    // A second scoring pass replays the judge from the cache: no judge call.
    const before = judgeChats(judgeServer).length;
    const again = await runCli(["score", runDir], { cwd, env: { OPENAI_BASE_URL: judgeServer.baseURL, LOOMSCOPE_CACHE_DIR: join(cwd, "cache") } });
    expect(again.stderr.split("\n").filter((l) => /^error/.test(l))).toEqual([]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/re-scored 14 records \(0 changed\)/);
    expect(judgeChats(judgeServer).length).toBe(before);
  });

  it("without --judge the run stops before anything is sent, naming the flag (exit 2)", async () => {
    const cwd = project({ plugins: [LOOGLE, OPENAI_BACKEND] });
    const requests = judgeChats(modelServer).length;
    const result = await run(cwd, ["--run-dir", join(cwd, "run"), "--cache-dir", join(cwd, "cache")], { HF_ENDPOINT: hubUrl });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/loogle\/shortdep_qa: gpt4_judge \(LLM judge\)/);
    expect(result.stderr).toMatch(/--judge/);
    expect(judgeChats(modelServer).length).toBe(requests);
  });

  it("reads the official rows from --data-dir offline and reports a malformed row with file:line (automatic metrics only)", async () => {
    const cwd = project({ plugins: [LOOGLE, OPENAI_BACKEND] });
    const dataDir = join(cwd, "data");
    mkdirSync(dataDir);
    for (const t of TASKS) writeFileSync(join(dataDir, `${t}.json`), rows(t));
    // A row whose qa_pairs is not a string (the scripts' eval() would fail on it).
    writeFileSync(join(dataDir, "shortdep_qa.json"), rows("shortdep_qa") + JSON.stringify({ input: "x", title: "t", qa_pairs: ["not", "a", "string"], output: "none" }) + "\n");
    const hub0 = hubRequests.length;
    const result = await run(cwd, ["--run-dir", join(cwd, "run"), "--data-dir", dataDir, "--offline", "--cache-dir", join(cwd, "empty-cache"), "--benchmark-opt", "loogle.llmEval=false"]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/shortdep_qa\.json:3: qa_pairs/);
    expect(hubRequests.length).toBe(hub0);
    const results = JSON.parse(readFileSync(join(cwd, "run", "results.json"), "utf8"));
    const table = results.benchmarks[0].tables[0] as { rows: string[]; columns: string[]; cells: (number | null)[][] };
    expect(table.columns).not.toContain("GPT-4 judge (QA accuracy)");
    const [b1] = expected.automatic["shortdep_qa_e2e-model.jsonl"]!["get_bleu_score"] as number[];
    close(table.cells[table.rows.indexOf("shortdep_qa")]![table.columns.indexOf("BLEU-1")], 100 * b1!);
  });
});

describe("loom score loogle --predictions (the official Output/ folder)", () => {
  let judgeServer: FakeOpenAIServer;
  beforeAll(async () => {
    judgeServer = await startOpenAIServer({ models: [{ id: "judge-model", maxModelLen: 32768 }], script: judge });
  });
  afterAll(async () => {
    await judgeServer.close();
  });

  it("writes score_official.json with what automatic_eval.py and llm_eval.py print, the judge asked in the official order", async () => {
    const cwd = project({ plugins: [LOOGLE, OPENAI_BACKEND] });
    const predictions = join(cwd, "Output");
    cpSync(join(FIX, "Output"), predictions, { recursive: true });
    const result = await runCli(["score", "loogle", "--predictions", predictions, "--judge", "openai:judge-model"], { cwd, env: { OPENAI_BASE_URL: judgeServer.baseURL } });
    expect(result.stderr.split("\n").filter((l) => /^error/.test(l))).toEqual([]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/wrote .*score_official\.json/);
    const got = JSON.parse(readFileSync(join(predictions, "score_official.json"), "utf8"));
    for (const [name, printed] of Object.entries(expected.automatic)) {
      const dict = got[name][name.startsWith("shortdep_cloze") ? "automatic_match" : "automatic_sim"];
      for (const [key, value] of Object.entries(printed)) {
        if (Array.isArray(value)) value.forEach((v, i) => close(dict[key][i], v));
        else close(dict[key], value);
      }
    }
    for (const [name, printed] of Object.entries(expected.llm)) {
      expect(got[name].llm).toEqual({ get_gpt4_score: printed.get_gpt4_score, judge: "openai:judge-model" });
    }
    expect(got.python_hash_seed).toBe(0);
    // scoreOfficial asks one question at a time, in sorted file order: the requests equal llm_score.py's, in order.
    expect(judgeChats(judgeServer).map((r) => (r.body as { messages: unknown }).messages)).toEqual([...expected.judge_requests["longdep_summarization_e2e-model.jsonl"]!, ...expected.judge_requests["shortdep_qa_e2e-model.jsonl"]!]);
  });
});
