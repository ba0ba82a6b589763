/**
 * Local stand-ins for where benchmark data is downloaded from: a static file server (a GitHub raw
 * mirror, a dataset host) and, on top of it, the Hugging Face hub's `/datasets/<repo>/resolve/<rev>/<path>`.
 * Both answer 404 for anything they do not hold and record every request path, so a test can tell a
 * download from a cache or --data-dir read.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface HubStandIn {
  url: string;
  /** Every request's path (URL-decoded, without the query), in order. */
  requests: string[];
  close(): Promise<void>;
}

/** What a path serves: a map of exact request paths, or a function (undefined: 404). */
export type Routes = ReadonlyMap<string, string | Buffer> | ((path: string) => string | Buffer | undefined);

export interface ServeOptions {
  /** Where to record request paths (default: a new array, as `requests`). */
  requests?: string[];
  /** The 404 body (default the hub's "Entry not found"). */
  notFound?: string;
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/** Serve `routes` (looked up by the raw request path) on a loopback port. */
export async function serveFiles(routes: Routes, options: ServeOptions = {}): Promise<HubStandIn> {
  const requests = options.requests ?? [];
  const lookup = typeof routes === "function" ? routes : (path: string) => routes.get(path);
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? "").split("?")[0] ?? "";
    requests.push(safeDecode(path));
    const body = lookup(path);
    if (body === undefined) return void res.writeHead(404, { "content-type": "text/plain" }).end(options.notFound ?? "Entry not found");
    const bytes = typeof body === "string" ? Buffer.from(body, "utf8") : body;
    if (req.method === "HEAD") return void res.writeHead(200, { "content-length": String(bytes.length) }).end();
    res.writeHead(200, { "content-length": String(bytes.length) }).end(bytes);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/**
 * `files` maps `<repo>/<path>` (e.g. `RMT-team/babilong/data/qa1/0k.json`) to its bytes at revision
 * `main`, or `<repo>@<revision>/<path>` to its bytes at that revision only (a pinned commit).
 */
export function startHubStandIn(files: ReadonlyMap<string, string | Buffer>, options: ServeOptions = {}): Promise<HubStandIn> {
  return serveFiles((path) => {
    const m = /^\/datasets\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(decodeURIComponent(path));
    if (!m) return undefined;
    return files.get(`${m[1]}@${m[2]}/${m[3]}`) ?? (m[2] === "main" ? files.get(`${m[1]}/${m[3]}`) : undefined);
  }, options);
}
