import { createHash, randomUUID } from "node:crypto";
import { createReadStream, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import {
  AcceleratorUnsupportedError,
  BackendRequestError,
  KV_PRUNING_DIRECTIVE,
  LoomError,
  parseMethodParams,
  type Backend,
  type BackendCapabilities,
  type BackendCreateOptions,
  type ChatMessage,
  type ChatTemplater,
  type DecodeOptions,
  type DirectiveParams,
  type EncodeOptions,
  type EngineDirective,
  type GenerateRequest,
  type GenerateResult,
  type JsonObject,
  type Tokenizer,
} from "@loomscope/spec";
import type { LlamaContext, LlamaContextSequence, LlamaModel, Token } from "node-llama-cpp";
import { z } from "zod";
import { loadLlama, type GpuChoice } from "./llama.js";
import { checkLocalFile, modelUnavailable, parseModelSpec, splitParts, type ModelSource } from "./model-spec.js";
import { SequencePool, type Lease, type PoolStats } from "./pool.js";
import { streamingllmEraseRange } from "./streamingllm.js";

export const LlamaCppOptionsSchema = z
  .object({
    /** `auto` (default: CUDA, Vulkan or Metal when a prebuilt binary for it loads, else CPU), `false` for CPU only, or a named backend. */
    gpu: z
      .union([z.boolean(), z.enum(["auto", "cuda", "vulkan", "metal"])])
      .default("auto")
      .transform((g): GpuChoice => (g === true ? "auto" : g)),
    /** Layers offloaded to the GPU (node-llama-cpp's `gpuLayers`; default `auto`). */
    gpuLayers: z.union([z.number().int().nonnegative(), z.enum(["auto", "max"])]).optional(),
    /** Threads for evaluation (default: node-llama-cpp's choice, all math cores). */
    threads: z.number().int().nonnegative().optional(),
    /** Parallel requests, as sequences of one context (each with its own KV cells). */
    sequences: z.number().int().positive().max(64).default(1),
    /**
     * Per-sequence context size. Default: sized to the requests (prompt + new tokens, at least the
     * run's --max-length + `generationHeadroom`, rounded up to 256), capped at the model's trained context.
     */
    contextSize: z.number().int().positive().optional(),
    generationHeadroom: z.number().int().nonnegative().default(1024),
    batchSize: z.number().int().positive().optional(),
    flashAttention: z.boolean().optional(),
    useMmap: z.boolean().optional(),
    /** Folder for the sequence state files written when compacting (default: the OS temp dir). */
    stateDir: z.string().optional(),
  })
  .strict();
export type LlamaCppOptions = z.input<typeof LlamaCppOptionsSchema>;
type ResolvedOptions = z.infer<typeof LlamaCppOptionsSchema>;

/** The catalogue's streamingllm params: the kv-pruning accelerator resolves them (defaults included). */
export type StreamingLlmParams = DirectiveParams<typeof KV_PRUNING_DIRECTIVE, "streamingllm">;

export const FEATURES = ["kv.erase-range", "kv.compaction"] as const;
const CONTEXT_STEP = 256;

interface Loaded {
  model: LlamaModel;
  path: string;
  sha256: string | undefined;
  pool: SequencePool;
  tokenizer: Tokenizer;
  templater: ChatTemplater | undefined;
  gpu: string | false;
}

const now = () => performance.now();

function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener("abort", onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(e);
      },
    );
  });
}

/** sha256 of a file, remembered in the cache (keyed by path, size and mtime) so big models are hashed once. */
async function fileHash(path: string, cacheDir: string): Promise<string> {
  const stat = statSync(path);
  const key = `${path}:${stat.size}:${stat.mtimeMs}`;
  const index = join(cacheDir, "llamacpp", "hashes.json");
  let known: Record<string, string> = {};
  try {
    known = z.record(z.string(), z.string()).parse(JSON.parse(readFileSync(index, "utf8")));
  } catch {
    known = {};
  }
  const hit = known[key];
  if (hit) return hit;
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  const digest = hash.digest("hex");
  try {
    mkdirSync(dirname(index), { recursive: true });
    writeFileSync(index, JSON.stringify({ ...known, [key]: digest }, null, 1));
  } catch {
    // an unwritable cache: hash again next time
  }
  return digest;
}

