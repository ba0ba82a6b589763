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

/**
 * The cells by (task, context length): a run has no length levels (lengths are the records'
 * `context_length`, in characters), so a cell without one is split by its rows' `meta.context_length`.
 */
function byLength(cells: readonly AggregateCell[], metric: string): { task: string; length: string; values: number[] }[] {
  const out: { task: string; length: string; values: number[] }[] = [];
  const at = (task: string, length: string) => {
    let entry = out.find((e) => e.task === task && e.length === length);
    if (!entry) out.push((entry = { task, length, values: [] }));
    return entry;
  };
  for (const c of cells) {
    if (c.length !== null || !c.rows) {
      at(c.task, c.length ?? "all").values.push(...(c.values[metric] ?? []));
      continue;
    }
    for (const r of c.rows) {
      const v = r.scores[metric];
      const length = r.meta?.["context_length"];
      at(c.task, typeof length === "number" || typeof length === "string" ? String(length) : "all").values.push(...(typeof v === "number" ? [v] : []));
    }
  }
  return out;
}

export function aggregateNThread(cells: readonly AggregateCell[], protocol: "official" | "loom" = "official"): BenchmarkAggregate {
  const metric = "nthread_accuracy";
  const grid = byLength(cells, metric);
  const tasks = [...new Set(grid.map((c) => c.task))].sort((a, b) => order(a) - order(b));
  const lengths = [...new Set(grid.map((c) => c.length))].sort((a, b) => Number(a) - Number(b));
  const out: BenchmarkAggregate = { score: null, tasks: {}, cells: {} };
  const taskValues = new Map<string, number[]>();
  for (const t of tasks) {
    const row: Record<string, number | null> = {};
    const all: number[] = [];
    for (const l of lengths) {
      const cell = grid.find((c) => c.task === t && c.length === l);
      if (!cell) continue;
      const m = mean(cell.values);
      row[l] = m === null ? null : 100 * m;
      all.push(...cell.values);
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
      title:
        protocol === "loom"
          ? "Needle Threading, LOOM-Scope's scorer (eval.py): ACC per task, Overall weighted by counts; prompts are the README's (LOOM-Scope's NThread.py was not available)"
          : "Needle Threading accuracy (README rule) by task and context length in characters; headline: the mean over tasks, not a number the official code computes",
      rows: tasks,
      columns: lengths,
      cells: tasks.map((t) => lengths.map((l) => out.cells[t]?.[l] ?? null)),
    },
  ];
  return out;
}
