import { existsSync, statSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { basename, join, relative, resolve, sep } from "node:path";
import { readRunDirectory } from "@loomscope/spec";
import { z } from "zod";
import { renderReport, type ReportFormat, type ReportIo } from "./command.js";
import { escapeHtml } from "./html.js";
import { findRunDirs, loadRun } from "./load.js";
import { buildReport, type RunSummary } from "./model.js";

export interface ViewServerOptions {
  /** Results folder to serve (run directories up to two levels down). */
  dir: string;
  /** 0 picks a free port. */
  port?: number;
  /** A loopback address: 127.0.0.1 (default), ::1 or localhost. */
  host?: string;
}

export interface ViewServer {
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost"]);

interface RunEntry {
  key: string;
  dir: string;
}

function listRuns(root: string): RunEntry[] {
  return findRunDirs([root]).map((dir) => ({ key: relative(root, dir).split(sep).join("/") || basename(dir), dir }));
}

/** Changes whenever the run's manifest, results, records or writer change, so cached pages are rebuilt. */
function signature(dir: string): string {
  const run = readRunDirectory(dir, { invalid: "notice" });
  const parts: string[] = [`writer:${run.writer?.token ?? ""}`];
  for (const file of [join(dir, "manifest.json"), join(dir, "results.json"), ...run.recordFiles]) {
    if (!existsSync(file)) continue;
    const s = statSync(file);
    parts.push(`${file}:${s.mtimeMs}:${s.size}`);
  }
  return parts.join("|");
}

const INDEX_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; base-uri 'none'";

const CONTENT_TYPES: Record<ReportFormat, string> = {
  html: "text/html; charset=utf-8",
  md: "text/markdown; charset=utf-8",
  csv: "text/csv; charset=utf-8",
  json: "application/json; charset=utf-8",
};

const FormatSchema = z.enum(["html", "md", "csv", "json"]);

const RUN_STATES = ["running", "complete", "incomplete", "interrupted"] as const;
const INDEX_SORTS = ["run", "state", "model", "score", "scored", "failed", "skipped", "created"] as const;
type IndexSort = (typeof INDEX_SORTS)[number];

/** The index's sort and filter, from its query string (links and a form: the page runs no script). */
const IndexQuerySchema = z.object({
  q: z.string().max(200).optional(),
  state: z.union([z.enum(RUN_STATES), z.literal("")]).optional().catch(undefined),
  sort: z.enum(INDEX_SORTS).optional().catch(undefined),
  dir: z.enum(["asc", "desc"]).default("desc").catch("desc"),
});
type IndexQuery = z.infer<typeof IndexQuerySchema>;

interface IndexEntry {
  key: string;
  run: RunSummary;
}

function filterIndex(entries: readonly IndexEntry[], query: IndexQuery): IndexEntry[] {
  const text = query.q?.trim().toLowerCase();
  return entries.filter(({ key, run }) => {
    if (query.state && run.state !== query.state) return false;
    if (text && ![key, run.model, run.accelerator, ...run.benchmarks.map((b) => b.benchmark)].some((s) => s.toLowerCase().includes(text))) return false;
    return true;
  });
}

function sortIndex(entries: IndexEntry[], query: IndexQuery): IndexEntry[] {
  if (!query.sort) return entries;
  const value = (e: IndexEntry): string | number | null => {
    switch (query.sort) {
      case "run":
        return e.key;
      case "state":
        return e.run.state;
      case "model":
        return e.run.model;
      case "score":
        return e.run.overall;
      case "scored":
        return e.run.counts.ok;
      case "failed":
        return e.run.counts.errors;
      case "skipped":
        return e.run.counts.skipped;
      case "created":
        return e.run.createdAt;
      default:
        return null;
    }
  };
  const sign = query.dir === "asc" ? 1 : -1;
  // Runs without a value go last whatever the direction.
  return [...entries].sort((a, b) => {
    const x = value(a);
    const y = value(b);
    if (x === null || y === null) return x === null ? (y === null ? 0 : 1) : -1;
    return sign * (typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y)));
  });
}

/**
 * `loom view`: a read-only HTTP server on a loopback address over a results folder. It lists the
 * run directories and serves their reports (built on request, cached until the run changes). Only
 * GET and HEAD are answered; requests whose Host is not the loopback address are refused (DNS
 * rebinding), and only runs found by the listing can be opened, so no path leaves the folder.
 */
