/**
 * eval_cite.py / eval_correct.py parity: test/fixtures/official holds a prediction file, every judge
 * call the official run made (sha256 of the prompt, settings, scripted reply) and the files the
 * scripts wrote. Replaying the same replies, scoreOfficial writes the same four files byte for byte.
 */
import { createHash } from "node:crypto";
import { cp, mkdtemp, readFile, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { JudgeRequest } from "@loomscope/spec";
import { scriptedJudge, type ScriptedJudge } from "@loomscope/testkit";
import { correctnessRequest, citationJudgeRequest, scoreOfficialLongCite } from "../src/index.js";
import { fixture, fixturePath } from "./helpers.js";

type Call = [string, number, number, string | string[] | null, string, string | null];
interface Example {
  messages: { role: string; content: string }[];
  temperature: number;
  max_new_tokens: number;
  stop: string | string[] | null;
}
const { calls, examples } = fixture<{ calls: Call[]; examples: Record<string, Example> }>("official/calls.json");
const sha = (s: string): string => createHash("sha256").update(s, "utf8").digest("hex");

/** Answers each prompt (by its sha256) with the official run's replies for it, in order, and records requests. */
function replayJudge(): ScriptedJudge {
  const queues = new Map<string, string[]>();
  for (const c of calls) queues.set(c[0], [...(queues.get(c[0]) ?? []), c[4]]);
  return scriptedJudge((prompt) => {
    const q = queues.get(sha(prompt));
    if (!q || q.length === 0) throw new Error("a judge call the official run did not make");
    return q.shift() as string;
  }, "fake:replay");
}

const FILES = [
  "scores_cite/LongCite-glm4-9b.json.json",
  "scores_cite/tmp/LongCite-glm4-9b.json.jsonl",
  "scores_correct/LongCite-glm4-9b.json.json",
  "scores_correct/tmp/LongCite-glm4-9b.json.jsonl",
];

describe("scoreOfficial against eval_cite.py and eval_correct.py", () => {
  it("makes the same judge calls, in the same order and with the same settings", async () => {
    const dir = await mkdtemp(join(tmpdir(), "lc-calls-"));
    await cp(fixturePath("official/preds"), join(dir, "preds"), { recursive: true });
    const judge = replayJudge();
    await scoreOfficialLongCite({ predictions: join(dir, "preds"), judge, log: () => {} });
    expect(judge.requests.length).toBe(calls.length);
    judge.requests.forEach((r, i) => {
      const c = calls[i] as Call;
      const stop = c[3] === null ? undefined : typeof c[3] === "string" ? [c[3]] : c[3];
      expect({ i, prompt: sha(r.messages.at(-1)?.content ?? ""), t: r.temperature, max: r.maxNewTokens, stop: r.stop, system: r.messages.length > 1 ? r.messages[0]?.content : null })
        .toEqual({ i, prompt: c[0], t: c[1], max: c[2], stop, system: c[5] });
    });
  });

  it("writes the four official files byte for byte", async () => {
    const dir = await mkdtemp(join(tmpdir(), "lc-files-"));
    await cp(fixturePath("official/preds"), join(dir, "preds"), { recursive: true });
    const result = await scoreOfficialLongCite({ predictions: join(dir, "preds"), judge: replayJudge(), log: () => {} });
    expect(result.written.map((p) => p.slice(dir.length + 1)).sort()).toEqual([...FILES].sort());
    for (const f of FILES) expect({ f, text: await readFile(join(dir, f), "utf8") }).toEqual({ f, text: await readFile(fixturePath(`official/${f}`), "utf8") });
  });

  it("sends each official prompt kind byte for byte", () => {
    for (const [kind, ex] of Object.entries(examples)) {
      const prompt = ex.messages.at(-1)?.content as string;
      const request: JudgeRequest = ["qa", "summ", "fewshot"].includes(kind)
        ? correctnessRequest(kind as "qa" | "summ" | "fewshot", prompt)
        : citationJudgeRequest(prompt, 0);
      expect(request.messages).toEqual(ex.messages);
      expect(request.maxNewTokens).toBe(ex.max_new_tokens);
    }
    expect(Object.keys(examples).sort()).toEqual(["fewshot", "need_citation", "qa", "relevant", "summ", "support"]);
  });

  it("refuses to run without a judge, and under --protocol loom", async () => {
    await expect(scoreOfficialLongCite({ predictions: fixturePath("official/preds"), log: () => {} })).rejects.toThrow(/--judge/);
    await expect(scoreOfficialLongCite({ predictions: fixturePath("official/preds"), protocol: "loom", judge: replayJudge(), log: () => {} })).rejects.toThrow(/LOOM-Scope has no LongBench-Cite/);
    expect((await readdir(fixturePath("official/preds"))).length).toBe(1);
  });
});
