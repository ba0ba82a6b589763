import {
  PREFIX_CACHE_FEATURE,
  BackendRequestError,
  LoomError,
  type Backend,
  type BackendCapabilities,
  type BackendCreateOptions,
  type ChatMessage,
  type GenerateRequest,
  type GenerateResult,
  type JsonObject,
  type Tokenizer,
} from "@loomscope/spec";
import { errorFromResponse, expectEventStream, fetchJson, networkError, parseJson, readSSE, readText, request as httpRequest, send, withoutUserinfo } from "@loomscope/http";
import { z } from "zod";
import {
  ChatCompletionSchema,
  CompletionSchema,
  DetokenizeSchema,
  finishReason,
  LlamaServerPropsSchema,
  ModelsSchema,
  StreamChunkSchema,
  TokenizeSchema,
  cachedPromptTokensOf,
} from "./protocol.js";

export const OpenAIOptionsSchema = z
  .object({
    /** One base URL (…/v1) or several, balanced by outstanding requests. */
    baseURL: z.union([z.string().url(), z.array(z.string().url()).min(1)]).optional(),
    /** Environment variable that holds the API key (the key itself never goes in config). */
    apiKeyEnv: z.string().default("OPENAI_API_KEY"),
    /** `chat`: /chat/completions with messages; `completions`: /completions with text we template. */
    mode: z.enum(["chat", "completions"]).default("chat"),
    /** Stream responses (gives time to first token). */
    stream: z.boolean().default(true),
    /** `tiktoken:<encoding>`, a tokenizer.json path, or `server` for the server's /tokenize route. */
    tokenizer: z.string().optional(),
    /** The model's max input tokens, when the server does not report it. */
    maxModelLen: z.number().int().positive().optional(),
    /** USD per million tokens, for the run's cost total. */
    pricing: z.object({ inputPerMTok: z.number().nonnegative(), outputPerMTok: z.number().nonnegative() }).optional(),
    /** Extra fields merged into every request body (e.g. `{ "top_k": 1 }`). */
    extraBody: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();
export type OpenAIOptions = z.input<typeof OpenAIOptionsSchema>;

export interface OpenAICompatibleSettings {
  /** Plugin id used in errors and records. */
  id: string;
  model: string;
  baseURLs: string[];
  apiKey: string | undefined;
  mode: "chat" | "completions";
  stream: boolean;
  /** How tokens are counted: a local tokenizer, the server's /tokenize, or none. */
  tokenizer: { kind: "local"; spec: string } | { kind: "server" } | { kind: "none" };
  maxModelLen?: number;
  features: string[];
  /** Send vLLM's `continue_final_message` when the last message is an assistant prefix. */
  continueFinalMessage: boolean;
  extraBody: Record<string, unknown>;
  /** USD per million input and output tokens, for the run's cost total. */
  pricing?: { inputPerMTok: number; outputPerMTok: number };
  describe: JsonObject;
}

const stripSlash = (url: string) => url.replace(/\/+$/, "");
/** Server root (without /v1) for routes like /tokenize and /health. */
export const serverRoot = (baseURL: string) => stripSlash(baseURL).replace(/\/v1$/, "");

/**
 * An OpenAI-compatible backend. Shared by the `openai` plugin and the `vllm` plugin (which adds
 * exact tokenization and server management).
 */
export class OpenAICompatibleBackend implements Backend {
  readonly id: string;
  readonly model: string;
  private settings: OpenAICompatibleSettings;
  private readonly host: BackendCreateOptions["host"];
  private readonly outstanding: number[];
  /** Per endpoint: until when it asked for quiet (a 429 or 503 and its Retry-After). */
  private readonly coolUntil: number[];
  private maxModelLen: number | undefined;
  private tokenizerPromise: Promise<Tokenizer | undefined> | undefined;

  constructor(settings: OpenAICompatibleSettings, host: BackendCreateOptions["host"]) {
    this.id = settings.id;
    this.model = settings.model;
    this.settings = settings;
    this.host = host;
    this.outstanding = settings.baseURLs.map(() => 0);
    this.coolUntil = settings.baseURLs.map(() => 0);
    this.maxModelLen = settings.maxModelLen;
  }

  capabilities(): BackendCapabilities {
    return {
      promptModes: this.settings.mode === "chat" ? ["chat"] : ["raw"],
      exactTokenizer: this.settings.tokenizer.kind === "server",
      ...(this.maxModelLen !== undefined ? { maxInputTokens: this.maxModelLen } : {}),
      features: this.settings.features,
    };
  }

  /** The fix for a refused request: 401 and 403 are about the API key and the variable that holds it. */
  private hintFor(status: number): string | undefined {
    const variable = typeof this.settings.describe.apiKeyEnv === "string" ? this.settings.describe.apiKeyEnv : "the API key variable";
    if (status === 401) {
      return this.settings.apiKey
        ? `the server rejected the API key in ${variable}: check that it is valid for this server`
        : `the server wants an API key and ${variable} is not set: export ${variable}=… (or name another variable with --backend-opt apiKeyEnv=NAME)`;
    }
    if (status === 403) {
      return this.settings.apiKey
        ? `the API key in ${variable} is not allowed to use ${this.model} here: check its permissions`
        : `the server refused the request without a key: export ${variable}=…`;
    }
    return undefined;
  }

  private headers(): Record<string, string> {
    return {
      "content-type": "application/json",
      ...(this.settings.apiKey ? { authorization: `Bearer ${this.settings.apiKey}` } : {}),
    };
  }

  /**
   * The endpoint with the fewest outstanding requests among those not cooling down. An endpoint
   * that answered 429/503 gets no new request until its Retry-After is over while another can
   * take it: a rate limit pauses only the server that asked.
   */
  private pick(): number {
    const now = Date.now();
    let best = -1;
    for (let i = 0; i < this.outstanding.length; i++) {
      if (this.coolUntil[i]! > now) continue;
      if (best === -1 || this.outstanding[i]! < this.outstanding[best]!) best = i;
    }
    if (best !== -1) return best;
    // Every endpoint asked for quiet: the one whose pause ends first.
    best = 0;
    for (let i = 1; i < this.coolUntil.length; i++) if (this.coolUntil[i]! < this.coolUntil[best]!) best = i;
    return best;
  }

  /**
   * Pushback from one of several endpoints: it cools down for its Retry-After, and while another
   * endpoint can take the retry, the retry need not wait for this one (the error is returned
   * without the Retry-After, so the retry loop's short back-off applies).
   */
  private pushback(index: number, error: unknown): unknown {
    if (this.coolUntil.length < 2 || !(error instanceof BackendRequestError)) return error;
    if (error.status !== 429 && error.status !== 503) return error;
    const now = Date.now();
    this.coolUntil[index] = Math.max(this.coolUntil[index]!, now + (error.retryAfterMs ?? 1000));
    if (error.retryAfterMs === undefined || !this.coolUntil.some((until) => until <= now)) return error;
    return new BackendRequestError(`${error.message} (that endpoint rests for ${Math.round(error.retryAfterMs / 1000)} s; the retry goes to another)`, {
      status: error.status,
      retryable: true,
      cause: error,
    });
  }

  async probe(signal: AbortSignal): Promise<BackendCapabilities> {
    const base = stripSlash(this.settings.baseURLs[0]!);
    const models = await fetchJson(
      `${base}/models`,
      { headers: this.headers(), signal },
      ModelsSchema,
      `${this.id}: GET ${withoutUserinfo(base)}/models`,
      (status) => this.hintFor(status) ?? (status === 404 ? `${withoutUserinfo(base)}/models does not exist: check the base URL (it usually ends in /v1)` : "check the base URL and that the server is running"),
    );
    const entry = models.data.find((m) => m.id === this.model);
    if (!entry) {
      throw new LoomError("MODEL_NOT_FOUND", `${this.id}: the server at ${withoutUserinfo(base)} does not serve model "${this.model}"`, {
        hint: `it serves: ${models.data.map((m) => m.id).join(", ") || "nothing"}`,
      });
    }
    this.maxModelLen ??= entry.max_model_len;
    if (this.settings.tokenizer.kind === "none" && (await this.serverTokenizes(signal))) {
      // vLLM and llama-server count tokens exactly through /tokenize: use it rather than guess.
      this.settings.tokenizer = { kind: "server" };
    }
    if (this.settings.id === "openai" && !this.settings.features.includes("kv.context-shift") && (await this.isLlamaServer(signal))) {
      // llama.cpp's server shifts context on overflow, keeping the first n_keep tokens.
      this.settings.features = [...this.settings.features, "kv.context-shift"];
      this.settings.describe = { ...this.settings.describe, server: "llama-server" };
    }
    return this.capabilities();
  }

  private async isLlamaServer(signal: AbortSignal): Promise<boolean> {
    try {
      const response = await httpRequest(`${serverRoot(this.settings.baseURLs[0]!)}/props`, { headers: this.headers(), signal });
      const text = await response.text();
      return response.status === 200 && LlamaServerPropsSchema.safeParse(JSON.parse(text)).success;
    } catch {
      return false;
    }
  }

  private async serverTokenizes(signal: AbortSignal): Promise<boolean> {
    try {
      const root = serverRoot(this.settings.baseURLs[0]!);
      const response = await httpRequest(`${root}/tokenize`, {
        method: "POST",
        headers: this.headers(),
        body: JSON.stringify({ model: this.model, prompt: "ping", content: "ping" }),
        signal,
      });
      const text = await response.text();
      if (response.status !== 200) return false;
      return TokenizeSchema.safeParse(JSON.parse(text)).success;
    } catch {
      return false;
    }
  }

  tokenizer(): Promise<Tokenizer | undefined> {
    this.tokenizerPromise ??= (async () => {
      const choice = this.settings.tokenizer;
      if (choice.kind === "local") return this.host.loadTokenizer(choice.spec);
      if (choice.kind === "none") return undefined;
      const root = serverRoot(this.settings.baseURLs[0]!);
      const headers = this.headers();
      const model = this.model;
      const what = `${this.id}: tokenizer`;
      return {
        id: `${this.id}-server:${model}`,
        async encode(text, options) {
          const body = { model, prompt: text, content: text, add_special_tokens: options?.addSpecialTokens ?? true, add_special: options?.addSpecialTokens ?? true };
          return (await fetchJson(`${root}/tokenize`, { method: "POST", headers, body: JSON.stringify(body) }, TokenizeSchema, `${what} /tokenize`)).tokens;
        },
        async decode(ids) {
          const out = await fetchJson(`${root}/detokenize`, { method: "POST", headers, body: JSON.stringify({ model, tokens: ids }) }, DetokenizeSchema, `${what} /detokenize`);
          return out.prompt ?? out.content ?? "";
        },
      } satisfies Tokenizer;
    })();
    return this.tokenizerPromise;
  }

  async generate(request: GenerateRequest): Promise<GenerateResult> {
    const { settings } = this;
    const index = this.pick();
    const base = stripSlash(settings.baseURLs[index]!);
    const body: Record<string, unknown> = {
      model: this.model,
      max_tokens: request.maxNewTokens,
      temperature: request.temperature,
      ...(request.topP !== undefined ? { top_p: request.topP } : {}),
      ...(request.seed !== undefined ? { seed: request.seed } : {}),
      // vLLM / SGLang / llama-server sampling extensions, sent only when asked for.
      ...(request.topK !== undefined ? { top_k: request.topK } : {}),
      ...(request.minNewTokens !== undefined ? { min_tokens: request.minNewTokens } : {}),
      ...(request.stop && request.stop.length > 0 ? { stop: [...request.stop] } : {}),
      ...(settings.stream ? { stream: true, stream_options: { include_usage: true } } : {}),
      ...settings.extraBody,
    };
    // StreamingLLM on llama-server is its own context shift: keep the first n_keep tokens on overflow.
    const contextShift = request.engine?.find((d) => d.accelerator === "kv-pruning" && d.method === "streamingllm");
    if (contextShift && settings.features.includes("kv.context-shift")) body.n_keep = Number(contextShift.params.sinkTokens ?? 4);
    let path: string;
    if (request.prompt.kind === "chat") {
      if (settings.mode !== "chat") throw new LoomError("PROMPT_MODE", `${this.id} is in completions mode but got chat messages`);
      const messages: ChatMessage[] = request.prompt.messages;
      body.messages = messages;
      if (messages.at(-1)?.role === "assistant" && settings.continueFinalMessage) {
        body.continue_final_message = true;
        body.add_generation_prompt = false;
      }
      path = "/chat/completions";
    } else {
      body.prompt = request.prompt.text;
      path = "/completions";
    }
    const url = `${base}${path}`;
    const what = `${this.id}: POST ${withoutUserinfo(url)}`;
    const t0 = performance.now();
    this.outstanding[index]!++;
    try {
      const response = await send(url, { method: "POST", headers: this.headers(), body: JSON.stringify(body), signal: request.signal }, what);
      if (response.status < 200 || response.status >= 300) {
        throw await errorFromResponse(response, what, (status) => this.hintFor(status));
      }
      if (!settings.stream) {
        const text = await readText(response, what, request.signal);
        const totalMs = performance.now() - t0;
        if (request.prompt.kind === "chat") {
          const parsed = parseJson(text, ChatCompletionSchema, what);
          const choice = parsed.choices[0];
          if (!choice) throw new BackendRequestError(`${what}: no choices in the response`, { retryable: true });
          return this.result(choice.message.content ?? "", parsed.usage, choice.finish_reason, { totalMs }, cachedPromptTokensOf(parsed));
        }
        const parsed = parseJson(text, CompletionSchema, what);
        const choice = parsed.choices[0];
        if (!choice) throw new BackendRequestError(`${what}: no choices in the response`, { retryable: true });
        return this.result(choice.text, parsed.usage, choice.finish_reason, { totalMs }, cachedPromptTokensOf(parsed));
      }
      await expectEventStream(response, what, request.signal);
      let text = "";
      let ttft: number | undefined;
      let usage: StreamChunk["usage"];
      let cachedPromptTokens: number | undefined;
      let reason: string | null | undefined;
      let sawDone = false;
      try {
        for await (const data of readSSE(response.body)) {
          if (data === "[DONE]") {
            sawDone = true;
            break;
          }
          const chunk = parseStreamChunk(data, what);
          for (const choice of chunk.choices) {
            const piece = choice.delta?.content ?? choice.text ?? "";
            if (piece !== "" && ttft === undefined) ttft = performance.now() - t0;
            text += piece;
            if (choice.finish_reason) reason = choice.finish_reason;
          }
          if (chunk.usage) usage = chunk.usage;
          cachedPromptTokens = cachedPromptTokensOf(chunk) ?? cachedPromptTokens;
        }
      } catch (cause) {
        if (request.signal.aborted) throw request.signal.reason ?? cause;
        if (cause instanceof BackendRequestError) throw cause;
        throw networkError(`${what} (stream)`, cause);
      }
      if (!sawDone && reason === undefined) {
        throw new BackendRequestError(`${what}: the stream ended before the answer was complete`, { retryable: true });
      }
      const totalMs = performance.now() - t0;
      return this.result(
        text,
        usage,
        reason,
        {
          totalMs,
          ...(ttft !== undefined ? { ttftMs: ttft, prefillMs: ttft, decodeMs: totalMs - ttft } : {}),
        },
        cachedPromptTokens,
      );
    } catch (error) {
      throw this.pushback(index, error);
    } finally {
      this.outstanding[index]!--;
    }
  }

  private result(
    text: string,
    usage: { prompt_tokens: number; completion_tokens: number } | null | undefined,
    reason: string | null | undefined,
    timings: GenerateResult["timings"],
    cachedPromptTokens: number | undefined,
  ): GenerateResult {
    const finish = finishReason(reason);
    const pricing = this.settings.pricing;
    const costUsd = usage && pricing ? (usage.prompt_tokens * pricing.inputPerMTok + usage.completion_tokens * pricing.outputPerMTok) / 1e6 : undefined;
    return {
      text,
      usage: usage
        ? {
            promptTokens: usage.prompt_tokens,
            completionTokens: usage.completion_tokens,
            ...(costUsd !== undefined ? { costUsd } : {}),
            ...(cachedPromptTokens !== undefined ? { cachedPromptTokens } : {}),
          }
        : {},
      timings,
      ...(finish ? { finishReason: finish } : {}),
    };
  }

  describe(): JsonObject {
    return { ...this.settings.describe, baseURLs: this.settings.baseURLs.map(withoutUserinfo), mode: this.settings.mode, maxModelLen: this.maxModelLen ?? null };
  }
}

type StreamChunk = z.infer<typeof StreamChunkSchema>;

/**
 * One SSE chunk. Checked by hand on this hot path (thousands per second); anything unusual falls
 * back to the full zod schema for a precise error.
 */
function parseStreamChunk(data: string, what: string): StreamChunk {
  let raw: unknown;
  try {
    raw = JSON.parse(data);
  } catch (cause) {
    throw new BackendRequestError(`${what}: malformed JSON in the stream (${data.slice(0, 120)})`, { retryable: true, cause });
  }
  const chunk = raw as { error?: unknown; choices?: unknown; usage?: unknown };
  if (chunk && typeof chunk === "object" && chunk.error !== undefined) {
    throw new BackendRequestError(`${what}: error in stream: ${JSON.stringify(chunk.error)}`, { retryable: true });
  }
  const choices = chunk?.choices;
  const simple =
    Array.isArray(choices) &&
    choices.every((c: { delta?: { content?: unknown }; text?: unknown }) => {
      const content = c?.delta?.content ?? c?.text ?? "";
      return typeof content === "string";
    }) &&
    (chunk.usage === undefined || chunk.usage === null || typeof (chunk.usage as { prompt_tokens?: unknown }).prompt_tokens === "number");
  return simple ? (chunk as StreamChunk) : parseJson(data, StreamChunkSchema, what);
}

/** Whether a base URL is OpenAI's own API (tiktoken then counts tokens exactly). */
export const isOpenAIHost = (url: string) => /^https:\/\/api\.openai\.com(\/|$)/.test(url);

export function tiktokenSpecFor(model: string): string {
  if (/^(gpt-3\.5|gpt-4(?!o|\.1|\.5)|text-embedding)/.test(model)) return "tiktoken:cl100k_base";
  return "tiktoken:o200k_base";
}

/** Build the backend from plugin options and the environment. */
export function createOpenAIBackend(options: BackendCreateOptions): OpenAICompatibleBackend {
  const parsed = OpenAIOptionsSchema.safeParse(options.options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new LoomError("BACKEND_OPTIONS", `openai backend options: ${issue?.path.join(".") || "(root)"}: ${issue?.message ?? ""}`);
  }
  const o = parsed.data;
  const fromEnv = options.env.OPENAI_BASE_URL;
  const baseURLs = o.baseURL ? (Array.isArray(o.baseURL) ? o.baseURL : [o.baseURL]) : [fromEnv ?? "https://api.openai.com/v1"];
  const apiKey = options.env[o.apiKeyEnv];
  if (!apiKey && baseURLs.some(isOpenAIHost)) {
    throw new LoomError("BACKEND_OPTIONS", `openai: no API key in ${o.apiKeyEnv}`, { hint: `export ${o.apiKeyEnv}=sk-…` });
  }
  const tokenizer: OpenAICompatibleSettings["tokenizer"] =
    o.tokenizer === "server"
      ? { kind: "server" }
      : o.tokenizer
        ? { kind: "local", spec: o.tokenizer }
        : baseURLs.every(isOpenAIHost)
          ? { kind: "local", spec: tiktokenSpecFor(options.model) }
          : { kind: "none" };
  return new OpenAICompatibleBackend(
    {
      id: "openai",
      model: options.model,
      baseURLs,
      apiKey,
      mode: o.mode,
      stream: o.stream,
      tokenizer,
      ...(o.maxModelLen !== undefined ? { maxModelLen: o.maxModelLen } : {}),
      // OpenAI caches prompt prefixes; so do vLLM, SGLang and llama-server behind this API.
      features: [PREFIX_CACHE_FEATURE],
      continueFinalMessage: false,
      extraBody: o.extraBody ?? {},
      ...(o.pricing ? { pricing: o.pricing } : {}),
      describe: { apiKeyEnv: o.apiKeyEnv, tokenizer: o.tokenizer ?? (tokenizer.kind === "local" ? tokenizer.spec : tokenizer.kind) },
    },
    options.host,
  );
}
