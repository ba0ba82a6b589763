import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { BackendRequestError } from "@loomscope/spec";
import type { z } from "zod";

/** What the helpers read of response headers: web `Headers` and ours both fit. */
export interface HeaderReader {
  get(name: string): string | null;
}

/** Retry-After: delta-seconds or an HTTP date, in milliseconds. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  const seconds = Number(trimmed);
  if (trimmed !== "" && Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const date = Date.parse(trimmed);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

/** OpenAI's reset durations: `1s`, `6m0s`, `120ms`, `1h2m3.5s`. */
export function parseResetDuration(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  const re = /(\d+(?:\.\d+)?)(ms|h|m|s)/g;
  let total = 0;
  let matched = false;
  for (const [, amount, unit] of value.matchAll(re)) {
    matched = true;
    const n = Number(amount);
    total += unit === "h" ? n * 3_600_000 : unit === "m" ? n * 60_000 : unit === "s" ? n * 1000 : n;
  }
  if (!matched) {
    const seconds = Number(value);
    return Number.isFinite(seconds) ? seconds * 1000 : undefined;
  }
  return Math.round(total);
}

/** How long a rate-limited server asked us to wait: Retry-After, then the rate-limit reset headers. */
export function retryDelayFromHeaders(headers: HeaderReader): number | undefined {
  const retryAfter = parseRetryAfter(headers.get("retry-after")) ?? parseRetryAfter(headers.get("retry-after-ms") ? String(Number(headers.get("retry-after-ms")) / 1000) : null);
  if (retryAfter !== undefined) return retryAfter;
  const remainingRequests = headers.get("x-ratelimit-remaining-requests");
  const remainingTokens = headers.get("x-ratelimit-remaining-tokens");
  const resets = [
    remainingRequests === "0" ? parseResetDuration(headers.get("x-ratelimit-reset-requests")) : undefined,
    remainingTokens === "0" ? parseResetDuration(headers.get("x-ratelimit-reset-tokens")) : undefined,
  ].filter((v): v is number => v !== undefined);
  return resets.length > 0 ? Math.max(...resets) : undefined;
}

const RETRYABLE_STATUS = new Set([408, 409, 425, 429, 500, 502, 503, 504]);

/** A fix to show with an error: fixed, or chosen by status (a 401 is about the key, a 404 about the URL). */
export type ErrorHint = string | ((status: number) => string | undefined);

/** A URL for messages and manifests: `user:password@` removed (the request itself keeps it). */
export function withoutUserinfo(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#@]*@/i, "$1");
}

/** Turn a non-2xx response into a `BackendRequestError` the runner knows how to retry. */
export async function errorFromResponse(
  response: { status: number; headers: HeaderReader; text(): Promise<string> },
  what: string,
  errorHint?: ErrorHint,
): Promise<BackendRequestError> {
  const hint = typeof errorHint === "function" ? errorHint(response.status) : errorHint;
  let detail = "";
  try {
    const text = await response.text();
    try {
      const json = JSON.parse(text) as { error?: { message?: string } | string; message?: string; detail?: unknown };
      detail =
        typeof json.error === "string"
          ? json.error
          : (json.error?.message ?? json.message ?? (json.detail !== undefined ? JSON.stringify(json.detail) : text));
    } catch {
      detail = text;
    }
  } catch {
    detail = "";
  }
  if (looksLikeHtml(detail, response.headers.get("content-type"))) {
    const title = htmlTitle(detail);
    detail = `an HTML page${title ? ` ("${title}")` : ""}`;
  }
  const retryAfterMs = retryDelayFromHeaders(response.headers);
  return new BackendRequestError(`${what}: HTTP ${response.status}${detail ? ` — ${detail.slice(0, 500)}` : ""}`, {
    status: response.status,
    retryable: RETRYABLE_STATUS.has(response.status),
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    ...(hint ? { hint } : {}),
  });
}

/** A network-level failure (refused, reset, malformed body) as a retryable request error. */
export function networkError(what: string, cause: unknown): BackendRequestError {
  const message = cause instanceof Error ? `${cause.message}${cause.cause instanceof Error ? ` (${cause.cause.message})` : ""}` : String(cause);
  return new BackendRequestError(`${what}: ${message}`, { retryable: true, cause });
}

type ByteSource = AsyncIterable<Uint8Array>;

