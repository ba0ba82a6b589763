/**
 * LongSafety end to end with a judge: the hub's merged file (a synthetic fixture) served by a stand-in
 * for the Hugging Face hub, `loom run longsafety` against one fake OpenAI server as the model and
 * another as the judge (`--judge openai:…`). The judge must receive exactly the prompts the official
 * multi_agent_eval.py sent for the same responses (recorded by scripts/make-parity-fixture.py --e2e),
 * its verdicts are parsed as show_result.py parses them (malformed ones included), re-scoring a run
 * makes no judge call, and a run without --judge is refused. Then the repository's data/ layout
 * offline, and `loom score longsafety --predictions` with the judge writing the official files.
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOpenAIServer, type FakeOpenAIServer, type ScriptRequest } from "@loomscope/testkit";
import { OPENAI_BACKEND, project, recordLines, REPO, runCli } from "../helpers.js";
import { serveFiles, type HubStandIn } from "../hub-standin.js";

const LONGSAFETY = join(REPO, "plugins/benchmarks/longsafety");
const FIXTURES = join(LONGSAFETY, "test/fixtures");

interface Instance {
  instruction: string;
  risks: string;
  env_summary: string;
  response_front: string;
  response_end: string;
  verdict_front: string;
  verdict_end: string;
}
interface Recorded {
  instances: Instance[];
  calls: { model: string; temperature: number; prompt: string }[];
}

/** The judge as the Python stand-in answered the official pipeline: by agent, instance and response. */
function scriptedJudge(instances: readonly Instance[]) {
  return (r: ScriptRequest): string => {
    const p = r.lastUserMessage;
    for (const inst of instances) {
      if (p.startsWith("You are a Risk Analyzer") && p.includes(`[Instruction]: ${inst.instruction}\n\n[Risks]: `)) return inst.risks;
      if (p.startsWith("You are an environment summarizer") && p.includes(`[Instruction]: ${inst.instruction}\n\n[Context]: `)) return inst.env_summary;
      if (p.startsWith("You are a Safety Judge")) {
        if (p.includes(`[Response]: ${inst.response_front}\n\n[Judgment]: `)) return inst.verdict_front;
        if (p.includes(`[Response]: ${inst.response_end}\n\n[Judgment]: `)) return inst.verdict_end;
      }
    }
    throw new Error(`unscripted judge prompt: ${p.slice(0, 120)}`);
  };
}

const e2e = JSON.parse(readFileSync(join(FIXTURES, "e2e/judge.json"), "utf8")) as Recorded;
const official = JSON.parse(readFileSync(join(FIXTURES, "e2e/result.json"), "utf8")) as Record<string, number>;

/** The model under test gives each instance's scripted front / end response. */
function modelAnswer(r: ScriptRequest): string {
  const user = r.lastUserMessage;
  const inst = e2e.instances.find((i) => user.includes(i.instruction));
  if (!inst) return "no instance";
  return user.startsWith("Based on the following long context, ") ? inst.response_front : inst.response_end;
}

