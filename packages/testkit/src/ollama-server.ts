import { createHash } from "node:crypto";
import { z } from "zod";
import type { ChatMessage } from "@loomscope/spec";
import {
  coreControls,
  FakeServerCore,
  sleep,
  type CommonServerOptions,
  type Exchange,
  type FakeServerHandle,
  type StreamWriter,
} from "./internal/base.js";
import { planAnswer, resolveScript, splitPieces, type PlannedAnswer, type ScriptRequest } from "./script.js";
import { lastUserTurn, renderChatML } from "./tokenizer.js";
import { ollamaEmbeddingRoutes } from "./embeddings.js";

/** A model the Ollama fake has "pulled". */
export interface FakeOllamaModel {
  /** `name[:tag]`; `:latest` is added when no tag is given. */
  name: string;
  /** The model's trained context (`<family>.context_length` in /api/show), default 131072. num_ctx is capped to it. */
  contextLength?: number;
  /** A Modelfile `PARAMETER num_ctx`, used when a request sets none. */
  numCtx?: number;
  /** A Modelfile `PARAMETER num_keep`. */
  numKeep?: number;
  family?: string;
  parameterSize?: string;
  quantizationLevel?: string;
  /** Bytes on disk, reported by /api/tags. */
  size?: number;
  capabilities?: readonly string[];
}

export interface OllamaServerOptions extends CommonServerOptions {
  /** Pulled models (default `["test-model"]`, i.e. `test-model:latest`). */
  models?: readonly (string | FakeOllamaModel)[];
  /** num_ctx when neither the request nor the model sets one (Ollama's historical default: 2048). */
  defaultNumCtx?: number;
  /** num_keep when neither the request nor the model sets one (Ollama: 4). */
  defaultNumKeep?: number;
  /** Reported by GET /api/version (default "0.12.6"). */
  version?: string;
  /**
   * Whether the request's `truncate` field is obeyed (default true). False behaves like Ollama
   * releases before the field existed: over-long prompts are always cut silently.
   */
  honorTruncateField?: boolean;
}

interface ResolvedModel {
  name: string;
  contextLength: number;
  numCtx: number | undefined;
  numKeep: number | undefined;
  family: string;
  parameterSize: string;
  quantizationLevel: string;
  size: number;
  digest: string;
  modifiedAt: string;
  capabilities: readonly string[];
}

export interface FakeOllamaServer extends FakeServerHandle {
  readonly models: readonly FakeOllamaModelInfo[];
  /** The last silent cut the fake made (undefined when none yet). */
  readonly lastTruncation: OllamaTruncation | undefined;
}
export interface FakeOllamaModelInfo {
  name: string;
  contextLength: number;
  numCtx: number | undefined;
}

/** What the fake did with one prompt against the context window: what a backend must detect. */
export interface OllamaTruncation {
  /** Tokens of the prompt as rendered. */
  promptTokens: number;
  /** Tokens evaluated (`prompt_eval_count`). */
  evaluated: number;
  numCtx: number;
  numKeep: number;
}

/**
 * Ollama's runner rule for a prompt longer than num_ctx: keep the first `min(num_keep, num_ctx-1)`
 * tokens (all when num_keep < 0) and the last `num_ctx - keep`, so exactly num_ctx tokens remain.
 */
export function ollamaTruncate<T>(tokens: readonly T[], numCtx: number, numKeep: number): T[] {
  let keep = numKeep < 0 ? tokens.length : numKeep;
  keep = Math.min(keep, numCtx - 1);
  if (tokens.length <= numCtx) return tokens.slice();
  const discard = tokens.length - numCtx;
  return [...tokens.slice(0, keep), ...tokens.slice(keep + discard)];
}

const OptionsSchema = z
  .looseObject({
    num_ctx: z.number().int().optional(),
    num_keep: z.number().int().optional(),
    num_predict: z.number().int().optional(),
    temperature: z.number().optional(),
    seed: z.number().int().optional(),
    stop: z.array(z.string()).optional(),
  })
  .nullish();
