/**
 * L-CiteEval end to end, against the plugin's parity fixture made by running the official
 * eval_citation.py (test/fixtures/parity-citation.json: records in the official format, the model's
 * generations, every NLI pair the script asked with the label it got, and the file it wrote):
 * L-CiteEval-Data/2wikimultihopqa.json served by a stand-in for the Hugging Face hub → `loom run
 * l-citeeval` with the testkit's OpenAI server as the model (it answers each record's prompt with
 * its generation) and as the NLI judge (every request must be one of the official pairs, premise and
 * hypothesis byte for byte; it answers with the official label) → per-bucket and total citation
 * numbers equal to eval_citation.py's file; re-scoring makes no judge call; without --judge exit 2;
 * --data-dir offline with a malformed record; LOOM-Scope's four-message prompt under --protocol
 * loom; `loom score l-citeeval --predictions` writing deberta_score_*.json byte for byte.
 */
import { createHash } from "node:crypto";
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOpenAIServer, type FakeOpenAIServer, type ScriptRequest } from "@loomscope/testkit";
import { PROMPT_FILES } from "@loomscope/benchmark-l-citeeval";
import { OPENAI_BACKEND, project, recordLines, REPO, runCli } from "../helpers.js";
import { serveFiles, type HubStandIn } from "../hub-standin.js";

const PLUGIN = join(REPO, "plugins/benchmarks/l-citeeval");
const FX = join(PLUGIN, "test/fixtures");
interface Run {
  exp: string;
  task: string;
  records: { id: number; question: string; answer: unknown; length: number }[];
  generations: string[];
  nli: [string, string][];
  output: string;
}
const runs = (JSON.parse(readFileSync(join(FX, "parity-citation.json"), "utf8")) as { runs: Run[] }).runs;
const run = runs.find((r) => r.exp === "l-citeeval" && r.task === "2wikimultihopqa") as Run;
const official = JSON.parse(run.output) as { length: number | string; citation_rec: number; citation_prec: number; citation_f1: number; cite_num: number; sample_num: number }[];
const dataText = JSON.stringify(run.records);
const sha = (s: string): string => createHash("sha256").update(s, "utf8").digest("hex");
const REVISION = "c79c928529593f478e6573c969cf73d22f0cf0f9";

/** The official label of each NLI pair (sha256 of premise \0 hypothesis), in the order the script asked. */
function labels(): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const [k, l] of run.nli) m.set(k, [...(m.get(k) ?? []), l]);
  return m;
}

/** nltk's data folder holding punkt_tab/english (the Punkt parameters the fixture was made with). */
function nltkData(dir: string): string {
  const target = join(dir, "nltk_data", "tokenizers", "punkt_tab");
  mkdirSync(target, { recursive: true });
  cpSync(join(FX, "punkt_tab"), target, { recursive: true });
  return join(dir, "nltk_data");
}

