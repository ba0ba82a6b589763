/**
 * `scoreOfficial` against LV-Eval's evaluation.py: test/fixtures/predictions is a prediction
 * directory in the official format and official-result/ what evaluation.py wrote for it.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import lveval, { officialFileOrder } from "../src/index.js";

const fixtures = fileURLToPath(new URL("./fixtures/", import.meta.url));
const log = (): void => {};

function copyPredictions(): string {
  const dir = mkdtempSync(join(tmpdir(), "lveval-preds-"));
  cpSync(join(fixtures, "predictions"), dir, { recursive: true });
  return dir;
}

describe("scoreOfficial", () => {
  it("writes result.json and result.csv byte for byte as evaluation.py does", async () => {
    const dir = copyPredictions();
    const result = await lveval.scoreOfficial!({ predictions: dir, log });
    expect(result.written).toEqual([join(dir, "eval_result", "result.json"), join(dir, "eval_result", "result.csv")]);
    expect(readFileSync(join(dir, "eval_result", "result.json"), "utf8")).toBe(
      readFileSync(join(fixtures, "official-result", "result.json"), "utf8"),
    );
    expect(readFileSync(join(dir, "eval_result", "result.csv"), "utf8")).toBe(
      readFileSync(join(fixtures, "official-result", "result.csv"), "utf8"),
    );
    expect(result.summary).toContain("dureader_mixup");
  });

  it("accepts a trailing slash and an explicit output directory", async () => {
    const dir = copyPredictions();
    const out = mkdtempSync(join(tmpdir(), "lveval-out-"));
    await lveval.scoreOfficial!({ predictions: `${dir}/`, out, log });
    expect(readFileSync(join(out, "result.json"), "utf8")).toBe(
      readFileSync(join(fixtures, "official-result", "result.json"), "utf8"),
    );
  });

  it("stops where evaluation.py stops, naming the file and line", async () => {
    const empty = mkdtempSync(join(tmpdir(), "lveval-bad-"));
    writeFileSync(join(empty, "cmrc_mixup_16k.jsonl"), "");
    await expect(lveval.scoreOfficial!({ predictions: empty, log })).rejects.toThrow(/no predictions/);

    const notJson = mkdtempSync(join(tmpdir(), "lveval-bad-"));
    writeFileSync(join(notJson, "cmrc_mixup_16k.jsonl"), '{"pred": "a", "answers": ["a"]}\n{oops\n');
    await expect(lveval.scoreOfficial!({ predictions: notJson, log })).rejects.toThrow(/cmrc_mixup_16k\.jsonl:2/);

    const unknown = mkdtempSync(join(tmpdir(), "lveval-bad-"));
    writeFileSync(join(unknown, "narrativeqa_16k.jsonl"), '{"pred": "a", "answers": ["a"]}\n');
    await expect(lveval.scoreOfficial!({ predictions: unknown, log })).rejects.toThrow(/no LV-Eval metric/);

    const zero = mkdtempSync(join(tmpdir(), "lveval-bad-"));
    writeFileSync(join(zero, "loogle_SD_mixup_16k.jsonl"), '{"pred": "a", "answers": ["a"], "gold_ans": "the"}\n');
    await expect(lveval.scoreOfficial!({ predictions: zero, log })).rejects.toThrow(/ZeroDivisionError/);
  });

  it("treats a string `answers` as Python does: its first character is the ground truth", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lveval-str-"));
    writeFileSync(join(dir, "factrecall_en_16k.jsonl"), '{"pred": "L", "answers": "Ludwig"}\n');
    await lveval.scoreOfficial!({ predictions: dir, log });
    expect(readFileSync(join(dir, "eval_result", "result.json"), "utf8")).toBe('{\n    "factrecall_en_16k": 100.0\n}');
  });

  it("orders files with evaluation.py's custom_sort", () => {
    expect(
      officialFileOrder(["lic_mixup_256k.jsonl", "lic_mixup_16k.jsonl", "cmrc_mixup_32k.jsonl", "loogle_CR_mixup_16k.jsonl", "loogle_MIR_mixup_16k.jsonl", "a.txt"]),
    ).toEqual(["a.txt", "cmrc_mixup_32k.jsonl", "lic_mixup_16k.jsonl", "lic_mixup_256k.jsonl", "loogle_CR_mixup_16k.jsonl", "loogle_MIR_mixup_16k.jsonl"]);
  });
});
