/**
 * Needle Threading's numbers. The README prints one accuracy per task:
 * `f"{model_name} {task}: {100 * accuracy:.2f}%"` with `accuracy = output_df["Correct?"].mean()`.
 * Cells here are per task × context length (characters), 100 × mean; a task's number is its mean over
 * all its samples (the printed accuracy, unrounded); the headline is the mean of the task numbers
 * (not an official number: the paper's "aggregated results across 5 tasks"). Errored samples are
 * counted apart by core and not scored (the README script would have stopped on them).
 * LOOM-Scope: per task `round(100 * sum / n, 2)`, overall weighted by counts (ConstructResultTable2).
 */
import { constructResultTable2Overall, officialPercent, pythonRound } from "@loomscope/metrics";
import type { AggregateCell, BenchmarkAggregate } from "@loomscope/spec";
import { TASKS } from "./tasks.js";

const mean = (xs: readonly number[]): number | null => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length);
const order = (t: string): number => {
  const i = (TASKS as readonly string[]).indexOf(t);
  return i < 0 ? TASKS.length : i;
};

export function aggregateNThread(cells: readonly AggregateCell[], protocol: "official" | "loom" = "official"): BenchmarkAggregate {
  const metric = "nthread_accuracy";
  const tasks = [...new Set(cells.map((c) => c.task))].sort((a, b) => order(a) - order(b));
  const lengths = [...new Set(cells.map((c) => c.length ?? "all"))].sort((a, b) => Number(a) - Number(b));
  const out: BenchmarkAggregate = { score: null, tasks: {}, cells: {} };
  const taskValues = new Map<string, number[]>();
  for (const t of tasks) {
    const row: Record<string, number | null> = {};
    const all: number[] = [];
    for (const l of lengths) {
      const vs = cells.filter((c) => c.task === t && (c.length ?? "all") === l).flatMap((c) => c.values[metric] ?? []);
      const m = mean(vs);
      if (cells.some((c) => c.task === t && (c.length ?? "all") === l)) row[l] = m === null ? null : 100 * m;
      all.push(...vs);
    }
    out.cells[t] = row;
    taskValues.set(t, all);
    const m = mean(all);
    out.tasks[t] = m === null ? null : 100 * m;
  }
  if (protocol === "loom") {
    const scores = new Map<string, number>();
    const counts = new Map<string, number>();
    for (const [t, vs] of taskValues) {
      if (vs.length === 0) continue;
      scores.set(t, officialPercent(vs));
      counts.set(t, vs.length);
      out.tasks[t] = scores.get(t) as number;
    }
    out.score = scores.size > 0 ? constructResultTable2Overall(scores, counts) : null;
  } else {
    out.score = mean(Object.values(out.tasks).filter((v): v is number => v !== null));
  }
  out.tables = [
    {
      title: "Needle Threading accuracy by task and context length (characters)",
      rows: tasks,
      columns: lengths,
      cells: tasks.map((t) => lengths.map((l) => out.cells[t]?.[l] ?? null)),
    },
  ];
  return out;
}
