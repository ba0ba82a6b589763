import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { pyFormat } from "@loomscope/metrics";
import { LibraRecordSchema, localCandidates, remotePath, taskById, toSample } from "../src/index.js";
import { fixturePath } from "./helpers.js";

const rows = (name: string): unknown[] =>
  readFileSync(fixturePath(`data/${name}`), "utf8").trim().split("\n").map((l) => JSON.parse(l) as unknown);

describe("LIBRA data", () => {
  it("names the hub parquet of each dataset and the --data-dir layouts", () => {
    expect(remotePath("passkey")).toBe("passkey/test-00000-of-00001.parquet");
    expect(localCandidates("ru_qasper")).toContain("ru_qasper.jsonl");
  });

  it("accepts good rows (unknown fields kept) and rejects a malformed one", () => {
    const [a, b, bad] = rows("passkey.jsonl");
    expect(LibraRecordSchema.safeParse(a).success).toBe(true);
    expect(LibraRecordSchema.safeParse(b).success).toBe(true);
    expect(LibraRecordSchema.safeParse(bad).success).toBe(false); // positive_outputs is a string
    const m = LibraRecordSchema.parse(rows("matreshka_yes_no.jsonl")[0]);
    expect((m as Record<string, unknown>)["extra_field"]).toBe(1);
  });

  it("builds the prompt answer_generator.py builds, {input} in the context included", () => {
    const record = LibraRecordSchema.parse(rows("passkey.jsonl")[1]);
    const sample = toSample(record, { task: "passkey", length: "8k", index: 0 });
    expect(sample.id).toBe("passkey_8k-0");
    expect(sample.references).toEqual(["90211"]);
    const template = taskById("passkey").prompt.template;
    // What Python's instruction.replace("{context}", c).replace("{input}", q) gives:
    const official = template.split("{context}").join(record.context).split("{input}").join(record.input);
    expect(pyFormat(template, sample.input)).toBe(official);
    expect(official).toContain("Вопрос в тексте: Какой ключ доступа?");
  });

  it("keeps negative outputs for the scorer and refuses a row of another length", () => {
    const record = LibraRecordSchema.parse(rows("matreshka_yes_no.jsonl")[0]);
    const s = toSample(record, { task: "matreshka_yes_no", length: "4k", index: 3 });
    expect(s.scoring).toEqual({ negative_outputs: ["Нет"] });
    expect(() => toSample(record, { task: "matreshka_yes_no", length: "8k", index: 0 })).toThrow(/read for length/);
  });
});
