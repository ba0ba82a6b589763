/** `loom report` and `loom view` through the real CLI binary, the view opened in headless Chromium. */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeFixtureRun } from "../../packages/report/test/fixture.js";
import { artifactsDir, launch, watch, type Browser } from "./helpers.js";

const LOOM = fileURLToPath(new URL("../../packages/cli/bin/loom.js", import.meta.url));
const results = mkdtempSync(join(tmpdir(), "loom-view-"));

function loom(args: string[]): { child: ChildProcess; output: () => string; done: Promise<number | null> } {
  const child = spawn(process.execPath, [LOOM, ...args], { cwd: results, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
  return { child, output: () => out, done: new Promise((r) => child.on("close", (code) => r(code))) };
}

let browser: Browser;
beforeAll(async () => {
  writeFixtureRun(join(results, "qwen3-8b__loombench"), { records: 300, seed: 21, runId: "a", model: "vllm:Qwen/Qwen3-8B" });
  writeFixtureRun(join(results, "qwen3-8b__loombench-rag"), { records: 300, seed: 22, runId: "b", model: "vllm:Qwen/Qwen3-8B", cost: 0.5, skill: -0.05, accelerator: { accelerator: "rag-lancedb", method: "bm25", params: { k: 15 } } });
  writeFixtureRun(join(results, "llama-3.1-8b__loombench"), { records: 300, seed: 23, runId: "c", model: "vllm:meta-llama/Llama-3.1-8B-Instruct", skill: -0.2 });
  // A run being written: records, no results.json yet, its lock held by a live process (this one).
  const running = join(results, "qwen3-8b__running");
  writeFixtureRun(running, { records: 120, seed: 24, runId: "d", model: "vllm:Qwen/Qwen3-8B", results: false });
  writeFileSync(join(running, ".lock"), JSON.stringify({ pid: process.pid, host: hostname(), command: "loom run", startedAt: new Date().toISOString(), token: "t" }));
  browser = await launch();
});
afterAll(async () => browser?.close());

describe("loom report", () => {
  it("prints a leaderboard across a results folder as markdown", async () => {
    const run = loom(["report", results, "--format", "md"]);
    expect(await run.done).toBe(0);
    const md = run.output();
    const board = md.slice(md.indexOf("## Leaderboard"), md.indexOf("## Comparison"));
    const rows = board.split("\n").filter((l) => /^\| \d/.test(l));
    expect(rows).toHaveLength(4);
    expect(rows[3]).toContain("Llama-3.1-8B");
  });

  it("writes report.html into the run directory", async () => {
    const dir = join(results, "qwen3-8b__loombench");
    const run = loom(["report", dir]);
    expect(await run.done).toBe(0);
    expect(existsSync(join(dir, "report.html"))).toBe(true);
    expect(readFileSync(join(dir, "report.html"), "utf8")).toContain('id="loom-data"');
  });
});

describe("loom view", () => {
  it("lists runs on 127.0.0.1 and opens their reports and a comparison, fetching only from itself", async () => {
    const view = loom(["view", results, "--port", "0"]);
    try {
      const deadline = Date.now() + 20_000;
      let url: string | undefined;
      while (!url && Date.now() < deadline) {
        url = /open (http:\/\/127\.0\.0\.1:\d+\/)/.exec(view.output())?.[1];
        if (!url) await new Promise((r) => setTimeout(r, 50));
      }
      expect(url, view.output()).toBeDefined();
      const page = await browser.context.newPage();
      const w = watch(page);
      await page.goto(url!);
      expect(await page.locator("#runs tbody tr").count()).toBe(4);
      // Each run's status: the live one says running (its score "so far"), the others how they ended.
      const states = Object.fromEntries(await page.locator("#runs tbody tr").evaluateAll((rows) => rows.map((r) => [r.getAttribute("data-run"), r.getAttribute("data-state")])));
      expect(states).toEqual({ "llama-3.1-8b__loombench": "incomplete", "qwen3-8b__loombench": "incomplete", "qwen3-8b__loombench-rag": "incomplete", "qwen3-8b__running": "running" });
      expect(await page.locator('tr[data-run="qwen3-8b__running"]').textContent()).toMatch(/so far/);
      await page.screenshot({ path: join(artifactsDir(), "view-index.png") });
      // Sort by score (a link: the index runs no script), then filter by status and text.
      await page.click('th a[data-sort="score"]');
      const scores = (await page.locator("#runs tbody tr td:nth-child(6)").allTextContents()).map((t) => parseFloat(t));
      expect(scores).toEqual([...scores].sort((a, b) => a - b));
      await page.selectOption('select[name="state"]', "running");
      await page.click("#filter");
      expect(await page.locator("#runs tbody tr").count()).toBe(1);
      await page.fill('input[name="q"]', "llama");
      await page.selectOption('select[name="state"]', "");
      await page.click("#filter");
      expect(await page.locator("#runs tbody tr").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-run")))).toEqual(["llama-3.1-8b__loombench"]);
      await page.screenshot({ path: join(artifactsDir(), "view-index-filtered.png") });
      await page.goto(url!);
      await page.check('input[value="qwen3-8b__loombench"]');
      await page.check('input[value="qwen3-8b__loombench-rag"]');
      await page.click("#compare-runs");
      await page.waitForSelector("body[data-ready='1']");
      expect(await page.locator("#summary table.leaderboard tbody tr").count()).toBe(2);
      await page.goto(url!);
      await page.click('a[href="/runs/llama-3.1-8b__loombench/"]');
      await page.waitForSelector("body[data-ready='1']");
      expect(await page.locator("#sample-list").getAttribute("data-matches")).toBe("300");
      expect(w.errors).toEqual([]);
      expect(w.requests.length).toBeGreaterThan(2);
      expect(w.requests.filter((r) => !r.startsWith(url!) && !r.startsWith("data:"))).toEqual([]);
      await page.close();
    } finally {
      view.child.kill("SIGINT");
      expect(await view.done).toBe(0);
    }
  });
});
