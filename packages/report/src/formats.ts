import type { CellView, ReportData, RunSummary } from "./model.js";
import { pythonRound } from "@loomscope/metrics";
import type { ResultTable } from "@loomscope/spec";

const fmt = (v: number | null | undefined, digits = 2): string => (v === null || v === undefined ? "–" : v.toFixed(digits));
/** Python's round(x, 2) for published deltas. */
const round2 = (v: number): number => pythonRound(v, 2);
const signed = (v: number | null | undefined): string => (v === null || v === undefined ? "" : `${v > 0 ? "+" : v < 0 ? "−" : "±"}${Math.abs(v).toFixed(2)}`);

/** A markdown cell: pipes and newlines would break the table. */
const mdCell = (s: string): string => s.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/[\r\n]+/g, " ");

export function mdTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const lines = [`| ${header.map(mdCell).join(" | ")} |`, `| ${header.map((_, i) => (i === 0 ? "---" : "---:")).join(" | ")} |`];
  for (const row of rows) lines.push(`| ${row.map(mdCell).join(" | ")} |`);
  return lines.join("\n");
}

/** A cell as text: "71.25 ±3.10 (n=40)", with what failed or did not run; the label where there is no score. */
export function cellText(c: CellView | null | undefined): string {
  if (!c) return "–";
  if (c.score === null) return c.label ?? "–";
  const parts = [fmt(c.score)];
  if (c.stderr !== null) parts.push(`±${fmt(c.stderr)}`);
  if (c.interval) parts.push(`[${c.interval[0].toFixed(1)}, ${c.interval[1].toFixed(1)}]`);
  if (c.n !== null) parts.push(`(n=${c.n})`);
  if (c.kind === "partial") {
    const missing = [c.failed ? `${c.failed} failed` : "", c.skipped ? `${c.skipped} not run (too long for the model's window)` : "", c.notRun - c.skipped > 0 ? `${c.notRun - c.skipped} not run` : ""].filter(Boolean);
    parts.push(`partial: ${missing.join(", ") || "see note"}`);
  }
  return parts.join(" ");
}

const countsLine = (r: RunSummary): string =>
  `${r.counts.samples} samples (${r.counts.ok} scored, ${r.counts.errors} failed, ${r.counts.skipped} not run (too long for the model's window), ${r.counts.truncated} truncated), ${r.state}`;

function declaredMd(t: ResultTable): string {
  const corner = t.rowAxis && t.columnAxis ? `${t.rowAxis} \\ ${t.columnAxis}` : "";
  return [`_${t.title}_${t.view === "heatmap" ? " (heatmap)" : ""}`, "", mdTable([corner, ...t.columns], t.rows.map((row, i) => [row, ...(t.cells[i] ?? []).map((v, j) => (t.n?.[i]?.[j] !== undefined && v !== null ? `${fmt(v)} (n=${t.n[i]![j]})` : fmt(v)))]))].join("\n");
}

const runLabel = (r: RunSummary): string => (r.accelerator === "none" ? r.model : `${r.model} [${r.accelerator}]`);

/** Leaderboard rows as the LOOMBench leaderboard shows them: rank, model, suite score, one column per benchmark. */
export function leaderboardTable(data: ReportData): { header: string[]; rows: string[][] } {
  const header = ["Rank", "Model", "Accelerator", "Score", ...data.benchmarks];
  const rows = data.leaderboard.map((row) => [
    String(row.rank),
    row.model,
    row.accelerator,
    fmt(row.overall),
    ...data.benchmarks.map((b) => fmt(row.benchmarks[b])),
  ]);
  return { header, rows };
}

