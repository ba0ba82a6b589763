/**
 * LongBench-Cite end to end, against a fixture made by running LongCite's own code
 * (plugins/benchmarks/longcite/scripts/make-e2e-fixture.py → test/fixtures/e2e): LongBench-Cite.json
 * served by a mirror (the dataUrl option) → `loom run longcite` with the testkit's OpenAI server as
 * the cite model (it must receive pred_one_shot.py's prompt byte for byte, and answers with the
 * scripted reply) and as the judge (every request must be one eval_cite.py / eval_correct.py sent,
 * byte for byte, with the same settings; it answers as the official run was answered, malformed
 * verdicts included) → the per-dataset numbers and averages of the official result files;
 * re-scoring makes no judge call; without --judge exit 2; --data-dir offline with a malformed row;
 * `loom score longcite --predictions` on the official run's preds/ writing its four files byte for byte.
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOpenAIServer, type FakeOpenAIServer, type ScriptRequest } from "@loomscope/testkit";
import { OPENAI_BACKEND, project, recordLines, REPO, runCli } from "../helpers.js";
import { serveFiles, type HubStandIn } from "../hub-standin.js";

const PLUGIN = join(REPO, "plugins/benchmarks/longcite");
const E2E = join(PLUGIN, "test/fixtures/e2e");
interface Message {
  role: string;
  content: string;
}
const dataText = readFileSync(join(E2E, "LongBench-Cite.json"), "utf8");
const rows = JSON.parse(dataText) as { idx: number; dataset: string }[];
const model = JSON.parse(readFileSync(join(E2E, "model.json"), "utf8")) as Record<string, { messages: Message[]; temperature: number; max_new_tokens: number; reply: string }>;
const judgeCalls = JSON.parse(readFileSync(join(E2E, "judge.json"), "utf8")) as { messages: Message[]; temperature: number; max_new_tokens: number; stop: string | string[] | null; reply: string }[];
/** The result dict the script wrote last in its file (json.dump writes NaN for an empty mean: read as null). */
const lastOf = (file: string) => (JSON.parse(readFileSync(join(E2E, "official", file), "utf8").replace(/\bNaN\b/g, "null")) as Record<string, unknown>[]).at(-1) as Record<string, unknown>;
const citeRes = lastOf("scores_cite/LongCite-glm4-9b.json.json") as { scores: Record<string, Record<string, number | null>>; avg_citation_f1: number | null };
const correctRes = lastOf("scores_correct/LongCite-glm4-9b.json.json") as { scores: Record<string, { gpt_score: number }>; avg_gpt_score: number };

/** The official judge's replies per request (messages as sent), in the order it was asked. */
function judgeQueues(): Map<string, { temperature: number; max_new_tokens: number; stop: string | string[] | null; reply: string }[]> {
  const q = new Map<string, { temperature: number; max_new_tokens: number; stop: string | string[] | null; reply: string }[]>();
  for (const c of judgeCalls) {
    const key = JSON.stringify(c.messages);
    q.set(key, [...(q.get(key) ?? []), c]);
  }
  return q;
}