/** The model's own tokenizer with Hugging Face semantics for special tokens. */
export function llamaTokenizer(model: LlamaModel, id: string): Tokenizer {
  const bos = model.tokens.bos;
  const eos = model.tokens.eos;
  return {
    id,
    // `tokenizer(text)`: special-token text is parsed as special tokens (as HF and llama.cpp's
    // server do); `add_special_tokens` adds BOS/EOS as the GGUF says (`tokenizer.ggml.add_bos_token`).
    encode: async (text: string, options?: EncodeOptions) => encodeIds(model, text, options?.addSpecialTokens ?? true, bos, eos),
    decode: async (ids: readonly number[], options?: DecodeOptions) => model.detokenize(ids as readonly Token[], !(options?.skipSpecialTokens ?? false)),
  };
}

function encodeIds(model: LlamaModel, text: string, addSpecial: boolean, bos: Token | null, eos: Token | null): number[] {
  const ids: number[] = model.tokenize(text, true);
  if (addSpecial) {
    if (model.tokens.shouldPrependBosToken && bos !== null && ids[0] !== bos) ids.unshift(bos);
    if (model.tokens.shouldAppendEosToken && eos !== null && ids.at(-1) !== eos) ids.push(eos);
  }
  return ids;
}

/** A stable identity of the vocabulary (not of the weights): tokens, merges, model kind, BOS/EOS rules. */
function vocabularyId(model: LlamaModel, fallback: string): string {
  const tok = model.fileInfo.metadata.tokenizer as { ggml?: Record<string, unknown> } | undefined;
  const ggml = tok?.ggml;
  if (!ggml || !Array.isArray(ggml.tokens)) return `llamacpp:file:${fallback}`;
  const hash = createHash("sha256");
  hash.update(JSON.stringify([ggml.model, ggml.pre, ggml.tokens, ggml.merges, ggml.token_type, model.tokens.bos, model.tokens.eos, model.tokens.shouldPrependBosToken]));
  return `llamacpp:vocab:sha256:${hash.digest("hex").slice(0, 16)}`;
}

/**
 * llama.cpp embedded through node-llama-cpp: a GGUF from a local path or a Hugging Face repository
 * (downloaded once into the cache), the model's own tokenizer and chat template, parallel requests
 * as sequences of one context, and StreamingLLM by erasing KV ranges after prefill (optionally
 * compacting the sequence so decode scans fewer cells).
 */
export class LlamaCppBackend implements Backend {
  readonly id = "llamacpp";
  readonly model: string;
  readonly source: ModelSource;
  private readonly options: ResolvedOptions;
  private readonly create: BackendCreateOptions;
  private loading: Promise<Loaded> | undefined;
  private loaded: Loaded | undefined;
  /** Work counted across requests, for tests and benches. */
  readonly counters = { requests: 0, promptTokens: 0, completionTokens: 0, erasedTokens: 0, compactions: 0 };

  constructor(options: ResolvedOptions, create: BackendCreateOptions) {
    this.model = create.model;
    this.options = options;
    this.create = create;
    this.source = parseModelSpec(create.model);
    if (this.source.kind === "file") checkLocalFile(this.source.path, create.model);
  }

  /** The model's trained context, or the configured context size, once loaded. */
  private maxContext(model: LlamaModel): number {
    const train = model.trainContextSize;
    return this.options.contextSize !== undefined ? Math.min(this.options.contextSize, train) : train;
  }

  capabilities(): BackendCapabilities {
    const max = this.loaded ? this.maxContext(this.loaded.model) : this.options.contextSize;
    return {
      promptModes: ["raw"],
      exactTokenizer: true,
      ...(max !== undefined ? { maxInputTokens: max } : {}),
      features: [...FEATURES],
    };
  }

