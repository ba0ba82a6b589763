/**
 * `loom score infinitebench --predictions results/<model>`: src/compute_scores.py re-done.
 *
 * Official (`python compute_scores.py --task <t> --model_name <model> --output_dir results`): reads
 * `results/<model>/preds_<task>.jsonl`, skips blank lines, takes the labels from "ground_truth"
 * (else "label") and the predictions from "prediction" (else "pred"), scores every line and prints
 * "Loading prediction results from <path>" and the mean. It only prints, so we write
 * `score_official.json`: `{task: mean}` in ALL_TASKS order, one entry per preds file present (what
 * `--task <t>` prints for each; `--task all` would stop at the first missing file). The folder's
 * name is the model name, as compute_scores.py builds the path from it (only "gpt4" changes a
 * score: Math.Calc drops its first number). Partial files (`preds_<task>_<start>-<stop>.jsonl`) are
 * not read, as the official script does not read them.
 *
 * LOOM-Scope (`--protocol loom`): benchmarks/Retrieve/InfiniteBench/utils/evaluation/eval.py reads
 * `<task>.jsonl` files, and writes `{"InfiniteBench": {task: {"ACC": round(100 * score, 2)}}}` into
 * results.xlsx; we write those numbers to `score_loom.json`. Its metrics.py (13157 bytes, not
 * readable in the index we had) is assumed to score as compute_scores.py does, with LOOM-Scope's
 * model name (never "gpt4").
 */
import { readdir, readFile, stat, writeFile, mkdir } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { LoomError, type OfficialScoreOptions, type OfficialScoreResult } from "@loomscope/spec";
import { PyFloat, pyFloatRepr, pyJsonDumps, pyJsonLoads, pyStrip, pythonRound, type PyJsonValue } from "@loomscope/metrics";
import { meanScore, scoreOne } from "./score.js";
import { TASK_IDS, isTaskId, type TaskId } from "./tasks.js";

function fail(where: string, message: string, hint?: string): never {
  throw new LoomError("OFFICIAL_SCORE", `${where}: ${message}`, hint === undefined ? undefined : { hint });
}

/** compute_scores.py `iter_jsonl` + `get_labels` + `get_preds` + `get_score` for one file. */
export async function scorePredsFile(path: string, task: TaskId, modelName: string): Promise<{ mean: number; scores: number[] }> {
  const text = await readFile(path, "utf8");
  const rows: { line: number; value: ReadonlyMap<string, PyJsonValue> }[] = [];
  // Python text mode reads "\r\n" and "\r" as line ends too (universal newlines).
  const lines = text.split(/\r\n|\r|\n/);
  if (lines[lines.length - 1] === "") lines.pop();
  lines.forEach((raw, i) => {
    if (pyStrip(raw) === "") return;
    let value: PyJsonValue;
    try {
      value = pyJsonLoads(raw);
    } catch (e) {
      fail(`${path}:${i + 1}`, `not JSON (${(e as Error).message})`);
    }
    if (!(value instanceof Map)) fail(`${path}:${i + 1}`, "a prediction line must be a JSON object");
    rows.push({ line: i + 1, value: value as ReadonlyMap<string, PyJsonValue> });
  });
  if (rows.length === 0) fail(path, "no predictions (compute_scores.py's get_labels reads preds[0]: IndexError)");
  const first = rows[0]!.value;
  const labelKey = ["ground_truth", "label"].find((k) => first.has(k));
  if (labelKey === undefined) fail(`${path}:${rows[0]!.line}`, "Cannot find label (no \"ground_truth\" or \"label\" in the first line: ValueError)");
  const scores: number[] = [];
  for (const { line, value } of rows) {
    const label = value.has(labelKey) ? (value.get(labelKey) as PyJsonValue) : "XXXXXXXXXX";
    const predKey = ["prediction", "pred"].find((k) => value.has(k));
    if (predKey === undefined) fail(`${path}:${line}`, "Cannot find prediction (no \"prediction\" or \"pred\": ValueError)");
    const pred = value.get(predKey);
    if (typeof pred !== "string") fail(`${path}:${line}`, `the prediction is not a string (compute_scores.py fails on it)`);
    try {
      scores.push(scoreOne(pred, label, task, modelName));
    } catch (e) {
      fail(`${path}:${line}`, (e as Error).message);
    }
  }
  return { mean: meanScore(scores), scores };
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

export async function scoreOfficialDir(options: OfficialScoreOptions): Promise<OfficialScoreResult> {
  const dir = resolve(options.predictions);
  const outDir = options.out ?? dir;
  const protocol = options.protocol ?? "official";
  const printed: [string, number][] = [];
  if (protocol === "official") {
    const modelName = basename(dir);
    for (const task of TASK_IDS) {
      const path = join(dir, `preds_${task}.jsonl`);
      if (!(await isFile(path))) continue;
      const { mean } = await scorePredsFile(path, task, modelName);
      options.log("debug", `infinitebench: ${path}: ${pyFloatRepr(mean)}`);
      printed.push([task, mean]);
    }
    if (printed.length === 0) {
      fail(dir, "no preds_<task>.jsonl file of an InfiniteBench task (compute_scores.py asserts: Predictions not found)",
        "point --predictions at results/<model>, the folder compute_scores.py reads");
    }
    const body: Record<string, PyJsonValue> = {};
    for (const [task, mean] of printed) body[task] = new PyFloat(mean);
    await mkdir(outDir, { recursive: true });
    const file = join(outDir, "score_official.json");
    await writeFile(file, pyJsonDumps(body, { indent: 4 }) + "\n", "utf8");
    const summary = printed.map(([t, m]) => `${t}: ${pyFloatRepr(m)}`).join("\n");
    return { written: [file], summary };
  }
  const entries = (await readdir(dir)).filter((n) => n.endsWith(".jsonl")).sort();
  const scores: Record<string, PyJsonValue> = {};
  for (const name of entries) {
    const task = name.slice(0, -".jsonl".length);
    if (!isTaskId(task)) fail(join(dir, name), `no InfiniteBench task "${task}" (LOOM-Scope's get_score_one asserts)`);
    const { mean } = await scorePredsFile(join(dir, name), task, "loom");
    scores[task] = { ACC: pythonRound(100 * mean, 2) };
    printed.push([task, pythonRound(100 * mean, 2)]);
  }
  if (printed.length === 0) fail(dir, "no <task>.jsonl prediction file (LOOM-Scope's layout)");
  await mkdir(outDir, { recursive: true });
  const file = join(outDir, "score_loom.json");
  await writeFile(file, pyJsonDumps({ InfiniteBench: scores }, { indent: 4 }) + "\n", "utf8");
  return { written: [file], summary: printed.map(([t, v]) => `${t}: ${v}`).join("\n") };
}
