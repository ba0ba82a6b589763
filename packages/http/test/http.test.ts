import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { errorFromResponse, fetchJson, lightFetch, parseResetDuration, parseRetryAfter, readNDJSON, readSSE, request, retryDelayFromHeaders, send } from "../src/index.js";

async function* bytes(...chunks: string[]): AsyncGenerator<Uint8Array> {
  for (const c of chunks) yield new TextEncoder().encode(c);
}
const collect = async (it: AsyncIterable<string>) => {
  const out: string[] = [];
  for await (const x of it) out.push(x);
  return out;
};
const headers = (h: Record<string, string>) => ({ get: (n: string) => h[n.toLowerCase()] ?? null });

describe("headers", () => {
  it("parses Retry-After seconds and dates, and OpenAI reset durations", () => {
    expect(parseRetryAfter("2")).toBe(2000);
    expect(parseRetryAfter("0.5")).toBe(500);
    expect(parseRetryAfter("Wed, 21 Oct 2015 07:28:10 GMT", Date.parse("Wed, 21 Oct 2015 07:28:00 GMT"))).toBe(10_000);
    expect(parseRetryAfter("soon")).toBeUndefined();
    expect(parseResetDuration("6m0s")).toBe(360_000);
    expect(parseResetDuration("1s")).toBe(1000);
    expect(parseResetDuration("120ms")).toBe(120);
    expect(retryDelayFromHeaders(headers({ "x-ratelimit-remaining-requests": "0", "x-ratelimit-reset-requests": "1.5s" }))).toBe(1500);
    expect(retryDelayFromHeaders(headers({ "retry-after": "3", "x-ratelimit-remaining-requests": "0", "x-ratelimit-reset-requests": "9s" }))).toBe(3000);
    expect(retryDelayFromHeaders(headers({ "x-ratelimit-remaining-requests": "5", "x-ratelimit-reset-requests": "9s" }))).toBeUndefined();
  });

  it("classifies statuses and keeps the server's message", async () => {
    const limited = await errorFromResponse({ status: 429, headers: headers({ "retry-after": "1" }), text: async () => '{"error":{"message":"slow down"}}' }, "POST /x");
    expect(limited).toMatchObject({ status: 429, retryable: true, retryAfterMs: 1000 });
    expect(limited.message).toBe("POST /x: HTTP 429 — slow down");
    const bad = await errorFromResponse({ status: 400, headers: headers({}), text: async () => "nope" }, "POST /x");
    expect(bad.retryable).toBe(false);
  });

  it("picks the hint by status when given a function", async () => {
    const byStatus = (status: number) => (status === 401 ? "set KEY" : undefined);
    const denied = await errorFromResponse({ status: 401, headers: headers({}), text: async () => "" }, "GET /m", byStatus);
    expect(denied.hint).toBe("set KEY");
    const other = await errorFromResponse({ status: 500, headers: headers({}), text: async () => "" }, "GET /m", byStatus);
    expect(other.hint).toBeUndefined();
  });
});

describe("stream readers", () => {
  it("reads SSE events across chunk boundaries and CRLF", async () => {
    expect(await collect(readSSE(bytes('data: {"a":', '1}\r\n\r\ndata: [DONE]\n\n')))).toEqual(['{"a":1}', "[DONE]"]);
    expect(await collect(readSSE(bytes(": comment\nevent: x\ndata: a\ndata: b\n\n")))).toEqual(["a\nb"]);
  });
  it("reads NDJSON lines, skipping blanks, even without a final newline", async () => {
    expect(await collect(readNDJSON(bytes('{"x":1}\n\n{"x"', ':2}')))).toEqual(['{"x":1}', '{"x":2}']);
  });
});

describe("request", () => {
  let server: Server;
  let url = "";
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === "/json") return void res.end('{"ok":true}');
      if (req.url === "/bad-json") return void res.end("{oops");
      if (req.url === "/echo") {
        let body = "";
        req.on("data", (d) => (body += d));
        req.on("end", () => res.end(JSON.stringify({ method: req.method, body, auth: req.headers.authorization ?? null })));
        return;
      }
      if (req.url === "/cut") {
        res.writeHead(200, { "content-length": "100" });
        res.write("partial");
        setTimeout(() => res.socket?.destroy(), 10);
        return;
      }
      if (req.url === "/hang") return;
      res.writeHead(503, { "retry-after": "2" }).end('{"error":"busy"}');
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  it("sends bodies and headers and validates JSON", async () => {
    const echoed = await fetchJson(`${url}/echo`, { method: "POST", body: "hi", headers: { authorization: "Bearer k" } }, z.object({ method: z.string(), body: z.string(), auth: z.string() }), "echo");
    expect(echoed).toEqual({ method: "POST", body: "hi", auth: "Bearer k" });
    await expect(fetchJson(`${url}/bad-json`, {}, z.object({}), "bad")).rejects.toMatchObject({ retryable: true, message: expect.stringMatching(/malformed JSON/) });
    await expect(fetchJson(`${url}/json`, {}, z.object({ ok: z.literal(false) }), "shape")).rejects.toMatchObject({ retryable: false });
  });

  it("returns error statuses with readable headers, and makes transport failures retryable", async () => {
    const response = await request(`${url}/busy`);
    expect(response.status).toBe(503);
    expect(response.headers.get("Retry-After")).toBe("2");
    await expect(fetchJson(`${url}/busy`, {}, z.unknown(), "busy")).rejects.toMatchObject({ status: 503, retryable: true, retryAfterMs: 2000 });
    await expect(fetchJson(`${url}/cut`, {}, z.unknown(), "cut")).rejects.toMatchObject({ retryable: true });
    await expect(send("http://127.0.0.1:9/", {}, "refused")).rejects.toMatchObject({ retryable: true, code: "BACKEND_REQUEST" });
  });

  it("lightFetch gives fetch-style clients the Response surface they use", async () => {
    const ok = await lightFetch(`${url}/echo`, { method: "POST", body: "x", headers: new Headers({ authorization: "Bearer t" }) });
    expect(ok.ok).toBe(true);
    expect(await ok.json()).toEqual({ method: "POST", body: "x", auth: "Bearer t" });
    const busy = await lightFetch(`${url}/busy`);
    expect([busy.ok, busy.status, busy.headers.get("retry-after")]).toEqual([false, 503, "2"]);
    const streamed = await lightFetch(`${url}/json`);
    const reader = streamed.body!.getReader();
    let text = "";
    for (let r = await reader.read(); !r.done; r = await reader.read()) text += new TextDecoder().decode(r.value);
    expect(text).toBe('{"ok":true}');
  });

  it("aborts with the caller's reason", async () => {
    const controller = new AbortController();
    const pending = send(`${url}/hang`, { signal: controller.signal }, "hang");
    setTimeout(() => controller.abort(new Error("stop now")), 20);
    await expect(pending).rejects.toThrow("stop now");
  });
});