  async probe(signal: AbortSignal): Promise<BackendCapabilities> {
    await this.ensureLoaded(signal);
    return this.capabilities();
  }

  async start(signal: AbortSignal): Promise<void> {
    await this.ensureLoaded(signal);
  }

  async stop(): Promise<void> {
    const loading = this.loading;
    this.loading = undefined;
    this.loaded = undefined;
    if (!loading) return;
    const loaded = await loading.catch(() => undefined);
    if (!loaded) return;
    await loaded.pool.dispose();
    if (!loaded.model.disposed) await loaded.model.dispose();
  }

  /** The pool's statistics (contexts created, per-sequence size, peak parallel sequences). */
  poolStats(): PoolStats | undefined {
    return this.loaded?.pool.stats;
  }

  /** The loaded node-llama-cpp model (for tests and benches that compare with direct calls). */
  async llamaModel(signal: AbortSignal = new AbortController().signal): Promise<LlamaModel> {
    return (await this.ensureLoaded(signal)).model;
  }

  private ensureLoaded(signal: AbortSignal): Promise<Loaded> {
    if (!this.loading) {
      this.loading = this.load(signal).then(
        (loaded) => {
          this.loaded = loaded;
          return loaded;
        },
        (error: unknown) => {
          this.loading = undefined;
          throw error;
        },
      );
    }
    return raceAbort(this.loading, signal);
  }

  private async resolveFile(signal: AbortSignal): Promise<{ path: string; sha256: string | undefined }> {
    const source = this.source;
    if (source.kind === "file") {
      checkLocalFile(source.path, this.model);
      return { path: source.path, sha256: undefined };
    }
    const where = `${source.repo}${source.revision === "main" ? "" : `@${source.revision}`}`;
    let first: { path: string; sha256: string } | undefined;
    for (const part of splitParts(source.file)) {
      try {
        const fetched = await this.create.data.fetch(
          { source: "huggingface", repoType: "model", repo: source.repo, revision: source.revision, path: part },
          { signal },
        );
        first ??= { path: fetched.path, sha256: fetched.sha256 };
        if (fetched.origin === "download") this.create.log("info", `llamacpp: downloaded ${part} from ${where} (${fetched.bytes} bytes)`);
      } catch (error) {
        if (signal.aborted) throw signal.reason ?? error;
        throw modelUnavailable(`the model ${part} from Hugging Face ${where} is not cached and could not be downloaded (${(error as Error).message})`, error);
      }
    }
    if (!first) throw modelUnavailable(`no file in ${this.model}`);
    return first;
  }

  private async load(signal: AbortSignal): Promise<Loaded> {
    const file = await this.resolveFile(signal);
    const llama = await loadLlama(this.options.gpu, this.create.log);
    signal.throwIfAborted();
    let model: LlamaModel;
    try {
      model = await llama.loadModel({
        modelPath: file.path,
        ...(this.options.gpuLayers !== undefined ? { gpuLayers: this.options.gpuLayers } : {}),
        ...(this.options.useMmap !== undefined ? { useMmap: this.options.useMmap } : {}),
      });
    } catch (cause) {
      throw new LoomError("LLAMACPP_MODEL", `llamacpp: cannot load ${file.path}: ${(cause as Error).message}`, {
        cause,
        hint: "check that the file is a complete GGUF model of an architecture llama.cpp supports; a partial download can be deleted from the cache and fetched again",
      });
    }
    const sha256 = file.sha256 ?? (await fileHash(file.path, this.create.cacheDir).catch(() => undefined));
    const tokenizer = llamaTokenizer(model, vocabularyId(model, `${basename(file.path)}:${sha256 ?? "unhashed"}`));
    const template = (model.fileInfo.metadata.tokenizer as { chat_template?: unknown } | undefined)?.chat_template;
    let templater: ChatTemplater | undefined;
    if (typeof template === "string" && template.length > 0) {
      templater = this.create.host.chatTemplate(template, {
        ...(model.tokens.bosString ? { bos_token: model.tokens.bosString } : {}),
        ...(model.tokens.eosString ? { eos_token: model.tokens.eosString } : {}),
      });
    } else {
      this.create.log("warn", `llamacpp: ${basename(file.path)} has no tokenizer.chat_template; chat prompts need --chat-template`);
    }
    const max = this.maxContext(model);
    const floor = this.options.contextSize ?? (this.create.maxInputTokens !== undefined ? this.create.maxInputTokens + this.options.generationHeadroom : 0);
    const sizeFor = (need: number) => Math.min(max, Math.ceil(Math.max(need, floor) / CONTEXT_STEP) * CONTEXT_STEP);
    const pool = new SequencePool(this.options.sequences, sizeFor, (contextSize, sequences): Promise<LlamaContext> =>
      model.createContext({
        contextSize,
        sequences,
        // node-llama-cpp defaults to more threads than math cores (4 on a 2-core machine); llama.cpp's
        // spinning threads then fight each other and decode runs ~14x slower. One per math core.
        threads: this.options.threads ?? llama.cpuMathCores,
        ...(this.options.batchSize !== undefined ? { batchSize: this.options.batchSize } : {}),
        ...(this.options.flashAttention !== undefined ? { flashAttention: this.options.flashAttention } : {}),
      }),
    );
    return { model, path: file.path, sha256, pool, tokenizer, templater, gpu: llama.gpu };
  }

