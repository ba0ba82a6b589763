/**
 * From per-sample F1 values to LongIns's numbers. Official: eval.py stores, per model, length and
 * mode, `sum(f1s) / len(f1s)` (0–1, unrounded) in f1.json; the README leaderboard shows it × 100
 * per length. Here a cell (mode × length) is that mean × 100; a task's score and the headline are
 * plain means of its cells (loomscope's summary: the repository defines no overall number).
 * A sample whose generation failed is not in the values (core counts it under `errors`); eval.py
 * has no such case, a missing response line simply does not count.
 */
import type { AggregateCell, BenchmarkAggregate } from "@loomscope/spec";
import { loomWeightedTotal, officialPercent, pyMean } from "@loomscope/metrics";
import { LENGTHS, MODES } from "./tasks.js";
import { longinsF1 } from "./metrics.js";

/** eval.py's value for one (model, length, mode): `sum / len` of the F1s, × 100; null when empty. */
export function cellScore(values: readonly number[]): number | null {
  return values.length === 0 ? null : 100 * pyMean(values);
}

const mean = (xs: readonly number[]): number | null => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length);

export function aggregateLongins(cells: readonly AggregateCell[]): BenchmarkAggregate {
  const out: Record<string, Record<string, number | null>> = {};
  for (const cell of cells) {
    if (cell.length === null) continue;
    const row = (out[cell.task] ??= {});
    row[cell.length] = cellScore(cell.values[longinsF1.id] ?? []);
  }
  const tasks: Record<string, number | null> = {};
  const all: number[] = [];
  for (const [task, row] of Object.entries(out)) {
    const present = Object.values(row).filter((v): v is number => v !== null);
    tasks[task] = mean(present);
    all.push(...present);
  }
  const modes = MODES.filter((m) => m in out);
  const extra = Object.values(out).flatMap((r) => Object.keys(r)).filter((l) => !(LENGTHS as readonly string[]).includes(l));
  const lengths = [...LENGTHS.filter((l) => modes.some((m) => out[m]?.[l] !== undefined)), ...new Set(extra)];
  return {
    score: mean(all),
    tasks,
    cells: out,
    tables: [
      {
        title: "LongIns F1 × 100 (eval.py f1.json per mode and length)",
        rows: [...modes],
        columns: lengths,
        cells: modes.map((m) => lengths.map((l) => out[m]?.[l] ?? null)),
      },
    ],
  };
}

/**
 * LOOM-Scope's numbers (`--protocol loom`; loom-scope 0.1 utils/evaluation/eval.py and
 * ResultManager's ConstructResultTable2): per prediction file `<mode>_<length>` ACC =
 * `round(100 * sum / len, 2)` (Python round), and the total is the count-weighted mean of those
 * ACCs, numpy-rounded to 2 places (Total.txt). A mode's score here is the same weighted mean over
 * its files (loomscope's summary; LOOM-Scope prints none).
 */
export function aggregateLonginsLoom(cells: readonly AggregateCell[]): BenchmarkAggregate {
  const out: Record<string, Record<string, number | null>> = {};
  const rows: { task: string; score: number; count: number }[] = [];
  for (const cell of cells) {
    if (cell.length === null) continue;
    const values = cell.values[longinsF1.id] ?? [];
    const acc = values.length === 0 ? null : officialPercent(values);
    (out[cell.task] ??= {})[cell.length] = acc;
    if (acc !== null) rows.push({ task: cell.task, score: acc, count: values.length });
  }
  const tasks: Record<string, number | null> = {};
  for (const task of Object.keys(out)) {
    const mine = rows.filter((r) => r.task === task);
    tasks[task] = mine.length === 0 ? null : loomWeightedTotal(mine);
  }
  const modes = MODES.filter((m) => m in out);
  const lengths = LENGTHS.filter((l) => modes.some((m) => out[m]?.[l] !== undefined));
  return {
    score: rows.length === 0 ? null : loomWeightedTotal(rows),
    tasks,
    cells: out,
    tables: [
      {
        title: "LongIns, LOOM-Scope: ACC per <mode>_<length> file (round(100·mean, 2)); Total = count-weighted mean, numpy-rounded",
        rows: [...modes],
        columns: [...lengths],
        cells: modes.map((m) => lengths.map((l) => out[m]?.[l] ?? null)),
      },
    ],
  };
}
