/**
 * `loom ablate`'s table as a report section: the score/Δ/significance table per benchmark and task,
 * the variants' work (time, requests, tokens, accelerator counters), and the quality/cost frontier —
 * each variant a point (cost on x, mean benchmark score on y), the frontier joining the variants no
 * other variant beats on both. md for papers, a self-contained HTML page (inline SVG, no script).
 */
import { AblationTableSchema, type AblationRow, type AblationTable, type AblationVariant } from "@loomscope/spec";
import { escapeHtml } from "./html.js";
import { mdTable } from "./formats.js";

const fmt = (v: number | null | undefined, digits = 2): string => (v === null || v === undefined ? "–" : v.toFixed(digits));
const int = (v: number): string => Math.round(v).toLocaleString("en-US");
const signed = (v: number | null): string => (v === null ? "" : `${v > 0 ? "+" : v < 0 ? "−" : "±"}${Math.abs(v).toFixed(2)}`);
const pText = (p: number | null | undefined): string => (p === null || p === undefined ? "" : p < 0.001 ? "p<0.001" : `p=${p.toFixed(3)}`);

/** Counter columns worth showing: those that differ between variants, most informative first, at most `max`. */
export function ablationCounterKeys(table: AblationTable, max = 6): string[] {
  const keys = [...new Set(table.variants.flatMap((v) => Object.keys(v.counters)))].sort();
  const varying = keys.filter((k) => new Set(table.variants.map((v) => v.counters[k] ?? 0)).size > 1);
  const preferred = ["engine.kvEntriesKept", "engine.kvEntriesRead", "engine.prefillProducts", "engine.decodeProducts"];
  return [...preferred.filter((k) => varying.includes(k)), ...varying.filter((k) => !preferred.includes(k))].slice(0, max);
}

/** The score table: one row per variant × benchmark (and task), with Δ against the baseline and its paired test. */
export function ablationScoreTable(table: AblationTable): { header: string[]; rows: string[][] } {
  const counters = ablationCounterKeys(table);
  const header = ["benchmark / task", "variant", "score", "Δ", "paired test", "scored", "failed", "not run", "prompt tok", "gen tok", ...counters.map((k) => k.replace(/^engine\./, ""))];
  const order = [...new Set(table.rows.map((r) => `${r.benchmark}\u0000${r.task ?? ""}`))];
  const rows: string[][] = [];
  for (const key of order) {
    for (const r of table.rows.filter((x) => `${x.benchmark}\u0000${x.task ?? ""}` === key)) {
      rows.push([
        r.task === null ? r.benchmark : `  ${r.benchmark}/${r.task}`,
        r.variant,
        fmt(r.score) + (r.failed + r.notRun > 0 ? "*" : ""),
        signed(r.delta),
        pairedText(r),
        int(r.scored),
        int(r.failed),
        int(r.notRun),
        int(r.promptTokens),
        int(r.completionTokens),
        ...counters.map((k) => (r.counters[k] === undefined ? "–" : int(r.counters[k]!))),
      ]);
    }
  }
  return { header, rows };
}

function pairedText(r: AblationRow): string {
  const p = r.paired;
  if (!p) return "";
  if (p.n === 0) return "no pairs";
  const test = p.test === "mcnemar" ? `McNemar ${p.noneOnly ?? 0}/${p.variantOnly ?? 0}` : "bootstrap";
  return `${pText(p.p)} (${test}, n=${p.n})`;
}

/** The variants' summary: score, wall time, requests, cache, tokens. */
export function ablationVariantTable(table: AblationTable): { header: string[]; rows: string[][] } {
  const header = ["variant", "accelerators", "score", "wall s", "requests", "cached", "resumed", "prompt tok", "gen tok", "failed", "not run"];
  const rows = table.variants.map((v) => [
    v.name,
    v.accelerators.join(" + ") || "—",
    v.error ? "did not run" : fmt(v.score) + (v.failed + v.notRun > 0 ? "*" : ""),
    (v.wallMs / 1000).toFixed(1),
    int(v.requests),
    int(v.cached),
    int(v.resumed),
    int(v.promptTokens),
    int(v.completionTokens),
    int(v.failed),
    int(v.notRun),
  ]);
  return { header, rows };
}

export interface FrontierPoint {
  variant: string;
  cost: number;
  score: number;
  onFrontier: boolean;
}

/** What the frontier's x axis measures: a counter (work the accelerator did) or wall time. */
export function frontierAxis(table: AblationTable): { key: string; label: string; of: (v: AblationVariant) => number } {
  const counters = ablationCounterKeys(table, 100);
  for (const key of ["engine.kvEntriesRead", "engine.prefillProducts"]) {
    if (counters.includes(key)) return { key, label: `${key.replace(/^engine\./, "")} (engine counter)`, of: (v) => v.counters[key] ?? 0 };
  }
  if (table.variants.some((v) => v.promptTokens !== table.variants[0]?.promptTokens)) return { key: "promptTokens", label: "prompt tokens", of: (v) => v.promptTokens };
  return { key: "wallMs", label: "wall time (s)", of: (v) => v.wallMs / 1000 };
}

/** Variants with a score as points; on the frontier when no other is at most as costly and strictly better, or cheaper and as good. */
export function frontierPoints(table: AblationTable): FrontierPoint[] {
  const axis = frontierAxis(table);
  const points = table.variants.filter((v) => v.score !== null).map((v) => ({ variant: v.name, cost: axis.of(v), score: v.score as number }));
  return points.map((p) => ({
    ...p,
    onFrontier: !points.some((q) => q !== p && q.cost <= p.cost && q.score >= p.score && (q.cost < p.cost || q.score > p.score)),
  }));
}

