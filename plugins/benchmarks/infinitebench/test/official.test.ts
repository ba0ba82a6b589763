/**
 * `loom score infinitebench --predictions results/<model>`: the fixture folders were scored by
 * running `compute_scores.py --task all --model_name <model>` (scripts/make-parity-fixture.py); its
 * printed means are in official-printed.json.
 */
import { cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { pyFloatRepr, pythonRound } from "@loomscope/metrics";
import { TASK_IDS, scoreOfficialDir } from "../src/index.js";

const fixtures = fileURLToPath(new URL("./fixtures/", import.meta.url));
const printed = JSON.parse(await readFile(join(fixtures, "official-printed.json"), "utf8")) as Record<string, Record<string, string>>;
const log = () => {};

async function copyModel(model: string): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "ib-official-"));
  await cp(join(fixtures, "results", model), join(root, model), { recursive: true });
  return join(root, model);
}

describe("scoreOfficial (protocol official)", () => {
  for (const model of ["gpt4", "yarn-mistral"]) {
    it(`${model}: score_official.json holds what compute_scores.py printed, in ALL_TASKS order`, async () => {
      const dir = await copyModel(model);
      const result = await scoreOfficialDir({ predictions: dir, log });
      expect(result.written).toEqual([join(dir, "score_official.json")]);
      const text = await readFile(join(dir, "score_official.json"), "utf8");
      const body = JSON.parse(text) as Record<string, number>;
      expect(Object.keys(body)).toEqual([...TASK_IDS]);
      // The file keeps Python's float text: compare the numbers as written, not re-parsed.
      for (const task of TASK_IDS) {
        expect(text).toContain(`"${task}": ${printed[model]![task]}`);
        expect(pyFloatRepr(body[task]!)).toBe(printed[model]![task]);
      }
    });
  }

  it("uses the folder name as the model name: Math.Calc drops GPT-4's first number only under gpt4", async () => {
    const dir = await copyModel("gpt4");
    const other = join(dir, "..", "someone");
    await cp(dir, other, { recursive: true });
    await scoreOfficialDir({ predictions: other, log });
    const a = JSON.parse(await readFile(join(other, "score_official.json"), "utf8")) as Record<string, number>;
    expect(pyFloatRepr(a["passkey"]!)).toBe(printed["gpt4"]!["passkey"]);
    expect(pyFloatRepr(a["math_calc"]!)).not.toBe(printed["gpt4"]!["math_calc"]);
  });

  it("scores the tasks present, ignores partial preds_<task>_<a>-<b>.jsonl files, writes into --out", async () => {
    const dir = await copyModel("gpt4");
    const out = await mkdtemp(join(tmpdir(), "ib-out-"));
    for (const f of await readdir(dir)) if (!f.startsWith("preds_passkey")) await rm(join(dir, f));
    await writeFile(join(dir, "preds_kv_retrieval_0-10.jsonl"), '{"id": 0, "prediction": "x", "ground_truth": "x"}\n');
    const result = await scoreOfficialDir({ predictions: dir, out, log });
    expect(result.written).toEqual([join(out, "score_official.json")]);
    expect(Object.keys(JSON.parse(await readFile(join(out, "score_official.json"), "utf8")))).toEqual(["passkey"]);
  });

  it("refuses where compute_scores.py crashes, and writes nothing", async () => {
    const root = await mkdtemp(join(tmpdir(), "ib-crash-"));
    const dir = join(root, "m");
    await mkdir(dir);
    await expect(scoreOfficialDir({ predictions: dir, log })).rejects.toThrow(/no preds_<task>\.jsonl/);
    await writeFile(join(dir, "preds_passkey.jsonl"), "\n\n");
    await expect(scoreOfficialDir({ predictions: dir, log })).rejects.toThrow(/IndexError/);
    await writeFile(join(dir, "preds_passkey.jsonl"), '{"id": 0, "prediction": "1"}\n');
    await expect(scoreOfficialDir({ predictions: dir, log })).rejects.toThrow(/Cannot find label/);
    await writeFile(join(dir, "preds_passkey.jsonl"), '{"id": 0, "prediction": "1", "ground_truth": "1"}\n{"id": 1, "ground_truth": "2"}\n');
    await expect(scoreOfficialDir({ predictions: dir, log })).rejects.toThrow(/preds_passkey\.jsonl:2: Cannot find prediction/);
    await writeFile(join(dir, "preds_passkey.jsonl"), '{"id": 0, "prediction": "1", "ground_truth": []}\n');
    await expect(scoreOfficialDir({ predictions: dir, log })).rejects.toThrow(/IndexError/);
    await writeFile(join(dir, "preds_passkey.jsonl"), '{"id": 0, "prediction": "1", "ground_truth": "1"\n');
    await expect(scoreOfficialDir({ predictions: dir, log })).rejects.toThrow(/preds_passkey\.jsonl:1: not JSON/);
    expect(await readdir(dir)).toEqual(["preds_passkey.jsonl"]);
  });
});

describe("scoreOfficial (protocol loom)", () => {
  it("reads <task>.jsonl and writes score_loom.json with ACC = round(100 * mean, 2)", async () => {
    const src = await copyModel("yarn-mistral");
    const dir = join(src, "..", "loom-layout");
    await mkdir(dir);
    for (const task of ["passkey", "longbook_sum_eng"]) await cp(join(src, `preds_${task}.jsonl`), join(dir, `${task}.jsonl`));
    await scoreOfficialDir({ predictions: dir, protocol: "loom", log });
    const body = JSON.parse(await readFile(join(dir, "score_loom.json"), "utf8")) as { InfiniteBench: Record<string, { ACC: number }> };
    const round2 = (s: string) => pythonRound(100 * Number(s), 2);
    expect(body.InfiniteBench["passkey"]!.ACC).toBe(round2(printed["yarn-mistral"]!["passkey"]!));
    expect(body.InfiniteBench["longbook_sum_eng"]!.ACC).toBe(round2(printed["yarn-mistral"]!["longbook_sum_eng"]!));
  });
});