async function* textLines(body: ByteSource): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    let index: number;
    while ((index = buffer.indexOf("\n")) !== -1) {
      const line = buffer.slice(0, index).replace(/\r$/, "");
      buffer = buffer.slice(index + 1);
      yield line;
    }
  }
  buffer += decoder.decode();
  if (buffer !== "") yield buffer.replace(/\r$/, "");
}

/** Server-sent events: yields each event's data (multi-line data joined by '\n'). */
export async function* readSSE(body: ByteSource): AsyncGenerator<string> {
  let data: string[] = [];
  for await (const line of textLines(body)) {
    if (line === "") {
      if (data.length > 0) yield data.join("\n");
      data = [];
    } else if (line.startsWith("data:")) {
      data.push(line.slice(line[5] === " " ? 6 : 5));
    }
  }
  if (data.length > 0) yield data.join("\n");
}

/** Newline-delimited JSON (Ollama's streaming format): yields each non-empty line. */
export async function* readNDJSON(body: ByteSource): AsyncGenerator<string> {
  for await (const line of textLines(body)) if (line.trim() !== "") yield line;
}

/** Whether a body is an HTML page (a proxy's, a login or an error page) rather than an API's answer. */
export function looksLikeHtml(text: string, contentType?: string | null): boolean {
  if (contentType && /text\/html|application\/xhtml/i.test(contentType)) return true;
  return /^\s*(<!doctype html|<html[\s>]|<head[\s>]|<body[\s>])/i.test(text);
}

/** The title of an HTML page, to name it in an error. */
function htmlTitle(text: string): string | undefined {
  const title = /<title[^>]*>([^<]{1,200})<\/title>/i.exec(text)?.[1]?.replace(/\s+/g, " ").trim();
  return title || undefined;
}

/** The error for an HTML page where the API's JSON or event stream was expected (not retried: it will not change). */
export function htmlPageError(what: string, text: string, expected: string, status?: number): BackendRequestError {
  const title = htmlTitle(text);
  return new BackendRequestError(`${what}: the server answered with an HTML page${title ? ` ("${title}")` : ""} instead of ${expected}`, {
    retryable: false,
    ...(status !== undefined ? { status } : {}),
    hint: "check the base URL (it should end in /v1) and whether a proxy, login or error page answers in the model server's place",
  });
}

/**
 * Check that a streamed answer is an event stream before reading it. A body of another type (an
 * HTML page from a proxy, a JSON error) is read and reported as what it is, not as a stream that ended early.
 */
export async function expectEventStream(response: HttpResponse, what: string, signal?: AbortSignal): Promise<void> {
  const type = response.headers.get("content-type");
  if (type === null || /text\/event-stream/i.test(type)) return;
  const text = (await readText(response, what, signal)).slice(0, 64 * 1024);
  if (looksLikeHtml(text, type)) throw htmlPageError(what, text, "an event stream", response.status);
  let detail = text.slice(0, 300);
  try {
    const json = JSON.parse(text) as { error?: { message?: string } | string };
    if (json.error) detail = typeof json.error === "string" ? json.error : (json.error.message ?? detail);
  } catch {
    // not JSON: the text as it came
  }
  throw new BackendRequestError(`${what}: expected an event stream, got ${type}: ${detail}`, { retryable: true, status: response.status });
}

/** Parse JSON text against a schema; a malformed or unexpected body is a retryable protocol error. */
export function parseJson<T>(text: string, schema: z.ZodType<T>, what: string): T {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    if (looksLikeHtml(text)) throw htmlPageError(what, text, "JSON");
    throw new BackendRequestError(`${what}: malformed JSON in the response (${text.slice(0, 120)})`, { retryable: true, cause });
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new BackendRequestError(`${what}: unexpected response shape at ${issue?.path.join(".") || "(root)"}: ${issue?.message ?? ""}`, {
      retryable: false,
    });
  }
  return parsed.data;
}

/** A response whose body has not been read yet: read it as text, or iterate its bytes once. */
export interface HttpResponse {
  status: number;
  headers: HeaderReader;
  /** The body as bytes, streamed. */
  body: AsyncIterable<Uint8Array>;
  text(): Promise<string>;
}

export interface HttpRequestInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

// Keep-alive agents shared by every backend: one connection pool per process, no socket cap
// (the runner's limiter decides how many requests are in flight).
const agents = {
  http: new HttpAgent({ keepAlive: true, maxSockets: Infinity, scheduling: "lifo" }),
  https: new HttpsAgent({ keepAlive: true, maxSockets: Infinity, scheduling: "lifo" }),
};