/** The frontier as an inline SVG (no script, no external file). */
export function frontierSvg(table: AblationTable, width = 560, height = 320): string {
  const points = frontierPoints(table);
  const axis = frontierAxis(table);
  if (points.length === 0) return `<p>No variant has a score: no frontier.</p>`;
  const pad = { l: 56, r: 16, t: 16, b: 44 };
  const xs = points.map((p) => p.cost);
  const ys = points.map((p) => p.score);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  const sx = (x: number) => pad.l + (x1 === x0 ? 0.5 : (x - x0) / (x1 - x0)) * (width - pad.l - pad.r);
  const sy = (y: number) => height - pad.b - (y1 === y0 ? 0.5 : (y - y0) / (y1 - y0)) * (height - pad.t - pad.b);
  const frontier = points.filter((p) => p.onFrontier).sort((a, b) => a.cost - b.cost);
  const dots = points
    .map((p) => `<circle cx="${sx(p.cost).toFixed(1)}" cy="${sy(p.score).toFixed(1)}" r="5" fill="${p.onFrontier ? "#2563eb" : "#9ca3af"}"><title>${escapeHtml(`${p.variant}: score ${p.score.toFixed(2)}, ${axis.label} ${p.cost.toLocaleString("en-US")}`)}</title></circle><text x="${(sx(p.cost) + 7).toFixed(1)}" y="${(sy(p.score) - 7).toFixed(1)}" font-size="11">${escapeHtml(p.variant)}</text>`)
    .join("");
  const line = frontier.length > 1 ? `<polyline fill="none" stroke="#2563eb" stroke-width="1.5" points="${frontier.map((p) => `${sx(p.cost).toFixed(1)},${sy(p.score).toFixed(1)}`).join(" ")}"/>` : "";
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" role="img" aria-label="quality/cost frontier">
<line x1="${pad.l}" y1="${height - pad.b}" x2="${width - pad.r}" y2="${height - pad.b}" stroke="#333"/><line x1="${pad.l}" y1="${pad.t}" x2="${pad.l}" y2="${height - pad.b}" stroke="#333"/>
<text x="${(width / 2).toFixed(0)}" y="${height - 8}" font-size="12" text-anchor="middle">${escapeHtml(axis.label)} → (less is cheaper)</text>
<text x="14" y="${(height / 2).toFixed(0)}" font-size="12" text-anchor="middle" transform="rotate(-90 14 ${(height / 2).toFixed(0)})">score</text>
<text x="${pad.l - 4}" y="${sy(y1).toFixed(1)}" font-size="10" text-anchor="end">${y1.toFixed(1)}</text><text x="${pad.l - 4}" y="${sy(y0).toFixed(1)}" font-size="10" text-anchor="end">${y0.toFixed(1)}</text>
${line}${dots}</svg>`;
}

const notesOf = (table: AblationTable): string[] => [
  "`*`: the score is over fewer samples than planned (failed or not run).",
  "Δ: score minus the baseline's; paired test on the samples both scored (McNemar's exact test for 0/1 scores, else a seeded paired bootstrap).",
  ...table.notices,
];

export function ablationMarkdown(input: AblationTable): string {
  const table = AblationTableSchema.parse(input);
  const scores = ablationScoreTable(table);
  const variants = ablationVariantTable(table);
  const axis = frontierAxis(table);
  const frontier = frontierPoints(table).filter((p) => p.onFrontier).sort((a, b) => a.cost - b.cost);
  return [
    `# Ablation: ${table.model} on ${table.targets.join(", ")}`,
    "",
    `Baseline: \`${table.baseline}\`.`,
    "",
    "## Variants",
    "",
    mdTable(variants.header, variants.rows),
    "",
    "## Scores",
    "",
    mdTable(scores.header, scores.rows),
    "",
    "## Quality/cost frontier",
    "",
    `Cost axis: ${axis.label}. On the frontier (no variant is both cheaper and better): ${frontier.map((p) => `\`${p.variant}\` (${p.score.toFixed(2)} at ${p.cost.toLocaleString("en-US")})`).join(", ") || "none"}.`,
    "",
    ...notesOf(table).map((n) => `- ${n}`),
    "",
  ].join("\n");
}

function htmlTable(t: { header: string[]; rows: string[][] }): string {
  return `<table><thead><tr>${t.header.map((h) => `<th>${escapeHtml(h)}</th>`).join("")}</tr></thead><tbody>${t.rows.map((r) => `<tr>${r.map((c, i) => `<td${i > 1 ? ' class="n"' : ""}>${escapeHtml(c)}</td>`).join("")}</tr>`).join("")}</tbody></table>`;
}

/** A self-contained page: the two tables and the frontier. */
export function ablationHtml(input: AblationTable): string {
  const table = AblationTableSchema.parse(input);
  const title = `Ablation: ${table.model} on ${table.targets.join(", ")}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"><title>${escapeHtml(title)}</title>
<style>body{font:14px system-ui,sans-serif;margin:24px;color:#111}table{border-collapse:collapse;margin:8px 0 20px}th,td{border-bottom:1px solid #ddd;padding:3px 8px;text-align:left;white-space:pre}td.n{text-align:right}</style></head>
<body><h1>${escapeHtml(title)}</h1><p>Baseline: <code>${escapeHtml(table.baseline)}</code>.</p>
<h2>Variants</h2>${htmlTable(ablationVariantTable(table))}
<h2>Quality/cost frontier</h2>${frontierSvg(table)}
<h2>Scores</h2>${htmlTable(ablationScoreTable(table))}
<ul>${notesOf(table).map((n) => `<li>${escapeHtml(n)}</li>`).join("")}</ul>
</body></html>
`;
}
