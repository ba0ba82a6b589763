/**
 * The data fixture (LEval-data layout, a few documents per task cut short, a malformed row and a
 * non-JSON row in quality.jsonl) through the record schema, the evaluation filter and toSamples.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { LevalRecordSchema, OFFICIAL_COUNTS, TASK_IDS, hfPath, isEvaluated, localCandidates, toSamples, type TaskId } from "../src/index.js";

function rows(rel: string): string[] {
  return readFileSync(new URL(`./fixtures/data/${rel}`, import.meta.url), "utf8").split("\n").filter((l) => l.trim() !== "");
}

describe("LEval records", () => {
  it("the schema accepts the documents and rejects the malformed rows", () => {
    const verdicts = rows("LEval-data/Closed-ended-tasks/quality.jsonl").map((l) => {
      try {
        return LevalRecordSchema.safeParse(JSON.parse(l)).success ? "ok" : "rejected";
      } catch {
        return "not JSON";
      }
    });
    expect(verdicts).toEqual(["ok", "ok", "rejected", "not JSON"]);
  });

  it("build_key_data_pairs's filter: ngram/exam read f1/rouge/exam documents, the judge tasks LLM (and human) ones", () => {
    const docs = rows("LEval-data/Open-ended-tasks/financial_qa.jsonl").map((l) => LevalRecordSchema.parse(JSON.parse(l)));
    expect(docs.map((d) => d.evaluation)).toEqual(["f1", "LLM", "human"]);
    expect(docs.map((d) => isEvaluated(d, "financial_qa"))).toEqual([true, false, false]);
    expect(docs.map((d) => isEvaluated(d, "financial_qa", "llm_gpt4_eval"))).toEqual([false, true, false]);
    expect(docs.map((d) => isEvaluated(d, "financial_qa", "llm_turbo_eval"))).toEqual([false, true, true]);
    // closed-ended tasks are always exam_eval
    expect(docs.map((d) => isEvaluated(d, "quality", "llm_gpt4_eval"))).toEqual([true, false, false]);
  });

  it("toSamples: one sample per (instruction, output), ids <task>-<row>-<question>, the length instruction's word count", () => {
    const doc = LevalRecordSchema.parse(JSON.parse(rows("LEval-data/Open-ended-tasks/gov_report_summ.jsonl")[0]!));
    const samples = toSamples(doc, { task: "gov_report_summ", row: 0 });
    expect(samples.map((s) => s.id)).toEqual(["gov_report_summ-0-0"]);
    expect(samples[0]!.input["n_words"]).toBe(String(doc.outputs[0]!.split(/\s+/).filter(Boolean).length));
    expect(samples[0]!.references).toEqual([doc.outputs[0]]);
    const topic = LevalRecordSchema.parse(JSON.parse(rows("LEval-data/Closed-ended-tasks/topic_retrieval_longchat.jsonl")[0]!));
    expect(toSamples(topic, { task: "topic_retrieval_longchat", row: 3 }).map((s) => [s.id, s.scoring?.["question_index"]])).toEqual([
      ["topic_retrieval_longchat-3-0", 0],
      ["topic_retrieval_longchat-3-1", 1],
      ["topic_retrieval_longchat-3-2", 2],
    ]);
    const battle = new Map([[doc.instructions[0]! + doc.outputs[0]!, "turbo says"]]);
    const judged = toSamples(doc, { task: "gov_report_summ", row: 5, battle });
    expect(judged[0]!.id).toBe("gov_report_summ-5-0");
    expect(judged[0]!.scoring).toMatchObject({ battle_answer: "turbo says", query: doc.instructions[0] });
    // a question the battle file does not answer: llm_eval.py skips it
    expect(toSamples(doc, { task: "gov_report_summ", row: 5, battle: new Map() })[0]!.scoring).toMatchObject({ battle_answer: null });
  });

  it("files and counts", () => {
    expect(hfPath("quality")).toBe("LEval/Exam/quality.jsonl");
    expect(hfPath("news_summ")).toBe("LEval/Generation/news_summ.jsonl");
    expect(localCandidates("quality")[0]).toBe("LEval-data/Closed-ended-tasks/quality.jsonl");
    for (const t of TASK_IDS) expect(OFFICIAL_COUNTS[t as TaskId]).toBeGreaterThan(0);
  });
});
