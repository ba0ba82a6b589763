import { z } from "zod";
import type { ChatMessage } from "@loomscope/spec";
import {
  coreControls,
  FakeServerCore,
  sleep,
  type CommonServerOptions,
  type ErrorOptions,
  type Exchange,
  type FakeServerHandle,
  type Flavour,
} from "./internal/base.js";
import { planAnswer, resolveScript, splitPieces, type FakeApi, type PlannedAnswer, type ScriptRequest } from "./script.js";
import { lastUserTurn, renderChatML } from "./tokenizer.js";
import { openaiEmbeddingRoutes } from "./embeddings.js";
import type { ServingSimulator } from "./simulator.js";

/** A model the OpenAI/vLLM fake serves. */
export interface FakeOpenAIModel {
  id: string;
  /** vLLM's `max_model_len` (default 32768): prompt + max_tokens beyond it is a 400. */
  maxModelLen?: number;
  ownedBy?: string;
}

export interface OpenAIServerOptions extends CommonServerOptions {
  /** Served model names (default `["test-model"]`); the first one answers requests without `model`. */
  models?: readonly (string | FakeOpenAIModel)[];
  /** Reported by GET /version (default "0.11.0"). */
  version?: string;
  /**
   * Also answer llama-server's GET /props (`default_generation_settings.n_ctx`, `total_slots`), as
   * llama.cpp's server does beside its OpenAI-compatible routes.
   */
  llamaServer?: boolean;
  /** A faulty server tokenizer, to test that clients do not trust one blindly (see `TokenizerFaults`). */
  tokenizerFaults?: TokenizerFaults;
  /**
   * Serve generations through a serving simulator: each answer waits for the simulated engine
   * (virtual time, see `ServingSimulator`) and reports the prompt tokens it found in the prefix
   * cache as `usage.prompt_tokens_details.cached_tokens`, as vLLM does.
   */
  simulator?: ServingSimulator;
}

/** How /tokenize and /detokenize misbehave. */
export interface TokenizerFaults {
  /** /tokenize returns only this fraction of the ids (e.g. 0.1: an under-counting tokenizer). */
  countScale?: number;
  /** /detokenize answers normally, with an empty prompt, or not at all (404, as servers without the route). */
  detokenize?: "ok" | "empty" | "missing";
}

export interface FakeOpenAIServer extends FakeServerHandle {
  /** `url + "/v1"`, what OpenAI clients take as `baseURL`. */
  readonly baseURL: string;
  readonly models: readonly Required<FakeOpenAIModel>[];
  /** Replace the tokenizer faults (undefined: a correct tokenizer). */
  setTokenizerFaults(faults: TokenizerFaults | undefined): void;
}

// ---------------------------------------------------------------------------------------------
// Request schemas (vLLM accepts and ignores unknown fields, so objects are loose).

const ContentPartSchema = z.looseObject({ type: z.string(), text: z.string().optional() });
const MessageSchema = z.looseObject({
  role: z.enum(["system", "developer", "user", "assistant", "tool"]),
  content: z.union([z.string(), z.array(ContentPartSchema), z.null()]).optional(),
  name: z.string().optional(),
});
const StopSchema = z.union([z.string(), z.array(z.string())]).nullish();
const StreamOptionsSchema = z
  .looseObject({ include_usage: z.boolean().nullish(), continuous_usage_stats: z.boolean().nullish() })
  .nullish();
const commonFields = {
  model: z.string().nullish(),
  max_tokens: z.number().int().min(1, "max_tokens must be at least 1").nullish(),
  temperature: z.number().min(0, "temperature must be non-negative").nullish(),
  top_p: z.number().gt(0).max(1).nullish(),
  n: z.number().int().min(1).max(128).nullish(),
  stream: z.boolean().nullish(),
  stream_options: StreamOptionsSchema,
  stop: StopSchema,
  seed: z.number().int().nullish(),
  user: z.string().nullish(),
};
const ChatRequestSchema = z.looseObject({
  ...commonFields,
  messages: z.array(MessageSchema).min(1, "messages must contain at least one message"),
  max_completion_tokens: z.number().int().min(1, "max_completion_tokens must be at least 1").nullish(),
});
const CompletionRequestSchema = z.looseObject({
  ...commonFields,
  prompt: z.union([
    z.string(),
    z.array(z.string()).min(1),
    z.array(z.number().int().nonnegative()).min(1),
    z.array(z.array(z.number().int().nonnegative()).min(1)).min(1),
  ]),
  echo: z.boolean().nullish(),
});
const TokenizeCompletionSchema = z.looseObject({
  model: z.string().nullish(),
  prompt: z.string(),
  add_special_tokens: z.boolean().nullish(),
  return_token_strs: z.boolean().nullish(),
});
const TokenizeChatSchema = z.looseObject({
  model: z.string().nullish(),
  messages: z.array(MessageSchema),
  add_generation_prompt: z.boolean().nullish(),
  add_special_tokens: z.boolean().nullish(),
  return_token_strs: z.boolean().nullish(),
});
const DetokenizeRequestSchema = z.looseObject({
  model: z.string().nullish(),
  tokens: z.array(z.number().int()),
});

