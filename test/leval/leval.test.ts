/**
 * LEval end to end: official-format task files served by a stand-in for the Hugging Face hub,
 * `loom run leval` against the testkit's OpenAI server with scripted answers (so the scores are
 * exact), Sci-Fi's two turns, the judged evaluation from --data-dir with a scripted judge (a second
 * scoring makes no judge call; without --judge the run refuses), and `loom score leval`.
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOpenAIServer, type FakeOpenAIServer, type ScriptRequest } from "@loomscope/testkit";
import { startHubStandIn, type HubStandIn } from "../hub-standin.js";
import { OPENAI_BACKEND, project, recordLines, REPO, runCli } from "../helpers.js";

const PLUGIN = join(REPO, "plugins/benchmarks/leval");
const SCI = "based on the world described in the document.";

/** One document per line: {instructions, outputs, input, source, evaluation}, as L4NLP/LEval holds them. */
const DATA: Record<string, object[]> = {
  "LEval/Exam/quality.jsonl": [
    { instructions: ["Who went first?\n(A) Ann\n(B) Bob", "Who went last?\n(A) Ann\n(B) Bob"], outputs: ["(A) Ann", "(B) Bob"], input: "Ann went first. Bob went last.", source: "fx", evaluation: "exam" },
  ],
  "LEval/Exam/sci_fi.jsonl": [
    { instructions: [`Planets have rings, True or False? Answer this question ${SCI}`], outputs: ["True [fact: False]"], input: "Every planet has rings.", source: "fx", evaluation: "exam" },
  ],
  "LEval/Generation/financial_qa.jsonl": [
    { instructions: ["How did revenue change?"], outputs: ["Revenue grew fast"], input: "Revenue grew fast this quarter.", source: "fx", evaluation: "f1" },
    { instructions: ["What is the outlook?"], outputs: ["The outlook is good"], input: "The outlook is good.", source: "fx", evaluation: "LLM" },
  ],
};
const jsonl = (rows: readonly object[]) => rows.map((r) => JSON.stringify(r)).join("\n") + "\n";

const seen: ScriptRequest[] = [];
function answer(request: ScriptRequest): string {
  seen.push(request);
  const p = request.lastUserMessage;
  if (p.includes("real-world knowledge")) return "False";
  if (p.includes("Planets have rings")) return " True ";
  if (p.includes("Who went first?")) return " A";
  if (p.includes("Who went last?")) return "A";
  if (p.includes("How did revenue change?")) return "Revenue grew fast";
  if (p.includes("What is the outlook?")) return "Good.";
  return "unknown";
}