export function toMarkdown(data: ReportData): string {
  const out: string[] = [`# ${data.title}`, ""];
  for (const r of data.runs) {
    out.push(`- run ${r.index + 1}: \`${r.name}\` — model ${r.model}, accelerator ${r.accelerator}, ${countsLine(r)} (${r.stateReason})${r.timing.cachedPromptTokens !== null ? `; ${r.timing.cachedPromptTokens} of ${r.timing.totalPromptTokens} prompt tokens served from the server's prefix cache` : ""}`);
  }
  out.push("");
  if (data.runs.length > 1) {
    const lb = leaderboardTable(data);
    out.push("## Leaderboard", "", mdTable(lb.header, lb.rows), "");
    const header = ["Benchmark / task", ...data.runs.map((r, i) => (i === 0 ? `${runLabel(r)} (baseline)` : `${runLabel(r)} (Δ)`))];
    const rows = data.comparison.map((c) => [
      c.task === null ? `**${c.benchmark}**` : `${c.benchmark} / ${c.task}`,
      ...c.cells.map((cell, i) => {
        if (i === 0) return cellText(cell);
        const sig = c.significance[i];
        const mark = sig ? (sig.significant ? `, significant: ${sig.test} p=${sig.p.toPrecision(3)} over ${sig.n}` : `, not significant: ${sig.test} p=${sig.p.toPrecision(3)} over ${sig.n}`) : "";
        return `${cellText(cell)} (${signed(c.deltas[i]) || "n/a"}${mark})`;
      }),
    ]);
    out.push("## Comparison (Δ against the first run; samples paired by id)", "", mdTable(header, rows), "");
  }
  for (const r of data.runs) {
    out.push(`## ${data.runs.length > 1 ? `Run ${r.index + 1}: ` : ""}${runLabel(r)}`, "");
    out.push(`Score: **${fmt(r.overall)}**${r.overallInterval ? ` [${r.overallInterval[0].toFixed(1)}, ${r.overallInterval[1].toFixed(1)}] (95% bootstrap)` : ""} — ${r.overallRule}`, "");
    if (r.partialBenchmarks.length) out.push(`**partial**: ${r.partialBenchmarks.join(", ")} (failed or not-run samples)`, "");
    const caps = Object.entries(r.capabilities);
    if (caps.length) out.push(mdTable(["Capability", "Mean"], caps.map(([c, v]) => [c, fmt(v)])), "");
    for (const v of r.views) {
      out.push(`### ${v.benchmark} (${v.capability}): ${cellText(v.total)}`, "");
      if (v.partialReason) out.push(`**partial**: ${v.partialReason}`, "");
      if (v.judge) out.push(`judge-scored metrics judged by ${v.judge}`, "");
      out.push(mdTable(["Task", ...v.lengths, "Task score"], v.rows.map((row) => [row.task, ...row.cells.map((c) => (c ? cellText(c) : "")), cellText(row.total)])), "");
      for (const t of v.views) out.push(declaredMd(t), "");
      out.push(`samples: ${v.total.scored} scored, ${v.total.failed} failed, ${v.total.skipped} not run (too long for the model's window)${v.total.notRun - v.total.skipped > 0 ? `, ${v.total.notRun - v.total.skipped} not run` : ""}`, "");
    }
  }
  return out.join("\n");
}

/** RFC 4180 field. Cells that a spreadsheet would run as a formula get a leading quote. */
const csvField = (s: string): string => {
  const safe = /^[=+\-@\t\r]/.test(s) && !/^-?\d/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/**
 * Long form, one row per (run, benchmark, task, length) cell: the score with its standard error
 * and n, what happened to the planned samples (failed, not run, skipped as too long), the cell's
 * status and note, and the delta against the first run.
 */
export function toCsv(data: ReportData): string {
  const header = ["run", "run_dir", "model", "accelerator", "benchmark", "capability", "task", "length", "score", "stderr", "n", "planned", "scored", "failed", "not_run", "skipped_too_long", "status", "note", "delta_vs_run1"];
  const lines = [header.join(",")];
  const baseline = data.runs[0];
  const num = (v: number | null | undefined): string => (v === null || v === undefined ? "" : String(v));
  for (const r of data.runs) {
    const push = (benchmark: string, capability: string, task: string, length: string, c: CellView | null, base: CellView | null | undefined) => {
      const score = c?.score ?? null;
      const delta = r.index === 0 || score === null || base?.score === null || base?.score === undefined ? null : round2(score - base.score);
      const counts = c && c.kind !== "empty" ? [num(c.planned), num(c.scored), num(c.failed), num(c.notRun), num(c.skipped)] : ["", "", "", "", ""];
      const status = c ? (c.kind === "skipped" ? "not run (too long for the model's window)" : c.kind) : "";
      lines.push([String(r.index + 1), r.name, r.model, r.accelerator, benchmark, capability, task, length, num(score), num(c?.stderr), num(c?.n), ...counts, status, c?.note ?? "", num(delta)].map(csvField).join(","));
    };
    lines.push([String(r.index + 1), r.name, r.model, r.accelerator, "(overall)", "", "", "", num(r.overall), "", "", "", "", "", "", "", r.state, r.stateReason, num(r.index === 0 || r.overall === null || baseline?.overall === null || baseline?.overall === undefined ? null : round2(r.overall - baseline.overall))].map(csvField).join(","));
    for (const v of r.views) {
      const base = baseline?.views.find((x) => x.benchmark === v.benchmark);
      push(v.benchmark, v.capability, "", "", v.total, base?.total);
      for (const row of v.rows) {
        const baseRow = base?.rows.find((x) => x.task === row.task);
        push(v.benchmark, v.capability, row.task, "", row.total, baseRow?.total);
        v.lengths.forEach((length, i) => {
          const c = row.cells[i];
          if (c) push(v.benchmark, v.capability, row.task, length, c, baseRow && base ? baseRow.cells[base.lengths.indexOf(length)] : undefined);
        });
      }
    }
  }
  return lines.join("\n") + "\n";
}

/** The report's data without the per-sample rows (those stay in the run's records). */
export function toJson(data: ReportData): string {
  const { samples, ...rest } = data;
  return JSON.stringify({ ...rest, sampleCount: samples.rows.length }, null, 2) + "\n";
}