type ChatRequest = z.infer<typeof ChatRequestSchema>;
type CompletionRequest = z.infer<typeof CompletionRequestSchema>;
type WireMessage = z.infer<typeof MessageSchema>;

function messageText(m: WireMessage): string {
  const c = m.content;
  if (typeof c === "string") return c;
  if (c === null || c === undefined) return "";
  let out = "";
  for (const part of c) if (part.type === "text" && typeof part.text === "string") out += part.text;
  return out;
}

function toChatMessages(messages: readonly WireMessage[]): ChatMessage[] {
  return messages.map((m) => ({
    role: m.role === "developer" ? "system" : m.role === "tool" ? "user" : m.role,
    content: messageText(m),
  })) as ChatMessage[];
}

function zodMessage(error: z.ZodError): { message: string; param: string | null } {
  const issue = error.issues[0];
  if (issue === undefined) return { message: "invalid request", param: null };
  const param = issue.path.length > 0 ? issue.path.map(String).join(".") : null;
  return {
    message: error.issues
      .slice(0, 5)
      .map((i) => `${i.path.length > 0 ? i.path.map(String).join(".") + ": " : ""}${i.message}`)
      .join("; "),
    param,
  };
}

const SSE_DONE = "data: [DONE]\n\n";
const sse = (payload: unknown): string => `data: ${JSON.stringify(payload)}\n\n`;

/**
 * Starts a protocol-faithful fake of the OpenAI-compatible API as vLLM serves it, on loopback.
 * Routes: POST /v1/chat/completions, POST /v1/completions (JSON or SSE), GET /v1/models,
 * POST /tokenize, POST /detokenize, GET /health, GET /version.
 */
