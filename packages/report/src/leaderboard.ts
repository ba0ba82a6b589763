/**
 * `loom report --leaderboard <runs…>`: the LOOMBench card's layout — one row per run (model and
 * accelerator), one column per benchmark in the suite's order, the average, and a column per
 * capability — in HTML, markdown and CSV. Honest cells: a partial benchmark score (samples not run,
 * failed samples left out) carries a mark and its counts; a benchmark a run lacks is "–" and makes
 * that run's average partial; the average names its rule.
 */
import { CAPABILITIES, type BenchmarkResult } from "@loomscope/spec";
import { escapeHtml } from "./html.js";
import type { ReportData, RunSummary } from "./model.js";

export interface LeaderboardCell {
  score: number | null;
  partial: boolean;
  /** Samples that failed, and planned samples that did not run (skipped included). */
  failed: number;
  notRun: number;
  why: string | null;
  /** The judge model behind a judge-scored benchmark ("(none bound)" when judged metrics ran without one); null when nothing is judged. */
  judge: string | null;
}

export interface LeaderboardViewRow {
  rank: number;
  run: number;
  model: string;
  accelerator: string;
  average: number | null;
  /** How the average was formed (the suite's rule, or the plain mean when the run is no suite run). */
  averageRule: string;
  /** Benchmarks of the columns the run lacks or has only partially. */
  partial: boolean;
  missing: string[];
  benchmarks: Record<string, LeaderboardCell>;
  capabilities: Record<string, number | null>;
}

export interface LeaderboardView {
  title: string;
  /** Benchmark ids in the first run's (the suite's) order, then any others first seen later. */
  benchmarks: string[];
  capabilities: string[];
  rows: LeaderboardViewRow[];
}

const cellOf = (b: BenchmarkResult | undefined): LeaderboardCell => {
  if (!b) return { score: null, partial: true, failed: 0, notRun: 0, why: "not in this run", judge: null };
  const total = b.status?.total;
  // `judge` is present (possibly null) exactly when the benchmark has judge-scored metrics.
  const judge = b.judge !== undefined ? (b.judge ?? "(none bound)") : null;
  return { score: b.score, partial: b.partial ?? false, failed: total?.failed ?? b.samples.errors, notRun: total?.notRun ?? 0, why: b.partialReason ?? null, judge };
};

/** The leaderboard of the report's runs, best average first (ties share a rank, as the report's leaderboard does). */
export function leaderboardView(data: ReportData): LeaderboardView {
  const benchmarks = data.benchmarks;
  const capabilities = CAPABILITIES.filter((c) => data.runs.some((r) => r.capabilities[c] !== undefined && r.capabilities[c] !== null));
  const rows: LeaderboardViewRow[] = data.runs.map((r: RunSummary) => {
    const cells = Object.fromEntries(benchmarks.map((id) => [id, cellOf(r.benchmarks.find((b) => b.benchmark === id))]));
    const lacking = benchmarks.filter((id) => !r.benchmarks.some((b) => b.benchmark === id && b.score !== null));
    const partialMembers = benchmarks.filter((id) => cells[id]!.score !== null && cells[id]!.partial);
    const missing = [...new Set([...(r.suite?.missing ?? []), ...lacking, ...partialMembers.map((id) => `${id} (partial)`)])];
    return {
      rank: 0,
      run: r.index,
      model: r.model,
      accelerator: r.accelerator,
      average: r.overall,
      averageRule: r.overallRule,
      partial: (r.suite?.partial ?? false) || missing.length > 0,
      missing,
      benchmarks: cells,
      capabilities: Object.fromEntries(capabilities.map((c) => [c, r.capabilities[c] ?? null])),
    };
  });
  rows.sort((a, b) => (b.average ?? -Infinity) - (a.average ?? -Infinity) || a.run - b.run);
  rows.forEach((row, i) => {
    const prev = rows[i - 1];
    row.rank = prev && prev.average === row.average ? prev.rank : i + 1;
  });
  return { title: data.title, benchmarks, capabilities, rows };
}

const fmt = (v: number | null): string => (v === null ? "–" : v.toFixed(2));
/** A score as shown: two decimals, `*` when partial. */
const shown = (c: LeaderboardCell): string => (c.score === null ? "–" : `${fmt(c.score)}${c.partial ? "*" : ""}`);
/** A score with its judge, for judge-scored benchmarks. */
const judged = (c: LeaderboardCell): string => `${shown(c)}${c.judge !== null && c.score !== null ? ` (judge: ${c.judge})` : ""}`;
const label = (r: LeaderboardViewRow): string => (r.accelerator === "none" ? r.model : `${r.model} [${r.accelerator}]`);

const mdCell = (s: string): string => s.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/[\r\n]+/g, " ");

