/**
 * NoLiMa's numbers for a run. Officially each tester output is one (test, haystack, context length)
 * file whose `result` is `np.round(np.mean(metric), 4)` over its 26 depths (gather_results.ipynb);
 * the README's table averages them per context length ×100 (its "base score" is the mean of the
 * 250, 500 and 1K scores; the "effective length" the longest length scoring at least 85 % of it).
 * Here: cells per needle set × length = 100 × mean metric over the samples; the group `base_score`
 * and the effective length (a second table, in tokens) follow the README's definitions (no official
 * code computes them), and so does the headline: the `needle_set` score over every length run.
 * Errored samples are counted apart by core and not scored.
 */
import type { AggregateCell, BenchmarkAggregate } from "@loomscope/spec";
import { LENGTHS, LENGTH_TOKENS, NEEDLE_SETS } from "./tasks.js";

const mean = (xs: readonly number[]): number | null => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length);
const lengthOrder = (l: string): number => LENGTH_TOKENS[l] ?? Number(l);

export function aggregateNolima(cells: readonly AggregateCell[]): BenchmarkAggregate {
  const metric = "nolima_metric";
  const tasks = [...new Set(cells.map((c) => c.task))].sort((a, b) => NEEDLE_SETS.indexOf(a as never) - NEEDLE_SETS.indexOf(b as never));
  const lengths = [...new Set(cells.map((c) => c.length ?? "all"))].sort((a, b) => lengthOrder(a) - lengthOrder(b));
  const out: BenchmarkAggregate = { score: null, tasks: {}, cells: {}, groups: {} };
  const effectiveLengths = new Map<string, number | null>();
  for (const t of tasks) {
    const row: Record<string, number | null> = {};
    const all: number[] = [];
    for (const l of lengths) {
      const vs = cells.filter((c) => c.task === t && (c.length ?? "all") === l).flatMap((c) => c.values[metric] ?? []);
      if (cells.some((c) => c.task === t && (c.length ?? "all") === l)) {
        const m = mean(vs);
        row[l] = m === null ? null : 100 * m;
      }
      all.push(...vs);
    }
    out.cells[t] = row;
    const m = mean(all);
    out.tasks[t] = m === null ? null : 100 * m;
    const base = mean(["250", "500", "1K"].map((l) => row[l]).filter((v): v is number => v !== undefined && v !== null));
    if (base !== null && ["250", "500", "1K"].every((l) => row[l] !== undefined && row[l] !== null)) {
      out.groups![`${t}:base_score`] = base;
      let effective: number | null = null;
      for (const l of LENGTHS) {
        const v = row[l];
        if (v === undefined || v === null) break;
        if (v >= 0.85 * base) effective = LENGTH_TOKENS[l] as number;
        else break;
      }
      effectiveLengths.set(t, effective);
    }
  }
  const main = out.tasks["needle_set"];
  out.score = main !== undefined ? main : mean(Object.values(out.tasks).filter((v): v is number => v !== null));
  out.tables = [
    {
      title: "NoLiMa accuracy by needle set and context length (headline: needle_set over every length run, not a number the official code computes)",
      rows: tasks,
      columns: lengths,
      cells: tasks.map((t) => lengths.map((l) => out.cells[t]?.[l] ?? null)),
    },
  ];
  if (effectiveLengths.size > 0) {
    const rows = [...effectiveLengths.keys()];
    out.tables.push({
      title: "NoLiMa base score (mean of 250, 500, 1K) and effective length in tokens (longest length from 250 up at >= 85 % of the base), as the README defines them",
      rows,
      columns: ["base score", "effective length"],
      cells: rows.map((t) => [out.groups![`${t}:base_score`] ?? null, effectiveLengths.get(t) ?? null]),
    });
  }
  return out;
}
