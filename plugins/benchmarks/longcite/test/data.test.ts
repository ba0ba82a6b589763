import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { LongCiteRecordSchema, ONE_SHOT_FORMAT, ONE_SHOT_TEMPLATE, TASKS, oneShotPrompt, toSample } from "../src/index.js";
import { pyFormat } from "@loomscope/metrics";
import { fixturePath } from "./helpers.js";

const rows = JSON.parse(readFileSync(fixturePath("data/LongBench-Cite.json"), "utf8")) as unknown[];

describe("LongBench-Cite data", () => {
  it("accepts official-format records and rejects a malformed one", () => {
    expect(rows.map((r) => LongCiteRecordSchema.safeParse(r).success)).toEqual([true, true, true, false]);
  });

  it("builds the chunked passage, the question and the scoring inputs", () => {
    const sample = toSample(LongCiteRecordSchema.parse(rows[1]));
    expect(sample.id).toBe("dureader-7");
    expect(sample.input["context"]).toBe("<C0>这颗恒星的径向速度约为每秒300公里。<C1>这表明它属于恒星晕！<C2>它与赫尔米星流有关；<C3>研究仍在继续。");
    expect(sample.references).toEqual(["恒星晕。", "银晕"]);
    expect(sample.scoring).toMatchObject({ query: "这颗恒星属于哪里？", few_shot_scores: [] });
    expect(sample.meta).toEqual({ idx: 7, language: "zh" });
  });

  it("formats the task template to exactly the prompt pred_one_shot.py sends", () => {
    const record = LongCiteRecordSchema.parse(rows[0]);
    const sample = toSample(record);
    // The task row renders the official `.replace` chain: <<context>> first, then <<question>>.
    let formatted = TASKS[0]?.prompt.template as string;
    for (const { placeholder, key } of TASKS[0]?.prompt.replacements ?? []) formatted = formatted.split(placeholder).join(sample.input[key] as string);
    expect(pyFormat(ONE_SHOT_FORMAT, { context: sample.input["context"] as string, question: sample.input["question"] as string })).toBe(formatted);
    expect(formatted).toBe(oneShotPrompt(record.context, record.query));
    expect(formatted.startsWith(ONE_SHOT_TEMPLATE.slice(0, 50))).toBe(true);
    expect(ONE_SHOT_FORMAT).toContain("{{S}}");
  });
});
