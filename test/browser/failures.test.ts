/**
 * Issue 12's failing run in a real browser: a task whose data is missing offline and a sample the
 * server refuses (a 400) appear in the HTML report, coloured apart, with the reason on hover, and
 * the benchmark score is marked partial.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOpenAIServer, type FakeOpenAIServer } from "@loomscope/testkit";
import { answerLookup, OPENAI_BACKEND, project, runCli } from "../helpers.js";
import { artifactsDir, launch, watch, type Browser } from "./helpers.js";

const TASK = (id: string, data: string, extra = "") => `id: ${id}
data: ${data}
template: "{context}\\n\\nQuestion: {question}\\nAnswer:"
context_field: context
query_field: question
references: answer
metrics: [exact_match, qa_f1]
max_new_tokens: 8
${extra}`;

const rows = (n: number, long: number) =>
  Array.from({ length: n }, (_, i) =>
    JSON.stringify({ context: `${i === long ? "filler words go here. ".repeat(300) : ""}The code for item ${i} is ${1000 + i}.`, question: `What is the code for item ${i}?`, answer: String(1000 + i) }),
  ).join("\n") + "\n";

let server: FakeOpenAIServer;
let browser: Browser;
beforeAll(async () => {
  server = await startOpenAIServer({ models: [{ id: "small-model", maxModelLen: 2048 }], script: answerLookup });
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("a run with a task that could not run and a sample that failed", () => {
  it("shows both in the HTML report, with reasons on hover, and the score as partial", async () => {
    const cwd = project({ plugins: [OPENAI_BACKEND] });
    writeFileSync(join(cwd, "codes.yaml"), TASK("codes", "rows.jsonl", "truncation: none\n"));
    writeFileSync(join(cwd, "rows.jsonl"), rows(4, 2));
    writeFileSync(join(cwd, "hub.yaml"), TASK("hub-codes", "hf:example-org/missing/rows.jsonl"));
    const runDir = join(cwd, "run");
    const run = await runCli(["run", "codes.yaml", "hub.yaml", "--model", "openai:small-model", "--backend-opt", `baseURL=${server.baseURL}`, "--run-dir", runDir, "--offline", "-q", "--tokenizer", "tiktoken:o200k_base"], { cwd });
    expect(run.code).toBe(3);
    expect((await runCli(["report", runDir], { cwd })).code).toBe(0);

    const page = await browser.context.newPage();
    const w = watch(page);
    const url = pathToFileURL(join(runDir, "report.html")).href;
    await page.goto(url);
    await page.waitForSelector("body[data-ready='1']");
    expect(await page.locator("#overview .state").getAttribute("data-state")).toBe("incomplete");
    expect(await page.locator("#overview").textContent()).toMatch(/4 \(3 scored, 1 failed, 0 not run/);
    const hub = page.locator('#tables .bench[data-benchmark="hub-codes"] table.status .cell.failed').first();
    expect(await hub.textContent()).toBe("could not run");
    expect(await hub.getAttribute("title")).toMatch(/could not run: .*not in the cache/);
    const codes = page.locator('#tables .bench[data-benchmark="codes"] table.status .cell.partial').first();
    expect(await codes.textContent()).toMatch(/100\.00.*n=3.*1 failed/);
    expect(await codes.getAttribute("title")).toMatch(/3 of 4 scored; 1 failed \(first error: .*400/);
    expect(await page.locator('#summary [data-partial="codes"]').textContent()).toMatch(/1 failed sample\(s\) are left out of the score/);
    await page.selectOption("#f-status", "error");
    expect(await page.locator("#sample-list article.failed").count()).toBe(1);
    await page.locator("#tables").screenshot({ path: join(artifactsDir(), "failures-tables.png") });
    expect(w.errors).toEqual([]);
    await page.close();
  });
});
