import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeZip } from "@loomscope/core";
import { startOpenAIServer, type FakeOpenAIServer, type ScriptRequest } from "@loomscope/testkit";
import { OPENAI_BACKEND, project, recordLines, REPO, runCli } from "../helpers.js";
import { serveFiles, type HubStandIn } from "../hub-standin.js";

const LVEVAL = join(REPO, "plugins/benchmarks/lveval");

/** Records in the official jsonl format (README "Data Format"). */
const DATA = {
  factrecall_en: [0, 1, 2].map((i) => ({
    input: `What is the name of pet number ${i}?`,
    context: `${"Filler sentence about nothing in particular. ".repeat(200)}Pet number ${i} is called Biscuit${i}. ${"More filler text follows here. ".repeat(200)}`,
    answers: [`Biscuit${i}`],
    length: 16000,
    dataset: "factrecall_en",
    language: "en",
    answer_keywords: `Biscuit${i}`,
  })),
  dureader_mixup: [0, 1].map((i) => ({
    input: `问题${i}：长城有多长？`,
    context: `${"这是一段无关的中文文本。".repeat(100)}长城全长约两万公里，编号${i}。${"更多无关的内容。".repeat(100)}`,
    answers: [`长城全长约两万公里，编号${i}。`],
    length: 16000,
    dataset: "dureader_mixup",
    language: "zh",
    answer_keywords: null,
  })),
} as const;

const jsonl = (rows: readonly object[]) => rows.map((r) => JSON.stringify(r)).join("\n") + "\n";

/** The fake model answers with the reference hidden in the prompt. */
function answer(request: ScriptRequest): string {
  const pet = /pet number (\d+)\?/.exec(request.prompt)?.[1];
  if (pet !== undefined) return `Biscuit${pet}`;
  const wall = /问题(\d+)/.exec(request.prompt)?.[1];
  if (wall !== undefined) return `长城全长约两万公里，编号${wall}。`;
  return "unknown";
}

describe("LV-Eval end to end", () => {
  let model: FakeOpenAIServer;
  let hub: HubStandIn;
  let hubUrl = "";
  const hubRequests: string[] = [];

  beforeAll(async () => {
    model = await startOpenAIServer({ models: [{ id: "test-model", maxModelLen: 32768 }], script: answer });
    const zips = new Map(
      Object.entries(DATA).map(([dataset, rows]) => [
        `/datasets/Infinigence/LVEval/resolve/main/${dataset}.zip`,
        makeZip({ [`${dataset}/${dataset}_16k.jsonl`]: jsonl(rows) }),
      ]),
    );
    hub = await serveFiles(zips, { requests: hubRequests });
    hubUrl = `${hub.url}`;
  });
  afterAll(async () => {
    await model.close();
    hub.close();
  });

  const run = (cwd: string, runDir: string, extra: string[], env: Record<string, string> = {}) =>
    runCli(
      ["run", "lveval", "--tasks", "factrecall_en,dureader_mixup", "--lengths", "16k", "--model", "openai:test-model", "--backend-opt", `baseURL=${model.baseURL}`, "--run-dir", runDir, ...extra],
      { cwd, env },
    );

  it("downloads the official zips through HF_ENDPOINT into the cache, runs, and prints the leaderboard table", async () => {
    const cwd = project({ plugins: [LVEVAL, OPENAI_BACKEND] });
    const cacheDir = join(cwd, "cache");
    const result = await run(cwd, join(cwd, "run"), ["--cache-dir", cacheDir], { HF_ENDPOINT: hubUrl });
    // prediction.py sends LV-Eval prompts raw; a chat-only API cannot, and the run says so once.
    expect(result.stderr.split("\n").filter((l) => /^(error|warn)/.test(l))).toEqual([
      expect.stringMatching(/^warn: the official code sends some prompts as raw text without a chat template; openai takes only chat messages/),
    ]);
    expect(result.code).toBe(0);
    expect(hubRequests.filter((u) => u.endsWith(".zip")).length).toBe(2);
    expect(result.stdout).toMatch(/factrecall_en\s+100\.00/);
    expect(result.stdout).toMatch(/dureader_mixup\s+100\.00/);
    const records = recordLines(join(cwd, "run"));
    expect(records.length).toBe(5);
    expect(records.every((r) => (r as unknown as { prompt: { mode: string } }).prompt.mode === "raw-as-chat")).toBe(true);
    const manifest = JSON.parse(readFileSync(join(cwd, "run", "manifest.json"), "utf8"));
    expect(manifest.tokenizer).toMatchObject({ source: "backend (exact)" });
    const results = JSON.parse(readFileSync(join(cwd, "run", "results.json"), "utf8"));
    expect(results.benchmarks[0].cells.factrecall_en["16k"]).toBe(100);
    expect(results.benchmarks[0].tables?.length).toBeGreaterThan(0);

    // Same data again (another run directory): served from the cache, no download.
    const again = await run(cwd, join(cwd, "run2"), ["--cache-dir", cacheDir, "--offline"], { HF_ENDPOINT: hubUrl });
    expect(again.code).toBe(0);
    expect(hubRequests.filter((u) => u.endsWith(".zip")).length).toBe(2);
  });

  it("reads a local --data-dir in the official layout without any download", async () => {
    const cwd = project({ plugins: [LVEVAL, OPENAI_BACKEND] });
    const dataDir = join(cwd, "data");
    mkdirSync(dataDir);
    for (const [dataset, rows] of Object.entries(DATA)) writeFileSync(join(dataDir, `${dataset}_16k.jsonl`), jsonl(rows));
    // A corrupt line is reported with file and line, and the run goes on with the rest.
    writeFileSync(join(dataDir, "factrecall_en_16k.jsonl"), jsonl(DATA.factrecall_en) + "{broken json\n");
    const before = hubRequests.length;
    const result = await run(cwd, join(cwd, "run"), ["--data-dir", dataDir, "--offline", "--cache-dir", mkdtempSync(join(tmpdir(), "c-"))]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/factrecall_en_16k\.jsonl:4: /);
    expect(hubRequests.length).toBe(before);
    expect(recordLines(join(cwd, "run")).length).toBe(5);
    expect(result.stdout).toMatch(/factrecall_en\s+100\.00/);
  });

  it("offline without data says which file is missing and where to put it", async () => {
    const cwd = project({ plugins: [LVEVAL, OPENAI_BACKEND] });
    const result = await run(cwd, join(cwd, "run"), ["--offline", "--cache-dir", join(cwd, "empty-cache")]);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/factrecall_en\.zip is not in the cache/);
    expect(result.stderr).toMatch(/put it at/);
  });
});

describe("loom score lveval --predictions (official prediction files)", () => {
  it("writes eval_result/result.json and result.csv equal to the official evaluation script's", async () => {
    const cwd = project({ plugins: [LVEVAL] });
    const predictions = join(cwd, "preds");
    cpSync(join(LVEVAL, "test/fixtures/predictions"), predictions, { recursive: true });
    const result = await runCli(["score", "lveval", "--predictions", predictions], { cwd });
    expect(result.stderr.split("\n").filter((l) => /^error/.test(l))).toEqual([]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/wrote .*eval_result\/result\.json/);
    const official = join(LVEVAL, "test/fixtures/official-result");
    expect(readFileSync(join(predictions, "eval_result", "result.json"), "utf8")).toBe(readFileSync(join(official, "result.json"), "utf8"));
    expect(readFileSync(join(predictions, "eval_result", "result.csv"), "utf8")).toBe(readFileSync(join(official, "result.csv"), "utf8"));
  });
});