describe("L-CiteEval end to end", () => {
  let model: FakeOpenAIServer;
  let nli: FakeOpenAIServer;
  let hub: HubStandIn;
  let hubUrl = "";
  const hubRequests: string[] = [];
  const modelRequests: ScriptRequest[] = [];
  const unexpected: string[] = [];
  let queues = labels();

  beforeAll(async () => {
    model = await startOpenAIServer({
      models: [{ id: "test-model", maxModelLen: 200_000 }],
      script: (r) => {
        modelRequests.push(r);
        // The record whose question the prompt ends with (the longest match: one question may contain another).
        const i = run.records
          .map((rec, k) => [k, rec.question] as const)
          .filter(([, q]) => r.lastUserMessage.includes(`Question: ${q}\nAnswer:`))
          .sort((a, b) => b[1].length - a[1].length)[0]?.[0];
        return i === undefined ? "unknown prompt" : (run.generations[i] as string);
      },
    });
    nli = await startOpenAIServer({
      models: [{ id: "nli-model", maxModelLen: 200_000 }],
      cutAtMaxTokens: false,
      script: (r) => {
        const [premise, hypothesis] = (r.messages ?? []).map((m) => m.content);
        if (r.messages?.length !== 2 || r.messages.some((m) => m.role !== "user")) unexpected.push(`not a text pair: ${JSON.stringify(r.messages).slice(0, 100)}`);
        const label = queues.get(sha(`${premise}\u0000${hypothesis}`))?.shift();
        if (label === undefined) unexpected.push(`${premise?.slice(0, 60)} | ${hypothesis?.slice(0, 60)}`);
        return label ?? "neutral";
      },
    });
    hub = await serveFiles(new Map([[`/datasets/Jonaszky123/L-CiteEval/resolve/${REVISION}/L-CiteEval-Data/2wikimultihopqa.json`, dataText]]), { requests: hubRequests });
    hubUrl = `${hub.url}`;
  });
  afterAll(async () => {
    await model.close();
    await nli.close();
    hub.close();
  });

  const args = (runDir: string, extra: string[]) => ["run", "l-citeeval", "--tasks", "2wikimultihopqa", "--model", "openai:test-model", "--backend-opt", `baseURL=${model.baseURL}`, "--run-dir", runDir, ...extra];

  it("downloads through HF_ENDPOINT, asks the NLI judge the official pairs, and reports eval_citation.py's numbers; re-scoring asks nothing", async () => {
    queues = labels();
    const cwd = project({ plugins: [PLUGIN, OPENAI_BACKEND] });
    const runDir = join(cwd, "run");
    const env = { HF_ENDPOINT: hubUrl, NLTK_DATA: nltkData(cwd) };
    const result = await runCli(args(runDir, ["--judge", "openai:nli-model", "--judge-opt", `baseURL=${nli.baseURL}`, "--cache-dir", join(cwd, "cache")]), { cwd, env });
    expect(result.stderr.split("\n").filter((l) => /^error/.test(l))).toEqual([]);
    expect(result.code).toBe(0);
    expect(hubRequests.filter((u) => u.endsWith("2wikimultihopqa.json")).length).toBe(1);
    // Records at 48000 and 60000 are in no bucket (nor in any official number): the buckets' samples run.
    const bucketed = official.slice(0, -1).reduce((n, o) => n + o.sample_num, 0);
    expect(bucketed).toBe(12);
    expect(recordLines(runDir).length).toBe(bucketed);
    expect(modelRequests.length).toBe(bucketed);

    // Every NLI request was one of the script's pairs, and every pair was asked (a pair asked again is one cached call, answered alike).
    expect(unexpected).toEqual([]);
    const all = labels();
    for (const [k, left] of queues) {
      expect(left.length).toBeLessThan((all.get(k) ?? []).length);
      for (const l of left) expect(all.get(k)).toContain(l);
    }
    expect(nli.stats.completions).toBe(run.nli.length - [...queues.values()].reduce((n, q) => n + q.length, 0));

    const results = JSON.parse(readFileSync(join(runDir, "results.json"), "utf8"));
    const b = results.benchmarks[0];
    const total = official.at(-1)!;
    expect(b.tasks["2wikimultihopqa"]).toBe(total.citation_f1);
    expect(b.groups["citation_rec:2wikimultihopqa"]).toBe(total.citation_rec);
    expect(b.groups["citation_prec:2wikimultihopqa"]).toBe(total.citation_prec);
    for (const o of official.slice(0, -1)) expect({ l: o.length, v: b.cells["2wikimultihopqa"][`${Number(o.length) / 1000}k`] }).toEqual({ l: o.length, v: o.citation_f1 });
    const table = b.tables[0] as { rows: string[]; cells: (number | null)[][] };
    expect(table.cells[table.rows.indexOf("2wikimultihopqa")]).toEqual([total.citation_rec, total.citation_prec, total.citation_f1, total.cite_num]);
    // Samples with no sentence: scored (correctness) but null in the citation metrics, counted apart.
    const records = recordLines(runDir) as unknown as { scores: Record<string, number | null> }[];
    expect(records.filter((r) => r.scores["citation_f1"] === null).length).toBe(bucketed - total.sample_num);

    const before = nli.stats.completions;
    const rescored = await runCli(["score", runDir], { cwd, env: { ...env, OPENAI_BASE_URL: nli.baseURL, LOOMSCOPE_CACHE_DIR: join(cwd, "cache") } });
    expect(rescored.code).toBe(0);
    expect(nli.stats.completions).toBe(before);
    expect(rescored.stdout).toMatch(/re-scored 12 records \(0 changed\)/);
  });

  it("without --judge exits 2 naming the flag", async () => {
    const cwd = project({ plugins: [PLUGIN, OPENAI_BACKEND] });
    const refused = await runCli(args(join(cwd, "run"), []), { cwd, env: { HF_ENDPOINT: hubUrl } });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/no judge is bound: l-citeeval\/2wikimultihopqa: citation_f1 \(NLI\)/);
    expect(refused.stderr).toMatch(/--judge/);
  });

  it("reads the Hugging Face layout from --data-dir offline and reports a malformed record with file:line", async () => {
    queues = labels();
    const cwd = project({ plugins: [PLUGIN, OPENAI_BACKEND] });
    const dataDir = join(cwd, "data");
    mkdirSync(join(dataDir, "L-CiteEval-Data"), { recursive: true });
    writeFileSync(join(dataDir, "L-CiteEval-Data", "2wikimultihopqa.json"), JSON.stringify([...run.records, { id: 99, question: "q", answer: "a", docs: "not a list", length: 100 }], null, 1));
    const before = hubRequests.length;
    const runDir = join(cwd, "run");
    const result = await runCli(args(runDir, ["--lengths", "8k", "--data-dir", dataDir, "--offline", "--judge", "openai:nli-model", "--judge-opt", `baseURL=${nli.baseURL}`, "--cache-dir", join(cwd, "cache")]), {
      cwd,
      env: { NLTK_DATA: nltkData(cwd) },
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/2wikimultihopqa\.json:\d+: docs: /);
    expect(hubRequests.length).toBe(before);
    expect(recordLines(runDir).length).toBe(official[0]!.sample_num);
    const results = JSON.parse(readFileSync(join(runDir, "results.json"), "utf8"));
    expect(results.benchmarks[0].cells["2wikimultihopqa"]["8k"]).toBe(official[0]!.citation_f1);
  });

  it("under --protocol loom sends LOOM-Scope's four messages (system, the demonstration as a user/assistant exchange, the record)", async () => {
    const cwd = project({ plugins: [PLUGIN, OPENAI_BACKEND] });
    const seen = modelRequests.length;
    const runDir = join(cwd, "run");
    const result = await runCli(args(runDir, ["--protocol", "loom", "--lengths", "8k", "--judge", "openai:nli-model", "--judge-opt", `baseURL=${nli.baseURL}`, "--cache-dir", join(cwd, "cache")]), {
      cwd,
      env: { HF_ENDPOINT: hubUrl, NLTK_DATA: nltkData(cwd) },
    });
    expect(result.code).toBe(0);
    const sent = modelRequests.slice(seen);
    expect(sent.length).toBe(official[0]!.sample_num);
    const prompt = PROMPT_FILES["2WikiMultihopQA_default.json"]!;
    for (const r of sent) {
      expect(r.messages?.map((m) => m.role)).toEqual(["system", "user", "assistant", "user"]);
      expect(r.messages?.[0]?.content).toBe(prompt.instruction);
      expect(r.messages?.[2]?.content.startsWith("answer:")).toBe(true);
      expect(r.messages?.[3]?.content).toMatch(/ \n\n Write an accurate, engaging.* \n\nQuestion:.*\nAnswer:$/s);
      expect(r.maxTokens).toBe(800);
    }
    const results = JSON.parse(readFileSync(join(runDir, "results.json"), "utf8"));
    expect(Object.keys(results.benchmarks[0].groups)).toContain("f1:2wikimultihopqa");
  });
});

