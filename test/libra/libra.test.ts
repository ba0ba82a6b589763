/**
 * LIBRA end to end: the hub parquet files (a synthetic fixture in the official layout) served by a
 * stand-in for the Hugging Face hub, `loom run libra` against the fake OpenAI server with scripted
 * answers, eval.py's numbers; the same offline from --data-dir; a malformed row named by file:line;
 * the engine option's truncation; `loom score libra --predictions` writing eval.py's results file.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOpenAIServer, type FakeOpenAIServer, type ScriptRequest } from "@loomscope/testkit";
import { OPENAI_BACKEND, project, recordLines, REPO, runCli } from "../helpers.js";
import { serveFiles, type HubStandIn } from "../hub-standin.js";

const LIBRA = join(REPO, "plugins/benchmarks/libra");
const HUB_FIXTURE = join(LIBRA, "test/fixtures/hub");
const PARQUET = "test-00000-of-00001.parquet";

/** passkey: the key from the prompt (all right); matreshka_yes_no: "Да и Нет" (both: 0) then "Нет" (right: 1). */
function answer(request: ScriptRequest): string {
  const user = request.messages?.at(-1)?.content ?? request.prompt;
  const key = /Ключ доступа: (\d+)/.exec(user)?.[1];
  if (key) return key;
  if (user.includes("«футбол»")) return "Да и Нет";
  if (user.includes("«погода»")) return "Нет";
  return "не знаю";
}

