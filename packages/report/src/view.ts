import { existsSync, statSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { basename, join, relative, resolve, sep } from "node:path";
import { readRunDirectory } from "@loomscope/spec";
import { z } from "zod";
import { renderReport, type ReportFormat, type ReportIo } from "./command.js";
import { escapeHtml } from "./html.js";
import { findRunDirs, loadRun } from "./load.js";
import { buildReport } from "./model.js";

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

  const index = async (): Promise<string> => {
    const runs = listRuns(root);
    const rows: string[] = [];
    for (const e of runs) {
      const data = buildReport([await loadRunSummaryOnly(e.dir)]);
      const r = data.runs[0]!;
      const href = `/runs/${encodeURIComponent(e.key)}/`;
      rows.push(
        `<tr><td><input type="checkbox" name="run" value="${escapeHtml(e.key)}" aria-label="compare ${escapeHtml(e.key)}"></td>` +
          `<td><a href="${escapeHtml(href)}">${escapeHtml(e.key)}</a></td><td>${escapeHtml(r.model)}</td><td>${escapeHtml(r.accelerator)}</td>` +
          `<td class="n">${r.overall === null ? "–" : r.overall.toFixed(2)}</td><td>${escapeHtml(r.benchmarks.map((b) => b.benchmark).join(", "))}</td>` +
          `<td class="n">${r.counts.samples}</td><td>${escapeHtml(r.createdAt ?? "")}</td>` +
          `<td><a href="${escapeHtml(href)}report.md">md</a> · <a href="${escapeHtml(href)}report.csv">csv</a> · <a href="${escapeHtml(href)}report.json">json</a></td></tr>`,
      );
    }
    return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>loom view: ${escapeHtml(root)}</title><link rel="icon" href="data:,">
<style>body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#111827}table{border-collapse:collapse}td,th{border:1px solid #e5e7eb;padding:4px 8px;text-align:left}td.n{text-align:right}a{color:#2563eb}</style></head>
<body><h1>loom view</h1><p>${runs.length} run${runs.length === 1 ? "" : "s"} in <code>${escapeHtml(root)}</code> (read-only)</p>
<form method="get" action="/compare"><table id="runs"><thead><tr><th></th><th>run</th><th>model</th><th>accelerator</th><th>score</th><th>benchmarks</th><th>samples</th><th>created</th><th>export</th></tr></thead>
<tbody>${rows.join("\n")}</tbody></table><p><button type="submit">Compare selected runs</button></p></form></body></html>`;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const head = req.method === "HEAD";
    if (req.method !== "GET" && !head) return send(res, 405, "text/plain; charset=utf-8", "read-only: GET and HEAD only\n", false, { allow: "GET, HEAD" });
    const hostHeader = (req.headers.host ?? "").toLowerCase();
    const allowed = [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
    if (!allowed.includes(hostHeader)) return send(res, 421, "text/plain; charset=utf-8", "this server answers only on its loopback address\n", head);
    const url = new URL(req.url ?? "/", `http://127.0.0.1:${port}`);
    const path = url.pathname;
    if (path === "/" || path === "/index.html") return send(res, 200, "text/html; charset=utf-8", await index(), head, { "content-security-policy": INDEX_CSP });
    if (path === "/api/runs") {
      const runs = listRuns(root).map((e) => e.key);
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
