import type { JsonObject, Logger } from "./common.js";
import type { DataAccess } from "./data.js";
import type { DirectiveName } from "./directives.js";
import type { ChatMessage } from "./prompt.js";
import type { Tokenizer } from "./tokenizer.js";

/**
 * Engine features a backend really has; accelerators `require` them. Well-known names:
 * - `kv.erase-range`: erase token ranges from a sequence's KV cache after prefill (llama.cpp).
 * - `kv.compaction`: save and reload a sequence so decode scans fewer cells (llama.cpp).
 * - `kv.context-shift`: keep the first n tokens and drop half the rest on overflow (Ollama `num_keep`, llama-server `n_keep`).
 * - `kv.policy`: arbitrary per-token KV eviction with access to keys and attention (reference engine).
 * - `attention.sparse-prefill`: pluggable sparse attention masks during prefill (reference engine).
 * - `attention.sparse-prefill.launch`: sparse prefill chosen by server launch flags (e.g. SGLang).
 */
export type BackendFeature = string;

/**
 * The server reuses the KV cache of a prompt prefix computed for an earlier request (vLLM's and
 * SGLang's automatic prefix caching, OpenAI's prompt caching, llama.cpp server and Ollama slots):
 * `--schedule prefix` then sends samples sharing a prefix so that it is computed once.
 */
export const PREFIX_CACHE_FEATURE = "prefix-cache";

export interface BackendCapabilities {
  /** `chat`: takes messages and templates them itself. `raw`: takes text we template. */
  promptModes: readonly ("chat" | "raw")[];
  /** Whether `tokenizer()` returns the model's own tokenizer. */
  exactTokenizer: boolean;
  /** The model's maximum input length in tokens, when known. */
  maxInputTokens?: number;
  features: readonly BackendFeature[];
}

/** An instruction from an engine accelerator binding, interpreted inside the backend. */
export interface EngineDirective {
  accelerator: string;
  method: string;
  params: JsonObject;
}

export type GeneratePrompt =
  | { kind: "chat"; messages: ChatMessage[] }
  | { kind: "raw"; text: string };

export interface GenerateRequest {
  prompt: GeneratePrompt;
  maxNewTokens: number;
  /** 0 (greedy) unless a benchmark or `--gen` says otherwise. */
  temperature: number;
  topP?: number;
  topK?: number;
  /** Sampling seed, where the engine takes one. */
  seed?: number;
  /** Generate at least this many tokens (EOS suppressed until then), where the engine allows it. */
  minNewTokens?: number;
  stop?: readonly string[];
  /** Token count of the prompt as we measured it, so backends can detect a silent cut. */
  expectedPromptTokens?: number;
  engine?: readonly EngineDirective[];
  signal: AbortSignal;
}

export interface GenerateTimings {
  /** Time to first token. */
  ttftMs?: number;
  prefillMs?: number;
  decodeMs?: number;
  totalMs: number;
}

export interface GenerateResult {
  text: string;
  /**
   * Tokens as the engine counted them; `costUsd` when the backend knows the price (API providers);
   * `cachedPromptTokens`: prompt tokens the server reused from its prefix cache, where it says
   * (OpenAI/vLLM/SGLang `usage.prompt_tokens_details.cached_tokens`, llama-server `timings.cache_n`).
   */
  usage: { promptTokens?: number; completionTokens?: number; costUsd?: number; cachedPromptTokens?: number };
  timings: GenerateTimings;
  finishReason?: "stop" | "length" | "other";
  /** What engine accelerators did (entries kept, products computed, …). */
  engineStats?: JsonObject;
}

/** Applies a model's chat template, for backends that take raw text. */
export interface ChatTemplater {
  /** Identity recorded in the manifest (e.g. sha256 of the jinja source). */
  readonly id: string;
  apply(messages: readonly ChatMessage[], options: { addGenerationPrompt: boolean }): string;
}

export interface Backend {
  readonly id: string;
  readonly model: string;
  /** Static capabilities, known without touching the engine. */
  capabilities(): BackendCapabilities;
  /** Refine capabilities by asking the engine (server version, max model length, …). */
  probe?(signal: AbortSignal): Promise<BackendCapabilities>;
  tokenizer?(): Promise<Tokenizer | undefined>;
  chatTemplate?(): Promise<ChatTemplater | undefined>;
  generate(request: GenerateRequest): Promise<GenerateResult>;
  start?(signal: AbortSignal): Promise<void>;
  stop?(): Promise<void>;
  /** Facts for the run manifest: model file and hash, server version, launch arguments. Never secrets. */
  describe(): JsonObject;
  /**
   * What identifies the model's outputs, for the response cache: the served model id and revision,
   * the GGUF's sha256, the engine weights' hash. Not where it is served (a moved server is the same model).
   * Default: the model as named on the command line.
   */
  identity?(): JsonObject;
}

/** Services the host lends to plugins, so they share core's one implementation of each. */
export interface HostServices {
  /** `tiktoken:<encoding>`, or a tokenizer.json file / model folder holding one. */
  loadTokenizer(spec: string): Promise<Tokenizer>;
  /** A jinja chat template, rendered as `apply_chat_template` does. */
  chatTemplate(source: string, specialTokens?: { bos_token?: string; eos_token?: string }): ChatTemplater;
}

export interface BackendCreateOptions {
  /** What followed `<backend>:` on the command line. */
  model: string;
  options: JsonObject;
  /** Environment for secrets and endpoints (API keys are read here, never from config). */
  env: Readonly<Record<string, string | undefined>>;
  cacheDir: string;
  /** Downloads (model files from Hugging Face / ModelScope) through core's cache. */
  data: DataAccess;
  host: HostServices;
  /** The run's max input tokens (`--max-length`), when given: backends that size a context window use it. */
  maxInputTokens?: number;
  /** The run directory, for logs of managed servers; absent outside a run. */
  runDir?: string;
  log: Logger;
}

export interface BackendPlugin {
  readonly kind: "backend";
  readonly apiVersion: 1;
  readonly id: string;
  readonly description: string;
  /**
   * The directives (`<accelerator>:<method>`, see the catalogue in directives.ts) this backend
   * interprets. Any other directive is refused at bind time; none declared means none honoured.
   */
  readonly directives?: readonly DirectiveName[];
  create(options: BackendCreateOptions): Backend | Promise<Backend>;
}
