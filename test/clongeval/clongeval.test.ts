/**
 * CLongEval end to end: the official data layout (a hand-made fixture) served by a stand-in for the
 * Hugging Face hub, `loom run clongeval` against the fake OpenAI server with scripted answers, eval.py's
 * per-set numbers (the typo-answer rewrite included); the same offline from --data-dir with a malformed
 * line named by file:line; `loom score clongeval --predictions` appending eval.py's results file.
 */
import { cpSync, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOpenAIServer, type FakeOpenAIServer, type ScriptRequest } from "@loomscope/testkit";
import { OPENAI_BACKEND, project, recordLines, REPO, runCli } from "../helpers.js";
import { serveFiles, type HubStandIn } from "../hub-standin.js";

const CLONGEVAL = join(REPO, "plugins/benchmarks/clongeval");
const DATA = join(CLONGEVAL, "test/fixtures/data");

/** Right answers, found by what the prompt asks. */
const ANSWERS: [string, string][] = [
  ["石桥村的老槐树长在哪里？", "村口的小河边"],
  ["王掌柜的客栈开在哪里？", "镇东头。\n他还开了一家茶馆。"],
  ["Central Station 位于哪个城市？", "North Park"],
  ["2020年的人数是多少？", "12 000"],
  ["大依", "0，依，衣\n2，渡，度"],
  ["花圆", "1，圆，园"],
];
const answer = (r: ScriptRequest): string => ANSWERS.find(([q]) => r.lastUserMessage.includes(q))?.[1] ?? "不知道";

