import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { FaultInjector, type Fault, type FaultKind, type FaultPlan } from "../faults.js";
import type { Latency, Script } from "../script.js";
import { FakeTokenizer, type FakeTokenizerOptions } from "../tokenizer.js";

/** One request as the fake received it, for tests to assert what a client sent. */
export interface RecordedRequest {
  /** 0-based arrival order on this server. */
  index: number;
  method: string;
  /** Path without the query string. */
  path: string;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body; the raw text when it was not JSON; undefined when empty. */
  body: unknown;
  receivedAt: number;
  /** Status answered (undefined for resets and hangs, or while in flight). */
  status?: number;
  fault?: FaultKind;
}

/** Counters, live. `resetStats()` zeroes them. */
export interface ServerStats {
  /** Every HTTP request received. */
  requests: number;
  /** Requests per `METHOD /path`. */
  byRoute: Record<string, number>;
  /** Responses per status code. */
  statuses: Record<string, number>;
  /** Faults served, per kind. */
  faults: Record<FaultKind, number>;
  faultsTotal: number;
  /** Generation responses completed (including streamed ones). */
  completions: number;
  /** Of which streamed. */
  streamed: number;
  promptTokens: number;
  completionTokens: number;
  /** Ollama: prompts silently cut to num_ctx. */
  truncations: number;
  inFlight: number;
  maxInFlight: number;
}

export interface CommonServerOptions {
  /** Interface to bind; loopback by default. */
  host?: string;
  /** Port; 0 (default) picks a free one. */
  port?: number;
  script?: Script;
  latency?: Latency;
  faults?: FaultPlan;
  /** Require `Authorization: Bearer <apiKey>` (401 otherwise). */
  apiKey?: string;
  /** Options of the shared fake tokenizer (e.g. `{ addBos: true }`). */
  tokenizer?: FakeTokenizerOptions;
  /**
   * Cut scripted answers at the request's max tokens (default true). False serves them whole: for a
   * judge stand-in whose verdicts a real tokenizer packs into the official budget (LongBench-Cite's
   * 10 tokens) while the fake counts one token per byte.
   */
  cutAtMaxTokens?: boolean;
  /** How many recent requests `requests` keeps (default 1000; 0 keeps none). */
  logLimit?: number;
  /** Called when each exchange ends (answered, reset or abandoned), e.g. to print an access log. */
  onRequestEnd?: (request: RecordedRequest) => void;
}

/** What both fakes return. */
export interface FakeServerHandle {
  /** `http://127.0.0.1:<port>` (no trailing slash, no `/v1`). */
  readonly url: string;
  readonly port: number;
  readonly tokenizer: FakeTokenizer;
  /** Live counters. */
  readonly stats: ServerStats;
  /** The most recent requests (at most `logLimit`), oldest first. */
  readonly requests: readonly RecordedRequest[];
  setScript(script: Script | undefined): void;
  setLatency(latency: Latency | undefined): void;
  /** Replace the fault plan (restarts its sequence and PRNG); undefined clears it. */
  setFaults(plan: FaultPlan | undefined): void;
  setApiKey(apiKey: string | undefined): void;
  resetStats(): void;
  /** Stops listening and destroys every open connection (hanging requests included). */
  close(): Promise<void>;
}

export function emptyStats(): ServerStats {
  return {
    requests: 0,
    byRoute: {},
    statuses: {},
    faults: { "rate-limit": 0, error: 0, slow: 0, reset: 0, "malformed-json": 0, hang: 0, html: 0 },
    faultsTotal: 0,
    completions: 0,
    streamed: 0,
    promptTokens: 0,
    completionTokens: 0,
    truncations: 0,
    inFlight: 0,
    maxInFlight: 0,
  };
}

export interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  path: string;
  query: string;
  route: string;
  body: unknown;
  bodyError: string | undefined;
  fault: Fault | undefined;
  readonly signal: AbortSignal;
  record: RecordedRequest;
  startedAt: bigint;
}

export interface ErrorOptions {
  type?: string;
  param?: string | null;
  code?: string | number | null;
  headers?: Record<string, string>;
}

/** Wire format hooks a flavour (OpenAI, Ollama) gives the core. */
export interface Flavour {
  routes: Record<string, (ex: Exchange) => void | Promise<void>>;
  generationRoutes: ReadonlySet<string>;
  /** Whether this path needs the API key (vLLM protects only /v1). */
  requiresAuth(path: string): boolean;
  errorBody(status: number, message: string, options: ErrorOptions): unknown;
  notFound(ex: Exchange): void;
  /** An in-stream error event/line. */
  streamError(status: number, message: string): string;
  /** One malformed in-stream event/line. */
  malformedChunk(): string;
  /** Whether a request body asks for a streamed answer. */
  isStreaming(body: unknown): boolean;
}