describe("LongSafety end to end with a judge", () => {
  let model: FakeOpenAIServer;
  let judge: FakeOpenAIServer;
  let hub: HubStandIn;
  let hubUrl = "";
  const judged: ScriptRequest[] = [];
  const body = readFileSync(join(FIXTURES, "e2e/longsafety.json"));

  beforeAll(async () => {
    model = await startOpenAIServer({ models: [{ id: "test-model", maxModelLen: 65536 }], script: modelAnswer });
    const answerJudge = scriptedJudge(e2e.instances);
    judge = await startOpenAIServer({ models: ["judge-model"], script: (r) => (judged.push(r), answerJudge(r)) });
    hub = await serveFiles(new Map([["/datasets/thu-coai/LongSafety/resolve/main/longsafety.json", body]]));
    hubUrl = `${hub.url}`;
  });
  afterAll(async () => {
    await model.close();
    await judge.close();
    hub.close();
  });

  const modelArgs = () => ["--model", "openai:test-model", "--backend-opt", `baseURL=${model.baseURL}`];
  const judgeArgs = () => ["--judge", "openai:judge-model", "--judge-opt", `baseURL=${judge.baseURL}`];

  it("sends the official judge prompts byte for byte, parses verdicts as show_result.py, and re-scores from the cache", async () => {
    const cwd = project({ plugins: [LONGSAFETY, OPENAI_BACKEND] });
    const runDir = join(cwd, "run");
    judged.length = 0;
    // One request at a time: the front sample's risk analysis and context summary are in the judge
    // cache before the end sample asks the same (concurrent samples could both miss it).
    const result = await runCli(["run", "longsafety", ...modelArgs(), ...judgeArgs(), "-c", "1", "--run-dir", runDir, "--cache-dir", join(cwd, "cache")], { cwd, env: { HF_ENDPOINT: hubUrl } });
    expect(result.stderr.split("\n").filter((l) => /^error/.test(l))).toEqual([]);
    expect(result.code).toBe(0);
    expect(recordLines(runDir).map((r) => `${r.task}/${r.id}`).sort()).toEqual(["end/0", "end/1", "end/2", "end/3", "front/0", "front/1", "front/2", "front/3"]);

    // Every judge request is one user message at temperature 0, and together they are exactly the
    // official pipeline's calls: 4 per instance (the end sample's risk / summary requests were cached).
    expect(judged.length).toBe(e2e.calls.length);
    expect(judged.every((r) => r.messages?.length === 1 && r.messages[0]!.role === "user" && r.temperature === 0 && r.model === "judge-model")).toBe(true);
    expect(judged.map((r) => r.lastUserMessage).sort()).toEqual(e2e.calls.map((c) => c.prompt).sort());

    // Verdicts "1", "10", "0.1" are unsafe, "unsafe", "", " 0\n" safe: show_result.py's numbers.
    const results = JSON.parse(readFileSync(join(runDir, "results.json"), "utf8"));
    const b = results.benchmarks[0];
    expect(b.score).toBeCloseTo(official["safety_rate"]! * 100, 10);
    expect(b.tasks.front).toBeCloseTo(official["safety_rate_front"]! * 100, 10);
    expect(b.tasks.end).toBeCloseTo(official["safety_rate_end"]! * 100, 10);
    // The judge is named with the run, and every judge call is on its sample's record.
    expect(JSON.parse(readFileSync(join(runDir, "manifest.json"), "utf8")).judge).toEqual({ spec: "openai:judge-model" });
    const records = recordLines(runDir) as unknown as { task: string; judge?: { judge: string; cached: boolean }[] }[];
    expect(records.every((r) => r.judge?.every((c) => c.judge === "openai:judge-model"))).toBe(true);
    expect(records.filter((r) => r.task === "end").map((r) => r.judge!.map((c) => c.cached))).toEqual(Array(4).fill([true, true, false]));
    const byId = Object.fromEntries(recordLines(runDir).map((r) => [`${r.task}/${r.id}`, r.score]));
    expect(byId).toEqual({ "front/0": 1, "end/0": 1, "front/1": 0, "end/1": 0, "front/2": 1, "end/2": 0, "front/3": 1, "end/3": 1 });

    // A second scoring pass answers every judge request from the cache: no judge call.
    const before = judged.length;
    const rescore = await runCli(["score", runDir, "--judge-opt", `baseURL=${judge.baseURL}`], { cwd, env: { LOOMSCOPE_CACHE_DIR: join(cwd, "cache") } });
    expect(rescore.stderr.split("\n").filter((l) => /^error/.test(l))).toEqual([]);
    expect(rescore.code).toBe(0);
    expect(judged.length).toBe(before);
    const again = JSON.parse(readFileSync(join(runDir, "results.json"), "utf8"));
    expect(again.benchmarks[0].score).toBe(b.score);
  });

  it("refuses to run without --judge, naming the flag", async () => {
    const cwd = project({ plugins: [LONGSAFETY, OPENAI_BACKEND] });
    const result = await runCli(["run", "longsafety", ...modelArgs(), "--run-dir", join(cwd, "run"), "--cache-dir", join(cwd, "cache")], { cwd, env: { HF_ENDPOINT: hubUrl } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--judge/);
    expect(result.stderr).toMatch(/longsafety\/front: safe \(LLM judge\)/);
  });

  it("reads the repository's data/ files offline, reporting a meta line whose id differs from its docs line", async () => {
    const cwd = project({ plugins: [LONGSAFETY, OPENAI_BACKEND] });
    const dataDir = join(cwd, "data");
    mkdirSync(dataDir);
    cpSync(join(FIXTURES, "e2e/data"), join(dataDir, "data"), { recursive: true });
    const meta = readFileSync(join(dataDir, "data/longsafety_meta.jsonl"), "utf8").split("\n");
    meta[2] = meta[2]!.replace('"id": 2,', '"id": 5,');
    writeFileSync(join(dataDir, "data/longsafety_meta.jsonl"), meta.join("\n"));
    const result = await runCli(["run", "longsafety", ...modelArgs(), ...judgeArgs(), "-c", "1", "--data-dir", dataDir, "--offline", "--run-dir", join(cwd, "run"), "--cache-dir", join(cwd, "cache")], { cwd });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/longsafety_meta\.jsonl:3: .*meta id 5 != docs id 2 \(load_data asserts\)/);
    expect(recordLines(join(cwd, "run")).map((r) => r.id).sort()).toEqual(["0", "0", "1", "1", "3", "3"]);
  });
});

describe("loom score longsafety --predictions with a judge (multi_agent_eval.py + show_result.py)", () => {
  it("judges response.jsonl with the official prompts and writes <judge>_judge.jsonl and _result.json byte for byte", async () => {
    const script = JSON.parse(readFileSync(join(FIXTURES, "parity-seed1.script.json"), "utf8")) as Recorded;
    const seen: ScriptRequest[] = [];
    const answer = scriptedJudge(script.instances);
    const judge = await startOpenAIServer({ models: ["scripted_judge"], script: (r) => (seen.push(r), answer(r)) });
    try {
      const cwd = project({ plugins: [LONGSAFETY, OPENAI_BACKEND], backends: { openai: { baseURL: judge.baseURL } } });
      const dir = join(cwd, "result", "model-under-test");
      mkdirSync(dir, { recursive: true });
      cpSync(join(FIXTURES, "parity-seed1/model-under-test/response.jsonl"), join(dir, "response.jsonl"));
      const result = await runCli(["score", "longsafety", "--predictions", dir, "--judge", "openai:scripted_judge"], { cwd });
      expect(result.stderr.split("\n").filter((l) => /^error/.test(l))).toEqual([]);
      expect(result.code).toBe(0);
      // The official order: risks, summary, front, end per instance, in file order.
      expect(seen.map((r) => r.lastUserMessage)).toEqual(script.calls.map((c) => c.prompt));
      for (const name of ["scripted_judge_judge.jsonl", "scripted_judge_judge_result.json"]) {
        expect(readFileSync(join(dir, name), "utf8")).toBe(readFileSync(join(FIXTURES, "parity-seed1/model-under-test", name), "utf8"));
      }
    } finally {
      await judge.close();
    }
  });
});
