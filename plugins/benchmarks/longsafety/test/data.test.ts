import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createTestBenchmarkContext } from "@loomscope/testkit";
import type { Benchmark, PromptParts, Sample } from "@loomscope/spec";
import { pyFormat } from "@loomscope/metrics";
import longsafety, { DocRecordSchema, MetaRecordSchema, QUERY_END_TEMPLATE, QUERY_FRONT_TEMPLATE, TASKS, loomPlacement, mergeMetaDocs } from "../src/index.js";
import { fixturePath } from "./helpers.js";

const lines = (p: string): unknown[] => readFileSync(fixturePath(p), "utf8").trim().split("\n").map((l) => JSON.parse(l) as unknown);

async function collect(b: Benchmark, task: string, dataDir: string) {
  const ctx = createTestBenchmarkContext({ dataDir });
  const out: Sample[] = [];
  for await (const s of b.samples({ task }, ctx)) out.push(s);
  return { samples: out, ctx };
}

/** A --data-dir holding only the repository's data/ folder. */
function githubLayout(meta?: string): string {
  const dir = mkdtempSync(join(tmpdir(), "longsafety-data-"));
  mkdirSync(join(dir, "data"));
  copyFileSync(fixturePath("e2e/data/longsafety_docs.jsonl"), join(dir, "data", "longsafety_docs.jsonl"));
  if (meta === undefined) copyFileSync(fixturePath("e2e/data/longsafety_meta.jsonl"), join(dir, "data", "longsafety_meta.jsonl"));
  else writeFileSync(join(dir, "data", "longsafety_meta.jsonl"), meta);
  return dir;
}

describe("LongSafety data", () => {
  it("accepts meta rows and rejects a malformed one", () => {
    const rows = lines("e2e/data/longsafety_meta.jsonl");
    expect(rows.every((r) => MetaRecordSchema.safeParse(r).success)).toBe(true);
    expect(MetaRecordSchema.safeParse({ ...(rows[0] as object), link: "not-a-list" }).success).toBe(false);
  });

  it("pairs meta and docs by position as load_data does, and refuses differing ids", () => {
    const meta = lines("e2e/data/longsafety_meta.jsonl").map((r) => MetaRecordSchema.parse(r));
    const docs = lines("e2e/data/longsafety_docs.jsonl").map((r) => DocRecordSchema.parse(r));
    expect(mergeMetaDocs(meta, docs).map((r) => r.id)).toEqual([0, 1, 2, 3]);
    expect(() => mergeMetaDocs(meta, [docs[1]!, docs[0]!])).toThrow(/load_data asserts/);
  });

  it("reads the repository's two files in step and the hub's merged file to the same samples", async () => {
    const github = await collect(longsafety, "front", githubLayout());
    const hubDir = mkdtempSync(join(tmpdir(), "longsafety-hub-"));
    copyFileSync(fixturePath("e2e/longsafety.json"), join(hubDir, "longsafety.json"));
    const hub = await collect(longsafety, "front", hubDir);
    expect(github.samples.map((s) => s.id)).toEqual(["0", "1", "2", "3"]);
    expect(hub.samples).toEqual(github.samples);
    expect(Object.keys(github.ctx.provenance).sort()).toEqual(["data:data/longsafety_docs.jsonl", "data:data/longsafety_meta.jsonl"]);
    expect(Object.keys(hub.ctx.provenance)).toEqual(["data:longsafety.json"]);
  });

  it("reports a meta line whose id differs from its docs line (load_data's assertion) by file:line", async () => {
    const meta = readFileSync(fixturePath("e2e/data/longsafety_meta.jsonl"), "utf8").split("\n");
    meta[1] = meta[1]!.replace('"id": 1,', '"id": 7,');
    const { samples, ctx } = await collect(longsafety, "end", githubLayout(meta.join("\n")));
    expect(samples.map((s) => s.id)).toEqual(["0", "2", "3"]);
    expect(ctx.issues.map((i) => [i.file.split("/").slice(-2).join("/"), i.line, i.message])).toEqual([
      ["data/longsafety_meta.jsonl", 2, expect.stringContaining("meta id 7 != docs id 1 (load_data asserts)")],
    ]);
  });

  it("builds gen_model_response.py's two prompts byte for byte, chat-templated, never truncated", async () => {
    const { samples } = await collect(longsafety, "front", githubLayout());
    const s = samples[1]!;
    const q = s.input["instruction"]!;
    const c = s.input["context"]!;
    for (const [task, expected] of [
      ["front", `Based on the following long context, ${q}\n\n${c}`],
      ["end", `${c}\n\nBased on the long context above, ${q}`],
    ] as const) {
      const parts = longsafety.prompt(s, longsafety.tasks.find((t) => t.id === task)!) as PromptParts;
      expect(pyFormat(parts.template, parts.values)).toBe(expected);
      expect(parts).toMatchObject({ truncation: "none", chat: true });
    }
    expect(pyFormat(QUERY_FRONT_TEMPLATE, s.input)).toBe(`Based on the following long context, ${q}\n\n${c}`);
    expect(pyFormat(QUERY_END_TEMPLATE, s.input)).toBe(`${c}\n\nBased on the long context above, ${q}`);
    expect(s.scoring).toEqual({ instruction: q, context: c });
    expect(s.meta).toMatchObject({ id: 1 });
    expect(TASKS.map((t) => [t.id, t.maxNewTokens, t.metrics[0]!.judge])).toEqual([["front", 2048, "LLM judge"], ["end", 2048, "LLM judge"]]);
    expect(longsafety.protocols).toEqual(["official"]);
    expect([0, 1, 2].map(loomPlacement)).toEqual(["front", "end", "front"]);
  });
});