class NodeHeaders implements HeaderReader {
  constructor(private readonly raw: IncomingMessage["headers"]) {}
  get(name: string): string | null {
    const value = this.raw[name.toLowerCase()];
    return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
  }
}

/**
 * One HTTP request on node:http with keep-alive. Backends use this rather than `fetch`: at
 * thousands of requests per second, undici's web streams cost several times more CPU per request.
 * Network failures reject with the socket error; a non-2xx status is returned, not thrown.
 */
export function request(url: string, init: HttpRequestInit = {}): Promise<HttpResponse> {
  const target = new URL(url);
  const secure = target.protocol === "https:";
  const send = secure ? httpsRequest : httpRequest;
  const headers: Record<string, string | number> = { ...init.headers };
  if (init.body !== undefined) headers["content-length"] = Buffer.byteLength(init.body);
  return new Promise((resolve, reject) => {
    const req = send(
      target,
      {
        method: init.method ?? (init.body !== undefined ? "POST" : "GET"),
        headers,
        agent: secure ? agents.https : agents.http,
        ...(init.signal ? { signal: init.signal } : {}),
      },
      (res) => {
        let consumed = false;
        const take = () => {
          if (consumed) throw new Error("the response body was already read");
          consumed = true;
          return res;
        };
        resolve({
          status: res.statusCode ?? 0,
          headers: new NodeHeaders(res.headers),
          get body() {
            return take();
          },
          text: async () => {
            const chunks: Buffer[] = [];
            for await (const chunk of take()) chunks.push(chunk as Buffer);
            if (!res.complete) throw new Error("the connection closed before the response was complete");
            return Buffer.concat(chunks).toString("utf8");
          },
        });
      },
    );
    req.on("error", reject);
    req.end(init.body);
  });
}

/** Send a request; network failures become retryable `BackendRequestError`s, an abort stays an abort. */
export async function send(url: string, init: HttpRequestInit, what: string): Promise<HttpResponse> {
  try {
    return await request(url, init);
  } catch (cause) {
    if (init.signal?.aborted) throw init.signal.reason ?? cause;
    throw networkError(what, cause);
  }
}

/** Read a whole body; a connection cut mid-body is a retryable error. */
export async function readText(response: HttpResponse, what: string, signal?: AbortSignal): Promise<string> {
  try {
    return await response.text();
  } catch (cause) {
    if (signal?.aborted) throw signal.reason ?? cause;
    throw networkError(what, cause);
  }
}

/** Request + status check + validated JSON body. */
export async function fetchJson<T>(url: string, init: HttpRequestInit, schema: z.ZodType<T>, what: string, hint?: ErrorHint): Promise<T> {
  const response = await send(url, init, what);
  if (response.status < 200 || response.status >= 300) throw await errorFromResponse(response, what, hint);
  return parseJson(await readText(response, what, init.signal), schema, what);
}

/**
 * A `fetch` for clients that take one (the official `ollama` client does), on the keep-alive
 * `node:http` client above: it returns just the Response surface such clients use (`ok`, `status`,
 * `headers.get`, `text`, `json`, `body.getReader`), without undici's web-stream cost.
 */
export async function lightFetch(input: string | URL | { url: string }, init: RequestInit = {}): Promise<Response> {
  const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
  const headers: Record<string, string> = {};
  if (init.headers) new Headers(init.headers).forEach((value, key) => (headers[key] = value));
  if (init.body !== undefined && init.body !== null && typeof init.body !== "string") {
    throw new TypeError("lightFetch sends string bodies only");
  }
  const response = await request(url, {
    ...(init.method ? { method: init.method } : {}),
    headers,
    ...(typeof init.body === "string" ? { body: init.body } : {}),
    ...(init.signal ? { signal: init.signal } : {}),
  });
  let iterator: AsyncIterator<Uint8Array> | undefined;
  const body = {
    getReader: () => {
      iterator ??= response.body[Symbol.asyncIterator]();
      const it = iterator;
      return {
        read: async (): Promise<{ done: boolean; value: Uint8Array | undefined }> => {
          const next = await it.next();
          return next.done ? { done: true, value: undefined } : { done: false, value: next.value };
        },
        releaseLock: () => undefined,
        cancel: async () => {
          await it.return?.();
        },
      };
    },
  };
  const light = {
    ok: response.status >= 200 && response.status < 300,
    status: response.status,
    statusText: "",
    url,
    headers: response.headers,
    body,
    text: () => response.text(),
    json: async () => JSON.parse(await response.text()) as unknown,
  };
  return light as unknown as Response;
}