describe("loom score l-citeeval --predictions (an official result folder)", () => {
  it("writes deberta_score_<name>.json byte for byte and says eval_correct.py writes nothing", async () => {
    const queues = labels();
    const nli = await startOpenAIServer({
      models: ["nli-model"],
      cutAtMaxTokens: false,
      script: (r) => queues.get(sha(`${r.messages?.[0]?.content}\u0000${r.messages?.[1]?.content}`))?.shift() ?? "neutral",
    });
    try {
      const cwd = project({ plugins: [PLUGIN, OPENAI_BACKEND], backends: { openai: { baseURL: nli.baseURL } } });
      const root = join(cwd, "L-CITEEVAL");
      mkdirSync(join(root, "data", "L-CiteEval", run.exp), { recursive: true });
      mkdirSync(join(root, "result", run.exp, run.task), { recursive: true });
      writeFileSync(join(root, "data", "L-CiteEval", run.exp, `${run.task}.json`), dataText);
      const preds = run.records.map((r, i) => ({ id: i + 1, question: r.question, answer: r.answer, generation: [run.generations[i]], model_input: "x" }));
      writeFileSync(join(root, "result", run.exp, run.task, "1shot_test-model.json"), JSON.stringify(preds, null, 2));
      const result = await runCli(["score", "l-citeeval", "--predictions", root, "--judge", "openai:nli-model"], { cwd, env: { NLTK_DATA: nltkData(cwd) } });
      expect(result.stderr.split("\n").filter((l) => /^error/.test(l))).toEqual([]);
      expect(result.code).toBe(0);
      expect(readFileSync(join(root, "result", run.exp, run.task, "deberta_score_1shot_test-model.json"), "utf8")).toBe(run.output);
      expect(result.stdout).toMatch(/eval_correct\.py writes nothing \(it raises NameError: name 'low_bound' is not defined\)/);
    } finally {
      await nli.close();
    }
  });
});