export function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (ms <= 0) return Promise.resolve(!signal.aborted);
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

const MAX_BODY_BYTES = 512 * 1024 * 1024;

/** Shared machinery of the fakes: listening, logging, stats, auth, faults, framing helpers. */
/** The members of a server handle that only forward to its core: the same on every fake. */
export function coreControls(core: FakeServerCore): Pick<FakeServerHandle, "setScript" | "setLatency" | "setFaults" | "setApiKey" | "resetStats" | "close"> {
  return {
    setScript: (script) => {
      core.script = script;
    },
    setLatency: (latency) => {
      core.latency = latency ?? {};
    },
    setFaults: (plan) => core.faults.set(plan),
    setApiKey: (key) => {
      core.apiKey = key;
    },
    resetStats: () => core.resetStats(),
    close: () => core.close(),
  };
}

export class FakeServerCore {
  readonly tokenizer: FakeTokenizer;
  stats: ServerStats = emptyStats();
  script: Script | undefined;
  latency: Latency = {};
  apiKey: string | undefined;
  readonly faults: FaultInjector;
  private readonly log: RecordedRequest[] = [];
  private logStart = 0;
  private readonly logLimit: number;
  private readonly onRequestEnd: ((request: RecordedRequest) => void) | undefined;
  private requestIndex = 0;
  generationIndex = 0;
  /** Whether answers are cut at max tokens (`cutAtMaxTokens`). */
  readonly cutAtMaxTokens: boolean;
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly controllers = new Set<AbortController>();
  private flavour!: Flavour;

  constructor(options: CommonServerOptions) {
    this.tokenizer = new FakeTokenizer(options.tokenizer);
    this.cutAtMaxTokens = options.cutAtMaxTokens ?? true;
    this.script = options.script;
    this.latency = options.latency ?? {};
    this.apiKey = options.apiKey;
    this.faults = new FaultInjector(options.faults);
    this.logLimit = options.logLimit ?? 1000;
    this.onRequestEnd = options.onRequestEnd;
    this.server = createServer({ noDelay: true, keepAliveTimeout: 30_000 }, (req, res) => {
      this.handle(req, res);
    });
    this.server.on("connection", (socket: Socket) => {
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
    });
  }

  setFlavour(flavour: Flavour): void {
    this.flavour = flavour;
  }

