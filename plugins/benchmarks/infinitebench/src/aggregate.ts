/**
 * InfiniteBench reports one number per task: compute_scores.py prints `sum(scores) / len(scores)`
 * (0–1, unrounded), and the README table shows it as a percentage with two decimals. There is no
 * official overall score; `score` here is the unweighted mean of the task percentages present,
 * labelled as ours ("Average (not official)").
 */
import type { AggregateCell, BenchmarkAggregate, ResultTable } from "@loomscope/spec";
import { pythonRound } from "@loomscope/metrics";
import { meanScore } from "./score.js";
import { TASK_IDS, TASK_INFO, isTaskId, type TaskId } from "./tasks.js";
import { TASK_METRICS } from "./metrics.js";

/** A task's score as compute_scores.py computes it, ×100. Null when the task has no values. */
export function taskPercent(values: readonly number[]): number | null {
  return values.length === 0 ? null : 100 * meanScore(values);
}

export function aggregateInfiniteBench(cells: readonly AggregateCell[]): BenchmarkAggregate {
  const byTask = new Map<TaskId, number[]>();
  for (const cell of cells) {
    if (!isTaskId(cell.task)) continue;
    const values = cell.values[TASK_METRICS[cell.task].id] ?? [];
    byTask.set(cell.task, [...(byTask.get(cell.task) ?? []), ...values]);
  }
  const tasks: Record<string, number | null> = {};
  const present = TASK_IDS.filter((t) => byTask.has(t));
  for (const t of present) tasks[t] = taskPercent(byTask.get(t) ?? []);
  const numbers = present.map((t) => tasks[t]).filter((v): v is number => typeof v === "number");
  const average = numbers.length === 0 ? null : numbers.reduce((a, b) => a + b, 0) / numbers.length;
  const name = (t: TaskId) => TASK_INFO[t].name;
  const table: ResultTable = {
    title: "InfiniteBench (README layout: score × 100, two decimals)",
    rows: [...present.map(name), "Average (not official)"],
    columns: ["score"],
    cells: [...present.map((t) => [tasks[t] === null ? null : pythonRound(tasks[t] as number, 2)]), [average === null ? null : pythonRound(average, 2)]],
  };
  const cellsOut: Record<string, Record<string, number | null>> = {};
  for (const t of present) cellsOut[t] = {};
  return { score: average, tasks, cells: cellsOut, groups: { "average (not official)": average }, tables: [table] };
}
