import {
  PREFIX_CACHE_FEATURE,
  BackendRequestError,
  LoomError,
  SilentTruncationError,
  type Backend,
  type BackendCapabilities,
  type BackendCreateOptions,
  type GenerateRequest,
  type GenerateResult,
  type JsonObject,
  type Tokenizer,
} from "@loomscope/spec";
import { lightFetch, networkError, retryDelayFromHeaders, type HeaderReader } from "@loomscope/http";
import { Ollama, type ChatResponse, type GenerateResponse, type Message } from "ollama";
import { z } from "zod";

export const OllamaOptionsSchema = z
  .object({
    /** Server URL; default OLLAMA_HOST, else http://127.0.0.1:11434. */
    host: z.string().optional(),
    /**
     * Context window (num_ctx) for every request of the run. Default: the run's --max-length plus
     * `generationHeadroom`, else the model's own context length. It never varies within a run, since
     * a new num_ctx reloads the model.
     */
    numCtx: z.number().int().positive().optional(),
    generationHeadroom: z.number().int().nonnegative().default(1024),
    /** `tiktoken:<encoding>` or a tokenizer.json path matching the model, for exact truncation. */
    tokenizer: z.string().optional(),
    /** Stream answers (gives time to first token). */
    stream: z.boolean().default(true),
    keepAlive: z.union([z.string(), z.number()]).default("10m"),
    /** Extra Ollama options merged into every request (e.g. `{ "num_gpu": 99 }`). */
    extraOptions: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();
export type OllamaOptions = z.input<typeof OllamaOptionsSchema>;

/** Ollama names without a tag mean `:latest`. */
export const normalizeModelName = (name: string): string => (name.includes(":") ? name : `${name}:latest`);

const ShowSchema = z.object({ model_info: z.record(z.string(), z.unknown()).optional() }).passthrough();

const ns = (value: number | undefined) => (typeof value === "number" && value > 0 ? value / 1e6 : undefined);

/**
 * Ollama backend. Ollama cuts a prompt longer than num_ctx without telling the client (it keeps
 * num_keep tokens and the tail). So num_ctx is always set, `truncate: false` asks servers that know
 * it to refuse instead, and a response whose prompt filled the whole window is an error on the record.
 */
export class OllamaBackend implements Backend {
  readonly id = "ollama";
  readonly model: string;
  private readonly host: string;
  private readonly options: z.infer<typeof OllamaOptionsSchema>;
  private readonly hostServices: BackendCreateOptions["host"];
  private numCtx: number | undefined;
  private contextLength: number | undefined;
  private tokenizerPromise: Promise<Tokenizer | undefined> | undefined;

  constructor(model: string, options: z.infer<typeof OllamaOptionsSchema>, create: BackendCreateOptions) {
    this.model = normalizeModelName(model);
    this.options = options;
    this.hostServices = create.host;
    const host = options.host ?? create.env.OLLAMA_HOST ?? "http://127.0.0.1:11434";
    this.host = /^https?:\/\//.test(host) ? host.replace(/\/+$/, "") : `http://${host.replace(/\/+$/, "")}`;
    this.numCtx = options.numCtx ?? (create.maxInputTokens !== undefined ? create.maxInputTokens + options.generationHeadroom : undefined);
  }

  /** A client per request: the official client takes no abort signal for non-streaming calls. */
  private client(signal?: AbortSignal, seen?: { status?: number; headers?: HeaderReader }): Ollama {
    return new Ollama({
      host: this.host,
      // The official client on loomscope's keep-alive node:http transport (and our abort signal).
      fetch: async (input: string | URL | Request, init?: RequestInit) => {
        const response = await lightFetch(input, { ...init, ...(signal ? { signal } : {}) });
        if (seen) {
          seen.status = response.status;
          seen.headers = response.headers;
        }
        return response;
      },
    });
  }

  capabilities(): BackendCapabilities {
    const maxInputTokens = this.numCtx ?? this.contextLength;
    return {
      promptModes: ["chat"],
      exactTokenizer: false,
      ...(maxInputTokens !== undefined ? { maxInputTokens: maxInputTokens - this.options.generationHeadroom } : {}),
      // Ollama's runner gives a request the slot holding the longest common prompt prefix.
      features: ["kv.context-shift", PREFIX_CACHE_FEATURE],
    };
  }

  private async call<T>(what: string, signal: AbortSignal | undefined, run: (client: Ollama) => Promise<T>): Promise<T> {
    const seen: { status?: number; headers?: HeaderReader } = {};
    try {
      return await run(this.client(signal, seen));
    } catch (error) {
      if (signal?.aborted) throw signal.reason ?? error;
      const status = (error as { status_code?: number }).status_code ?? seen.status;
      if (typeof status === "number" && status >= 400) {
        const message = (error as Error).message;
        if (status === 404 && /not found/.test(message)) {
          throw new LoomError("MODEL_NOT_FOUND", `${what}: ${message}`, { hint: `run \`ollama pull ${this.model}\`` });
        }
        const retryAfterMs = seen.headers ? retryDelayFromHeaders(seen.headers) : undefined;
        throw new BackendRequestError(`${what}: HTTP ${status} — ${message}`, {
          status,
          retryable: status === 429 || status >= 500,
          ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
        });
      }
      if (error instanceof SyntaxError) {
        throw new BackendRequestError(`${what}: malformed JSON from Ollama (${error.message})`, { retryable: true, cause: error });
      }
      throw networkError(what, error);
    }
  }

  async probe(signal: AbortSignal): Promise<BackendCapabilities> {
    const list = await this.call(`ollama: GET ${this.host}/api/tags`, signal, (c) => c.list());
    const names = list.models.map((m) => normalizeModelName(m.name));
    if (!names.includes(this.model)) {
      throw new LoomError("MODEL_NOT_FOUND", `ollama at ${this.host} has no model ${this.model}`, {
        hint: `run \`ollama pull ${this.model}\`${names.length ? ` (it has: ${names.join(", ")})` : ""}`,
      });
    }
    const show = ShowSchema.parse(await this.call(`ollama: POST ${this.host}/api/show`, signal, (c) => c.show({ model: this.model })));
    const info = show.model_info ?? {};
    const key = Object.keys(info).find((k) => k.endsWith(".context_length"));
    const length = key ? info[key] : undefined;
    if (typeof length === "number") this.contextLength = length;
    this.numCtx ??= this.contextLength;
    return this.capabilities();
  }

  tokenizer(): Promise<Tokenizer | undefined> {
    this.tokenizerPromise ??= this.options.tokenizer ? this.hostServices.loadTokenizer(this.options.tokenizer) : Promise.resolve(undefined);
    return this.tokenizerPromise;
  }

  async generate(request: GenerateRequest): Promise<GenerateResult> {
    const numCtx = this.numCtx;
    if (numCtx === undefined) {
      throw new LoomError("OLLAMA_NUM_CTX", "ollama: no context size: pass --max-length or set backends.ollama.numCtx", {
        hint: "without num_ctx Ollama would use its small default window and cut prompts silently",
      });
    }
    const contextShift = request.engine?.find((d) => d.accelerator === "kv-pruning" && d.method === "streamingllm");
    const options: Record<string, unknown> = {
      num_ctx: numCtx,
      num_predict: request.maxNewTokens,
      temperature: request.temperature,
      ...(request.topP !== undefined ? { top_p: request.topP } : {}),
      ...(request.topK !== undefined ? { top_k: request.topK } : {}),
      ...(request.seed !== undefined ? { seed: request.seed } : {}),
      ...(request.stop && request.stop.length > 0 ? { stop: [...request.stop] } : {}),
      ...(contextShift ? { num_keep: Number(contextShift.params.sinkTokens ?? 4) } : {}),
      ...this.options.extraOptions,
    };
    const what = `ollama: ${request.prompt.kind === "chat" ? "POST /api/chat" : "POST /api/generate"} ${this.model}`;
    const t0 = performance.now();
    // `truncate: false` makes newer Ollama refuse an over-long prompt instead of cutting it.
    const common = { model: this.model, options, keep_alive: this.options.keepAlive, truncate: contextShift === undefined ? false : true };
    let text = "";
    let ttft: number | undefined;
    let last: ChatResponse | GenerateResponse | undefined;
    await this.call(what, request.signal, async (client) => {
      if (request.prompt.kind === "chat") {
        const messages: Message[] = request.prompt.messages.map((m) => ({ role: m.role, content: m.content }));
        if (this.options.stream) {
          const stream = await client.chat({ ...common, messages, stream: true } as Parameters<Ollama["chat"]>[0] & { stream: true });
          for await (const part of stream) {
            if (part.message?.content && ttft === undefined) ttft = performance.now() - t0;
            text += part.message?.content ?? "";
            if (part.done) last = part;
          }
        } else {
          const response = await client.chat({ ...common, messages, stream: false } as Parameters<Ollama["chat"]>[0] & { stream: false });
          last = response;
          text = response.message.content;
        }
      } else {
        const body = { ...common, prompt: request.prompt.text, raw: true };
        if (this.options.stream) {
          const stream = await client.generate({ ...body, stream: true } as Parameters<Ollama["generate"]>[0] & { stream: true });
          for await (const part of stream) {
            if (part.response && ttft === undefined) ttft = performance.now() - t0;
            text += part.response ?? "";
            if (part.done) last = part;
          }
        } else {
          const response = await client.generate({ ...body, stream: false } as Parameters<Ollama["generate"]>[0] & { stream: false });
          last = response;
          text = response.response ?? "";
        }
      }
    });
    if (!last) throw new BackendRequestError(`${what}: the stream ended without a final message`, { retryable: true });
    const promptTokens = last.prompt_eval_count;
    const engineStats: JsonObject = { numCtx, doneReason: last.done_reason ?? null };
    if (typeof promptTokens === "number" && promptTokens >= numCtx) {
      if (contextShift === undefined) {
        throw new SilentTruncationError(
          request.expectedPromptTokens ?? promptTokens + 1,
          promptTokens,
          `Ollama filled its whole ${numCtx}-token window, so it cut the prompt; raise num_ctx (--max-length or backends.ollama.numCtx) or lower --max-length`,
        );
      }
      engineStats.contextShift = true;
    }
    const totalMs = performance.now() - t0;
    const prefillMs = ns(last.prompt_eval_duration);
    const decodeMs = ns(last.eval_duration);
    return {
      text,
      usage: {
        ...(typeof promptTokens === "number" ? { promptTokens } : {}),
        ...(typeof last.eval_count === "number" ? { completionTokens: last.eval_count } : {}),
      },
      timings: {
        totalMs,
        ...(ttft !== undefined ? { ttftMs: ttft } : {}),
        ...(prefillMs !== undefined ? { prefillMs } : {}),
        ...(decodeMs !== undefined ? { decodeMs } : {}),
      },
      ...(last.done_reason === "length" ? { finishReason: "length" as const } : last.done_reason === "stop" ? { finishReason: "stop" as const } : {}),
      engineStats,
    };
  }

  describe(): JsonObject {
    return { host: this.host, model: this.model, numCtx: this.numCtx ?? null, contextLength: this.contextLength ?? null, tokenizer: this.options.tokenizer ?? null };
  }
}

export function createOllamaBackend(create: BackendCreateOptions): OllamaBackend {
  const parsed = OllamaOptionsSchema.safeParse(create.options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new LoomError("BACKEND_OPTIONS", `ollama backend options: ${issue?.path.join(".") || "(root)"}: ${issue?.message ?? ""}`);
  }
  return new OllamaBackend(create.model, parsed.data, create);
}