  async tokenizer(): Promise<Tokenizer> {
    return (await this.ensureLoaded(new AbortController().signal)).tokenizer;
  }

  async chatTemplate(): Promise<ChatTemplater | undefined> {
    return (await this.ensureLoaded(new AbortController().signal)).templater;
  }

  /** Reads engine directives; anything this engine cannot really do is refused, never ignored. */
  private streamingllm(directives: readonly EngineDirective[] | undefined): StreamingLlmParams | undefined {
    let found: StreamingLlmParams | undefined;
    for (const d of directives ?? []) {
      if (d.accelerator === "kv-pruning" && d.method === "streamingllm") {
        found = parseMethodParams("llamacpp: kv-pruning:streamingllm", KV_PRUNING_DIRECTIVE.methods.streamingllm, d.params, "ENGINE_DIRECTIVE");
        continue;
      }
      throw new AcceleratorUnsupportedError(
        d.accelerator,
        "llamacpp",
        [`${d.accelerator}:${d.method}`],
        d.accelerator === "kv-pruning"
          ? "llama.cpp exposes neither keys nor attention weights to node-llama-cpp, so only streamingllm (erasing token ranges) runs here; use the engine backend for the other methods"
          : "llamacpp interprets only kv-pruning:streamingllm directives",
      );
    }
    return found;
  }

  async generate(request: GenerateRequest): Promise<GenerateResult> {
    const t0 = now();
    request.signal.throwIfAborted();
    const pruning = this.streamingllm(request.engine);
    const loaded = await this.ensureLoaded(request.signal);
    const text =
      request.prompt.kind === "raw" ? request.prompt.text : this.applyTemplate(loaded, request.prompt.messages);
    const tokens = encodeIds(loaded.model, text, true, loaded.model.tokens.bos, loaded.model.tokens.eos) as Token[];
    if (tokens.length === 0) {
      throw new BackendRequestError("llamacpp: the prompt is empty and the model has no BOS token to start from", { retryable: false });
    }
    const max = this.maxContext(loaded.model);
    if (tokens.length >= max) {
      throw new BackendRequestError(`llamacpp: the prompt has ${tokens.length} tokens but the context holds ${max}`, {
        retryable: false,
        hint: "lower --max-length so prompts are cut to fit (never cut here silently)",
      });
    }
    const maxNew = Math.max(0, Math.min(request.maxNewTokens, max - tokens.length));
    const lease = await loaded.pool.acquire(tokens.length + maxNew, request.signal);
    const work = this.run(loaded, lease, tokens, maxNew, request, pruning, t0);
    work.then(lease.release, lease.release);
    return raceAbort(work, request.signal);
  }