export async function startViewServer(options: ViewServerOptions): Promise<ViewServer> {
  const root = resolve(options.dir);
  const host = options.host ?? "127.0.0.1";
  if (!LOOPBACK.has(host)) throw new Error(`loom view listens on loopback only (127.0.0.1, ::1 or localhost), not ${host}`);
  const cache = new Map<string, { sig: string; body: string }>();
  let port = 0;

  const send = (res: ServerResponse, status: number, type: string, body: string, head: boolean, extra: Record<string, string> = {}) => {
    res.writeHead(status, {
      "content-type": type,
      "content-length": Buffer.byteLength(body),
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
      "referrer-policy": "no-referrer",
      "x-frame-options": "DENY",
      ...extra,
    });
    res.end(head ? undefined : body);
  };

  const report = async (entries: RunEntry[], format: ReportFormat): Promise<string> => {
    const key = `${format}\u0000${entries.map((e) => e.key).join("\u0000")}`;
    const sig = entries.map((e) => signature(e.dir)).join("\u0001");
    const hit = cache.get(key);
    if (hit && hit.sig === sig) return hit.body;
    const runs = [];
    for (const e of entries) runs.push(await loadRun(e.dir));
    const body = renderReport(buildReport(runs), format);
    cache.set(key, { sig, body });
    if (cache.size > 16) cache.delete(cache.keys().next().value!);
    return body;
  };

  const index = async (query: URLSearchParams): Promise<string> => {
    const runs = listRuns(root);
    const entries: IndexEntry[] = [];
    for (const e of runs) {
      const r = buildReport([await loadRunSummaryOnly(e.dir)]).runs[0]!;
      entries.push({ key: e.key, run: r });
    }
    const view = IndexQuerySchema.parse(Object.fromEntries([...query].filter(([k]) => k in IndexQuerySchema.shape)));
    const shown = sortIndex(filterIndex(entries, view), view);
    const link = (over: Partial<IndexQuery>): string => {
      const next = { ...view, ...over };
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(next)) if (v !== undefined && v !== "" && !(k === "dir" && !next.sort)) params.set(k, String(v));
      const q = params.toString();
      return q ? `/?${q}` : "/";
    };
    const sortable = (key: IndexSort, label: string): string => {
      const active = view.sort === key;
      const dir = active && view.dir === "asc" ? "desc" : "asc";
      return `<th><a href="${escapeHtml(link({ sort: key, dir }))}" data-sort="${key}">${escapeHtml(label)}${active ? (view.dir === "asc" ? " ▲" : " ▼") : ""}</a></th>`;
    };
    const rows = shown.map(({ key, run: r }) => {
      const href = `/runs/${encodeURIComponent(key)}/`;
      // A run still being written has no final score: say so rather than print a number that looks final.
      const score = r.overall === null ? "–" : r.state === "running" ? `${r.overall.toFixed(2)} so far` : r.overall.toFixed(2);
      return (
        `<tr data-run="${escapeHtml(key)}" data-state="${r.state}"><td><input type="checkbox" name="run" value="${escapeHtml(key)}" aria-label="compare ${escapeHtml(key)}"></td>` +
        `<td><a href="${escapeHtml(href)}">${escapeHtml(key)}</a></td><td><span class="state ${r.state}" title="${escapeHtml(r.stateReason)}">${r.state}</span></td><td>${escapeHtml(r.model)}</td><td>${escapeHtml(r.accelerator)}</td>` +
        `<td class="n">${escapeHtml(score)}</td><td>${escapeHtml(r.benchmarks.map((b) => b.benchmark).join(", "))}</td>` +
        `<td class="n">${r.counts.ok}</td><td class="n${r.counts.errors ? " bad" : ""}">${r.counts.errors}</td><td class="n" title="not run: too long for the model's window">${r.counts.skipped}</td><td>${escapeHtml(r.createdAt ?? "")}</td>` +
        `<td><a href="${escapeHtml(href)}report.md">md</a> · <a href="${escapeHtml(href)}report.csv">csv</a> · <a href="${escapeHtml(href)}report.json">json</a></td></tr>`
      );
    });
    const stateOptions = ["", ...RUN_STATES].map((s) => `<option value="${s}"${view.state === s || (!view.state && s === "") ? " selected" : ""}>${s === "" ? "any status" : s}</option>`).join("");
    return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>loom view: ${escapeHtml(root)}</title><link rel="icon" href="data:,">
<style>body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#111827}table{border-collapse:collapse}td,th{border:1px solid #e5e7eb;padding:4px 8px;text-align:left}td.n{text-align:right}td.bad{color:#b91c1c;font-weight:600}a{color:#2563eb}th a{color:inherit;text-decoration:none}
.state{display:inline-block;border-radius:9px;padding:0 8px;font-size:12px}.state.complete{background:#dcfce7}.state.running{background:#dbeafe}.state.incomplete{background:#fef3c7}.state.interrupted{background:#fee2e2}form.filter{margin:8px 0 12px;display:flex;gap:8px}</style></head>
<body><h1>loom view</h1><p>${runs.length} run${runs.length === 1 ? "" : "s"} in <code>${escapeHtml(root)}</code> (read-only)${shown.length !== runs.length ? `; ${shown.length} shown` : ""}</p>
<form class="filter" method="get" action="/"><input type="search" name="q" value="${escapeHtml(view.q ?? "")}" placeholder="run, model, benchmark…" aria-label="filter runs"><select name="state" aria-label="status">${stateOptions}</select>${view.sort ? `<input type="hidden" name="sort" value="${view.sort}"><input type="hidden" name="dir" value="${view.dir}">` : ""}<button type="submit" id="filter">Filter</button> <a href="/">clear</a></form>
<form method="get" action="/compare"><table id="runs"><thead><tr><th></th>${sortable("run", "run")}${sortable("state", "status")}${sortable("model", "model")}<th>accelerator</th>${sortable("score", "score")}<th>benchmarks</th>${sortable("scored", "scored")}${sortable("failed", "failed")}${sortable("skipped", "not run (too long)")}${sortable("created", "created")}<th>export</th></tr></thead>
<tbody>${rows.join("\n")}</tbody></table><p><button type="submit" id="compare-runs">Compare selected runs</button></p></form></body></html>`;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const head = req.method === "HEAD";
    if (req.method !== "GET" && !head) return send(res, 405, "text/plain; charset=utf-8", "read-only: GET and HEAD only\n", false, { allow: "GET, HEAD" });
    const hostHeader = (req.headers.host ?? "").toLowerCase();
    const allowed = [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
    if (!allowed.includes(hostHeader)) return send(res, 421, "text/plain; charset=utf-8", "this server answers only on its loopback address\n", head);
    const url = new URL(req.url ?? "/", `http://127.0.0.1:${port}`);
    const path = url.pathname;
    if (path === "/" || path === "/index.html") return send(res, 200, "text/html; charset=utf-8", await index(url.searchParams), head, { "content-security-policy": INDEX_CSP });
    if (path === "/api/runs") {
      const runs = listRuns(root).map((e) => {
        const run = readRunDirectory(e.dir, { invalid: "notice" });
        return { key: e.key, state: run.state, reason: run.stateReason };
      });
      return send(res, 200, CONTENT_TYPES.json, JSON.stringify({ root, runs }, null, 2), head);
    }
    const runs = new Map(listRuns(root).map((e) => [e.key, e]));
    if (path === "/compare") {
      const keys = url.searchParams.getAll("run");
      const format = FormatSchema.safeParse(url.searchParams.get("format") ?? "html");
      const entries = keys.map((k) => runs.get(k));
      if (!format.success || keys.length === 0 || entries.some((e) => !e)) return send(res, 404, "text/plain; charset=utf-8", "unknown run or format\n", head);
      return send(res, 200, CONTENT_TYPES[format.data], await report(entries as RunEntry[], format.data), head);
    }
    const m = /^\/runs\/([^/]+)\/(?:(?:index\.html|report\.(html|md|csv|json)))?$/.exec(path);
    if (m) {
      const entry = runs.get(decodeURIComponent(m[1]!));
      if (!entry) return send(res, 404, "text/plain; charset=utf-8", "no such run\n", head);
      const format = (m[2] ?? "html") as ReportFormat;
      return send(res, 200, CONTENT_TYPES[format], await report([entry], format), head);
    }
    return send(res, 404, "text/plain; charset=utf-8", "not found\n", head);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, "text/plain; charset=utf-8", `error: ${(error as Error).message}\n`, false);
      else res.destroy();
    });
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host === "localhost" ? "127.0.0.1" : host, () => resolveListen());
  });
  port = (server.address() as AddressInfo).port;
  const shown = host === "::1" ? "[::1]" : "127.0.0.1";
  return {
    url: `http://${shown}:${port}/`,
    port,
    server,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** The index needs scores and counts, not sample text: load with tiny text limits. */
function loadRunSummaryOnly(dir: string) {
  return loadRun(dir, { limits: { prompt: 0, prediction: 0, reference: 0, references: 0 } });
}

/** `loom view [dir]`: serve until SIGINT/SIGTERM. Returns the exit code. */
export async function viewCommand(dir: string | undefined, flags: { port?: number | string; host?: string }, io: ReportIo): Promise<number> {
  const root = resolve(dir ?? "loom-runs");
  if (!existsSync(root)) {
    io.err(`error: ${root} does not exist (pass the folder that holds your run directories, default ./loom-runs)`);
    return 2;
  }
  const port = flags.port === undefined ? 7420 : Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    io.err(`error: --port must be 0–65535, got ${String(flags.port)}`);
    return 2;
  }
  let view: ViewServer;
  try {
    view = await startViewServer({ dir: root, port, ...(flags.host ? { host: flags.host } : {}) });
  } catch (error) {
    io.err(`error: ${(error as Error).message}`);
    return 2;
  }
  io.out(`loom view: ${listRuns(root).length} run(s) in ${root}\nopen ${view.url}  (read-only; Ctrl-C to stop)`);
  await new Promise<void>((r) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      r();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  await view.close();
  return 0;
}
