import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { clientMain } from "./client.js";
import type { ReportData } from "./model.js";

/**
 * The sections a page may have, in order: id and heading. Tests and `loom view` rely on these ids.
 * A page holds only those that carry information for its runs (`ReportData.sections`).
 */
export const SECTIONS = [
  ["overview", "Runs"],
  ["summary", "Summary"],
  ["tables", "Benchmark tables and length decay"],
  ["heatmap", "Heatmaps"],
  ["radar", "Capabilities"],
  ["accelerators", "Accelerators: score against cost"],
  ["truncation", "Truncation"],
  ["compare", "Sample by sample"],
  ["samples", "Samples"],
] as const;

let chartSource: string | undefined;

/** Chart.js's own minified UMD build, read from the installed package and inlined into each page. */
export function chartLibrary(): string {
  if (chartSource === undefined) {
    const require = createRequire(import.meta.url);
    const entry = require.resolve("chart.js"); // …/chart.js/dist/chart.cjs
    chartSource = readFileSync(join(dirname(entry), "chart.umd.min.js"), "utf8").replace(/\n\/\/# sourceMappingURL=.*\s*$/, "\n");
    if (/<\/script/i.test(chartSource)) throw new Error("chart.js bundle contains </script and cannot be inlined");
  }
  return chartSource;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : c === '"' ? "&quot;" : "&#39;"));
}