describe("LEval end to end", () => {
  let model: FakeOpenAIServer;
  let judge: FakeOpenAIServer;
  let hub: HubStandIn;

  beforeAll(async () => {
    model = await startOpenAIServer({ models: [{ id: "test-model", maxModelLen: 32768 }], script: answer });
    judge = await startOpenAIServer({ models: [{ id: "judge-model", maxModelLen: 32768 }], script: () => "Assistant A is better. [[A]]" });
    hub = await startHubStandIn(new Map(Object.entries(DATA).map(([path, rows]) => [`L4NLP/LEval/${path}`, jsonl(rows)])));
  });
  afterAll(async () => {
    await model.close();
    await judge.close();
    await hub.close();
  });

  const run = (cwd: string, runDir: string, tasks: string, extra: string[], env: Record<string, string> = {}) =>
    runCli(["run", "leval", "--tasks", tasks, "--model", "openai:test-model", "--backend-opt", `baseURL=${model.baseURL}`, "--run-dir", runDir, "--cache-dir", join(cwd, "cache"), ...extra], { cwd, env });

  it("downloads the task files through HF_ENDPOINT, prompts as turbo16k-test.py, asks Sci-Fi's fact question, prints auto_eval.py's scores", async () => {
    const cwd = project({ plugins: [PLUGIN, OPENAI_BACKEND] });
    const before = seen.length;
    const result = await run(cwd, join(cwd, "run"), "quality,sci_fi,financial_qa", [], { HF_ENDPOINT: hub.url });
    expect(result.stderr.split("\n").filter((l) => /^error/.test(l))).toEqual([]);
    expect(result.code).toBe(0);
    expect(hub.requests.filter((u) => u.endsWith(".jsonl")).length).toBe(3);
    const bench = JSON.parse(readFileSync(join(cwd, "run", "results.json"), "utf8")).benchmarks[0];
    // quality: " A" is stripped to "A" (right), "A" for "(B) Bob" (wrong); Sci-Fi "True [fact: False]"; F1 of the exact answer.
    expect(bench.tasks).toEqual({ quality: 50, sci_fi: 100, financial_qa: 100 });
    const records = recordLines(join(cwd, "run"));
    expect(records.map((r) => r.id).sort()).toEqual(["financial_qa-0-0", "quality-0-0", "quality-0-1", "sci_fi-0-0"]);
    expect((records.find((r) => r.id === "sci_fi-0-0") as unknown as { prediction: string }).prediction).toBe("True [fact: False]");
    const sent = seen.slice(before);
    const fact = sent.find((r) => r.lastUserMessage.includes("real-world knowledge"))!;
    // turbo16k-test.py: the fact question is a second user message after the first, with the same system prompt.
    expect((fact.body["messages"] as { role: string }[]).map((m) => m.role)).toEqual(["system", "user", "user"]);
    const quality = sent.find((r) => r.lastUserMessage.includes("Who went first?"))!;
    expect(quality.lastUserMessage).toBe("Document is as follows. Ann went first. Bob went last. Question: Who went first?\n(A) Ann\n(B) Bob \nPlease directly give answer without any additional output or explanation\n Answer: ");
    expect(quality.maxTokens).toBe(512);
  });

  it("the judged evaluation from --data-dir: llm_eval.py's prompts against the battle file; a second run makes no judge call; refused without --judge", async () => {
    const cwd = project({ plugins: [PLUGIN, OPENAI_BACKEND] });
    const dataDir = join(cwd, "data");
    for (const [path, rows] of Object.entries(DATA)) {
      mkdirSync(join(dataDir, path, ".."), { recursive: true });
      writeFileSync(join(dataDir, path), jsonl(rows));
    }
    mkdirSync(join(dataDir, "Predictions/llm_gpt4_eval"), { recursive: true });
    writeFileSync(
      join(dataDir, "Predictions/llm_gpt4_eval/turbo-16k-0613.pred.jsonl"),
      jsonl([{ query: "What is the outlook?", gt: "The outlook is good", "turbo-16k-0613_pred": "Bad.", evaluation: "LLM" }]),
    );
    const refused = await run(cwd, join(cwd, "refused"), "financial_qa", ["--data-dir", dataDir, "--offline", "--benchmark-opt", "leval.openEval=llm_gpt4_eval"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--judge/);
    const judged = ["--data-dir", dataDir, "--offline", "--benchmark-opt", "leval.openEval=llm_gpt4_eval", "--judge", "openai:judge-model", "--judge-opt", `baseURL=${judge.baseURL}`];
    const result = await run(cwd, join(cwd, "run"), "financial_qa", judged);
    expect(result.stderr.split("\n").filter((l) => /^error/.test(l))).toEqual([]);
    expect(result.code).toBe(0);
    const chats = () => judge.requests.filter((r) => r.method === "POST" && r.path.endsWith("/chat/completions"));
    expect(chats().length).toBe(2);
    const first = (chats()[0]!.body as { messages: { role: string; content: string }[]; max_tokens: number; temperature: number });
    expect([first.messages[0]!.role, first.max_tokens, first.temperature]).toEqual(["system", 2048, 0]);
    expect(first.messages[1]!.content).toBe(
      "[User Question]\nWhat is the outlook?\n\n[The Start of Reference Answer]\nThe outlook is good\n[The End of Reference Answer]\n\n[The Start of Assistant A's Answer]\nGood.\n[The End of Assistant A's Answer]\n\n[The Start of Assistant B's Answer]\nBad.\n[The End of Assistant B's Answer]",
    );
    const bench = JSON.parse(readFileSync(join(cwd, "run", "results.json"), "utf8")).benchmarks[0];
    // "[[A]]" twice: the evaluated model wins once (as A) and loses once (as B).
    expect(bench.groups["win rate against turbo-16k-0613 (llm_eval.py, all open-ended tasks)"]).toBe(50);
    // A second run in a new folder: the judge calls come from the cache.
    const again = await run(cwd, join(cwd, "run2"), "financial_qa", judged);
    expect(again.code).toBe(0);
    expect(chats().length).toBe(2);
  });
});

describe("loom score leval --predictions Predictions/<evaluation>/<model>", () => {
  it("writes score_official.json with what auto_eval.py prints for each file", async () => {
    const cwd = project({ plugins: [PLUGIN] });
    const dir = join(cwd, "Predictions", "exam_eval", "fx-model");
    cpSync(join(PLUGIN, "test/fixtures/Predictions/exam_eval/fx-model"), dir, { recursive: true });
    const result = await runCli(["score", "leval", "--predictions", dir], { cwd });
    expect(result.stderr.split("\n").filter((l) => /^error/.test(l))).toEqual([]);
    expect(result.code).toBe(0);
    const written = JSON.parse(readFileSync(join(dir, "score_official.json"), "utf8")) as Record<string, Record<string, unknown>>;
    expect(Object.keys(written)).toContain("quality.pred.jsonl");
    expect(written["quality.pred.jsonl"]!["LEval_score"]).toEqual(expect.any(Number));
  });
});
