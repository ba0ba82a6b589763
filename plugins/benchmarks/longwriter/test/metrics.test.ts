import { describe, expect, it } from "vitest";
import { OfficialScorerError } from "@loomscope/metrics";
import { DIMS, JudgeGaveUpError, LONGWRITER_METRICS, judgeRequest, parseVerdictAttempt } from "../src/index.js";
import { scriptedJudge } from "./helpers.js";

const verdict = JSON.stringify({ Analysis: "fine", Relevance: 5, Accuracy: 4, Coherence: 4, Clarity: 3, "Breadth and Depth": 2, "Reading Experience": 4 });

function input(judge: ReturnType<typeof scriptedJudge> | undefined, protocol: "official" | "loom" = "official") {
  return { prediction: "one two three four", references: [], scoring: { length: 4, prompt: "Write 4 words" }, task: "longbench_write", protocol, ...(judge ? { judge } : {}) };
}

describe("metric objects", () => {
  it("share one judge loop per sample across the seven quality metrics", async () => {
    const prompt = judgeRequest("Write 4 words", "one two three four").messages[0]?.content as string;
    const judge = scriptedJudge(new Map([[prompt, ["not json", verdict]]]));
    const values: Record<string, number | null> = {};
    for (const m of LONGWRITER_METRICS) values[m.id] = await m.score(input(judge));
    expect(judge.requests.length).toBe(2);
    expect(values).toEqual({
      length_score: 100,
      quality: ((5 - 1) * 25 + (4 - 1) * 25 + (4 - 1) * 25 + (3 - 1) * 25 + (2 - 1) * 25 + (4 - 1) * 25) / 6,
      quality_relevance: 5,
      quality_accuracy: 4,
      quality_coherence: 4,
      quality_clarity: 3,
      quality_breadth_and_depth: 2,
      quality_reading_experience: 4,
    });
    expect(LONGWRITER_METRICS.filter((m) => m.judge === "LLM judge").length).toBe(7);
  });

  it("leaves the sample out of S_q (null) after five unusable replies, the item eval_quality.py drops", async () => {
    const prompt = judgeRequest("Write 4 words", "one two three four").messages[0]?.content as string;
    const judge = scriptedJudge(new Map([[prompt, ["a", "b", "c", "d", "e", verdict]]]));
    const values = await Promise.all(LONGWRITER_METRICS.map((m) => m.score(input(judge))));
    expect(values).toEqual([100, null, null, null, null, null, null, null]);
    expect(judge.requests.length).toBe(5);
    // Each try is its own call: the same request with the official try number.
    expect(judge.requests.map((r) => r.attempt)).toEqual([1, 2, 3, 4, 5]);
    expect(new Set(judge.requests.map((r) => JSON.stringify(r.messages))).size).toBe(1);
    expect(new JudgeGaveUpError(["a"]).code).toBe("JUDGE_VERDICT");
  });

  it("under --protocol loom tries twice and then raises LOOM-Scope's TypeError on a parsed verdict", async () => {
    const prompt = judgeRequest("Write 4 words", "one two three four").messages[0]?.content as string;
    const judge = scriptedJudge(new Map([[prompt, ["x", verdict]]]));
    const error = await Promise.resolve(LONGWRITER_METRICS[1]?.score(input(judge, "loom"))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OfficialScorerError);
    expect((error as OfficialScorerError).pythonError).toBe("TypeError");
    const judge2 = scriptedJudge(new Map([[prompt, ["x", "y", verdict]]]));
    expect(await LONGWRITER_METRICS[1]?.score(input(judge2, "loom"))).toBeNull();
    expect(judge2.requests.length).toBe(2);
  });

  it("refuses to score quality without a judge, and scores length without one", async () => {
    await expect(Promise.resolve().then(() => LONGWRITER_METRICS[1]?.score(input(undefined)))).rejects.toThrow(/needs a judge/);
    expect(await LONGWRITER_METRICS[0]?.score(input(undefined))).toBe(100);
  });

  it("counts tries as the official loop does", () => {
    const missingFirst = JSON.stringify(Object.fromEntries(DIMS.slice(1).map((d) => [d, 3])));
    const missingLast = JSON.stringify(Object.fromEntries(DIMS.slice(0, 5).map((d) => [d, 3])));
    expect(parseVerdictAttempt(missingFirst)).toEqual({ scores: null, triesUsed: 2 });
    expect(parseVerdictAttempt(missingLast)).toEqual({ scores: null, triesUsed: 1 });
    expect(parseVerdictAttempt("7")).toEqual({ scores: 7, triesUsed: 1 });
    expect(parseVerdictAttempt("```json {}```")).toEqual({ scores: null, triesUsed: 1 });
  });
});
