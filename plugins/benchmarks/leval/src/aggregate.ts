/**
 * The numbers auto_eval.py prints per task, from per-sample metric values in prediction-file order
 * (the order samples are generated in): LEval_score = round(…, 4) of exact_match / f1 / the ROUGE
 * geometric mean, Topic Retrieval's average of its three position groups (line index % 3), Sci-Fi's
 * average of loyalty and fact; under a judged evaluation, llm_eval.py's win rate over the one
 * prediction file of all open-ended tasks (and, ours, per task). LEval publishes no overall number;
 * `score` is the unweighted mean of the automatic task scores present, labelled as ours.
 */
import type { AggregateCell, BenchmarkAggregate, ResultTable } from "@loomscope/spec";
import { pythonRound } from "@loomscope/metrics";
import { rougeMeans, type RougeKey } from "./autoeval.js";
import { ROUGE_TYPES } from "./process.js";
import { TASK_IDS, TASK_CONFIG, isClosedTask, isTaskId, type TaskId } from "./tasks.js";

const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);

/** compute_exact_match / compute_f1, rounded as LEvalMetrics rounds: round(100 × Σ / n, 4). */
export function percentOfMean(values: readonly number[]): number | null {
  return values.length === 0 ? null : pythonRound((100.0 * sum(values)) / values.length, 4);
}

/** The rouge branch over per-sample fmeasures: auto_eval.py's means of fmeasure × 100 and their geometric mean, each rounded to 4. */
export function rougeScores(cell: Record<string, number[]>): Record<string, number> | null {
  const n = cell["rouge1"]?.length ?? 0;
  if (n === 0) return null;
  const perSample = Array.from({ length: n }, (_, i) => Object.fromEntries(ROUGE_TYPES.map((k) => [k, (cell[k]?.[i] ?? 0) * 100])) as Record<RougeKey, number>);
  return Object.fromEntries(Object.entries(rougeMeans(perSample)).map(([k, v]) => [k, pythonRound(v, 4)]));
}

/** llm_eval.py `calculate_win_rate` × 100 over judged samples' points and valid judgments; null when nothing was judged. */
export function winRatePercent(values: Record<string, number[]>): number | null {
  const valid = sum(values["llm_judge_valid"] ?? []);
  return valid === 0 ? null : (100 * sum(values["llm_judge_points"] ?? [])) / valid;
}

const judged = (values: Record<string, number[]>) => values["llm_judge_points"] !== undefined;

/** A task's LEval_score (or the printed average for Topic Retrieval / Sci-Fi, the win rate × 100 when judged). */
export function taskScore(task: TaskId, values: Record<string, number[]>): number | null {
  if (judged(values)) return winRatePercent(values);
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

export const JUDGED_GROUP = "win rate against turbo-16k-0613 (llm_eval.py, all open-ended tasks)";
export const AVERAGE_GROUP = "average of the automatic tasks (not official)";

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
  const automatic = present.filter((t) => !judged(byTask.get(t) ?? {}));
  const autoScores = automatic.map((t) => tasks[t]).filter((v): v is number => typeof v === "number");
  const average = autoScores.length === 0 ? null : sum(autoScores) / autoScores.length;
  const judgedTasks = present.filter((t) => judged(byTask.get(t) ?? {}));
  // llm_eval.py judges one prediction file holding every open-ended task: one win rate over all of them.
  const all = (k: string) => judgedTasks.flatMap((t) => byTask.get(t)?.[k] ?? []);
  const winRate = judgedTasks.length === 0 ? null : winRatePercent({ llm_judge_points: all("llm_judge_points"), llm_judge_valid: all("llm_judge_valid") });
  const groups: Record<string, number | null> = {};
  if (automatic.length > 0) groups[AVERAGE_GROUP] = average;
  if (judgedTasks.length > 0) groups[JUDGED_GROUP] = winRate;
  const cellsOut: Record<string, Record<string, number | null>> = {};
  for (const t of present) cellsOut[t] = {};
  const rougeRows = automatic.filter((t) => !isClosedTask(t) && TASK_CONFIG[t] === "rouge");
  const tables: ResultTable[] = [
    {
      title: "LEval (auto_eval.py LEval_score; judged tasks: win rate × 100 against turbo-16k-0613)",
      rows: [...present, ...Object.keys(groups)],
      columns: ["score"],
      cells: [...present.map((t) => [tasks[t] ?? null]), ...Object.values(groups).map((v) => [v])],
    },
  ];
  if (rougeRows.length > 0) {
    const columns = [...ROUGE_TYPES, "geometric_mean"];
    tables.push({
      title: "LEval ROUGE (fmeasure × 100, as auto_eval.py prints them)",
      rows: rougeRows,
      columns,
      cells: rougeRows.map((t) => columns.map((k) => rougeScores(byTask.get(t) ?? {})?.[k] ?? null)),
    });
  }
  return { score: automatic.length > 0 ? average : winRate, tasks, cells: cellsOut, groups, tables };
}