  async listen(host: string, port: number): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, host, () => {
        this.server.off("error", reject);
        resolve();
      });
    });
    const address = this.server.address();
    if (address === null || typeof address === "string") throw new Error("fake server has no TCP address");
    return address.port;
  }

  get requests(): RecordedRequest[] {
    if (this.log.length < this.logLimit || this.logStart === 0) return this.log.slice();
    return [...this.log.slice(this.logStart), ...this.log.slice(0, this.logStart)];
  }

  resetStats(): void {
    const inFlight = this.stats.inFlight;
    this.stats = emptyStats();
    this.stats.inFlight = inFlight;
    this.log.length = 0;
    this.logStart = 0;
  }

  async close(): Promise<void> {
    for (const c of this.controllers) c.abort();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    for (const s of this.sockets) s.destroy();
    await closed;
  }

  private remember(record: RecordedRequest): void {
    if (this.logLimit <= 0) return;
    if (this.log.length < this.logLimit) {
      this.log.push(record);
    } else {
      this.log[this.logStart] = record;
      this.logStart = (this.logStart + 1) % this.logLimit;
    }
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const stats = this.stats;
    stats.requests++;
    stats.inFlight++;
    if (stats.inFlight > stats.maxInFlight) stats.maxInFlight = stats.inFlight;
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const path = q === -1 ? url : url.slice(0, q);
    const method = req.method ?? "GET";
    const route = `${method} ${path}`;
    stats.byRoute[route] = (stats.byRoute[route] ?? 0) + 1;
    const record: RecordedRequest = {
      index: this.requestIndex++,
      method,
      path,
      headers: req.headers,
      body: undefined,
      receivedAt: Date.now(),
    };
    this.remember(record);
    let controller: AbortController | undefined;
    res.once("close", () => {
      this.stats.inFlight--;
      this.onRequestEnd?.(record);
      if (controller !== undefined) {
        this.controllers.delete(controller);
        if (!res.writableFinished) controller.abort();
      }
    });
    const controllers = this.controllers;
    const ex: Exchange = {
      req,
      res,
      method,
      path,
      query: q === -1 ? "" : url.slice(q + 1),
      route,
      body: undefined,
      bodyError: undefined,
      fault: undefined,
      // Created on first use: most zero-latency requests never need one.
      get signal(): AbortSignal {
        if (controller === undefined) {
          controller = new AbortController();
          if (res.destroyed || (res.writableEnded && !res.writableFinished)) controller.abort();
          else controllers.add(controller);
        }
        return controller.signal;
      },
      record,
      startedAt: process.hrtime.bigint(),
    };
    if (method === "GET" || method === "HEAD") {
      req.resume();
      this.dispatch(ex);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        this.sendError(ex, 413, "request body too large", {});
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (res.headersSent) return;
      if (size > 0) {
        const text = chunks.length === 1 ? (chunks[0] as Buffer).toString("utf8") : Buffer.concat(chunks).toString("utf8");
        try {
          ex.body = JSON.parse(text) as unknown;
        } catch (error) {
          ex.body = text;
          ex.bodyError = error instanceof Error ? error.message : String(error);
        }
        record.body = ex.body;
      }
      this.dispatch(ex);
    });
    req.on("error", () => undefined);
  }

  private dispatch(ex: Exchange): void {
    const flavour = this.flavour;
    if (this.apiKey !== undefined && flavour.requiresAuth(ex.path)) {
      const auth = ex.req.headers.authorization;
      if (auth !== `Bearer ${this.apiKey}`) {
        const message =
          auth === undefined
            ? "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY)."
            : "Incorrect API key provided.";
        this.sendError(ex, 401, message, { type: "invalid_request_error", code: "invalid_api_key" });
        return;
      }
    }
    const handler = flavour.routes[ex.route];
    if (handler === undefined) {
      flavour.notFound(ex);
      return;
    }
    if (this.faults.active && this.faults.eligible(ex.path, flavour.generationRoutes.has(ex.route))) {
      const fault = this.faults.next();
      if (fault !== undefined) {
        ex.fault = fault;
        ex.record.fault = fault.kind;
        this.stats.faults[fault.kind]++;
        this.stats.faultsTotal++;
        if (this.applyEarlyFault(ex, fault)) return;
      }
    }
    let result: void | Promise<void>;
    try {
      result = handler(ex);
    } catch (error) {
      this.internalError(ex, error);
      return;
    }
    if (result instanceof Promise) result.catch((error: unknown) => this.internalError(ex, error));
  }

  private internalError(ex: Exchange, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    if (!ex.res.headersSent) this.sendError(ex, 500, message, { type: "InternalServerError" });
    else ex.res.destroy();
  }

  /** Faults decided before the handler runs. Returns true when the exchange is done (or hangs). */
  private applyEarlyFault(ex: Exchange, fault: Fault): boolean {
    switch (fault.kind) {
      case "hang":
        return true;
      case "rate-limit": {
        const seconds = fault.retryAfterSeconds ?? 1;
        this.sendError(ex, 429, "Rate limit reached for requests. Please try again later.", {
          type: "requests",
          code: "rate_limit_exceeded",
          headers: {
            "retry-after": String(seconds),
            "retry-after-ms": String(Math.round(seconds * 1000)),
            "x-ratelimit-limit-requests": "60",
            "x-ratelimit-remaining-requests": "0",
            "x-ratelimit-reset-requests": `${seconds}s`,
            "x-ratelimit-limit-tokens": "150000",
            "x-ratelimit-remaining-tokens": "0",
            "x-ratelimit-reset-tokens": `${seconds}s`,
          },
        });
        return true;
      }
      case "error": {
        if (fault.afterChunks !== undefined && fault.afterChunks > 0 && this.flavour.isStreaming(ex.body)) return false;
        const status = fault.status ?? 500;
        const headers: Record<string, string> = {};
        if (fault.retryAfterSeconds !== undefined) headers["retry-after"] = String(fault.retryAfterSeconds);
        this.sendError(ex, status, fault.message ?? defaultErrorMessage(status), {
          type: status === 503 ? "ServiceUnavailableError" : "InternalServerError",
          code: status,
          headers,
        });
        return true;
      }
      case "html": {
        const title = fault.title ?? "Sign in";
        this.sendText(ex, 200, `<!DOCTYPE html>\n<html><head><title>${title}</title></head><body><form action="/login"><input name="user"></form></body></html>\n`, undefined, "text/html; charset=utf-8");
        return true;
      }
      case "reset":
        if (this.flavour.isStreaming(ex.body) || (fault.afterChunks ?? 0) > 0) return false;
        ex.res.destroy();
        ex.req.socket.destroy();
        return true;
      default:
        return false;
    }
  }

  /** Extra delay of a `slow` fault (0 otherwise). */
  faultDelay(ex: Exchange): number {
    return ex.fault?.kind === "slow" ? (ex.fault.delayMs ?? 2000) : 0;
  }

  sendJson(ex: Exchange, status: number, payload: unknown, headers?: Record<string, string>, contentType = "application/json"): void {
    this.sendText(ex, status, JSON.stringify(payload), headers, contentType);
  }

  sendText(ex: Exchange, status: number, text: string, headers?: Record<string, string>, contentType = "text/plain; charset=utf-8"): void {
    const res = ex.res;
    if (res.headersSent || res.destroyed) return;
    this.stats.statuses[status] = (this.stats.statuses[status] ?? 0) + 1;
    ex.record.status = status;
    const out: Record<string, string | number> = {
      "content-type": contentType,
      "content-length": Buffer.byteLength(text),
    };
    if (headers !== undefined) Object.assign(out, headers);
    res.writeHead(status, out);
    res.end(ex.method === "HEAD" ? undefined : text);
  }

  sendError(ex: Exchange, status: number, message: string, options: ErrorOptions): void {
    this.sendJson(ex, status, this.flavour.errorBody(status, message, options), options.headers);
  }

  /**
   * Sends a successful non-streaming JSON body, honouring `reset` (partial body then socket
   * destroyed) and `malformed-json` faults.
   */
  sendBody(ex: Exchange, payload: unknown, contentType = "application/json"): void {
    const fault = ex.fault;
    const text = JSON.stringify(payload);
    if (fault?.kind === "reset") {
      const res = ex.res;
      ex.record.status = 200;
      res.writeHead(200, { "content-type": contentType, "content-length": Buffer.byteLength(text) });
      res.write(text.slice(0, Math.floor(text.length / 2)), () => {
        res.destroy();
        ex.req.socket.destroy();
      });
      return;
    }
    if (fault?.kind === "malformed-json") {
      this.sendText(ex, 200, text.slice(0, Math.floor(text.length / 2)) + "<!-- upstream", undefined, contentType);
      return;
    }
    this.sendText(ex, 200, text, undefined, contentType);
  }

  /** Starts a streamed response; the writer applies in-stream faults. */
  startStream(ex: Exchange, contentType: string): StreamWriter {
    this.stats.statuses[200] = (this.stats.statuses[200] ?? 0) + 1;
    ex.record.status = 200;
    ex.res.writeHead(200, {
      "content-type": contentType,
      "cache-control": "no-cache",
      connection: "keep-alive",
    });
    return new StreamWriter(ex, this.flavour);
  }
}

