import { describe, expect, it } from "vitest";
import type { RunEstimate } from "@loomscope/core";
import { parsePrice, parseThroughput, planText, planTotalLine } from "../src/plan.js";

const estimate = (basis: RunEstimate["tokens"]["basis"]): RunEstimate => ({
  model: "openai:some-model",
  runDir: "/runs/x",
  tokens: { basis, tokenizer: basis === "estimate" ? null : "tok:v1" },
  rows: [
    { benchmark: "b", task: "t", length: "8k", samples: 10, recorded: 2, cached: 3, requests: 4, promptTokens: 40_000, maxNewTokens: 400, truncated: 1, tooLong: 1, failed: 0 },
    { benchmark: "b", task: "u", length: null, samples: 0, recorded: 0, cached: 0, requests: 0, promptTokens: 0, maxNewTokens: 0, truncated: 0, tooLong: 0, failed: 0, error: "data file missing" },
  ],
  totals: { samples: 10, recorded: 2, cached: 3, requests: 4, promptTokens: 40_000, maxNewTokens: 400, truncated: 1, tooLong: 1, failed: 0 },
  cost: { inputPerMTok: 2.5, outputPerMTok: 10, usd: 0.104, source: "--price" },
  gpu: null,
  notices: ["something to know"],
});

describe("the plan's text", () => {
  it("labels estimated token counts, and says what is subtracted, truncated, too long and what it costs", () => {
    expect(planTotalLine(estimate("estimate"))).toBe("plan: 10 samples, 2 recorded, 3 cached → 4 requests, 40,000 prompt tokens (est.), ≤ 400 generated; 1 truncated, 1 too long for the window (not sent), ≤ $0.10");
    expect(planTotalLine(estimate("exact"))).toMatch(/40,000 prompt tokens \(exact\)/);
    expect(planTotalLine(estimate("tokenizer"))).toMatch(/40,000 prompt tokens \(counted with tok:v1\)/);
    const text = planText(estimate("estimate"));
    expect(text).toMatch(/prompt tokens: est\. at 4 characters a token: no tokenizer/);
    expect(text).toMatch(/b\s+t\s+8k\s+10\s+2\s+3\s+4\s+40,000 est\.\s+400\s+1\s+1\s+0/);
    expect(text).toMatch(/b\s+u\s+—\s+error/);
    expect(text).toMatch(/error: b\/u: data file missing/);
    expect(text).toMatch(/note: something to know/);
  });

  it("parses --price and --throughput, refusing missing, extra and non-positive values", () => {
    expect(parsePrice("in=2.5,out=10")).toEqual({ inputPerMTok: 2.5, outputPerMTok: 10 });
    expect(parseThroughput("prefill=20000,decode=2500")).toEqual({ prefill: 20000, decode: 2500 });
    expect(() => parsePrice("in=1")).toThrow(/missing out/);
    expect(() => parsePrice("in=1,out=2,x=3")).toThrow(/expected in=<number>,out=<number>/);
    expect(() => parseThroughput("prefill=0,decode=1")).toThrow(/positive/);
    expect(() => parsePrice("in=-1,out=1")).toThrow(/non-negative/);
  });
});
