/**
 * LOOM-Scope's LEval scorer (loom-scope 0.1, benchmarks/General/LEval/utils/evaluation/auto_eval.py,
 * `evaluate(DataPath, OutPath)`): a `<task>.jsonl` file per task with `pred` and `outputs` per line.
 * Differences from the official auto_eval.py, all reproduced here:
 * - the config comes from a fixed task table (TASK_CONFIG), not from each line's `evaluation`, and
 *   every line is scored (no skipping of "human" / "LLM" lines); unknown task files are ignored;
 * - option tasks are recognised by the task name (`task in with_option_tasks`), Coursera's
 *   multi-answer reading by `"coursera" in task_name`;
 * - exam tasks score each line alone (`_compute([pred], [[ref]])["exact_match"]`: 0, 25 or 100);
 *   Topic Retrieval gives every line its position group's exact_match; Sci-Fi averages a line's
 *   loyalty and fact exact_match; F1 / ROUGE tasks give every line the file's LEval_score;
 * - the task score is `round(sum / count, 2)` (Python's round), written as
 *   `{"LEval": {task: {config: score}}}` into results.xlsx — here into `score_loom.json`.
 * LOOM-Scope's em.py (2011 bytes, not readable in the index) is assumed to score as the official
 * em.py without its prints; its f1.py and rouge.py are byte-identical to the official ones (RECORD sha256).
 */
import { readdir, readFile, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { LoomError, type Logger, type OfficialScoreResult } from "@loomscope/spec";
import { OfficialScorerError, pyJsonDumps, pyJsonLoads, pythonRound, type PyJsonValue } from "@loomscope/metrics";
import { fileKind, levalMetrics, metricValue, processPair, type LevalConfig } from "./autoeval.js";
import { TASK_CONFIG } from "./tasks.js";
import { processGtJudge, processOutputJudge } from "./process.js";

/** LOOM-Scope's TASK_CONFIG: the same task → configuration map as the official task lists give (`TASK_CONFIG`). */
export const LOOM_TASK_CONFIG: Readonly<Record<string, LevalConfig>> = TASK_CONFIG;

interface LoomLine {
  pred: string;
  outputs: string;
}

function loomLine(v: PyJsonValue, where: string): LoomLine {
  if (!(v instanceof Map)) throw new OfficialScorerError("TypeError", `${where} is not a JSON object`);
  const pred: unknown = v.get("pred");
  const outputs: unknown = v.get("outputs");
  if (typeof pred !== "string") throw new OfficialScorerError("KeyError", `'pred' (${where})`);
  if (typeof outputs !== "string") throw new OfficialScorerError("KeyError", `'outputs' (${where})`);
  return { pred, outputs };
}

/** Per-line scores of one task file, as LOOM-Scope's evaluate() computes them. */
export function loomLineScores(task: string, lines: readonly LoomLine[]): number[] {
  const config = LOOM_TASK_CONFIG[task];
  if (config === undefined) throw new Error(`no LOOM-Scope config for ${task}`);
  const em = (pred: string, ref: string) => metricValue(levalMetrics("exam", [pred], [[ref]]), "exact_match");
  if (task.includes("topic_retrieval_longchat")) {
    const scores = new Array<number>(lines.length);
    for (let g = 0; g < 3; g++) {
      const idx = lines.map((_, i) => i).filter((i) => i % 3 === g);
      if (idx.length === 0) continue;
      const m = levalMetrics(config, idx.map((i) => lines[i]!.pred), idx.map((i) => [lines[i]!.outputs]));
      const value = metricValue(m, "exact_match");
      for (const i of idx) scores[i] = value;
    }
    return scores;
  }
  if (task.includes("sci_fi")) {
    return lines.map(({ pred, outputs }) => {
      const [loyalty, fact] = processGtJudge(outputs);
      const [lp, fp] = processOutputJudge(pred);
      return (em(lp, loyalty) + em(fp, fact)) / 2;
    });
  }
  // Option tasks by name (`task in with_option_tasks`), gsm / codeU by substring: for task names, what fileKind reads.
  const kind = fileKind(task);
  const pairs = lines.map(({ pred, outputs }) => processPair(kind, pred, outputs, task.includes("coursera")));
  if (config === "exam") return pairs.map(([p, r]) => em(p, r));
  const m = levalMetrics(config, pairs.map(([p]) => p), pairs.map(([, r]) => [r]));
  const score = metricValue(m, "LEval_score");
  return pairs.map(() => score);
}

export async function loomTaskScores(dir: string, outDir: string, log: Logger): Promise<OfficialScoreResult> {
  const files = (await readdir(dir)).filter((n) => n.endsWith("jsonl")).sort();
  const body: Record<string, PyJsonValue> = {};
  const summary: string[] = [];
  for (const file of files) {
    const task = file.replace(/\.jsonl$/, "");
    if (LOOM_TASK_CONFIG[task] === undefined) {
      log("debug", `leval (loom): ${file}: not a LEval task, skipped as LOOM-Scope skips it`);
      continue;
    }
    const raw = (await readFile(join(dir, file), "utf8")).split("\n").filter((l, i, all) => l !== "" || i < all.length - 1);
    if (raw.length === 0) continue;
    let scores: number[];
    try {
      const lines = raw.map((l, i) => loomLine(pyJsonLoads(l), `line ${i + 1}`));
      scores = loomLineScores(task, lines);
    } catch (e) {
      throw new LoomError("OFFICIAL_SCORE", `${join(dir, file)}: ${(e as Error).message}`);
    }
    let total = 0;
    for (const s of scores) total += s;
    const value = pythonRound(total / scores.length, 2);
    body[task] = { [LOOM_TASK_CONFIG[task] as string]: value };
    summary.push(`${task}: ${value}`);
  }
  if (summary.length === 0) throw new LoomError("OFFICIAL_SCORE", `${dir}: no <task>.jsonl file of a LEval task (LOOM-Scope's layout)`);
  await mkdir(outDir, { recursive: true });
  const out = join(outDir, "score_loom.json");
  await writeFile(out, pyJsonDumps({ LEval: body }, { indent: 4, ensureAscii: false }) + "\n", "utf8");
  return { written: [out], summary: summary.join("\n") };
}