describe("LongBench-Cite end to end", () => {
  let cite: FakeOpenAIServer;
  let judge: FakeOpenAIServer;
  let mirror: HubStandIn;
  let dataUrl = "";
  const mirrorRequests: string[] = [];
  const citeRequests: ScriptRequest[] = [];
  const unexpected: string[] = [];
  let queues = judgeQueues();

  beforeAll(async () => {
    cite = await startOpenAIServer({
      models: [{ id: "cite-model", maxModelLen: 100_000 }],
      script: (r) => {
        citeRequests.push(r);
        return Object.values(model).find((m) => m.messages[0]?.content === r.lastUserMessage)?.reply ?? "unknown prompt";
      },
    });
    // The official verdicts ("Rating: [[Partially supported]]") fit GPT-4o's 10 tokens, not the fake's one token per byte: served whole.
    judge = await startOpenAIServer({
      models: [{ id: "judge-model", maxModelLen: 100_000 }],
      cutAtMaxTokens: false,
      script: (r) => {
        const key = JSON.stringify(r.messages);
        const next = queues.get(key)?.shift();
        if (!next) {
          unexpected.push(key.slice(0, 200));
          return "not a call the official run made";
        }
        const stop = next.stop === null ? [] : Array.isArray(next.stop) ? next.stop : [next.stop];
        if (r.temperature !== next.temperature || r.maxTokens !== next.max_new_tokens || JSON.stringify(r.stop) !== JSON.stringify(stop)) {
          unexpected.push(`settings of ${key.slice(0, 80)}: ${JSON.stringify([r.temperature, r.maxTokens, r.stop])}`);
        }
        return next.reply;
      },
    });
    mirror = await serveFiles(new Map([["/THUDM/LongCite/LongBench-Cite/LongBench-Cite.json", dataText]]), { requests: mirrorRequests, notFound: "not found" });
    dataUrl = `${mirror.url}/THUDM/LongCite/LongBench-Cite/LongBench-Cite.json`;
  });
  afterAll(async () => {
    await cite.close();
    await judge.close();
    mirror.close();
  });

  const args = (runDir: string, extra: string[]) => ["run", "longcite", "--model", "openai:cite-model", "--backend-opt", `baseURL=${cite.baseURL}`, "--run-dir", runDir, ...extra];

  it("runs with the judge: the official prompts byte for byte, the official verdicts, the official numbers; re-scoring asks the judge nothing", async () => {
    queues = judgeQueues();
    const cwd = project({ plugins: [PLUGIN, OPENAI_BACKEND] });
    const runDir = join(cwd, "run");
    const result = await runCli(
      args(runDir, ["--judge", "openai:judge-model", "--judge-opt", `baseURL=${judge.baseURL}`, "--benchmark-opt", `longcite.dataUrl=${dataUrl}`, "--cache-dir", join(cwd, "cache")]),
      { cwd },
    );
    expect(result.stderr.split("\n").filter((l) => /^error/.test(l))).toEqual([]);
    expect(result.code).toBe(0);
    expect(mirrorRequests.length).toBe(1);

    // The cite model got pred_one_shot.py's prompt for every record, with its settings.
    expect(citeRequests.length).toBe(rows.length);
    for (const r of citeRequests) {
      const m = Object.values(model).find((x) => x.messages[0]?.content === r.lastUserMessage);
      expect(m, "a one-shot prompt pred_one_shot.py sent").toBeDefined();
      expect(r.messages).toEqual(m?.messages);
      expect([r.temperature, r.maxTokens]).toEqual([m?.temperature, m?.max_new_tokens]);
    }
    // Every judge request was one the official scripts sent, with its settings; every official
    // request was sent. The official scripts ask an identical request again (the same prompt for two
    // identical citations); it is one cached call here, answered alike.
    expect(unexpected).toEqual([]);
    const official = judgeQueues();
    for (const [key, left] of queues) {
      const all = official.get(key) ?? [];
      expect(left.length, "an official request never sent").toBeLessThan(all.length);
      for (const l of left) expect(all.slice(0, all.length - left.length).map((c) => c.reply)).toContain(l.reply);
    }
    const repeats = [...queues.values()].reduce((n, q) => n + q.length, 0);
    expect(judge.stats.completions).toBe(judgeCalls.length - repeats);

    const results = JSON.parse(readFileSync(join(runDir, "results.json"), "utf8"));
    const b = results.benchmarks[0];
    const table = b.tables[0] as { rows: string[]; columns: string[]; cells: (number | null)[][] };
    const at = (row: string, metric: string) => table.cells[table.rows.indexOf(row)]?.[table.columns.indexOf(`${metric} [judge-scored]`)];
    for (const d of ["longbench-chat", "multifieldqa_en", "multifieldqa_zh", "multifieldqa", "hotpotqa", "dureader", "gov_report"]) {
      for (const m of ["citation_recall", "citation_precision", "citation_f1"]) {
        const official = citeRes.scores[d]?.[m];
        expect({ d, m, v: at(d, m) }).toEqual({ d, m, v: official === null || official === undefined ? null : official * 100 });
      }
      expect({ d, v: at(d, "correctness") }).toEqual({ d, v: (correctRes.scores[d]?.gpt_score ?? 0) * 100 });
    }
    // dureader's only item was dropped by eval_cite.py: its means are NaN, and so is the average.
    expect(citeRes.avg_citation_f1).toBeNull();
    expect(b.groups.avg_citation_f1).toBeNull();
    expect(b.groups["dropped:dureader"]).toBe(1);
    expect(b.groups.avg_gpt_score).toBe(correctRes.avg_gpt_score * 100);
    const records = recordLines(runDir) as unknown as { id: string; status: string; scores: Record<string, number | null> }[];
    expect(records.length).toBe(rows.length);
    expect(records.find((r) => r.id === "dureader-7")?.scores).toMatchObject({ citation_f1: null, citation_recall: null, citation_precision: null, correctness: 1 });

    const before = judge.stats.completions;
    const rescored = await runCli(["score", runDir], { cwd, env: { OPENAI_BASE_URL: judge.baseURL, LOOMSCOPE_CACHE_DIR: join(cwd, "cache") } });
    expect(rescored.code).toBe(0);
    expect(judge.stats.completions).toBe(before);
    expect(rescored.stdout).toMatch(/re-scored 8 records \(0 changed\)/);
  });

  it("without --judge the run exits 2 naming the flag", async () => {
    const cwd = project({ plugins: [PLUGIN, OPENAI_BACKEND] });
    const refused = await runCli(args(join(cwd, "run"), ["--benchmark-opt", `longcite.dataUrl=${dataUrl}`]), { cwd });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/no judge is bound: longcite\/longbench-chat: citation_f1 \(LLM judge\)/);
    expect(refused.stderr).toMatch(/--judge/);
  });

  it("reads LongBench-Cite.json from --data-dir offline and reports a malformed row with file:line", async () => {
    queues = judgeQueues();
    const cwd = project({ plugins: [PLUGIN, OPENAI_BACKEND] });
    const dataDir = join(cwd, "data", "LongBench-Cite");
    mkdirSync(dataDir, { recursive: true });
    const broken = JSON.parse(dataText) as unknown[];
    broken.push({ idx: "13", dataset: "hotpotqa", query: "Broken idx", answer: ["x"], few_shot_scores: [], context: "x" });
    writeFileSync(join(dataDir, "LongBench-Cite.json"), JSON.stringify(broken, null, 1));
    const before = mirrorRequests.length;
    const runDir = join(cwd, "run");
    const result = await runCli(
      args(runDir, ["--tasks", "hotpotqa", "--data-dir", join(cwd, "data"), "--offline", "--judge", "openai:judge-model", "--judge-opt", `baseURL=${judge.baseURL}`, "--cache-dir", join(cwd, "cache")]),
      { cwd },
    );
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/LongBench-Cite\.json:\d+: idx: /);
    expect(mirrorRequests.length).toBe(before);
    expect(recordLines(runDir).map((r) => r.id).sort()).toEqual(["hotpotqa-0", "hotpotqa-1"]);
  });
});

