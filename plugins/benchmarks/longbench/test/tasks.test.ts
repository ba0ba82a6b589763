/** The task table against pred.py's and eval.py's rules. */
import { describe, expect, it } from "vitest";
import { pyFormatFields } from "@loomscope/metrics";
import { DATASET2MAXLEN, DATASET2METRIC, TASKS, taskRow } from "../src/index.js";

describe("task table", () => {
  it("has the 21 datasets then the 13 LongBench-E ones", () => {
    expect(TASKS.length).toBe(34);
    expect(TASKS.filter((t) => t.id.endsWith("_e")).map((t) => t.dataset)).toEqual([
      "qasper", "multifieldqa_en", "hotpotqa", "2wikimqa", "gov_report", "multi_news",
      "trec", "triviaqa", "samsum", "passage_count", "passage_retrieval_en", "lcc", "repobench-p",
    ]);
  });
  it("skips the chat template exactly where pred.py does", () => {
    expect(TASKS.filter((t) => t.prompt.chat === "raw" && !t.id.endsWith("_e")).map((t) => t.id)).toEqual([
      "trec", "triviaqa", "samsum", "lsht", "lcc", "repobench-p",
    ]);
    expect(taskRow("lcc_e")?.prompt.chat).toBe("raw");
    expect(taskRow("qasper_e")?.prompt.chat).toBe("model");
  });
  it("takes budgets from dataset2maxlen.json and metrics from eval.py, for the E variant too", () => {
    for (const t of TASKS) {
      expect(t.maxNewTokens).toBe(DATASET2MAXLEN[t.dataset]);
      expect(t.metrics.map((m) => m.id)).toEqual([DATASET2METRIC[t.dataset]]);
      expect(t.prompt.truncation).toBe("middle");
    }
  });
  it("names the query field only where the template has one", () => {
    for (const t of TASKS) {
      const fields = pyFormatFields(t.prompt.template);
      expect(fields.includes("input")).toBe(t.prompt.queryKey === "input");
      expect(fields).toContain("context");
    }
    expect(taskRow("gov_report")?.prompt.queryKey).toBeUndefined();
  });
  it("stops samsum at the newline and buckets LongBench-E by length", () => {
    expect(taskRow("samsum")?.generation).toEqual({ stop: ["\n"], minNewTokens: 1 });
    expect(taskRow("samsum_e")?.generation).toEqual({ stop: ["\n"], minNewTokens: 1 });
    expect(taskRow("qasper")?.generation).toBeUndefined();
    expect(taskRow("qasper")?.lengths).toEqual([]);
    expect(taskRow("qasper_e")?.lengths).toEqual(["0-4k", "4-8k", "8k+"]);
  });
});