const MessageSchema = z.looseObject({
  role: z.string(),
  content: z.string().default(""),
  images: z.array(z.string()).nullish(),
});
const ChatSchema = z.looseObject({
  model: z.string().optional(),
  messages: z.array(MessageSchema).nullish(),
  stream: z.boolean().nullish(),
  options: OptionsSchema,
  truncate: z.boolean().nullish(),
  keep_alive: z.union([z.string(), z.number()]).nullish(),
});
const GenerateSchema = z.looseObject({
  model: z.string().optional(),
  prompt: z.string().nullish(),
  system: z.string().nullish(),
  raw: z.boolean().nullish(),
  context: z.array(z.number().int()).nullish(),
  stream: z.boolean().nullish(),
  options: OptionsSchema,
  truncate: z.boolean().nullish(),
  keep_alive: z.union([z.string(), z.number()]).nullish(),
});
const ShowSchema = z.looseObject({ model: z.string().optional(), name: z.string().optional() });

type Options = z.infer<typeof OptionsSchema>;

/** Go's json error wording, roughly, for a zod issue. */
function goJsonError(error: z.ZodError, struct: string): string {
  const issue = error.issues[0];
  if (issue === undefined) return "invalid request";
  const field = issue.path.map(String).join(".");
  return `json: cannot unmarshal ${issue.code === "invalid_type" ? "value" : "input"} into Go struct field ${struct}.${field}: ${issue.message}`;
}

export function normalizeOllamaName(name: string): string {
  const slash = name.lastIndexOf("/");
  return name.indexOf(":", slash + 1) === -1 ? `${name}:latest` : name;
}

function nowNs(start: bigint): number {
  return Number(process.hrtime.bigint() - start);
}

/**
 * Starts a fake of Ollama's API on loopback: POST /api/chat, /api/generate (NDJSON or
 * `stream:false`), GET /api/tags, POST /api/show, GET /api/version, GET /api/ps, GET /.
 * Prompts longer than num_ctx are cut silently, exactly as Ollama's runner does.
 */
