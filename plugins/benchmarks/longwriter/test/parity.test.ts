/**
 * Parity with LongWriter's own scripts (test/fixtures/parity-*.json, made by
 * scripts/make-parity-fixture.py running pred.py's count_words, eval_length.py and eval_quality.py
 * with scripted judge replies). Equality is exact.
 */
import { describe, expect, it } from "vitest";
import { OfficialScorerError, pyFloatOf, pyJsonDumps, pyJsonLoads, type PyJsonValue } from "@loomscope/metrics";
import {
  DIMS,
  JUDGE,
  aggregateLongWriter,
  countWords,
  dimensionMetricId,
  judgeQuality,
  judgeRequest,
  lengthScore,
  officialNumbers,
  verdictDimensions,
  type Dim,
} from "../src/index.js";
import { expand, fixture, scriptedJudge, type FixtureText } from "./helpers.js";

interface LengthCase {
  length: number;
  response: FixtureText;
  note: string;
  expected: { count: number; score: number } | { count: number; error: string };
}
interface QualityItem {
  label: string;
  pred: { prompt: string; type: string; length: number; response_length: number; response: string };
  replies: string[];
  calls: number;
}
interface QualityRun {
  items: QualityItem[];
  error: string | null;
  judge_jsonl: string | null;
  request_example: { model: string; messages: { role: string; content: string }[]; temperature: number; max_tokens: number; stop: null } | null;
}
const length = fixture<{ cases: LengthCase[] }>("parity-length.json");
const quality = fixture<{ main: QualityRun; crashes: QualityRun[]; special: QualityRun[] }>("parity-quality.json");

describe("S_l parity (pred.py count_words, eval_length.py score)", () => {
  it("has at least 150 cases, crash cases among them", () => {
    expect(length.cases.length).toBeGreaterThanOrEqual(150);
    expect(length.cases.filter((c) => "error" in c.expected).length).toBeGreaterThanOrEqual(5);
  });

  it("counts words and scores every case to the last bit, and stops where the script divides by zero", () => {
    const wrong: unknown[] = [];
    for (const c of length.cases) {
      const text = expand(c.response);
      const count = countWords(text);
      if (count !== c.expected.count) wrong.push({ note: c.note, text: text.slice(0, 60), count, expected: c.expected.count });
      if ("score" in c.expected) {
        const got = lengthScore(c.length, count);
        if (!Object.is(got, c.expected.score) && !(got === 0 && c.expected.score === 0)) wrong.push({ note: c.note, got, expected: c.expected.score });
      } else {
        let error: unknown;
        try {
          lengthScore(c.length, count);
        } catch (e) {
          error = e;
        }
        if (!(error instanceof OfficialScorerError) || error.pythonError !== c.expected.error) wrong.push({ note: c.note, error: String(error) });
      }
    }
    expect(wrong).toEqual([]);
  });
});

function scriptOf(run: QualityRun): Map<string, string[]> {
  return new Map(run.items.map((it) => [judgeRequest(it.pred.prompt, it.pred.response).messages[0]?.content as string, it.replies]));
}

function officialLines(run: QualityRun): PyJsonValue[] {
  return (run.judge_jsonl ?? "").split("\n").filter((l) => l !== "").map((l) => pyJsonLoads(l));
}

