/**
 * A local stand-in for the Hugging Face hub: serves `/datasets/<repo>/resolve/<revision>/<path>`
 * from a map of files, answers 404 as the hub does for anything else, and records every request
 * (so a test can tell a download from a cache or --data-dir read). Point HF_ENDPOINT at `url`.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface HubStandIn {
  url: string;
  requests: string[];
  close(): Promise<void>;
}

/**
 * `files` maps `<repo>/<path>` (e.g. `RMT-team/babilong/data/qa1/0k.json`) to its bytes at revision
 * `main`, or `<repo>@<revision>/<path>` to its bytes at that revision only (a pinned commit).
 */
export async function startHubStandIn(files: ReadonlyMap<string, string | Buffer>): Promise<HubStandIn> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const url = decodeURIComponent((req.url ?? "").split("?")[0] ?? "");
    requests.push(url);
    const m = /^\/datasets\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(url);
    const body = m ? (files.get(`${m[1]}@${m[2]}/${m[3]}`) ?? (m[2] === "main" ? files.get(`${m[1]}/${m[3]}`) : undefined)) : undefined;
    if (body === undefined) return void res.writeHead(404, { "content-type": "text/plain" }).end("Entry not found");
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