export async function startOllamaServer(options: OllamaServerOptions = {}): Promise<FakeOllamaServer> {
  const core = new FakeServerCore(options);
  const defaultNumCtx = options.defaultNumCtx ?? 2048;
  const defaultNumKeep = options.defaultNumKeep ?? 4;
  const version = options.version ?? "0.12.6";
  const honorTruncate = options.honorTruncateField ?? true;
  const tokenizer = core.tokenizer;
  const modified = new Date().toISOString();
  const models: ResolvedModel[] = (options.models ?? ["test-model"]).map((m) => {
    const spec = typeof m === "string" ? { name: m } : m;
    const name = normalizeOllamaName(spec.name);
    return {
      name,
      contextLength: spec.contextLength ?? 131072,
      numCtx: spec.numCtx,
      numKeep: spec.numKeep,
      family: spec.family ?? "llama",
      parameterSize: spec.parameterSize ?? "1.2B",
      quantizationLevel: spec.quantizationLevel ?? "Q8_0",
      size: spec.size ?? 1_321_098_329,
      digest: createHash("sha256").update(name).digest("hex"),
      modifiedAt: modified,
      capabilities: spec.capabilities ?? ["completion"],
    };
  });
  const byName = new Map(models.map((m) => [m.name, m]));
  let lastTruncation: OllamaTruncation | undefined;

  const fail = (ex: Exchange, status: number, message: string): void => core.sendError(ex, status, message, {});

  function body<T>(ex: Exchange, schema: z.ZodType<T>, struct: string): T | undefined {
    if (ex.body === undefined) {
      fail(ex, 400, "missing request body");
      return undefined;
    }
    if (ex.bodyError !== undefined) {
      fail(ex, 400, `invalid character in request body: ${ex.bodyError}`);
      return undefined;
    }
    const parsed = schema.safeParse(ex.body);
    if (!parsed.success) {
      fail(ex, 400, goJsonError(parsed.error, struct));
      return undefined;
    }
    return parsed.data;
  }

  function findModel(ex: Exchange, name: string | undefined): ResolvedModel | undefined {
    if (name === undefined || name === "") {
      fail(ex, 400, "model is required");
      return undefined;
    }
    const model = byName.get(normalizeOllamaName(name));
    if (model === undefined) fail(ex, 404, `model "${name}" not found, try pulling it first`);
    return model;
  }

  function effectiveCtx(model: ResolvedModel, opts: Options): { numCtx: number; numKeep: number } {
    let numCtx = opts?.num_ctx ?? model.numCtx ?? defaultNumCtx;
    if (numCtx > model.contextLength) numCtx = model.contextLength; // "requested context size too large for model"
    if (numCtx < 4) numCtx = 4;
    return { numCtx, numKeep: opts?.num_keep ?? model.numKeep ?? defaultNumKeep };
  }

  /** Tokenizes and cuts the prompt the way the runner does; undefined after a 400 (truncate:false). */
  function fit(
    ex: Exchange,
    prompt: string,
    numCtx: number,
    numKeep: number,
    truncate: boolean,
  ): { seen: string; evaluated: number; tokens: number[] | undefined } | undefined {
    const count = tokenizer.count(prompt);
    if (count <= numCtx) return { seen: prompt, evaluated: count, tokens: undefined };
    if (!truncate) {
      fail(ex, 400, "the input length exceeds the context length");
      return undefined;
    }
    const kept = ollamaTruncate(tokenizer.encodeSync(prompt), numCtx, numKeep);
    core.stats.truncations++;
    lastTruncation = { promptTokens: count, evaluated: kept.length, numCtx, numKeep };
    return {
      seen: tokenizer.decodeSync(kept),
      evaluated: kept.length,
      tokens: kept,
    };
  }

  function maxTokensFor(opts: Options, numCtx: number, promptTokens: number): number | undefined {
    const n = opts?.num_predict;
    if (n === undefined || n === -1) return undefined;
    if (n === -2) return Math.max(0, numCtx - promptTokens);
    return n < 0 ? undefined : n;
  }

  function loadResponse(ex: Exchange, model: string, chat: boolean): void {
    core.sendJson(
      ex,
      200,
      chat
        ? { model, created_at: new Date().toISOString(), message: { role: "assistant", content: "" }, done_reason: "load", done: true }
        : { model, created_at: new Date().toISOString(), response: "", done: true, done_reason: "load" },
      undefined,
      "application/json; charset=utf-8",
    );
  }

  async function generateCommon(
    ex: Exchange,
    kind: "chat" | "generate",
    model: ResolvedModel,
    requestModel: string,
    prompt: string,
    opts: Options,
    truncate: boolean,
    stream: boolean,
    messages: ChatMessage[] | undefined,
    raw: boolean,
  ): Promise<void> {
    const { numCtx, numKeep } = effectiveCtx(model, opts);
    const fitted = fit(ex, prompt, numCtx, numKeep, truncate);
    if (fitted === undefined) return;
    const loadStart = process.hrtime.bigint();
    const loadNs = Math.max(1, nowNs(loadStart));
    const stop = opts?.stop ?? [];
    const maxTokens = maxTokensFor(opts, numCtx, fitted.evaluated);
    const request: ScriptRequest = {
      api: kind === "chat" ? "ollama.chat" : "ollama.generate",
      model: requestModel,
      ...(messages !== undefined ? { messages } : {}),
      prompt: fitted.seen,
      lastUserMessage: lastUserTurn(fitted.seen),
      promptTokens: fitted.evaluated,
      maxTokens,
      temperature: opts?.temperature,
      stop,
      body: ex.body as Record<string, unknown>,
      headers: ex.req.headers,
      index: core.generationIndex++,
    };
    const planned = planAnswer(await resolveScript(core.script, request), tokenizer, { maxTokens: core.cutAtMaxTokens ? maxTokens : undefined, stop });
    const prefillStart = process.hrtime.bigint();
    const ttft = (core.latency.ttftMs ?? 0) + core.faultDelay(ex);
    const perToken = core.latency.perTokenMs ?? 0;
    const base = (): Record<string, unknown> => ({ model: requestModel, created_at: new Date().toISOString() });
    const finalFields = (prefillNs: number, evalNs: number, total: number): Record<string, unknown> => ({
      done_reason: planned.finishReason,
      done: true,
      ...(kind === "generate" && !raw
        ? { context: [...(fitted.tokens ?? tokenizer.encodeSync(fitted.seen)), ...tokenizer.encodeSync(planned.text, { addSpecialTokens: false })] }
        : {}),
      total_duration: total,
      load_duration: loadNs,
      prompt_eval_count: fitted.evaluated,
      prompt_eval_duration: Math.max(1, prefillNs),
      eval_count: planned.completionTokens,
      eval_duration: Math.max(1, evalNs),
    });
    const content = (text: string): Record<string, unknown> =>
      kind === "chat" ? { message: { role: "assistant", content: text } } : { response: text };

    if (!stream) {
      if (ttft > 0 && !(await sleep(ttft, ex.signal))) return;
      const prefillNs = nowNs(prefillStart);
      const evalStart = process.hrtime.bigint();
      const decodeMs = perToken * planned.completionTokens;
      if (decodeMs > 0 && !(await sleep(decodeMs, ex.signal))) return;
      count(fitted.evaluated, planned.completionTokens, false);
      core.sendBody(ex, { ...base(), ...content(planned.text), ...finalFields(prefillNs, nowNs(evalStart), Math.max(1, nowNs(ex.startedAt))) }, "application/json; charset=utf-8");
      return;
    }
    if (ttft > 0 && !(await sleep(ttft, ex.signal))) return;
    const prefillNs = nowNs(prefillStart);
    const evalStart = process.hrtime.bigint();
    const writer: StreamWriter = core.startStream(ex, "application/x-ndjson");
    for (const piece of splitPieces(planned.text, tokenizer)) {
      if (perToken > 0 && !(await sleep(perToken * piece.tokens, ex.signal))) return;
      if (!writer.write(JSON.stringify({ ...base(), ...content(piece.text), done: false }) + "\n")) return;
    }
    count(fitted.evaluated, planned.completionTokens, true);
    writer.end(JSON.stringify({ ...base(), ...content(""), ...finalFields(prefillNs, nowNs(evalStart), Math.max(1, nowNs(ex.startedAt))) }) + "\n");
  }

  function count(prompt: number, completion: number, streamed: boolean): void {
    const s = core.stats;
    s.completions++;
    if (streamed) s.streamed++;
    s.promptTokens += prompt;
    s.completionTokens += completion;
  }

  /** server/prompt.go chatPrompt: drop the oldest messages (keeping system ones and the last) until it fits. */
  function chatPrompt(messages: ChatMessage[], numCtx: number, truncate: boolean): string {
    if (!truncate || messages.length <= 1) return renderChatML(messages);
    const last = messages.length - 1;
    for (let i = 0; i <= last; i++) {
      const system = messages.slice(0, i).filter((m) => m.role === "system");
      const candidate = renderChatML([...system, ...messages.slice(i)]);
      if (tokenizer.count(candidate) <= numCtx || i === last) return candidate;
    }
    return renderChatML(messages);
  }

  async function chat(ex: Exchange): Promise<void> {
    const req = body(ex, ChatSchema, "ChatRequest");
    if (req === undefined) return;
    const model = findModel(ex, req.model);
    if (model === undefined) return;
    const requestModel = req.model as string;
    const messages = (req.messages ?? []).map((m) => ({ role: m.role, content: m.content })) as ChatMessage[];
    if (messages.length === 0) {
      loadResponse(ex, requestModel, true);
      return;
    }
    const truncate = honorTruncate ? (req.truncate ?? true) : true;
    const { numCtx } = effectiveCtx(model, req.options);
    const prompt = chatPrompt(messages, numCtx, truncate);
    await generateCommon(ex, "chat", model, requestModel, prompt, req.options, truncate, req.stream ?? true, messages, false);
  }

  async function generate(ex: Exchange): Promise<void> {
    const req = body(ex, GenerateSchema, "GenerateRequest");
    if (req === undefined) return;
    const model = findModel(ex, req.model);
    if (model === undefined) return;
    const requestModel = req.model as string;
    const text = req.prompt ?? "";
    if (text === "") {
      loadResponse(ex, requestModel, false);
      return;
    }
    const raw = req.raw ?? false;
    let prompt: string;
    if (raw) {
      prompt = text;
    } else {
      const msgs: ChatMessage[] = [];
      if (req.system) msgs.push({ role: "system", content: req.system });
      msgs.push({ role: "user", content: text });
      prompt = renderChatML(msgs);
      if (req.context && req.context.length > 0) {
        try {
          prompt = tokenizer.decodeSync(req.context) + prompt;
        } catch (error) {
          fail(ex, 400, (error as Error).message);
          return;
        }
      }
    }
    await generateCommon(ex, "generate", model, requestModel, prompt, req.options, honorTruncate ? (req.truncate ?? true) : true, req.stream ?? true, undefined, raw);
  }

  const details = (m: ResolvedModel): Record<string, unknown> => ({
    parent_model: "",
    format: "gguf",
    family: m.family,
    families: [m.family],
    parameter_size: m.parameterSize,
    quantization_level: m.quantizationLevel,
  });

  function tags(ex: Exchange): void {
    core.sendJson(
      ex,
      200,
      { models: models.map((m) => ({ name: m.name, model: m.name, modified_at: m.modifiedAt, size: m.size, digest: m.digest, details: details(m) })) },
      undefined,
      "application/json; charset=utf-8",
    );
  }

  function show(ex: Exchange): void {
    const req = body(ex, ShowSchema, "ShowRequest");
    if (req === undefined) return;
    const name = req.model ?? req.name;
    if (name === undefined || name === "") {
      fail(ex, 400, "model is required");
      return;
    }
    const m = byName.get(normalizeOllamaName(name));
    if (m === undefined) {
      fail(ex, 404, `model '${name}' not found`);
      return;
    }
    const parameters: string[] = [];
    if (m.numCtx !== undefined) parameters.push(`num_ctx                        ${m.numCtx}`);
    if (m.numKeep !== undefined) parameters.push(`num_keep                       ${m.numKeep}`);
    parameters.push('stop                           "<|im_start|>"', 'stop                           "<|im_end|>"');
    const template =
      "{{- range .Messages }}<|im_start|>{{ .Role }}\n{{ .Content }}<|im_end|>\n{{ end }}<|im_start|>assistant\n";
    core.sendJson(
      ex,
      200,
      {
        license: "",
        modelfile: `# Modelfile generated by "ollama show"\nFROM ${m.name}\nTEMPLATE """${template}"""\n${parameters.map((p) => `PARAMETER ${p}`).join("\n")}\n`,
        parameters: parameters.join("\n"),
        template,
        details: details(m),
        model_info: {
          "general.architecture": m.family,
          "general.file_type": 7,
          "general.parameter_count": 1_235_814_432,
          "general.quantization_version": 2,
          [`${m.family}.context_length`]: m.contextLength,
          [`${m.family}.embedding_length`]: 2048,
          [`${m.family}.block_count`]: 16,
          [`${m.family}.attention.head_count`]: 32,
          "tokenizer.ggml.model": "testkit-bytes-v1",
        },
        capabilities: m.capabilities,
        modified_at: m.modifiedAt,
      },
      undefined,
      "application/json; charset=utf-8",
    );
  }

  function ps(ex: Exchange): void {
    const expires = new Date(Date.now() + 5 * 60_000).toISOString();
    core.sendJson(
      ex,
      200,
      { models: models.map((m) => ({ name: m.name, model: m.name, size: m.size, digest: m.digest, details: details(m), expires_at: expires, size_vram: 0, context_length: m.numCtx ?? defaultNumCtx })) },
      undefined,
      "application/json; charset=utf-8",
    );
  }

  const running = (ex: Exchange): void => core.sendText(ex, 200, "Ollama is running");
  core.setFlavour({
    routes: {
      "POST /api/chat": chat,
      "POST /api/generate": generate,
      "GET /api/tags": tags,
      "POST /api/show": show,
      "GET /api/version": (ex) => core.sendJson(ex, 200, { version }, undefined, "application/json; charset=utf-8"),
      "GET /api/ps": ps,
      "GET /": running,
      "HEAD /": running,
      ...ollamaEmbeddingRoutes(core),
    },
    generationRoutes: new Set(["POST /api/chat", "POST /api/generate"]),
    requiresAuth: (path) => path !== "/",
    errorBody: (_status, message) => ({ error: message }),
    notFound: (ex) => core.sendText(ex, 404, "404 page not found"),
    streamError: (_status, message) => JSON.stringify({ error: message }) + "\n",
    malformedChunk: () => '{"model":"x","created_at":"2025-01-01T00:00:00Z","message":{"role":"assistant","content":"\n',
    isStreaming: (b) => typeof b !== "object" || b === null || (b as { stream?: unknown }).stream !== false,
  });

  const port = await core.listen(options.host ?? "127.0.0.1", options.port ?? 0);
  return {
    url: `http://${options.host ?? "127.0.0.1"}:${port}`,
    port,
    tokenizer,
    models: models.map((m) => ({ name: m.name, contextLength: m.contextLength, numCtx: m.numCtx })),
    get stats() {
      return core.stats;
    },
    get lastTruncation() {
      return lastTruncation;
    },
    get requests() {
      return core.requests;
    },
    ...coreControls(core),
  };
}