describe("LIBRA end to end", () => {
  let model: FakeOpenAIServer;
  let hub: HubStandIn;
  let hubUrl = "";
  const hubRequests: string[] = [];
  const seen: ScriptRequest[] = [];

  beforeAll(async () => {
    model = await startOpenAIServer({
      models: [{ id: "test-model", maxModelLen: 32768 }],
      script: (r) => {
        seen.push(r);
        return answer(r);
      },
    });
    hub = await serveFiles((path) => {
      const m = /^\/datasets\/ai-forever\/LIBRA\/resolve\/main\/([a-z_0-9]+)\/test-00000-of-00001\.parquet$/.exec(path);
      const file = m ? join(HUB_FIXTURE, m[1]!, PARQUET) : undefined;
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
      ["run", "libra", "--tasks", "passkey,matreshka_yes_no", "--lengths", "4k,8k", "--model", "openai:test-model", "--backend-opt", `baseURL=${model.baseURL}`, "--run-dir", runDir, ...extra],
      { cwd, env },
    );

  it("downloads the hub parquet through HF_ENDPOINT, sends the official chat prompt, and reports eval.py's numbers", async () => {
    const cwd = project({ plugins: [LIBRA, OPENAI_BACKEND] });
    seen.length = 0;
    const result = await run(cwd, join(cwd, "run"), ["--cache-dir", join(cwd, "cache")], { HF_ENDPOINT: hubUrl });
    expect(result.stderr.split("\n").filter((l) => /^error/.test(l))).toEqual([]);
    expect(result.code).toBe(0);
    expect(hubRequests.filter((u) => u.endsWith(".parquet")).length).toBe(2);
    expect(recordLines(join(cwd, "run")).length).toBe(6);

    // The system message of the official chat configs, and the str.replace chain: the context's own
    // "{input}" holds the question too.
    const key90211 = seen.find((r) => r.messages?.at(-1)?.content.includes("90211"))!;
    expect(key90211.messages![0]).toEqual({ role: "system", content: "You are a helpful assistant." });
    const user = key90211.messages![1]!.content;
    expect(user.startsWith("Тебе предоставляется длинный текст, в котором содержится ключ доступа. Запомни только ключ доступа.\n")).toBe(true);
    expect(user).toContain("Вопрос в тексте: Какой ключ доступа? ");
    expect(user.endsWith("\nВ ответе нужно указать только ключ доступа.\nВопрос:Какой ключ доступа?\nОтвет:")).toBe(true);
    expect(key90211.maxTokens).toBe(16);
    expect(key90211.temperature).toBe(0);

    // eval.py: per-length means, the other four configured lengths count as 0, total = mean of datasets.
    const results = JSON.parse(readFileSync(join(cwd, "run", "results.json"), "utf8"));
    const b = results.benchmarks[0];
    expect(b.cells.passkey).toMatchObject({ "4k": 100, "8k": 100 });
    expect(b.tasks.passkey).toBeCloseTo(100 / 3, 10);
    expect(b.cells.matreshka_yes_no).toMatchObject({ "4k": 50 });
    expect(b.tasks.matreshka_yes_no).toBeCloseTo(50 / 6, 10);
    expect(b.score).toBeCloseTo((100 / 3 + 50 / 6) / 2, 10);
    expect(result.stdout).toMatch(/passkey\s+100\.00\s+100\.00/);
    expect(result.stdout).toMatch(/20\.83/);
  });

  it("reads the same layout from --data-dir offline, and the jsonl export naming a malformed row by file:line", async () => {
    const cwd = project({ plugins: [LIBRA, OPENAI_BACKEND] });
    const dataDir = join(cwd, "data");
    mkdirSync(dataDir);
    cpSync(join(HUB_FIXTURE, "passkey"), join(dataDir, "passkey"), { recursive: true });
    // matreshka_yes_no as a JSON-lines export, with a broken third line.
    const rows = [
      { context: "Диалог 1. — Привет! — обсуждали футбол.", input: "Была ли тема «футбол»?", length: "4k", positive_outputs: ["Да"], negative_outputs: ["Нет"] },
      { context: "Диалог 2. — Купил машину.", input: "Была ли тема «погода»?", length: "4k", positive_outputs: ["Нет"], negative_outputs: ["Да"] },
    ];
    writeFileSync(join(dataDir, "matreshka_yes_no.jsonl"), rows.map((r) => JSON.stringify(r)).join("\n") + '\n{"context": "x", "input": 5}\n');
    const before = hubRequests.length;
    const result = await run(cwd, join(cwd, "run"), ["--data-dir", dataDir, "--offline", "--cache-dir", join(cwd, "empty-cache")]);
    expect(result.code).toBe(0);
    expect(hubRequests.length).toBe(before);
    expect(result.stderr).toMatch(/matreshka_yes_no\.jsonl:3: /);
    expect(recordLines(join(cwd, "run")).length).toBe(6);
    const manifest = JSON.parse(readFileSync(join(cwd, "run", "manifest.json"), "utf8"));
    expect(JSON.stringify(manifest.provenance)).toContain("data-dir");
  });

  it("fits an over-long prompt as the chosen engine does: hf keeps the head, vllm the tail", async () => {
    const cwd = project({ plugins: [LIBRA, OPENAI_BACKEND] });
    const env = { HF_ENDPOINT: hubUrl };
    const args = ["--tasks", "passkey", "--lengths", "4k", "--limit", "1", "--max-length", "200", "--cache-dir", join(cwd, "cache")];
    const sent = async (runDir: string, extra: string[]) => {
      seen.length = 0;
      const r = await runCli(["run", "libra", ...args, "--model", "openai:test-model", "--backend-opt", `baseURL=${model.baseURL}`, "--run-dir", runDir, ...extra], { cwd, env });
      expect(r.code).toBe(0);
      return seen[0]!.messages!.at(-1)!.content;
    };
    const head = await sent(join(cwd, "hf"), []);
    expect(head.startsWith("Тебе предоставляется длинный текст")).toBe(true);
    expect(head).not.toContain("Ответ:");
    const tail = await sent(join(cwd, "vllm"), ["--benchmark-opt", "libra.engine=vllm"]);
    expect(tail.endsWith("Вопрос:Какой ключ доступа?\nОтвет:")).toBe(true);
    expect(tail).not.toContain("Тебе предоставляется");
  });

  it("refuses em datasets under --protocol loom, naming pymorphy2, and still runs count_score", async () => {
    const cwd = project({ plugins: [LIBRA, OPENAI_BACKEND] });
    const result = await runCli(
      ["run", "libra", "--protocol", "loom", "--tasks", "passkey,ru_sci_passage_count", "--lengths", "4k", "--model", "openai:test-model", "--backend-opt", `baseURL=${model.baseURL}`, "--run-dir", join(cwd, "run"), "--cache-dir", join(cwd, "cache")],
      { cwd, env: { HF_ENDPOINT: hubUrl } },
    );
    expect(result.stderr).toMatch(/passkey \(em\) on pymorphy2 lemmas/);
    const records = recordLines(join(cwd, "run"));
    expect(records.map((r) => r.task)).toEqual(["ru_sci_passage_count", "ru_sci_passage_count"]);
  });
});

describe("loom score libra --predictions (predict.py's file)", () => {
  it("writes results/<name>.json beside the predictions folder, byte for byte as eval.py", async () => {
    const cwd = project({ plugins: [LIBRA] });
    cpSync(join(LIBRA, "test/fixtures/predictions"), join(cwd, "predictions"), { recursive: true });
    const result = await runCli(["score", "libra", "--predictions", join(cwd, "predictions", "parity-seed1.json")], { cwd });
    expect(result.stderr.split("\n").filter((l) => /^error/.test(l))).toEqual([]);
    expect(result.code).toBe(0);
    expect(readdirSync(join(cwd, "results"))).toEqual(["parity-seed1.json"]);
    expect(readFileSync(join(cwd, "results", "parity-seed1.json"), "utf8")).toBe(readFileSync(join(LIBRA, "test/fixtures/results/parity-seed1.json"), "utf8"));
  });
});