function defaultErrorMessage(status: number): string {
  switch (status) {
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "Internal Server Error";
  }
}

/** Writes framed chunks, applying `reset`, `malformed-json` and in-stream `error` faults. */
export class StreamWriter {
  private chunks = 0;
  /** False once the stream was cut by a fault or the client left: stop producing. */
  open = true;

  constructor(
    private readonly ex: Exchange,
    private readonly flavour: Flavour,
  ) {}

  /** Writes one already framed chunk. Returns false when the stream has ended (fault or client gone). */
  write(framed: string): boolean {
    if (!this.open || this.ex.res.destroyed) {
      this.open = false;
      return false;
    }
    const fault = this.ex.fault;
    if (fault !== undefined) {
      if (fault.kind === "reset" && this.chunks >= (fault.afterChunks ?? 2)) {
        this.open = false;
        const socket = this.ex.req.socket;
        const res = this.ex.res;
        // Let the chunks already written (corked until the next tick) reach the wire first.
        setImmediate(() => {
          res.destroy();
          socket.destroy();
        });
        return false;
      }
      if (fault.kind === "error" && fault.afterChunks !== undefined && this.chunks >= fault.afterChunks) {
        this.open = false;
        this.ex.res.end(this.flavour.streamError(fault.status ?? 500, fault.message ?? "Internal Server Error"));
        return false;
      }
      if (fault.kind === "malformed-json" && this.chunks === (fault.afterChunks ?? 1)) {
        this.ex.res.write(this.flavour.malformedChunk());
      }
    }
    this.chunks++;
    this.ex.res.write(framed);
    return true;
  }

  end(framed?: string): void {
    if (!this.open || this.ex.res.destroyed) return;
    this.open = false;
    this.ex.res.end(framed);
  }
}
