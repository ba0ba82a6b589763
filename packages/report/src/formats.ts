import type { ReportData, RunSummary } from "./model.js";
import { sortLengths } from "./model.js";

const fmt = (v: number | null | undefined, digits = 2): string => (v === null || v === undefined ? "–" : v.toFixed(digits));
const signed = (v: number | null | undefined): string => (v === null || v === undefined ? "" : `${v > 0 ? "+" : v < 0 ? "−" : "±"}${Math.abs(v).toFixed(2)}`);

/** A markdown cell: pipes and newlines would break the table. */
const mdCell = (s: string): string => s.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/[\r\n]+/g, " ");

export function mdTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const lines = [`| ${header.map(mdCell).join(" | ")} |`, `| ${header.map((_, i) => (i === 0 ? "---" : "---:")).join(" | ")} |`];
  for (const row of rows) lines.push(`| ${row.map(mdCell).join(" | ")} |`);
  return lines.join("\n");
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
    out.push(`- run ${r.index + 1}: \`${r.name}\` — model ${r.model}, accelerator ${r.accelerator}, ${r.counts.samples} samples (${r.counts.errors} failed, ${r.counts.truncated} truncated)${r.complete ? "" : ", incomplete"}`);
  }
  out.push("");
  if (data.runs.length > 1) {
    const lb = leaderboardTable(data);
    out.push("## Leaderboard", "", mdTable(lb.header, lb.rows), "");
    const header = ["Benchmark / task", ...data.runs.map((r, i) => (i === 0 ? `${runLabel(r)} (baseline)` : `${runLabel(r)} (Δ)`))];
    const rows = data.comparison.map((c) => [
      c.task === null ? `**${c.benchmark}**` : `${c.benchmark} / ${c.task}`,
      ...c.scores.map((s, i) => (i === 0 ? fmt(s) : `${fmt(s)} (${signed(c.deltas[i]) || "n/a"})`)),
    ]);
    out.push("## Comparison (Δ against the first run)", "", mdTable(header, rows), "");
  }
  for (const r of data.runs) {
    out.push(`## ${data.runs.length > 1 ? `Run ${r.index + 1}: ` : ""}${runLabel(r)}`, "");
    out.push(`Score: **${fmt(r.overall)}** — ${r.overallRule}`, "");
    const caps = Object.entries(r.capabilities);
    if (caps.length) out.push(mdTable(["Capability", "Mean"], caps.map(([c, v]) => [c, fmt(v)])), "");
    for (const b of r.benchmarks) {
      out.push(`### ${b.benchmark} (${b.capability}): ${fmt(b.score)}`, "");
      const table = b.tables?.[0];
      if (table) {
        out.push(`_${table.title}_`, "", mdTable(["", ...table.columns], table.rows.map((row, i) => [row, ...(table.cells[i] ?? []).map((v) => fmt(v))])), "");
      } else {
        const lengths = sortLengths(Object.values(b.cells).flatMap((row) => Object.keys(row)));
        out.push(mdTable(["Task", ...lengths, "Task score"], Object.keys(b.tasks).map((t) => [t, ...lengths.map((l) => fmt(b.cells[t]?.[l])), fmt(b.tasks[t])])), "");
      }
      out.push(`samples: ${b.samples.ok} scored, ${b.samples.errors} failed`, "");
    }
  }
  return out.join("\n");
}

/** RFC 4180 field. Cells that a spreadsheet would run as a formula get a leading quote. */
const csvField = (s: string): string => {
  const safe = /^[=+\-@\t\r]/.test(s) && !/^-?\d/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/** Long form, one row per (run, benchmark, task, length) score, with the delta against the first run. */
export function toCsv(data: ReportData): string {
  const header = ["run", "run_dir", "model", "accelerator", "benchmark", "capability", "task", "length", "score", "delta_vs_run1"];
  const lines = [header.join(",")];
  const baseline = data.runs[0];
  const num = (v: number | null | undefined): string => (v === null || v === undefined ? "" : String(v));
  for (const r of data.runs) {
    const push = (benchmark: string, capability: string, task: string, length: string, score: number | null, base: number | null | undefined) => {
      const delta = r.index === 0 || score === null || base === null || base === undefined ? null : Math.round((score - base) * 100) / 100;
      lines.push([String(r.index + 1), r.name, r.model, r.accelerator, benchmark, capability, task, length, num(score), num(delta)].map(csvField).join(","));
    };
    push("(overall)", "", "", "", r.overall, baseline?.overall);
    for (const b of r.benchmarks) {
      const base = baseline?.benchmarks.find((x) => x.benchmark === b.benchmark);
      push(b.benchmark, b.capability, "", "", b.score, base?.score);
      for (const [task, score] of Object.entries(b.tasks)) {
        push(b.benchmark, b.capability, task, "", score, base?.tasks[task]);
        for (const length of sortLengths(Object.keys(b.cells[task] ?? {}))) {
          push(b.benchmark, b.capability, task, length, b.cells[task]?.[length] ?? null, base?.cells[task]?.[length]);
        }
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
