/**
 * `scoreOfficial` on an official prediction folder (test/fixtures/official/pred.jsonl) with the
 * judge replies the official run got: judge.jsonl equals what eval_quality.py wrote byte for byte,
 * and the printed numbers equal what eval_length.py and eval_quality.py printed.
 */
import { mkdtemp, readFile, readdir, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { pyFloatOf, pyFloatRepr, pyJsonLoads, type PyJsonValue } from "@loomscope/metrics";
import { judgeRequest, scoreOfficialLongWriter } from "../src/index.js";
import { fixture, fixturePath, scriptedJudge } from "./helpers.js";

const printed = fixture<{ "eval_length.py": string; "eval_quality.py": string }>("official/printed.json");
const replies = fixture<string[][]>("official/replies.json");
const log = (): void => {};

async function predItems(): Promise<Map<string, PyJsonValue>[]> {
  const text = await readFile(fixturePath("official/pred.jsonl"), "utf8");
  return text.trim().split("\n").map((l) => pyJsonLoads(l) as Map<string, PyJsonValue>);
}

async function officialJudge() {
  const items = await predItems();
  const script = new Map(items.map((it, i) => [
    judgeRequest(it.get("prompt") as string, it.get("response") as string).messages[0]?.content as string,
    replies[i] as string[],
  ]));
  return scriptedJudge(script);
}

describe("scoreOfficial (official protocol)", () => {
  it("writes judge.jsonl byte for byte and the numbers both scripts print", async () => {
    const out = await mkdtemp(join(tmpdir(), "lw-official-"));
    const judge = await officialJudge();
    const result = await scoreOfficialLongWriter({ predictions: fixturePath("official"), out, judge, log });
    expect(result.written.map((p) => p.slice(out.length + 1))).toEqual(["judge.jsonl", "score_official.json"]);
    expect(await readFile(join(out, "judge.jsonl"), "utf8")).toBe(await readFile(fixturePath("official/judge.jsonl"), "utf8"));
    const score = pyJsonLoads(await readFile(join(out, "score_official.json"), "utf8")) as Map<string, PyJsonValue>;
    expect(pyFloatRepr(pyFloatOf(score.get("eval_length.py")))).toBe(printed["eval_length.py"]);
    const q = score.get("eval_quality.py") as Map<string, PyJsonValue>;
    const repr = "{" + [...q].map(([k, v]) => `'${k}': ${pyFloatRepr(pyFloatOf(v))}`).join(", ") + "}";
    expect(repr).toBe(printed["eval_quality.py"]);
    expect(result.summary).toContain(judge.id);
    const official = fixture<{ main: { items: { calls: number }[] } }>("parity-quality.json").main.items;
    expect(judge.requests.length).toBe(official.reduce((n, it) => n + it.calls, 0));
  });

  it("without a judge refuses, naming the flag and the option that drops S_q", async () => {
    const out = await mkdtemp(join(tmpdir(), "lw-nojudge-"));
    const error = await scoreOfficialLongWriter({ predictions: fixturePath("official"), out, log }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "USAGE", hint: expect.stringMatching(/--judge .*longwriter\.quality=false/) });
    expect(await readdir(out)).toEqual([]);
  });

  it("with quality=false computes S_l alone, writes S_q as not computed and no judge.jsonl", async () => {
    const out = await mkdtemp(join(tmpdir(), "lw-lengthonly-"));
    const result = await scoreOfficialLongWriter({ predictions: fixturePath("official"), out, options: { quality: false }, log });
    expect(await readdir(out)).toEqual(["score_official.json"]);
    const score = pyJsonLoads(await readFile(join(out, "score_official.json"), "utf8")) as Map<string, PyJsonValue>;
    expect(pyFloatRepr(pyFloatOf(score.get("eval_length.py")))).toBe(printed["eval_length.py"]);
    expect(score.has("eval_quality.py") && score.get("eval_quality.py") === null).toBe(true);
    expect(result.summary).toMatch(/S_q and S not computed \(quality=false/);
  });

  it("stops and writes nothing where eval_length.py divides by zero", async () => {
    const dir = await mkdtemp(join(tmpdir(), "lw-crash-"));
    const lines = (await readFile(fixturePath("official/pred.jsonl"), "utf8")).trim().split("\n");
    const bad = (pyJsonLoads(lines[3] as string) as Map<string, PyJsonValue>);
    bad.set("response_length", 0);
    const { pyJsonDumps } = await import("@loomscope/metrics");
    lines[3] = pyJsonDumps(bad, { ensureAscii: false });
    await writeFile(join(dir, "pred.jsonl"), lines.join("\n") + "\n");
    const out = join(dir, "out");
    await expect(scoreOfficialLongWriter({ predictions: dir, out, judge: await officialJudge(), log })).rejects.toThrow(/pred\.jsonl:4: .*ZeroDivisionError/);
    await expect(readdir(out)).rejects.toThrow(/ENOENT/);
  });

  it("stops and writes nothing when no line gets a usable verdict", async () => {
    const dir = await mkdtemp(join(tmpdir(), "lw-nojudged-"));
    const line = '{"prompt": "Write 100 words", "type": "t", "length": 100, "response_length": 3, "response": "one two three"}';
    await writeFile(join(dir, "pred.jsonl"), line + "\n");
    const judge = scriptedJudge(new Map([[judgeRequest("Write 100 words", "one two three").messages[0]?.content as string, ["no", "no", "no", "no", "no"]]]));
    await expect(scoreOfficialLongWriter({ predictions: dir, judge, log })).rejects.toThrow(/divides by zero/);
    expect(judge.requests.length).toBe(5);
    expect(await readdir(dir)).toEqual(["pred.jsonl"]);
  });

  it("refuses a line that is not JSON, naming file and line", async () => {
    const dir = await mkdtemp(join(tmpdir(), "lw-badjson-"));
    await writeFile(join(dir, "pred.jsonl"), '{"length": 1, "response_length": 1}\n\n');
    await expect(scoreOfficialLongWriter({ predictions: dir, options: { quality: false }, log })).rejects.toThrow(/pred\.jsonl:2: json\.loads fails/);
  });
});

describe("scoreOfficial (loom protocol)", () => {
  it("writes LOOM-Scope's per-task ACC, rounded as its save_results does", async () => {
    const dir = await mkdtemp(join(tmpdir(), "lw-loom-"));
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "longbench_write.jsonl"), await readFile(fixturePath("official/pred.jsonl")));
    await writeFile(join(dir, "notes.txt"), "ignored");
    const result = await scoreOfficialLongWriter({ predictions: dir, protocol: "loom", options: { quality: false }, log });
    const written = pyJsonLoads(await readFile(join(dir, "score_loom.json"), "utf8")) as Map<string, Map<string, number>>;
    const acc = pyFloatOf(written.get("longbench_write")?.get("ACC"));
    expect(Math.round(acc * 100) / 100).toBe(acc);
    expect(Math.abs(acc - Number(printed["eval_length.py"]))).toBeLessThan(0.006);
    expect(result.written).toEqual([join(dir, "score_loom.json")]);
  });

  it("stops where LOOM-Scope's quality path raises (a parsed verdict)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "lw-loomq-"));
    await writeFile(join(dir, "longbench_write.jsonl"), await readFile(fixturePath("official/pred.jsonl")));
    await expect(scoreOfficialLongWriter({ predictions: dir, protocol: "loom", judge: await officialJudge(), log })).rejects.toThrow(/not subscriptable/);
  });
});
