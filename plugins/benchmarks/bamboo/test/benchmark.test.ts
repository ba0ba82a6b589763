/** The kit benchmark: rows of the official files to samples (run_for_transformers.py's intended mapping), prompts, metrics, data sources. */
import { mkdtempSync, readFileSync, writeFileSync, copyFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createTestBenchmarkContext } from "@loomscope/testkit";
import type { Sample } from "@loomscope/spec";
import bamboo, { DEFAULT_DATA_URL, VICUNA_SYSTEM, orderOf, remoteFile } from "../src/index.js";
import { DEBIAN_PYTHON, requireDebianPython } from "./python.js";

const DATA = fileURLToPath(new URL("./fixtures/data/", import.meta.url));
const options = { chatTemplate: "vicuna", allowCodeExecution: false, python: "python3", timeoutSeconds: 3, memoryMb: 4096, allowNetworkFallback: false, dataUrl: DEFAULT_DATA_URL };
const firstRow = (name: string) => JSON.parse(readFileSync(join(DATA, name), "utf8").split("\n")[0]!);

async function samples(task: string, length = "4k", dataDir = DATA, b = bamboo): Promise<Sample[]> {
  const out: Sample[] = [];
  for await (const s of b.samples({ task, length }, createTestBenchmarkContext({ dataDir }))) out.push(s);
  return out;
}

describe("rows to samples", () => {
  it("ordering tasks: showssort numbers paragraphs from 0, reportsumsort events from 1, each in triple backticks", async () => {
    const [shows] = await samples("showssort");
    const row = firstRow("showssort_4k.jsonl");
    expect(shows!.id).toBe("showssort_4k-0");
    expect(shows!.input["content"]).toBe(row.content.map((p: string, i: number) => `[${i}] \`\`\`${p}\`\`\``).join("\n"));
    expect(shows!.scoring?.["answer"]).toEqual(row.answer);
    const [report] = await samples("reportsumsort");
    expect(report!.input["events"]!.startsWith("[1] ```The Secretary of HUD")).toBe(true);
    expect(report!.input["events"]!.split("\n[2] ```").length).toBe(2);
  });
  it("QA options joined by tabs; hallucination keeps the answer for precision/recall; private_eval carries its problem", async () => {
    const [qa] = await samples("meetingqa");
    expect(qa!.input["options"]).toBe(firstRow("meetingqa_4k.jsonl").options.join("\t"));
    expect(qa!.references).toEqual(["B"]);
    const [hallu] = await samples("senhallu");
    expect(hallu!.meta).toEqual({ answer: false });
    const [code] = await samples("private_eval");
    expect(code!.input["content"]!.endsWith("# create a beatnum numset composed of a list [[8, 7, 2], [5, 6, 1], [8, 2, 6]]\nnumset = ")).toBe(true);
    expect(code!.scoring).toMatchObject({ task_id: "NumpyEval/0", problem: { task_id: "NumpyEval/0", entry_point: "none", prompt: expect.stringMatching(/^import numpy as np/) } });
  });
  it("a row without the task's fields is a data issue at file:line", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bamboo-bad-"));
    writeFileSync(join(dir, "meetingqa_4k.jsonl"), readFileSync(join(DATA, "meetingqa_4k.jsonl"), "utf8") + JSON.stringify({ content: "x", question: "q", answer: "A" }) + "\n");
    const ctx = createTestBenchmarkContext({ dataDir: dir });
    const got: Sample[] = [];
    for await (const s of bamboo.samples({ task: "meetingqa", length: "4k" }, ctx)) got.push(s);
    expect(got.length).toBe(2);
    expect(ctx.issues).toEqual([{ file: expect.stringMatching(/meetingqa_4k\.jsonl$/), line: 3, message: expect.stringMatching(/^options: /) }]);
  });
  it("the 16k files present in the fixture read the same way", async () => {
    expect((await samples("paperqa", "16k")).map((s) => s.id)).toEqual(["paperqa_16k-0", "paperqa_16k-1"]);
  });
});

describe("prompts", () => {
  const sample: Sample = { id: "altqa_4k-0", task: "altqa", length: "4k", input: { content: "DOC" }, references: ["1964"] };
  it("official: fastchat's vicuna_v1.1 conversation sent as raw text, never cut", async () => {
    const parts = await bamboo.prompt(sample, bamboo.tasks.find((t) => t.id === "altqa")!);
    expect(parts.template).toBe(`${VICUNA_SYSTEM} USER: {content}\n\nYou should only give an number as the answer, without any explanations and other words.\nAnswer:  ASSISTANT:`);
    expect(parts).toMatchObject({ chat: false, truncation: "none", contextKey: "content" });
    expect(parts.system).toBeUndefined();
  });
  it("chatTemplate=model: the model's template with prompt.json's system message", async () => {
    const b = bamboo.configure!({ protocol: "official", options: { ...options, chatTemplate: "model" } });
    expect(await b.prompt(sample, b.tasks.find((t) => t.id === "altqa")!)).toMatchObject({ chat: true, system: "You are a helpful assistant." });
  });
  it("32 new tokens at temperature 0.7 for every task", () => {
    expect(new Set(bamboo.tasks.map((t) => `${t.maxNewTokens} ${t.generation?.temperature}`))).toEqual(new Set(["32 0.7"]));
  });
});