describe("S_q parity (eval_quality.py with scripted verdicts)", () => {
  it("sends judge.txt filled exactly as eval_quality.py does, with its request settings", () => {
    const example = quality.main.request_example;
    const first = quality.main.items[0] as QualityItem;
    const request = judgeRequest(first.pred.prompt, first.pred.response);
    expect(request.messages).toEqual(example?.messages);
    expect(request.temperature).toBe(example?.temperature);
    expect(request.maxNewTokens).toBe(example?.max_tokens);
    expect(request.stop).toBeUndefined();
    expect(example?.model).toBe(JUDGE.model);
  });

  it("makes the same number of judge calls per item and keeps the same verdicts, dropping the same items", async () => {
    const run = quality.main;
    expect(run.items.length).toBeGreaterThanOrEqual(50);
    const judge = scriptedJudge(scriptOf(run));
    const lines = officialLines(run);
    const kept: string[] = [];
    for (const it of run.items) {
      const before = judge.requests.length;
      const verdict = await judgeQuality(it.pred.prompt, it.pred.response, judge);
      expect({ label: it.label, calls: judge.requests.length - before }).toEqual({ label: it.label, calls: it.calls });
      if (verdict.scores !== null) kept.push(pyJsonDumps(verdict.scores, { ensureAscii: false }));
    }
    // Every official judge.jsonl line but the last (the total) is an item with its scores.
    const officialScores = lines.slice(0, -1).map((l) => pyJsonDumps((l as Map<string, PyJsonValue>).get("scores") as PyJsonValue, { ensureAscii: false }));
    expect(kept).toEqual(officialScores);
    expect(run.items.length - kept.length).toBeGreaterThanOrEqual(3);
  });

  it("aggregates to the official total_score line, to the last bit", () => {
    for (const run of [quality.main, ...quality.special]) {
      const lines = officialLines(run);
      const values = Object.fromEntries(DIMS.map((d) => [d, [] as number[]])) as Record<Dim, number[]>;
      for (const line of lines.slice(0, -1)) {
        const dims = verdictDimensions((line as Map<string, PyJsonValue>).get("scores") as PyJsonValue);
        for (const d of DIMS) values[d].push(dims[d]);
      }
      const n = officialNumbers([50], values);
      const total = lines.at(-1) as Map<string, PyJsonValue>;
      const ours = new Map<string, number>([...DIMS.map((d) => [d, n.quality?.dimensions[d] as number] as const), ["total", n.quality?.total as number]]);
      expect(pyJsonDumps(ours, { integers: "float" })).toBe(pyJsonDumps(total, { integers: "float" }));
    }
  });

  it("fails where eval_quality.py's aggregation raises, with the same Python error", async () => {
    for (const run of quality.crashes) {
      const it = run.items[0] as QualityItem;
      const judge = scriptedJudge(scriptOf(run));
      const verdict = await judgeQuality(it.pred.prompt, it.pred.response, judge);
      expect(judge.requests.length).toBe(it.calls);
      if (verdict.scores === null) {
        // Nothing judged: the script divides by zero; the aggregate has no S_q (scoreOfficial stops, see official.test.ts).
        const none = Object.fromEntries(DIMS.map((d) => [d, []])) as unknown as Record<Dim, number[]>;
        expect({ label: it.label, quality: officialNumbers([1], none).quality, error: run.error }).toEqual({ label: it.label, quality: null, error: "ZeroDivisionError" });
        continue;
      }
      let error: unknown;
      try {
        verdictDimensions(verdict.scores);
      } catch (e) {
        error = e;
      }
      expect({ label: it.label, error: (error as OfficialScorerError | undefined)?.pythonError }).toEqual({ label: it.label, error: run.error });
    }
  });

  it("gives the official numbers through the aggregate of per-sample metric values", () => {
    const run = quality.main;
    const lines = officialLines(run).slice(0, -1);
    const values: Record<string, number[]> = { length_score: [10, 20.5] };
    for (const d of DIMS) values[dimensionMetricId(d)] = lines.map((l) => verdictDimensions((l as Map<string, PyJsonValue>).get("scores") as PyJsonValue)[d]);
    const agg = aggregateLongWriter([{ task: "longbench_write", length: null, n: run.items.length, errors: 0, values }]);
    const total = pyJsonLoads((run.judge_jsonl ?? "").trim().split("\n").at(-1) as string) as Map<string, PyJsonValue>;
    const sq = pyFloatOf(total.get("total"));
    expect(agg.groups?.["S_q:longbench_write"]).toBe(sq);
    expect(agg.groups?.["S_l:longbench_write"]).toBe(15.25);
    expect(agg.tasks["longbench_write"]).toBe((15.25 + sq) / 2);
  });
});
