/**
 * A run's BAMBOO numbers, per task and length, as evaluate.py prints them for one file (official)
 * or as LOOM-Scope's matrics.py tabulates them (`--protocol loom`).
 */
import type { AggregateCell, BenchmarkAggregate, Protocol, ResultTable } from "@loomscope/spec";
import { constructResultTable2Overall, numpyMean, numpyRound, pythonRound } from "@loomscope/metrics";
import { precisionRecallF1 } from "./metrics.js";
import { BAMBOO_TASKS, LENGTHS, METRIC_OF, type BambooTaskId } from "./tasks.js";

const isTask = (t: string): t is BambooTaskId => (BAMBOO_TASKS as readonly string[]).includes(t);
const sum = (xs: readonly number[]): number => {
  let s = 0;
  for (const x of xs) s += x;
  return s;
};

/** precision, recall, f1 (fractions) of a hallucination cell: each sample's label against its answer. */
function hallucination(cell: AggregateCell): [number, number, number] | null {
  if (!cell.rows) return null;
  const rows = cell.rows.filter((r) => typeof r.scores["says_yes"] === "number");
  return precisionRecallF1(
    rows.map((r) => r.meta?.["answer"] === true),
    rows.map((r) => r.scores["says_yes"] === 1),
  );
}

/** pass@1 (a fraction) of a private_eval cell: the numpy mean over task ids of c / n. */
function passAt1(cell: AggregateCell): number | null {
  if (!cell.rows) return null;
  const byTask = new Map<string, number[]>();
  for (const r of cell.rows) {
    const v = r.scores["pass@1"];
    if (typeof v !== "number") continue;
    const id = typeof r.meta?.["task_id"] === "string" ? (r.meta["task_id"] as string) : r.id;
    byTask.set(id, [...(byTask.get(id) ?? []), v]);
  }
  if (byTask.size === 0) return null;
  return numpyMean([...byTask.values()].map((l) => sum(l) / l.length));
}

/** A cell's number in evaluate.py's units (×100; accuracy, F1 and concordance as printed, to one decimal). */
export function officialCell(cell: AggregateCell): number | null {
  if (!isTask(cell.task)) return null;
  const metric = METRIC_OF[cell.task];
  if (metric === "precision/recall/f1") {
    const prf = hallucination(cell);
    return prf && cell.rows!.length ? pythonRound(100 * prf[2], 1) : null;
  }
  if (metric === "pass@1") {
    const p = passAt1(cell);
    return p === null ? null : 100 * p;
  }
  const values = cell.values[metric === "accuracy" ? "accuracy" : "concordance_index"] ?? [];
  return values.length ? pythonRound((100 * sum(values)) / values.length, 1) : null;
}

/** A cell's number in LOOM-Scope's units: `round(100 * x, 2)`; F1 and pass@1 with numpy's rounding. */
export function loomCell(cell: AggregateCell): number | null {
  if (!isTask(cell.task)) return null;
  const metric = METRIC_OF[cell.task];
  if (metric === "precision/recall/f1") {
    const prf = hallucination(cell);
    return prf && cell.rows!.length ? numpyRound(100 * prf[2], 2) : null;
  }
  if (metric === "pass@1") {
    const p = passAt1(cell);
    return p === null ? null : numpyRound(p * 100, 2);
  }
  const values = cell.values[metric === "accuracy" ? "accuracy" : "concordance_index"] ?? [];
  return values.length ? pythonRound((100 * sum(values)) / values.length, 2) : null;
}

const samplesOf = (cell: AggregateCell): number => Math.max(0, ...Object.values(cell.values).map((v) => v.length));

export function aggregateBamboo(cells: readonly AggregateCell[], settings: { protocol: Protocol }): BenchmarkAggregate {
  const loom = settings.protocol === "loom";
  const cellOf = loom ? loomCell : officialCell;
  const grid = new Map<string, Map<string, number | null>>();
  for (const c of cells) {
    if (c.length === null || !isTask(c.task)) continue;
    const row = grid.get(c.task) ?? new Map<string, number | null>();
    row.set(c.length, cellOf(c));
    grid.set(c.task, row);
  }
  const tasks = BAMBOO_TASKS.filter((t) => grid.has(t));
  const lengths = LENGTHS.filter((l) => tasks.some((t) => grid.get(t)!.has(l)));
  const at = (t: string, l: string): number | null => grid.get(t)?.get(l) ?? null;
  // BAMBOO publishes no average over lengths; the table's Avg is the plain mean of a task's cells.
  const avg = (t: string): number | null => {
    const present = lengths.map((l) => at(t, l)).filter((v): v is number => v !== null);
    return present.length ? sum(present) / present.length : null;
  };
  const tables: ResultTable[] = [
    {
      title: loom ? "BAMBOO, LOOM-Scope (round(x, 2); hallucination: F1)" : "BAMBOO (evaluate.py; hallucination: F1; private_eval: pass@1 x100)",
      rows: tasks,
      columns: [...lengths, "Avg"],
      cells: tasks.map((t) => [...lengths.map((l) => at(t, l)), avg(t)]),
    },
  ];
  const hallucinationRows = cells.filter((c) => c.task === "senhallu" || c.task === "abshallu").filter((c) => c.rows?.length);
  if (!loom && hallucinationRows.length) {
    tables.push({
      title: "BAMBOO hallucination (evaluate.py precision/recall/f1)",
      rows: hallucinationRows.map((c) => `${c.task} ${c.length ?? ""}`.trim()),
      columns: ["precision", "recall", "f1"],
      cells: hallucinationRows.map((c) => hallucination(c)!.map((x) => pythonRound(100 * x, 1))),
    });
  }
  let score: number | null = null;
  if (loom && tasks.length) {
    // LOOM-Scope keys results by task: of a task's files the one read last (sorted: 4k after 16k) wins.
    const scores = new Map<string, number>();
    const counts = new Map<string, number>();
    for (const t of tasks) {
      const winner = [...grid.get(t)!.keys()].sort((a, b) => (`${t}_${a}.jsonl` < `${t}_${b}.jsonl` ? -1 : 1)).at(-1)!;
      const v = at(t, winner);
      if (v === null) continue;
      scores.set(t, v);
      // private_eval is never counted by LOOM-Scope: its weight is ConstructResultTable2's default 1.
      if (t !== "private_eval") counts.set(t, samplesOf(cells.find((c) => c.task === t && c.length === winner)!));
    }
    score = scores.size ? constructResultTable2Overall(scores, counts) : null;
  }
  return {
    score,
    tasks: Object.fromEntries(tasks.map((t) => [t, avg(t)])),
    cells: Object.fromEntries(tasks.map((t) => [t, Object.fromEntries(lengths.filter((l) => grid.get(t)!.has(l)).map((l) => [l, at(t, l)]))])),
    ...(loom && score !== null ? { groups: { "loom-overall": score } } : {}),
    tables,
  };
}