export function leaderboardMarkdown(view: LeaderboardView): string {
  const header = ["Rank", "Model", "Avg", ...view.benchmarks, ...view.capabilities.map((c) => `${c} (mean)`)];
  const lines = [`# ${view.title}: leaderboard`, "", `| ${header.map(mdCell).join(" | ")} |`, `| ${header.map((_, i) => (i === 1 ? "---" : "---:")).join(" | ")} |`];
  for (const r of view.rows) {
    const row = [String(r.rank), label(r), `${fmt(r.average)}${r.partial ? "*" : ""}`, ...view.benchmarks.map((b) => judged(r.benchmarks[b]!)), ...view.capabilities.map((c) => fmt(r.capabilities[c] ?? null))];
    lines.push(`| ${row.map(mdCell).join(" | ")} |`);
  }
  lines.push("");
  const notes = view.rows.flatMap((r) => {
    const out: string[] = [];
    if (r.partial) out.push(`- ${label(r)}: Avg is partial (${r.missing.join(", ")}); ${r.averageRule}`);
    for (const b of view.benchmarks) {
      const c = r.benchmarks[b]!;
      if (c.score !== null && (c.partial || c.failed > 0 || c.notRun > 0)) out.push(`- ${label(r)} / ${b}: ${c.failed} failed, ${c.notRun} not run${c.why ? ` — ${c.why}` : ""}`);
    }
    return out;
  });
  if (notes.length) lines.push("\\* partial: not every planned sample is in the score; judge-scored benchmarks name their judge.", "", ...notes, "");
  return lines.join("\n");
}

/** RFC 4180 field; a cell a spreadsheet would run as a formula gets a leading quote. */
const csvField = (s: string): string => {
  const safe = /^[=+\-@\t\r]/.test(s) && !/^-?\d/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/** One row per run: the numbers unrounded as stored, a partial flag per score, and what is missing. */
export function leaderboardCsv(view: LeaderboardView): string {
  const header = ["rank", "model", "accelerator", "avg", "avg_partial", ...view.benchmarks.flatMap((b) => [b, `${b}_partial`, `${b}_failed`, `${b}_not_run`, `${b}_judge`]), ...view.capabilities, "missing"];
  const num = (v: number | null): string => (v === null ? "" : String(v));
  const lines = [header.map(csvField).join(",")];
  for (const r of view.rows) {
    const cells = [
      String(r.rank), r.model, r.accelerator, num(r.average), String(r.partial),
      ...view.benchmarks.flatMap((b) => { const c = r.benchmarks[b]!; return [num(c.score), String(c.partial), String(c.failed), String(c.notRun), c.judge ?? ""]; }),
      ...view.capabilities.map((c) => num(r.capabilities[c] ?? null)),
      r.missing.join("; "),
    ];
    lines.push(cells.map(csvField).join(","));
  }
  return lines.join("\n") + "\n";
}

/** A self-contained page: the table, partial cells marked with their counts in a tooltip and a note below. */
export function leaderboardHtml(view: LeaderboardView): string {
  const th = (s: string) => `<th>${escapeHtml(s)}</th>`;
  const head = `<tr>${["Rank", "Model", "Avg", ...view.benchmarks, ...view.capabilities.map((c) => `${c} (mean)`)].map(th).join("")}</tr>`;
  const body = view.rows
    .map((r) => {
      const cells = view.benchmarks.map((b) => {
        const c = r.benchmarks[b]!;
        const tip = c.score === null ? (c.why ?? "no score") : `${c.failed} failed, ${c.notRun} not run${c.why ? ` — ${c.why}` : ""}${c.judge !== null ? `; judged by ${c.judge}` : ""}`;
        return `<td class="${c.partial ? "partial" : ""}" title="${escapeHtml(tip)}">${escapeHtml(shown(c))}${c.judge !== null && c.score !== null ? ` <small class="judge">(${escapeHtml(c.judge)})</small>` : ""}</td>`;
      });
      const avgTip = `${r.averageRule}${r.partial ? `; partial: ${r.missing.join(", ")}` : ""}`;
      return `<tr><td>${r.rank}</td><td class="model">${escapeHtml(label(r))}</td><td class="avg${r.partial ? " partial" : ""}" title="${escapeHtml(avgTip)}">${escapeHtml(fmt(r.average) + (r.partial ? "*" : ""))}</td>${cells.join("")}${view.capabilities.map((c) => `<td>${escapeHtml(fmt(r.capabilities[c] ?? null))}</td>`).join("")}</tr>`;
    })
    .join("\n");
  const notes = view.rows.filter((r) => r.partial).map((r) => `<li>${escapeHtml(label(r))}: Avg is partial (${escapeHtml(r.missing.join(", "))})</li>`);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(view.title)}: leaderboard</title>
<style>body{font:14px system-ui,sans-serif;margin:2rem;color:#222}table{border-collapse:collapse}th,td{padding:.3rem .6rem;border-bottom:1px solid #ddd;text-align:right}td.model,th:nth-child(2){text-align:left}td.avg{font-weight:600}.partial{color:#a15c00}</style>
</head><body>
<h1>${escapeHtml(view.title)}: leaderboard</h1>
<table class="leaderboard"><thead>${head}</thead><tbody>
${body}
</tbody></table>
<p>* partial: not every planned sample is in the score (hover a cell for its failed and not-run counts).</p>
${notes.length ? `<ul class="partial-notes">${notes.join("")}</ul>` : ""}
</body></html>
`;
}