describe("loom score longcite --predictions (an official preds folder)", () => {
  it("writes the four files eval_cite.py and eval_correct.py write, byte for byte, asking the official judge requests", async () => {
    const queues = judgeQueues();
    const judge = await startOpenAIServer({ models: ["judge-model"], cutAtMaxTokens: false, script: (r) => queues.get(JSON.stringify(r.messages))?.shift()?.reply ?? "not an official call" });
    try {
      const cwd = project({ plugins: [PLUGIN, OPENAI_BACKEND], backends: { openai: { baseURL: judge.baseURL } } });
      cpSync(join(E2E, "official", "preds"), join(cwd, "LongBench-Cite", "preds"), { recursive: true });
      const result = await runCli(["score", "longcite", "--predictions", join(cwd, "LongBench-Cite", "preds"), "--judge", "openai:judge-model"], { cwd });
      expect(result.stderr.split("\n").filter((l) => /^error/.test(l))).toEqual([]);
      expect(result.code).toBe(0);
      for (const f of ["scores_cite/LongCite-glm4-9b.json.json", "scores_cite/tmp/LongCite-glm4-9b.json.jsonl", "scores_correct/LongCite-glm4-9b.json.json", "scores_correct/tmp/LongCite-glm4-9b.json.jsonl"]) {
        expect({ f, text: readFileSync(join(cwd, "LongBench-Cite", f), "utf8") }).toEqual({ f, text: readFileSync(join(E2E, "official", f), "utf8") });
      }
      expect(result.stdout).toMatch(/avg_citation_f1 nan, avg_gpt_score .* \(judge openai:judge-model\)/);
      expect(result.stdout).toMatch(/wrote .*scores_cite\/LongCite-glm4-9b\.json\.json/);
    } finally {
      await judge.close();
    }
  });
});