describe("CLongEval end to end", () => {
  let model: FakeOpenAIServer;
  let hub: HubStandIn;
  let hubUrl = "";
  const hubRequests: string[] = [];
  const seen: ScriptRequest[] = [];

  beforeAll(async () => {
    model = await startOpenAIServer({ models: [{ id: "test-model", maxModelLen: 32768 }], script: (r) => (seen.push(r), answer(r)) });
    hub = await serveFiles((path) => {
      const m = /^\/datasets\/zexuanqiu22\/CLongEval\/resolve\/main\/(.+)$/.exec(path);
      const file = m ? join(DATA, decodeURIComponent(m[1]!)) : undefined;
      return file && existsSync(file) ? readFileSync(file) : undefined;
    }, { requests: hubRequests });
    hubUrl = `${hub.url}`;
  });
  afterAll(async () => {
    await model.close();
    hub.close();
  });

  const run = (cwd: string, runDir: string, extra: string[], env: Record<string, string> = {}) =>
    runCli(
      ["run", "clongeval", "--tasks", "long_story_qa,table_querying,stacked_typo_detection", "--lengths", "small", "--model", "openai:test-model", "--backend-opt", `baseURL=${model.baseURL}`, "--run-dir", runDir, ...extra],
      { cwd, env },
    );

  it("downloads the data through HF_ENDPOINT, sends the shipped prompts raw, and reports eval.py's per-set scores", async () => {
    const cwd = project({ plugins: [CLONGEVAL, OPENAI_BACKEND] });
    seen.length = 0;
    const result = await run(cwd, join(cwd, "run"), ["--cache-dir", join(cwd, "cache")], { HF_ENDPOINT: hubUrl });
    // inference.py sends the open models' prompts raw; a chat-only API cannot, and the run says so once.
    // (The data warning may come before or after the raw-prompt one: the data is read while the run starts.)
    expect(result.stderr.split("\n").filter((l) => /^(error|warn)/.test(l)).sort()).toEqual([
      expect.stringMatching(/^warn: \[clongeval\] .*1-1_long_story_qa\/small\.jsonl:3: answer: /),
      expect.stringMatching(/^warn: the official code sends some prompts as raw text without a chat template/),
    ]);
    expect(result.code).toBe(0);
    expect(hubRequests.filter((u) => u.endsWith(".jsonl")).length).toBe(3);
    const records = recordLines(join(cwd, "run"));
    expect(records.map((r) => r.id).sort()).toEqual(["qa-001", "qa-002", "tb-001", "tb-002", "typo-001", "typo-002"]);

    const qa = seen.find((r) => r.lastUserMessage.includes("石桥村"))!;
    expect(qa.messages).toEqual([
      {
        role: "user",
        content:
          "下面是一部小说的节选。请阅读该小说节选，并尽可能用简洁的短语（或短句）回答给定的问题，不要提供任何解释。\n小说节选如下：\n\n第一回 石桥村的老槐树长在村口的小河边。每到夏天，孩子们都在树下乘凉。\n\n请尽可能简洁地回答下列问题，不要提供任何解释。\n问题：石桥村的老槐树长在哪里？\n答案：",
      },
    ]);
    expect(qa.maxTokens).toBe(100);
    expect(qa.temperature).toBe(0.01);
    expect(qa.stop).toEqual(["<|im_end|>", "<|endoftext|>", "<|im_start|>, </s>"]);

    // eval.py (values from the official metrics.py): QA F1 1 and 1 (first line only); table "12 000"
    // does not contain "12000" (punctuation removed from both, the space kept): 50; typo answers rewritten for a
    // non-GPT-4 model, so right answers score 0.
    const b = JSON.parse(readFileSync(join(cwd, "run", "results.json"), "utf8")).benchmarks[0];
    expect(b.cells.long_story_qa).toEqual({ small: 100, medium: null, large: null });
    expect(b.cells.table_querying).toMatchObject({ small: 50 });
    expect(b.cells.stacked_typo_detection).toMatchObject({ small: 0 });
    expect(b.tasks.long_story_qa).toBeNull(); // "all" needs the three sets
    expect(b.score).toBeNull(); // CLongEval publishes no cross-task average
    expect(result.stdout).toMatch(/LStQA\s+100(\.0+)?/);
  });

  it("reads --data-dir offline; without the typo rewrite (gpt4-turbo-128k's path) right typo answers score", async () => {
    const cwd = project({ plugins: [CLONGEVAL, OPENAI_BACKEND] });
    const dataDir = join(cwd, "data");
    cpSync(DATA, join(dataDir, "data"), { recursive: true }); // the repository's data/ folder
    const before = hubRequests.length;
    const result = await run(cwd, join(cwd, "run"), ["--data-dir", dataDir, "--offline", "--cache-dir", join(cwd, "empty-cache"), "--benchmark-opt", "clongeval.typoAnswerRewrite=false"]);
    expect(result.code).toBe(0);
    expect(hubRequests.length).toBe(before);
    expect(result.stderr).toMatch(/1-1_long_story_qa\/small\.jsonl:3: /);
    const b = JSON.parse(readFileSync(join(cwd, "run", "results.json"), "utf8")).benchmarks[0];
    expect(b.cells.stacked_typo_detection).toMatchObject({ small: 100 });
    expect(recordLines(join(cwd, "run")).length).toBe(6);
  });
});

describe("loom score clongeval --predictions (inference.py's folders)", () => {
  it("appends eval_results/<model>.jsonl beside inference_results, byte for byte as eval.sh + eval.py", async () => {
    const cwd = project({ plugins: [CLONGEVAL] });
    cpSync(join(CLONGEVAL, "test/fixtures/inference_results-seed1"), join(cwd, "inference_results"), { recursive: true });
    const expected = readFileSync(join(CLONGEVAL, "test/fixtures/eval_results-seed1/moonshot-v1.jsonl"), "utf8");
    const score = () => runCli(["score", "clongeval", "--predictions", join(cwd, "inference_results", "moonshot-v1")], { cwd });
    const first = await score();
    expect(first.stderr.split("\n").filter((l) => /^error/.test(l))).toEqual([]);
    expect(first.code).toBe(0);
    expect(readFileSync(join(cwd, "eval_results", "moonshot-v1.jsonl"), "utf8")).toBe(expected);
    // eval.py opens its results file in append mode: scoring again adds the lines again.
    expect((await score()).code).toBe(0);
    expect(readFileSync(join(cwd, "eval_results", "moonshot-v1.jsonl"), "utf8")).toBe(expected + expected);
  });
});
