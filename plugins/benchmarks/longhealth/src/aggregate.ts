/**
 * LongHealth's numbers: per task the mean of the per-response values × 100 over all questions and
 * rounds (5 per question and task), as the paper's accuracy; the headline is the mean of the three
 * task accuracies (loomscope's summary; the paper reports the tasks separately).
 */
import type { AggregateCell, BenchmarkAggregate } from "@loomscope/spec";
import { longhealthAccuracy } from "./metrics.js";

export function aggregateLongHealth(cells: readonly AggregateCell[]): BenchmarkAggregate {
  const tasks: Record<string, number | null> = {};
  const cellsOut: Record<string, Record<string, number | null>> = {};
  for (const cell of cells) {
    const v = cell.values[longhealthAccuracy.id] ?? [];
    const acc = v.length === 0 ? null : (100 * v.reduce((a, b) => a + b, 0)) / v.length;
    tasks[cell.task] = acc;
    cellsOut[cell.task] = { all: acc };
  }
  const present = Object.values(tasks).filter((x): x is number => x !== null);
  const ids = ["task1", "task2", "task3"].filter((t) => t in tasks);
  return {
    score: present.length === 0 ? null : present.reduce((a, b) => a + b, 0) / present.length,
    tasks,
    cells: cellsOut,
    tables: [{ title: "LongHealth accuracy (%)", rows: ids, columns: ["accuracy"], cells: ids.map((t) => [tasks[t] ?? null]) }],
  };
}
