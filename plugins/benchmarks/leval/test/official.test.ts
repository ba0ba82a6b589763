/**
 * `loom score leval --predictions Predictions/<exam_eval|ngram_eval>/<model>`: each fixture file was
 * scored by running `python Evaluation/auto_eval.py --pred_file <file>` (scripts/make-parity-fixture.py);
 * what it printed is in auto-eval-printed.json, Python ints and floats kept apart.
 */
import { cp, mkdir, mkdtemp, readFile, readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { PyFloat, pyFloatRepr, pyJsonLoads, type PyJsonValue } from "@loomscope/metrics";
import { scoreOfficialDir } from "../src/index.js";

type Described = string | boolean | null | { int: string } | { float: string } | { dict: Record<string, Described> } | Described[];
const fixtures = fileURLToPath(new URL("./fixtures/", import.meta.url));
const printed = JSON.parse(await readFile(join(fixtures, "auto-eval-printed.json"), "utf8")) as Record<string, Record<string, Described>>;
const log = () => {};

function describe_(v: PyJsonValue): Described {
  if (v === null || typeof v === "boolean" || typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "bigint") return { int: String(v) };
  if (v instanceof PyFloat) return { float: pyFloatRepr(v.value) };
  if (Array.isArray(v)) return (v as PyJsonValue[]).map(describe_);
  if (v instanceof Map) return { dict: Object.fromEntries([...v].map(([k, x]) => [k, describe_(x as PyJsonValue)])) };
  throw new Error("not a json.loads value");
}

async function copyFolder(kind: string): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "leval-official-"));
  const dir = join(root, "Predictions", kind, "fx-model");
  await cp(join(fixtures, "Predictions", kind, "fx-model"), dir, { recursive: true });
  return dir;
}

describe("scoreOfficial (protocol official) = what auto_eval.py printed", () => {
  for (const kind of ["exam_eval", "ngram_eval"]) {
    it(`${kind}: every file's printed numbers, ints and floats as Python printed them`, async () => {
      const dir = await copyFolder(kind);
      const result = await scoreOfficialDir({ predictions: dir, log });
      expect(result.written).toEqual([join(dir, "score_official.json")]);
      const ours = pyJsonLoads(await readFile(join(dir, "score_official.json"), "utf8")) as ReadonlyMap<string, PyJsonValue>;
      const files = (await readdir(dir)).filter((f) => f.endsWith(".pred.jsonl")).sort();
      expect([...ours.keys()]).toEqual(files);
      for (const file of files) {
        const want = printed[`Predictions/${kind}/fx-model/${file}`]!;
        const expected: Described = want["metrics"] ?? { dict: want };
        const got = describe_(ours.get(file) as PyJsonValue);
        expect([file, got]).toEqual([file, "metrics" in want ? expected : expected]);
      }
    });
  }

  it("refuses where auto_eval.py crashes, and writes nothing", async () => {
    const root = await mkdtemp(join(tmpdir(), "leval-crash-"));
    const dir = join(root, "Predictions", "exam_eval", "m");
    await mkdir(dir, { recursive: true });
    await expect(scoreOfficialDir({ predictions: dir, log })).rejects.toThrow(/no \*\.pred\.jsonl/);
    await writeFile(join(dir, "sci_fi.pred.jsonl"), '{"gt": "True [fact: False]", "m_pred": "True", "evaluation": "exam"}\n');
    await expect(scoreOfficialDir({ predictions: dir, log })).rejects.toThrow(/IndexError/);
    await writeFile(join(dir, "sci_fi.pred.jsonl"), "not json\n\n");
    await expect(scoreOfficialDir({ predictions: dir, log })).rejects.toThrow(/IndexError/);
    await writeFile(join(dir, "sci_fi.pred.jsonl"), '{"gt": "True [fact: False]", "m_pred": "True [fact: x]", "evaluation": "human"}\n');
    await expect(scoreOfficialDir({ predictions: dir, log })).rejects.toThrow(/AssertionError/);
    await writeFile(join(dir, "sci_fi.pred.jsonl"), '{"gt": "True [fact: False]", "answer": "True [fact: x]", "evaluation": "exam"}\n');
    await expect(scoreOfficialDir({ predictions: dir, log })).rejects.toThrow(/KeyError/);
    expect(await readdir(dir)).toEqual(["sci_fi.pred.jsonl"]);
  });

  it("decides the processing from the path as auto_eval.py does (a model folder named after a task changes it)", async () => {
    const root = await mkdtemp(join(tmpdir(), "leval-path-"));
    const line = '{"gt": "AC", "m_pred": "C and A.", "evaluation": "exam"}\n';
    for (const model of ["plain", "coursera-tuned"]) {
      await mkdir(join(root, "Predictions", "exam_eval", model), { recursive: true });
      await writeFile(join(root, "Predictions", "exam_eval", model, "quality.pred.jsonl"), line);
      await scoreOfficialDir({ predictions: join(root, "Predictions", "exam_eval", model), log });
    }
    const score = async (model: string) =>
      (JSON.parse(await readFile(join(root, "Predictions", "exam_eval", model, "score_official.json"), "utf8")) as Record<string, { exact_match: number }>)["quality.pred.jsonl"]!.exact_match;
    expect(await score("plain")).toBe(25); // "C": the first option letter, a subset of "AC"
    expect(await score("coursera-tuned")).toBe(100); // the Coursera reading collects "C" and " A" → "AC"
  });
});

describe("scoreOfficial (protocol loom)", () => {
  it("scores <task>.jsonl with pred/outputs per LOOM-Scope's evaluate() and rounds task means to 2 places", async () => {
    const root = await mkdtemp(join(tmpdir(), "leval-loom-"));
    const lines = (pairs: [string, string][]) => pairs.map(([pred, outputs]) => JSON.stringify({ pred, outputs, evaluation: "human" })).join("\n") + "\n";
    await writeFile(join(root, "quality.jsonl"), lines([["A", "(A) x"], ["C", "(B) y"], ["", "(C) z"]]));
    await writeFile(join(root, "sci_fi.jsonl"), lines([["True [fact: False]", "True [fact: True]"]]));
    await writeFile(join(root, "not_a_task.jsonl"), "garbage\n");
    await scoreOfficialDir({ predictions: root, protocol: "loom", log });
    const body = JSON.parse(await readFile(join(root, "score_loom.json"), "utf8")) as { LEval: Record<string, Record<string, number>> };
    expect(body.LEval).toEqual({ quality: { exam: 33.33 }, sci_fi: { exam: 50 } });
  });
});
