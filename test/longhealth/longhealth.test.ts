/**
 * LongHealth end to end: benchmark_v5.json downloaded from a local stand-in for the repository
 * (the dataUrl option), then read from --data-dir offline (a malformed patient named by
 * file:line); documents placed with the backend's own tokenizer; the system prompt and the
 * question the model receives; accuracy per task in the printed table.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOpenAIServer, type FakeOpenAIServer, type ScriptRequest } from "@loomscope/testkit";
import { OPENAI_BACKEND, project, recordLines, REPO, runCli } from "../helpers.js";
import { serveFiles, type HubStandIn } from "../hub-standin.js";

const LONGHEALTH = join(REPO, "plugins/benchmarks/longhealth");
const DATA = join(LONGHEALTH, "test/fixtures/data/benchmark_v5.json");
const UNANSWERABLE = "Question cannot be answered with provided documents";

/** question text → the correct option's text, from the data file. */
const correctOf = new Map<string, string>();
for (const patient of Object.values(JSON.parse(readFileSync(DATA, "utf8")) as Record<string, { questions?: { question: string; correct: string }[] }>)) {
  for (const q of patient.questions ?? []) correctOf.set(q.question, q.correct);
}

/** The fake model: task 1 (options A-E) answered right; with an option F it always says F. */
function answer(request: ScriptRequest): string {
  const user = request.lastUserMessage;
  if (user.includes(`\nF: ${UNANSWERABLE}\n`)) return `The correct answer is F: ${UNANSWERABLE}.`;
  for (const [question, correct] of correctOf) if (user.includes(`\n${question}\nA: `)) return `The correct answer is X: ${correct}.`;
  return "I do not know.";
}

describe("LongHealth end to end", () => {
  let model: FakeOpenAIServer;
  let mirror: HubStandIn;
  let dataUrl = "";
  const mirrorRequests: string[] = [];
  const seen: ScriptRequest[] = [];

  beforeAll(async () => {
    model = await startOpenAIServer({
      models: [{ id: "test-model", maxModelLen: 32768 }],
      script: (r) => {
        seen.push(r);
        return answer(r);
      },
    });
    const body = readFileSync(DATA);
    mirror = await serveFiles(new Map([["/kbressem/LongHealth/main/data/benchmark_v5.json", body]]), { requests: mirrorRequests, notFound: "not found" });
    dataUrl = `${mirror.url}/kbressem/LongHealth/main/data/benchmark_v5.json`;
  });
  afterAll(async () => {
    await model.close();
    mirror.close();
  });

  const run = (cwd: string, runDir: string, extra: string[]) =>
    runCli(
      ["run", "longhealth", "--limit", "4", "--model", "openai:test-model", "--backend-opt", `baseURL=${model.baseURL}`, "--benchmark-opt", "longhealth.maxLen=3000", "--run-dir", runDir, ...extra],
      { cwd },
    );

  it("downloads benchmark_v5.json, places documents with the backend's tokenizer, sends SYSTEM_PROMPT and the question, and prints accuracy per task", async () => {
    const cwd = project({ plugins: [LONGHEALTH, OPENAI_BACKEND] });
    seen.length = 0;
    const result = await run(cwd, join(cwd, "run"), ["--cache-dir", join(cwd, "cache"), "--benchmark-opt", `longhealth.dataUrl=${dataUrl}`]);
    expect(result.stderr.split("\n").filter((l) => /^error/.test(l))).toEqual([]);
    expect(result.code).toBe(0);
    expect(mirrorRequests.filter((u) => u.endsWith("benchmark_v5.json")).length).toBe(1);
    // The malformed patient is reported with its place in the file, and left out.
    expect(result.stderr).toMatch(/benchmark_v5\.json:232: patient_bad: /);
    const records = recordLines(join(cwd, "run"));
    expect(records.map((r) => r.id).filter((id) => id.startsWith("task1-"))).toEqual(
      expect.arrayContaining(["task1-patient_01-q0-r0", "task1-patient_01-q0-r1", "task1-patient_01-q0-r2", "task1-patient_01-q0-r3"]),
    );
    expect(records.length).toBe(12);
    const bench = JSON.parse(readFileSync(join(cwd, "run", "results.json"), "utf8")).benchmarks[0];
    expect(bench.tasks).toEqual({ task1: 100, task2: 0, task3: 100 });
    expect(result.stdout).toMatch(/task1\s+100\.00/);
    const manifest = JSON.parse(readFileSync(join(cwd, "run", "manifest.json"), "utf8"));
    expect(manifest.tokenizer).toMatchObject({ source: "backend (exact)" });
    const first = seen.find((r) => r.lastUserMessage.includes("\nA: ") && !r.lastUserMessage.includes("\nF: "))!;
    expect(first.messages?.[0]?.role).toBe("system");
    expect(first.messages?.[0]?.content).toMatch(/^\nYou are a highly skilled and detail-oriented assistant, specifically trained to assist medical professionals/);
    expect(first.messages?.[1]?.content).toMatch(/^\n--------------BEGIN DOCUMENTS--------------\n\n/);
    expect(first.maxTokens).toBe(512);
  });

  it("reads data/benchmark_v5.json from --data-dir offline and builds the same prompts for the same seed", async () => {
    const cwd = project({ plugins: [LONGHEALTH, OPENAI_BACKEND] });
    const dataDir = join(cwd, "LongHealth");
    mkdirSync(join(dataDir, "data"), { recursive: true });
    copyFileSync(DATA, join(dataDir, "data", "benchmark_v5.json"));
    const before = mirrorRequests.length;
    seen.length = 0;
    const first = await run(cwd, join(cwd, "run"), ["--data-dir", dataDir, "--offline", "--cache-dir", mkdtempSync(join(tmpdir(), "c-")), "--tasks", "task2", "--seed", "3"]);
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/data\/benchmark_v5\.json:232: patient_bad: /);
    expect(mirrorRequests.length).toBe(before);
    const prompts = seen.map((r) => r.lastUserMessage).sort();
    expect(prompts.length).toBe(4);
    seen.length = 0;
    const again = await run(cwd, join(cwd, "run2"), ["--data-dir", dataDir, "--offline", "--cache-dir", mkdtempSync(join(tmpdir(), "c-")), "--tasks", "task2", "--seed", "3", "--no-cache"]);
    expect(again.code).toBe(0);
    expect(seen.map((r) => r.lastUserMessage).sort()).toEqual(prompts);
  });
});
