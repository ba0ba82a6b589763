/**
 * The numbers auto_eval.py prints per task, from per-sample metric values in prediction-file order
 * (the order samples are generated in): LEval_score = round(…, 4) of exact_match / f1 / the ROUGE
 * geometric mean, Topic Retrieval's average of its three position groups (line index % 3), Sci-Fi's
 * average of loyalty and fact, and llm_eval.py's win rate for the judge tasks. LEval publishes no
 * overall number; `score` is the unweighted mean of the task scores present, labelled as ours.
 */
import type { AggregateCell, BenchmarkAggregate, ResultTable } from "@loomscope/spec";
import { pythonRound } from "@loomscope/metrics";
import { TASK_IDS, TASK_CONFIG, isClosedTask, isJudgeTask, isTaskId, type TaskId } from "./tasks.js";

function sum(values: readonly number[]): number {
  let t = 0;
  for (const v of values) t += v;
  return t;
}

/** compute_exact_match / compute_f1, rounded as LEvalMetrics rounds: round(100 × Σ / n, 4). */
export function percentOfMean(values: readonly number[]): number | null {
  return values.length === 0 ? null : pythonRound((100.0 * sum(values)) / values.length, 4);
}

/** The rouge branch: per type mean of fmeasure × 100, geometric mean of rouge1/2/L, all rounded to 4. */
export function rougeScores(cell: Record<string, number[]>): Record<string, number> | null {
  const n = cell["rouge1"]?.length ?? 0;
  if (n === 0) return null;
  const mean = (k: string) => sum((cell[k] ?? []).map((f) => f * 100)) / n;
  const r1 = mean("rouge1");
  const r2 = mean("rouge2");
  const rl = mean("rougeL");
  const rlsum = mean("rougeLsum");
  const geo = (r1 * r2 * rl) ** (1.0 / 3.0);
  return { rouge1: pythonRound(r1, 4), rouge2: pythonRound(r2, 4), rougeL: pythonRound(rl, 4), rougeLsum: pythonRound(rlsum, 4), geometric_mean: pythonRound(geo, 4) };
}

/** A task's LEval_score (or the printed average for Topic Retrieval / Sci-Fi, the win rate × 100 for judge tasks). */
export function taskScore(task: TaskId, values: Record<string, number[]>): number | null {
  if (isJudgeTask(task)) {
    const points = sum(values["llm_judge_points"] ?? []);
    const valid = sum(values["llm_judge_valid"] ?? []);
    return valid === 0 ? null : (100 * points) / valid;
  }
  if (task === "topic_retrieval_longchat") {
    const em = values["exact_match"] ?? [];
    const groups = [0, 1, 2].map((g) => percentOfMean(em.filter((_, i) => i % 3 === g)));
    if (groups.some((g) => g === null)) return null; // auto_eval.py divides by zero on an empty group
    return ((groups[0] as number) + (groups[1] as number) + (groups[2] as number)) / 3;
  }
  if (task === "sci_fi") {
    const l = percentOfMean(values["loyalty_exact_match"] ?? []);
    const f = percentOfMean(values["fact_exact_match"] ?? []);
    return l === null || f === null ? null : (0 + l + f) / 2;
  }
  if (isClosedTask(task)) return percentOfMean(values["exact_match"] ?? []);
  if (TASK_CONFIG[task] === "f1") return percentOfMean(values["f1"] ?? []);
  return rougeScores(values)?.["geometric_mean"] ?? null;
}

export function aggregateLeval(cells: readonly AggregateCell[]): BenchmarkAggregate {
  const byTask = new Map<TaskId, Record<string, number[]>>();
  for (const cell of cells) {
    if (!isTaskId(cell.task)) continue;
    const merged = byTask.get(cell.task) ?? {};
    for (const [k, v] of Object.entries(cell.values)) merged[k] = [...(merged[k] ?? []), ...v];
    byTask.set(cell.task, merged);
  }
  const present = TASK_IDS.filter((t) => byTask.has(t));
  const tasks: Record<string, number | null> = {};
  for (const t of present) tasks[t] = taskScore(t, byTask.get(t) ?? {});
  const nonJudge = present.filter((t) => !isJudgeTask(t)).map((t) => tasks[t]).filter((v): v is number => typeof v === "number");
  const average = nonJudge.length === 0 ? null : sum(nonJudge) / nonJudge.length;
  const cellsOut: Record<string, Record<string, number | null>> = {};
  for (const t of present) cellsOut[t] = {};
  const rougeRows = present.filter((t) => !isJudgeTask(t) && !isClosedTask(t) && TASK_CONFIG[t as keyof typeof TASK_CONFIG] === "rouge");
  const tables: ResultTable[] = [
    {
      title: "LEval (auto_eval.py LEval_score; judge tasks: win rate × 100 against turbo-16k-0613)",
      rows: [...present, "Average of the automatic tasks (not official)"],
      columns: ["score"],
      cells: [...present.map((t) => [tasks[t] ?? null]), [average]],
    },
  ];
  if (rougeRows.length > 0) {
    tables.push({
      title: "LEval ROUGE (fmeasure × 100, as auto_eval.py prints them)",
      rows: rougeRows,
      columns: ["rouge1", "rouge2", "rougeL", "rougeLsum", "geometric_mean"],
      cells: rougeRows.map((t) => {
        const r = rougeScores(byTask.get(t) ?? {});
        return ["rouge1", "rouge2", "rougeL", "rougeLsum", "geometric_mean"].map((k) => r?.[k] ?? null);
      }),
    });
  }
  return { score: average, tasks, cells: cellsOut, groups: { "average (not official)": average }, tables };
}
