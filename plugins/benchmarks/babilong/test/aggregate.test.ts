/**
 * A run's aggregation reproduces the collected table: per-sample verdicts of a model's CSVs, grouped
 * into cells as core does, give the values collect_results saved for that model.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { AggregateCell } from "@loomscope/spec";
import { describe, expect, it } from "vitest";
import { TASK_LABELS, aggregateBabilong, compareAnswers, isTask, readCsv } from "../src/index.js";
import { FIXTURES } from "./helpers.js";

function cellsOf(dir: string): AggregateCell[] {
  const cells: AggregateCell[] = [];
  for (const f of readdirSync(dir).filter((n) => n.endsWith(".csv"))) {
    const [task, length] = f.split("_") as [string, string];
    if (!isTask(task)) continue;
    const frame = readCsv(readFileSync(join(dir, f), "utf8"));
    const col = (n: string) => frame.data.get(n)!.values;
    const values: number[] = [];
    for (let i = 0; i < frame.rows; i++) {
      const out = col("output")[i];
      const text = typeof out === "string" ? out : "";
      values.push(compareAnswers(col("target")[i] as string, text, col("question")[i] as string, TASK_LABELS[task]) ? 1 : 0);
    }
    cells.push({ task, length, n: values.length, errors: 0, values: { babilong_accuracy: values } });
  }
  return cells;
}

function officialCsv(model: string): { columns: string[]; rows: Map<string, (number | null)[]> } {
  const [head, ...lines] = readFileSync(join(FIXTURES, "official-result", `${model}.csv`), "utf8").trim().split("\n");
  const rows = new Map<string, (number | null)[]>();
  for (const l of lines) {
    const [name, ...vals] = l.split(",");
    rows.set(name as string, vals.map((v) => (Number(v) === -1 ? null : Number(v))));
  }
  return { columns: (head as string).split(",").slice(1), rows };
}

describe("aggregateBabilong", () => {
  it("gives the collected table of a single-configuration model (qa1-qa10 rows, avg over the first five)", () => {
    for (const model of ["other-org/model-c", "test-org/model-b"]) {
      const agg = aggregateBabilong(cellsOf(join(FIXTURES, "babilong_evals", model)));
      const official = officialCsv(model);
      const table = agg.tables![0]!;
      // The run also holds tasks outside collect_results' default qa1-qa10 (qa19 here).
      const shown = table.rows.filter((r) => official.rows.has(r));
      expect(table.columns).toEqual(official.columns);
      for (const r of shown) expect(table.cells[table.rows.indexOf(r)]).toEqual(official.rows.get(r));
      expect(table.rows.at(-1)).toBe("avg");
    }
  });

  it("headline: mean of the avg row over lengths; null when fewer than five tasks", () => {
    const c = aggregateBabilong(cellsOf(join(FIXTURES, "babilong_evals", "other-org/model-c")));
    const avg = officialCsv("other-org/model-c").rows.get("avg") as number[];
    expect(c.score).toBeCloseTo(avg.reduce((a, b) => a + b, 0) / avg.length, 12);
    expect(c.groups!["avg@0k"]).toBe(avg[0]);
    const b = aggregateBabilong(cellsOf(join(FIXTURES, "babilong_evals", "test-org/model-b")));
    expect(b.score).toBeNull();
    expect(b.tables![1]!.cells.flat().every((v) => v === null || Number.isInteger(v))).toBe(true);
  });

  it("loom protocol: per-task accuracy pooled over lengths, rounded to 2, overall weighted by counts", () => {
    const cells: AggregateCell[] = [
      { task: "qa1", length: "0k", n: 3, errors: 0, values: { babilong_accuracy: [1, 0, 0] } },
      { task: "qa1", length: "4k", n: 3, errors: 0, values: { babilong_accuracy: [1, 1, 0] } },
      { task: "qa2", length: "0k", n: 1, errors: 0, values: { babilong_accuracy: [1] } },
    ];
    const agg = aggregateBabilong(cells, "loom");
    expect(agg.tasks).toEqual({ qa1: 50, qa2: 100 });
    expect(agg.score).toBe(57.14);
  });
});
