/**
 * Local stand-ins for where benchmarks download data from: the Hugging Face hub (serves
 * `/datasets/<repo>/resolve/<revision>/<path>`), or any file host (a repository's raw files, a
 * mirror). They answer 404 for anything else, as the real hosts do, and record every request path
 * (so a test can tell a download from a cache or --data-dir read). Point HF_ENDPOINT, or a
 * benchmark's data URL option, at `url`.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface HubStandIn {
  url: string;
  /** Every request's path (URL-decoded, without the query), in order. */
  requests: string[];
  close(): Promise<void>;
}

/** A file host: `serve(path)` gives the bytes for a request path, or undefined for a 404 with `notFound` as its body. */
export async function startFileHost(serve: (path: string) => string | Buffer | undefined, notFound = "Not Found"): Promise<HubStandIn> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? "").split("?")[0] ?? "");
    requests.push(path);
    const body = serve(path);
    if (body === undefined) return void res.writeHead(404, { "content-type": "text/plain" }).end(notFound);
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
 * The hub: `files` maps `<repo>/<path>` (e.g. `RMT-team/babilong/data/qa1/0k.json`) to its bytes at
 * `revision` (default `main`), or `<repo>@<revision>/<path>` to its bytes at that revision only (a
 * pinned commit); or is a function of those keys.
 */
export async function startHubStandIn(
  files: ReadonlyMap<string, string | Buffer> | ((key: string) => string | Buffer | undefined),
  revision = "main",
): Promise<HubStandIn> {
  const lookup = typeof files === "function" ? files : (key: string) => files.get(key);
  const prefix = /^\/datasets\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/;
  return startFileHost((path) => {
    const m = prefix.exec(path);
    if (!m) return undefined;
    return lookup(`${m[1]}@${m[2]}/${m[3]}`) ?? (m[2] === revision ? lookup(`${m[1]}/${m[3]}`) : undefined);
  }, "Entry not found");
}