  private applyTemplate(loaded: Loaded, messages: readonly ChatMessage[]): string {
    if (!loaded.templater) {
      throw new LoomError("CHAT_TEMPLATE", `llamacpp: ${basename(loaded.path)} has no chat template, so chat prompts cannot be rendered`, {
        hint: "pass --chat-template <file>, or send raw prompts",
      });
    }
    return loaded.templater.apply(messages, { addGenerationPrompt: true });
  }

  private async run(
    loaded: Loaded,
    lease: Lease,
    tokens: Token[],
    maxNew: number,
    request: GenerateRequest,
    pruning: StreamingLlmParams | undefined,
    t0: number,
  ): Promise<GenerateResult> {
    const { model } = loaded;
    const sequence = lease.sequence;
    const signal = request.signal;
    await sequence.clearHistory();
    // yieldEogToken: see the end-of-generation token, so a stop is told apart from the budget running out.
    const sample = {
      temperature: request.temperature,
      ...(request.topP !== undefined ? { topP: request.topP } : {}),
      ...(request.topK !== undefined ? { topK: request.topK } : {}),
      ...(request.seed !== undefined ? { seed: request.seed } : {}),
      yieldEogToken: true,
    };
    const stops = (request.stop ?? []).filter((s) => s.length > 0);
    const generated: Token[] = [];
    let finishReason: GenerateResult["finishReason"] = "length";
    let tail = "";
    const longestStop = stops.reduce((a, s) => Math.max(a, s.length), 0);
    /** Takes a generated token; false when generation ends. */
    const take = (token: Token): boolean => {
      if (model.isEogToken(token)) {
        finishReason = "stop";
        return false;
      }
      generated.push(token);
      if (longestStop > 0) {
        tail = (tail + model.detokenize([token], false, generated.slice(-9, -1))).slice(-(longestStop + 32));
        if (stops.some((s) => tail.includes(s))) {
          finishReason = "stop";
          return false;
        }
      }
      return generated.length < maxNew;
    };

    const tStart = now();
    let prefillMs: number;
    let tFirst: number | undefined;
    const engineStats: JsonObject = { sequence: lease.index, contextSize: sequence.contextSize };
    if (maxNew === 0) {
      await sequence.evaluateWithoutGeneratingNewTokens(tokens);
      prefillMs = now() - tStart;
    } else if (pruning === undefined) {
      // The plain path: node-llama-cpp prefills and yields the first token, then one token per step.
      let first = true;
      prefillMs = 0;
      for await (const token of sequence.evaluate(tokens, sample)) {
        if (first) {
          first = false;
          tFirst = now();
          prefillMs = tFirst - tStart;
        }
        signal.throwIfAborted();
        if (!take(token)) break;
      }
    } else {
      // StreamingLLM: prefill the whole prompt (the first new token comes from its last position),
      // then erase [sink, n − window) so llama.cpp shifts the window's positions down, optionally
      // compact, and decode on the pruned cache.
      const n = tokens.length;
      const next = {
        temperature: request.temperature,
        ...(request.topP !== undefined ? { topP: request.topP } : {}),
        ...(request.topK !== undefined ? { topK: request.topK } : {}),
        ...(request.seed !== undefined ? { seed: request.seed } : {}),
      };
      const items = tokens.map((t, i) => (i === n - 1 ? ([t, { generateNext: { token: true, options: next } }] as [Token, { generateNext: { token: true; options: typeof next } }]) : t));
      const out = await sequence.controlledEvaluate(items);
      const firstToken = out[n - 1]?.next.token;
      tFirst = now();
      prefillMs = tFirst - tStart;
      signal.throwIfAborted();
      const tPrune = now();
      const kvBefore = sequence.nextTokenIndex;
      const range = streamingllmEraseRange(n, pruning.sinkTokens, pruning.windowTokens);
      if (range) {
        await sequence.eraseContextTokenRanges([range]);
        this.counters.erasedTokens += range.end - range.start;
      }
      const kvAfter = sequence.nextTokenIndex;
      let compacted = false;
      let stateBytes: number | undefined;
      if (pruning.compact && range) {
        stateBytes = await this.compact(sequence);
        compacted = true;
        this.counters.compactions++;
      }
      Object.assign(engineStats, {
        method: "streamingllm",
        binding: "llama.cpp KV range erase after prefill",
        sinkTokens: pruning.sinkTokens,
        windowTokens: pruning.windowTokens,
        kvTokensBefore: kvBefore,
        kvTokensAfter: kvAfter,
        erased: range ? [range.start, range.end] : null,
        compacted,
        ...(stateBytes !== undefined ? { stateBytes } : {}),
        pruneMs: now() - tPrune,
      });
      if (firstToken !== undefined && firstToken !== null && take(firstToken)) {
        for await (const token of sequence.evaluate([firstToken], sample)) {
          signal.throwIfAborted();
          if (!take(token)) break;
        }
      }
    }
    const tEnd = now();
    let text = model.detokenize(generated, false);
    if (stops.length > 0) {
      const cut = stops.map((s) => text.indexOf(s)).filter((i) => i >= 0);
      if (cut.length > 0) text = text.slice(0, Math.min(...cut));
    }
    this.counters.requests++;
    this.counters.promptTokens += tokens.length;
    this.counters.completionTokens += generated.length;
    return {
      text,
      usage: { promptTokens: tokens.length, completionTokens: generated.length },
      timings: {
        totalMs: tEnd - t0,
        prefillMs,
        ...(tFirst !== undefined ? { ttftMs: tFirst - t0, decodeMs: tEnd - tFirst - Number(engineStats.pruneMs ?? 0) } : {}),
      },
      finishReason: maxNew === 0 ? "length" : finishReason,
      engineStats,
    };
  }

