/**
 * The benchmark contract on a --data-dir holding both layouts: the official archive's
 * `data/GIST/256.json` (an object keyed by question id, with one malformed record) and LOOM-Scope's
 * `LIST_512.jsonl`.
 */
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createTestBenchmarkContext, runBenchmarkConformance } from "@loomscope/testkit";
import type { Sample } from "@loomscope/spec";
import longins from "../src/index.js";
import { fixturePath } from "./helpers.js";

const dataDir = mkdtempSync(join(tmpdir(), "longins-conformance-"));
mkdirSync(join(dataDir, "data", "GIST"), { recursive: true });
copyFileSync(fixturePath("data/GIST/256.json"), join(dataDir, "data", "GIST", "256.json"));
const listRows = [
  { task_prompt: "", Data: "[1] Input: 2+2 Output: 5\n[2] Input: 3+3 Output: 6", error: [1], LEN: 40 },
  { task_prompt: "", Data: "[1] Input: red Output: colour\n[2] Input: dog Output: fruit", error: [2], LEN: 41 },
];
writeFileSync(join(dataDir, "LIST_512.jsonl"), listRows.map((r) => JSON.stringify(r)).join("\n") + "\n");

runBenchmarkConformance(longins, {
  packageDir: new URL("..", import.meta.url),
  context: { dataDir },
  requests: [
    { task: "GIST", length: "256" },
    { task: "LIST", length: "512" },
  ],
});

async function all(task: string, length: string): Promise<{ samples: Sample[]; issues: unknown[] }> {
  const ctx = createTestBenchmarkContext({ dataDir });
  const samples: Sample[] = [];
  for await (const s of longins.samples({ task, length }, ctx)) samples.push(s);
  return { samples, issues: ctx.issues };
}

describe("LongIns on the kit", () => {
  it("keys official records by question id (file order), LOOM-Scope rows by position, and reports the malformed record with its line", async () => {
    const gist = await all("GIST", "256");
    expect(gist.samples.map((s) => s.id)).toEqual(["GIST_256-q_b", "GIST_256-10", "GIST_256-2"]);
    expect(gist.issues).toEqual([{ file: expect.stringMatching(/data\/GIST\/256\.json$/), line: 4, message: expect.stringContaining("error") }]);
    expect(gist.samples[0]).toMatchObject({ references: ["[2, 4]"], scoring: { error: [2, 4] } });
    const list = await all("LIST", "512");
    expect(list.samples.map((s) => [s.id, s.meta?.["LEN"]])).toEqual([
      ["LIST_512-0", 40],
      ["LIST_512-1", 41],
    ]);
  });

  it("builds data_loader's prompt (36-space GIST lines, the model's chat template, no truncation) and LOOM-Scope's under protocol loom", async () => {
    const [sample] = (await all("GIST", "256")).samples;
    const task = longins.tasks.find((t) => t.id === "GIST")!;
    const official = await longins.prompt(sample!, task);
    expect(official).toMatchObject({ chat: true, truncation: "none", contextKey: "Data" });
    expect(official.template).toContain("\n" + " ".repeat(36) + "{task_prompt}\n");
    expect(task.maxNewTokens).toBe(10000);
    const loom = longins.configure!({ protocol: "loom", options: {} });
    const loomTask = loom.tasks.find((t) => t.id === "GIST")!;
    const parts = await loom.prompt(sample!, loomTask);
    expect(parts).toMatchObject({ truncation: "middle" });
    expect(parts.template).toContain("\n" + " ".repeat(32) + "{task_prompt}\n");
    expect(parts.template).not.toContain(" ".repeat(33));
    expect(loomTask.maxNewTokens).toBe(1000);
  });

  it("aggregates as eval.py (unrounded mean × 100) and, under protocol loom, as LOOM-Scope (rounded per file, weighted total)", () => {
    const cells = [
      { task: "GIST", length: "256", n: 3, errors: 0, values: { longins_f1: [1, 0, 0] } },
      { task: "LIST", length: "512", n: 1, errors: 0, values: { longins_f1: [2 / 3] } },
    ];
    const official = longins.aggregate!(cells);
    expect(official.cells).toEqual({ GIST: { "256": 100 * (1 / 3) }, LIST: { "512": 100 * (2 / 3) } });
    const loom = longins.configure!({ protocol: "loom", options: {} }).aggregate!(cells);
    expect(loom.cells).toEqual({ GIST: { "256": 33.33 }, LIST: { "512": 66.67 } });
    // (33.33·3 + 66.67) / 4 = 41.665 in binary just below: numpy rounds to 41.66.
    expect(loom.score).toBe(41.66);
  });
});