describe("metrics", () => {
  it("ordering replies: every run of Unicode digits, as int() reads it", () => {
    expect(orderOf("[2] > [0] > [1]")).toEqual([2, 0, 1]);
    expect(orderOf("٣ then ۱٢")).toEqual([3, 12]);
    expect(orderOf("no digits")).toEqual([]);
  });
  it("an empty reply to a multiple-choice question fails the sample as evaluate.py raises", async () => {
    await expect(bamboo.score({ task: "meetingqa", prediction: "  \n", references: ["A"] })).rejects.toThrow(/IndexError/);
    expect(await bamboo.score({ task: "meetingqa", prediction: "b) because", references: ["B"] })).toEqual({ accuracy: 1 });
  });
  it("concordance: a reply of the wrong length scores 0 (counted), a 1-based one is shifted", async () => {
    const s = { task: "showssort", references: ["[2, 0, 1]"], scoring: { answer: [2, 0, 1] } };
    expect(await bamboo.score({ ...s, prediction: "[3] > [1] > [2]" })).toEqual({ concordance_index: 1 });
    expect(await bamboo.score({ ...s, prediction: "[2] > [0]" })).toEqual({ concordance_index: 0 });
  });
  it("private_eval runs the completion only with code execution allowed, against the problem file's program", async () => {
    requireDebianPython();
    const [code] = await samples("private_eval");
    const scoring = code!.scoring!;
    await expect(bamboo.score({ task: "private_eval", prediction: " bn.numset([[8, 7, 2], [5, 6, 1], [8, 2, 6]])", references: [], scoring })).rejects.toThrow(/allowCodeExecution|allow-code-execution/);
    const allowed = bamboo.configure!({ protocol: "official", options: { ...options, allowCodeExecution: true, python: DEBIAN_PYTHON, timeoutSeconds: 10 } });
    expect(await allowed.score({ task: "private_eval", prediction: " bn.numset([[8, 7, 2], [5, 6, 1], [8, 2, 6]])", references: [], scoring })).toEqual({ "pass@1": 1 });
    expect(await allowed.score({ task: "private_eval", prediction: " np.array([[8, 7, 2]])", references: [], scoring })).toEqual({ "pass@1": 0 });
    expect(bamboo.metrics?.["pass@1"]?.executesCode).toBe(true);
  }, 60_000);
});

describe("data sources", () => {
  it("the official files at the pinned commit, checksummed; a mirror unpinned; counts where known", async () => {
    expect(remoteFile("altqa", "4k", DEFAULT_DATA_URL).file).toEqual({
      source: "url",
      url: `${DEFAULT_DATA_URL}/datasets/altqa_4k.jsonl`,
      path: "datasets/altqa_4k.jsonl",
      sha256: "763c104ef636acdbcb042bd37a6b92fbc6195a114b1e1bedb2a91928e02dfdd9",
    });
    expect(remoteFile("altqa", "16k", DEFAULT_DATA_URL).file).not.toHaveProperty("sha256");
    expect(remoteFile("altqa", "4k", "http://mirror/b/").file).toEqual({ source: "url", url: "http://mirror/b/datasets/altqa_4k.jsonl", path: "datasets/altqa_4k.jsonl" });
    const ctx = createTestBenchmarkContext();
    expect(await bamboo.count!({ task: "altqa", length: "4k" }, ctx)).toBe(200);
    expect(await bamboo.count!({ task: "altqa", length: "16k" }, ctx)).toBeUndefined();
    expect(bamboo.dataSources?.[0]).toMatch(/raw\.githubusercontent\.com\/RUCAIBox\/BAMBOO\/f230f206/);
  });
  it("the repository layout under --data-dir (datasets/) is read too", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bamboo-layout-"));
    const { mkdirSync } = await import("node:fs");
    mkdirSync(join(dir, "datasets"));
    copyFileSync(join(DATA, "altqa_4k.jsonl"), join(dir, "datasets", "altqa_4k.jsonl"));
    expect((await samples("altqa", "4k", dir)).length).toBe(2);
  });
});