  /**
   * Save the sequence's state and load it back: llama.cpp writes the kept cells out and reads them
   * into contiguous cells from the start, so decode scans `kept` cells instead of up to the old end.
   */
  private async compact(sequence: LlamaContextSequence): Promise<number> {
    const dir = this.options.stateDir ?? tmpdir();
    if (!existsSync(dir)) mkdirSync(dir, { recursive: true });
    const file = join(dir, `loomscope-llamacpp-${process.pid}-${randomUUID()}.state`);
    try {
      const { fileSize } = await sequence.saveStateToFile(file);
      await sequence.loadStateFromFile(file, { acceptRisk: true });
      return fileSize;
    } finally {
      await rm(file, { force: true });
    }
  }

  describe(): JsonObject {
    const loaded = this.loaded;
    const source: JsonObject =
      this.source.kind === "file"
        ? { kind: "file", path: this.source.path }
        : { kind: "huggingface", repo: this.source.repo, revision: this.source.revision, file: this.source.file };
    const info: JsonObject = {
      engine: "llama.cpp via node-llama-cpp 3.22.1",
      model: this.model,
      source,
      sequences: this.options.sequences,
      features: [...FEATURES],
    };
    if (loaded) {
      const meta = loaded.model.fileInfo.metadata.general as { architecture?: unknown; name?: unknown } | undefined;
      Object.assign(info, {
        path: loaded.path,
        sha256: loaded.sha256 ?? null,
        bytes: existsSync(loaded.path) ? statSync(loaded.path).size : null,
        architecture: typeof meta?.architecture === "string" ? meta.architecture : null,
        name: typeof meta?.name === "string" ? meta.name : null,
        trainContextSize: loaded.model.trainContextSize,
        contextSize: loaded.pool.stats.contextSize || null,
        gpu: loaded.gpu,
        gpuLayers: loaded.model.gpuLayers,
        tokenizer: loaded.tokenizer.id,
        chatTemplate: loaded.templater?.id ?? null,
      });
    }
    return info;
  }
}

export function createLlamaCppBackend(create: BackendCreateOptions): LlamaCppBackend {
  const parsed = LlamaCppOptionsSchema.safeParse(create.options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new LoomError("BACKEND_OPTIONS", `llamacpp backend options: ${issue?.path.join(".") || "(root)"}: ${issue?.message ?? ""}`);
  }
  return new LlamaCppBackend(parsed.data, create);
}