/**
 * JSON safe inside <script type="application/json">: no "<" can close the element or open a
 * comment, and the line separators JavaScript once rejected are escaped too.
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

const sha256 = (text: string): string => `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;

const STYLE = `
:root{--fg:#111827;--muted:#6b7280;--line:#e5e7eb;--bg:#fff;--panel:#f9fafb;--accent:#2563eb}
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header.top{padding:18px 28px;border-bottom:1px solid var(--line);background:var(--panel)}header.top h1{margin:0 0 4px;font-size:20px}
nav{display:flex;flex-wrap:wrap;gap:12px;margin-top:8px}nav a{color:var(--accent);text-decoration:none;font-size:13px}
main{padding:0 28px 40px;max-width:1400px}section.sec{padding:14px 0 22px;border-bottom:1px solid var(--line)}section.sec>h2{font-size:17px;margin:8px 0 12px}
h3{font-size:15px;margin:16px 0 8px}h4{font-size:12px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);margin:10px 0 4px}
.muted{color:var(--muted)}.warn{color:#b45309}
#overview .body{display:flex;flex-wrap:wrap;gap:14px}.card{border:1px solid var(--line);border-radius:8px;padding:12px 16px;min-width:320px;flex:1;background:#fff}
.card h3{margin:0 0 4px}.big{font-size:30px;font-weight:650}.card dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:8px 0 0}.card dt{color:var(--muted)}.card dd{margin:0;word-break:break-word}
table.grid{border-collapse:collapse;margin:6px 0 12px;font-variant-numeric:tabular-nums}table.grid th,table.grid td{border:1px solid var(--line);padding:3px 8px;text-align:right;white-space:pre}
table.leaderboard td:nth-child(2),table.leaderboard td:nth-child(3){text-align:left}table.grid thead th{background:var(--panel);text-align:center}table.grid tbody th{text-align:left;font-weight:500}
.score{display:inline-block;min-width:3.2em;background:linear-gradient(90deg,#dbeafe var(--pct,0%),transparent var(--pct,0%));padding:0 3px}
.cell{display:inline-block}.cell .pm,.cell .n{color:var(--muted);font-size:11px;margin-left:3px}
.cell.partial{background:#fef3c7;padding:0 3px;border-radius:3px}.cell.failed{background:#fee2e2;color:#991b1b;padding:0 3px;border-radius:3px}
.cell.skipped{background:#e0e7ff;color:#3730a3;padding:0 3px;border-radius:3px}.cell.not-run,.cell.empty{background:#f3f4f6;color:#4b5563;padding:0 3px;border-radius:3px}
.state{display:inline-block;border-radius:9px;padding:0 8px;font-size:12px;margin-left:6px}.state.complete{background:#dcfce7}.state.running{background:#dbeafe}.state.incomplete{background:#fef3c7}.state.interrupted{background:#fee2e2}
.big .pm{font-size:14px;font-weight:400;color:var(--muted)}.sig{color:#7c3aed;font-weight:700;margin-left:3px}.sig.muted{color:var(--muted);font-weight:400;font-size:11px}.legend{font-size:12px;color:var(--muted);margin:4px 0 10px}.legend .cell{margin-right:8px}
table.samplegrid td{text-align:center}table.samplegrid td.pass{background:#dcfce7}table.samplegrid td.fail{background:#fee2e2}table.samplegrid td.skip{background:#e0e7ff}table.samplegrid td.missing{background:#f3f4f6}
.pair{border:1px solid var(--line);border-radius:8px;margin:8px 0;padding:6px 10px}.pair .cols{grid-template-columns:1fr 1fr}
.delta{font-size:12px;margin-left:4px}.delta.up{color:#15803d}.delta.down{color:#b91c1c}
.chart{position:relative;max-width:900px;margin:8px 0 16px}
table.heatmap{border-collapse:collapse;margin:6px 0}table.heatmap th{font-weight:500;padding:3px 8px;font-size:12px}table.heatmap td{width:54px;height:30px;text-align:center;color:#fff;font-weight:600;font-size:12px;border:1px solid #fff}table.heatmap td.empty{background:#f3f4f6}
.filters{display:flex;flex-wrap:wrap;gap:8px;margin:6px 0}.filters select,.filters input{font:inherit;padding:4px 6px;border:1px solid #d1d5db;border-radius:5px}.filters input[type=number]{width:90px}.filters input[type=search]{width:240px}
.pager{display:flex;gap:12px;align-items:center;margin:8px 0}.pager button{font:inherit;padding:3px 10px}
article.sample{border:1px solid var(--line);border-radius:8px;margin:10px 0;padding:8px 12px}article.sample.failed{border-color:#fca5a5}
article.sample header{font-size:13px}.sid{font-weight:600}.badge{display:inline-block;background:#e0e7ff;border-radius:9px;padding:0 8px;margin-left:6px;font-size:12px}.badge.bad{background:#fee2e2}.badge.cut{background:#fef3c7}.badge.skip{background:#e0e7ff}article.sample.skipped{border-color:#a5b4fc}
.cols{display:grid;grid-template-columns:1.3fr 1fr .8fr;gap:14px}pre{white-space:pre-wrap;word-break:break-word;background:var(--panel);border:1px solid var(--line);border-radius:5px;padding:6px 8px;margin:0;max-height:180px;overflow:auto;font-size:12px}
ol.refs{margin:0;padding-left:18px}ul.timings{margin:0;padding-left:18px;font-size:12px}table.grid.small td,table.grid.small th{font-size:12px}
`;

/** The report page: one file with its data, its charting library and its script inline; it fetches nothing. */
export function renderHtml(data: ReportData): string {
  const lib = chartLibrary();
  const app = `(${clientMain.toString()})();`;
  const csp = [
    "default-src 'none'",
    `script-src ${sha256(lib)} ${sha256(app)}`,
    "style-src 'unsafe-inline'",
    "img-src data: blob:",
    "connect-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
  const subtitle = `${data.runs.length} run${data.runs.length === 1 ? "" : "s"} · generated ${data.generatedAt}`;
  const shown = SECTIONS.filter(([id]) => data.sections.includes(id));
  const sections = shown.map(([id, heading]) => `<section class="sec" id="${id}"><h2>${escapeHtml(heading)}</h2><div class="body"></div></section>`).join("\n");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(data.title)}</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style>
</head>
<body>
<header class="top"><h1>${escapeHtml(data.title)}</h1><div class="muted">${escapeHtml(subtitle)}</div>
<nav>${shown.map(([id, heading]) => `<a href="#${id}">${escapeHtml(heading)}</a>`).join("")}</nav></header>
<main>
${sections}
</main>
<script type="application/json" id="loom-data">${scriptJson(data)}</script>
<script>${lib}</script>
<script>${app}</script>
</body>
</html>
`;
}