export async function startOpenAIServer(options: OpenAIServerOptions = {}): Promise<FakeOpenAIServer> {
  const core = new FakeServerCore(options);
  const created = Math.floor(Date.now() / 1000);
  const models: Required<FakeOpenAIModel>[] = (options.models ?? ["test-model"]).map((m) =>
    typeof m === "string"
      ? { id: m, maxModelLen: 32768, ownedBy: "vllm" }
      : { id: m.id, maxModelLen: m.maxModelLen ?? 32768, ownedBy: m.ownedBy ?? "vllm" },
  );
  if (models.length === 0) throw new Error("startOpenAIServer: at least one model is required");
  const byId = new Map(models.map((m) => [m.id, m]));
  const version = options.version ?? "0.11.0";
  const tokenizer = core.tokenizer;
  let tokenizerFaults: TokenizerFaults = options.tokenizerFaults ?? {};
  let idCounter = 0;
  const nextId = (prefix: string): string => `${prefix}-${(++idCounter).toString(16).padStart(32, "0")}`;

  const badRequest = (ex: Exchange, message: string, param: string | null = null): void =>
    core.sendError(ex, 400, message, { type: "BadRequestError", param, code: 400 });

  /** Parses and validates a body; answers 400 itself and returns undefined when it is bad. */
  function parse<T>(ex: Exchange, schema: z.ZodType<T>): T | undefined {
    if (ex.bodyError !== undefined) {
      badRequest(ex, `JSON decode error: ${ex.bodyError}`);
      return undefined;
    }
    if (ex.body === undefined) {
      badRequest(ex, "Request body is required");
      return undefined;
    }
    const parsed = schema.safeParse(ex.body);
    if (!parsed.success) {
      const { message, param } = zodMessage(parsed.error);
      badRequest(ex, message, param);
      return undefined;
    }
    return parsed.data;
  }

  function resolveModel(ex: Exchange, name: string | null | undefined): Required<FakeOpenAIModel> | undefined {
    if (name === undefined || name === null) return models[0];
    const model = byId.get(name);
    if (model === undefined) {
      core.sendError(ex, 404, `The model \`${name}\` does not exist.`, { type: "NotFoundError", param: "model", code: 404 });
    }
    return model;
  }

  /** vLLM's context-length checks. Returns the effective max_tokens or undefined after a 400. */
  function checkContext(
    ex: Exchange,
    model: Required<FakeOpenAIModel>,
    promptTokens: number,
    maxTokens: number | null | undefined,
    param: string,
  ): number | undefined {
    const limit = model.maxModelLen;
    if (promptTokens >= limit) {
      badRequest(
        ex,
        `This model's maximum context length is ${limit} tokens. However, your request has ${promptTokens} input tokens. Please reduce the length of the input messages.`,
        param,
      );
      return undefined;
    }
    if (maxTokens !== undefined && maxTokens !== null) {
      if (promptTokens + maxTokens > limit) {
        badRequest(
          ex,
          `'max_tokens' or 'max_completion_tokens' is too large: ${maxTokens}. This model's maximum context length is ${limit} tokens and your request has ${promptTokens} input tokens (${maxTokens} > ${limit} - ${promptTokens}).`,
          "max_tokens",
        );
        return undefined;
      }
      return maxTokens;
    }
    return limit - promptTokens;
  }

  function scriptRequest(
    ex: Exchange,
    api: FakeApi,
    model: string,
    prompt: string,
    promptTokens: number,
    body: ChatRequest | CompletionRequest,
    maxTokens: number,
    stop: readonly string[],
    messages?: ChatMessage[],
  ): ScriptRequest {
    let lastUser = "";
    if (messages !== undefined) {
      for (let i = messages.length - 1; i >= 0; i--) {
        const m = messages[i];
        if (m !== undefined && m.role === "user") {
          lastUser = m.content;
          break;
        }
      }
    } else {
      lastUser = lastUserTurn(prompt);
    }
    return {
      api,
      model,
      ...(messages !== undefined ? { messages } : {}),
      prompt,
      lastUserMessage: lastUser,
      promptTokens,
      maxTokens,
      temperature: body.temperature ?? undefined,
      stop,
      body: ex.body as Record<string, unknown>,
      headers: ex.req.headers,
      index: core.generationIndex++,
    };
  }

  const usageOf = (prompt: number, completion: number, cached?: number): Record<string, unknown> => ({
    prompt_tokens: prompt,
    total_tokens: prompt + completion,
    completion_tokens: completion,
    prompt_tokens_details: cached !== undefined ? { cached_tokens: cached } : null,
  });

  /** The simulated engine's work for these prompts: resolves when it finished them; the cached prompt tokens. */
  async function simulate(prompts: readonly { text: string; completionTokens: number }[]): Promise<number | undefined> {
    const sim = options.simulator;
    if (sim === undefined) return undefined;
    const results = await Promise.all(
      prompts.map((p) => {
        const ids = tokenizer.encodeSync(p.text, { addSpecialTokens: false });
        return sim.submit({ blocks: sim.blockHashes(ids), promptTokens: ids.length, outputTokens: Math.max(1, p.completionTokens) });
      }),
    );
    return results.reduce((n, r) => n + r.cachedTokens, 0);
  }

  function stopList(stop: string | string[] | null | undefined): string[] {
    if (stop === undefined || stop === null) return [];
    return typeof stop === "string" ? [stop] : stop;
  }

  async function chat(ex: Exchange): Promise<void> {
    const body = parse(ex, ChatRequestSchema);
    if (body === undefined) return;
    const model = resolveModel(ex, body.model);
    if (model === undefined) return;
    const messages = toChatMessages(body.messages);
    const prompt = renderChatML(messages);
    const promptTokens = tokenizer.count(prompt);
    const maxTokens = checkContext(ex, model, promptTokens, body.max_completion_tokens ?? body.max_tokens, "messages");
    if (maxTokens === undefined) return;
    const stop = stopList(body.stop);
    const request = scriptRequest(ex, "openai.chat", model.id, prompt, promptTokens, body, maxTokens, stop, messages);
    const planned = planAnswer(await resolveScript(core.script, request), tokenizer, { maxTokens: core.cutAtMaxTokens ? maxTokens : undefined, stop });
    const n = body.n ?? 1;
    const cached = await simulate([{ text: prompt, completionTokens: planned.completionTokens * n }]);
    if (body.stream === true) {
      await streamAnswer(ex, "chat", model.id, [{ planned, promptTokens }], n, body.stream_options?.include_usage === true, cached);
      return;
    }
    if (!(await waitLatency(ex, planned.completionTokens))) return;
    const choices = [];
    for (let i = 0; i < n; i++) {
      choices.push({
        index: i,
        message: { role: "assistant", content: planned.text, refusal: null, annotations: null, audio: null, function_call: null, tool_calls: [], reasoning_content: null },
        logprobs: null,
        finish_reason: planned.finishReason,
        stop_reason: planned.stopString ?? null,
      });
    }
    countCompletion(promptTokens, planned.completionTokens * n, false);
    core.sendBody(ex, {
      id: nextId("chatcmpl"),
      object: "chat.completion",
      created: Math.floor(Date.now() / 1000),
      model: model.id,
      choices,
      service_tier: null,
      system_fingerprint: null,
      usage: usageOf(promptTokens, planned.completionTokens * n, cached),
      prompt_logprobs: null,
      kv_transfer_params: null,
    });
  }

  async function completions(ex: Exchange): Promise<void> {
    const body = parse(ex, CompletionRequestSchema);
    if (body === undefined) return;
    const model = resolveModel(ex, body.model);
    if (model === undefined) return;
    let prompts: string[];
    const p = body.prompt;
    if (typeof p === "string") prompts = [p];
    else if (p.length > 0 && typeof p[0] === "string") prompts = p as string[];
    else if (p.length > 0 && typeof p[0] === "number") prompts = [decodeOr400(ex, p as number[]) ?? ""];
    else prompts = (p as number[][]).map((ids) => decodeOr400(ex, ids) ?? "");
    if (ex.res.headersSent) return;
    const stop = stopList(body.stop);
    const answers: { planned: PlannedAnswer; promptTokens: number }[] = [];
    for (const prompt of prompts) {
      const promptTokens = tokenizer.count(prompt);
      const maxTokens = checkContext(ex, model, promptTokens, body.max_tokens ?? 16, "prompt");
      if (maxTokens === undefined) return;
      const request = scriptRequest(ex, "openai.completions", model.id, prompt, promptTokens, body, maxTokens, stop);
      answers.push({ planned: planAnswer(await resolveScript(core.script, request), tokenizer, { maxTokens: core.cutAtMaxTokens ? maxTokens : undefined, stop }), promptTokens });
    }
    const n = body.n ?? 1;
    const cached = await simulate(answers.map((a, k) => ({ text: prompts[k] ?? "", completionTokens: a.planned.completionTokens * n })));
    if (body.stream === true) {
      await streamAnswer(ex, "completion", model.id, answers, n, body.stream_options?.include_usage === true, cached);
      return;
    }
    const completionTotal = answers.reduce((s, a) => s + a.planned.completionTokens * n, 0);
    const promptTotal = answers.reduce((s, a) => s + a.promptTokens, 0);
    if (!(await waitLatency(ex, completionTotal))) return;
    const choices = [];
    let index = 0;
    for (const [k, a] of answers.entries()) {
      for (let i = 0; i < n; i++) {
        choices.push({
          index: index++,
          text: body.echo === true ? (prompts[k] ?? "") + a.planned.text : a.planned.text,
          logprobs: null,
          finish_reason: a.planned.finishReason,
          stop_reason: a.planned.stopString ?? null,
          prompt_logprobs: null,
        });
      }
    }
    countCompletion(promptTotal, completionTotal, false);
    core.sendBody(ex, {
      id: nextId("cmpl"),
      object: "text_completion",
      created: Math.floor(Date.now() / 1000),
      model: model.id,
      choices,
      service_tier: null,
      system_fingerprint: null,
      usage: usageOf(promptTotal, completionTotal, cached),
      kv_transfer_params: null,
    });
  }

  function decodeOr400(ex: Exchange, ids: readonly number[]): string | undefined {
    try {
      return tokenizer.decodeSync(ids);
    } catch (error) {
      if (!ex.res.headersSent) badRequest(ex, (error as Error).message, "prompt");
      return undefined;
    }
  }

  function countCompletion(promptTokens: number, completionTokens: number, streamed: boolean): void {
    const s = core.stats;
    s.completions++;
    if (streamed) s.streamed++;
    s.promptTokens += promptTokens;
    s.completionTokens += completionTokens;
  }

  /** Non-streaming: wait ttft + per-token time (+ a slow fault). False when the client left. */
  function waitLatency(ex: Exchange, completionTokens: number): Promise<boolean> | boolean {
    const l = core.latency;
    const ms = (l.ttftMs ?? 0) + (l.perTokenMs ?? 0) * completionTokens + core.faultDelay(ex);
    if (ms <= 0) return true;
    return sleep(ms, ex.signal);
  }

  async function streamAnswer(
    ex: Exchange,
    kind: "chat" | "completion",
    model: string,
    answers: readonly { planned: PlannedAnswer; promptTokens: number }[],
    n: number,
    includeUsage: boolean,
    cached?: number,
  ): Promise<void> {
    const ttft = (core.latency.ttftMs ?? 0) + core.faultDelay(ex);
    if (ttft > 0 && !(await sleep(ttft, ex.signal))) return;
    const perToken = core.latency.perTokenMs ?? 0;
    const id = nextId(kind === "chat" ? "chatcmpl" : "cmpl");
    const created = Math.floor(Date.now() / 1000);
    const object = kind === "chat" ? "chat.completion.chunk" : "text_completion";
    const writer = core.startStream(ex, "text/event-stream; charset=utf-8");
    const chunk = (index: number, text: string, finish: PlannedAnswer | null, role: boolean): string => {
      const finishReason = finish === null ? null : finish.finishReason;
      const choice =
        kind === "chat"
          ? {
              index,
              delta: role ? { role: "assistant", content: text } : { content: text },
              logprobs: null,
              finish_reason: finishReason,
              ...(finish !== null ? { stop_reason: finish.stopString ?? null } : {}),
            }
          : { index, text, logprobs: null, finish_reason: finishReason, stop_reason: finish === null ? null : (finish.stopString ?? null) };
      return sse({ id, object, created, model, choices: [choice] });
    };
    let completionTotal = 0;
    let promptTotal = 0;
    let index = 0;
    for (const a of answers) {
      promptTotal += a.promptTokens;
      const pieces = splitPieces(a.planned.text, tokenizer);
      for (let i = 0; i < n; i++, index++) {
        if (kind === "chat" && !writer.write(chunk(index, "", null, true))) return;
        // vLLM sends the last piece together with the finish reason.
        for (let k = 0; k < pieces.length; k++) {
          const piece = pieces[k] as { text: string; tokens: number };
          if (perToken > 0 && !(await sleep(perToken * piece.tokens, ex.signal))) return;
          const last = k === pieces.length - 1;
          if (!writer.write(chunk(index, piece.text, last ? a.planned : null, false))) return;
        }
        if (pieces.length === 0 && !writer.write(chunk(index, "", a.planned, false))) return;
        completionTotal += a.planned.completionTokens;
      }
    }
    if (includeUsage) {
      if (!writer.write(sse({ id, object, created, model, choices: [], usage: usageOf(promptTotal, completionTotal, cached) }))) return;
    }
    countCompletion(promptTotal, completionTotal, true);
    writer.end(SSE_DONE);
  }

  function listModels(ex: Exchange): void {
    core.sendJson(ex, 200, {
      object: "list",
      data: models.map((m) => ({
        id: m.id,
        object: "model",
        created,
        owned_by: m.ownedBy,
        root: m.id,
        parent: null,
        max_model_len: m.maxModelLen,
        permission: [
          {
            id: `modelperm-${m.id.replace(/[^a-zA-Z0-9]/g, "")}`,
            object: "model_permission",
            created,
            allow_create_engine: false,
            allow_sampling: true,
            allow_logprobs: true,
            allow_search_indices: false,
            allow_view: true,
            allow_fine_tuning: false,
            organization: "*",
            group: null,
            is_blocking: false,
          },
        ],
      })),
    });
  }

  function tokenize(ex: Exchange): void {
    const isChat = typeof ex.body === "object" && ex.body !== null && "messages" in ex.body;
    let ids: number[];
    let body: { model?: string | null | undefined; return_token_strs?: boolean | null | undefined };
    if (isChat) {
      const chatBody = parse(ex, TokenizeChatSchema);
      if (chatBody === undefined) return;
      const text = renderChatML(toChatMessages(chatBody.messages), { addGenerationPrompt: chatBody.add_generation_prompt ?? true });
      ids = tokenizer.encodeSync(text, { addSpecialTokens: chatBody.add_special_tokens ?? false });
      body = chatBody;
    } else {
      const promptBody = parse(ex, TokenizeCompletionSchema);
      if (promptBody === undefined) return;
      ids = tokenizer.encodeSync(promptBody.prompt, { addSpecialTokens: promptBody.add_special_tokens ?? true });
      body = promptBody;
    }
    const model = resolveModel(ex, body.model);
    if (model === undefined) return;
    if (tokenizerFaults.countScale !== undefined) ids = ids.slice(0, Math.max(1, Math.floor(ids.length * tokenizerFaults.countScale)));
    core.sendJson(ex, 200, {
      count: ids.length,
      max_model_len: model.maxModelLen,
      tokens: ids,
      token_strs: body.return_token_strs === true ? ids.map((t) => tokenizer.tokenString(t)) : null,
    });
  }

  function detokenize(ex: Exchange): void {
    if (tokenizerFaults.detokenize === "missing") {
      core.sendJson(ex, 404, { detail: "Not Found" });
      return;
    }
    const body = parse(ex, DetokenizeRequestSchema);
    if (body === undefined) return;
    const model = resolveModel(ex, body.model);
    if (model === undefined) return;
    let prompt: string;
    try {
      prompt = tokenizer.decodeSync(body.tokens);
    } catch (error) {
      badRequest(ex, (error as Error).message, "tokens");
      return;
    }
    core.sendJson(ex, 200, { prompt: tokenizerFaults.detokenize === "empty" ? "" : prompt });
  }

  const routes: Flavour["routes"] = {
    "POST /v1/chat/completions": chat,
    "POST /v1/completions": completions,
    "GET /v1/models": listModels,
    "POST /tokenize": tokenize,
    "POST /detokenize": detokenize,
    "GET /health": (ex) => core.sendText(ex, 200, "", undefined, "application/json"),
    "GET /version": (ex) => core.sendJson(ex, 200, { version }),
    ...openaiEmbeddingRoutes(core),
    ...(options.llamaServer
      ? {
          "GET /props": (ex: Exchange) =>
            core.sendJson(ex, 200, {
              default_generation_settings: { n_ctx: models[0]?.maxModelLen ?? 32768, n_keep: 0 },
              total_slots: 1,
              chat_template: "",
            }),
        }
      : {}),
  };
  const knownPaths = new Set(Object.keys(routes).map((r) => r.slice(r.indexOf(" ") + 1)));

  core.setFlavour({
    routes,
    generationRoutes: new Set(["POST /v1/chat/completions", "POST /v1/completions"]),
    requiresAuth: (path) => path.startsWith("/v1"),
    errorBody: (status: number, message: string, o: ErrorOptions) => ({
      error: { message, type: o.type ?? "BadRequestError", param: o.param ?? null, code: o.code ?? status },
    }),
    notFound: (ex) => {
      if (knownPaths.has(ex.path)) core.sendJson(ex, 405, { detail: "Method Not Allowed" });
      else core.sendJson(ex, 404, { detail: "Not Found" });
    },
    streamError: (status, message) =>
      sse({ error: { message, type: status === 503 ? "ServiceUnavailableError" : "InternalServerError", param: null, code: status } }) + SSE_DONE,
    malformedChunk: () => 'data: {"id":"chatcmpl-malformed","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"\n\n',
    isStreaming: (body) => typeof body === "object" && body !== null && (body as { stream?: unknown }).stream === true,
  });

  const port = await core.listen(options.host ?? "127.0.0.1", options.port ?? 0);
  const url = `http://${options.host ?? "127.0.0.1"}:${port}`;
  return {
    url,
    baseURL: `${url}/v1`,
    port,
    models,
    tokenizer,
    setTokenizerFaults: (faults) => {
      tokenizerFaults = faults ?? {};
    },
    get stats() {
      return core.stats;
    },
    get requests() {
      return core.requests;
    },
    ...coreControls(core),
  };
}
