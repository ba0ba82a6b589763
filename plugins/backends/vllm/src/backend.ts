import {
  PREFIX_CACHE_FEATURE,
  LoomError,
  type Backend,
  type BackendCapabilities,
  type BackendCreateOptions,
  type GenerateRequest,
  type GenerateResult,
  type JsonObject,
  type Tokenizer,
} from "@loomscope/spec";
import { OpenAICompatibleBackend } from "@loomscope/backend-openai";
import { fetchJson } from "@loomscope/http";
import { z } from "zod";
import { ManagedServer, serveArgs, type LaunchSettings } from "./launch.js";

export const VllmOptionsSchema = z
  .object({
    /** Attach: one running server's base URL (…/v1) or several, balanced by outstanding requests. */
    baseURL: z.union([z.string().url(), z.array(z.string().url()).min(1)]).optional(),
    /** Launch and manage `vllm serve` for the run. */
    launch: z.boolean().default(false),
    executable: z.string().default("vllm"),
    host: z.string().default("127.0.0.1"),
    port: z.number().int().positive().optional(),
    maxModelLen: z.number().int().positive().optional(),
    tensorParallelSize: z.number().int().positive().optional(),
    gpuMemoryUtilization: z.number().gt(0).max(1).optional(),
    kvCacheDtype: z.string().optional(),
    /** More `vllm serve` flags, passed as given. */
    extraArgs: z.union([z.array(z.string()), z.string()]).optional(),
    healthTimeoutMs: z.number().int().positive().default(15 * 60_000),
    stopTimeoutMs: z.number().int().positive().default(30_000),
    /** `chat` (/v1/chat/completions) or `completions` (/v1/completions with the model's chat template). */
    mode: z.enum(["chat", "completions"]).default("chat"),
    stream: z.boolean().default(true),
    apiKeyEnv: z.string().default("VLLM_API_KEY"),
  })
  .strict();
export type VllmOptions = z.input<typeof VllmOptionsSchema>;

const VersionSchema = z.object({ version: z.string() }).passthrough();

/**
 * vLLM, attached or launched. Exact truncation through the server's /tokenize, max model length
 * from /v1/models. Capabilities of a launched server come from the flags we passed; an attached
 * server only gets what the probe proves.
 */
export class VllmBackend implements Backend {
  readonly id = "vllm";
  readonly model: string;
  private readonly options: z.infer<typeof VllmOptionsSchema>;
  private readonly create: BackendCreateOptions;
  private readonly managed: ManagedServer | undefined;
  private inner: OpenAICompatibleBackend | undefined;
  private version: string | undefined;

  constructor(create: BackendCreateOptions, options: z.infer<typeof VllmOptionsSchema>) {
    this.model = create.model;
    this.create = create;
    this.options = options;
    if (options.launch) {
      if (!create.runDir) throw new LoomError("VLLM_LAUNCH", "launching vllm needs a run directory for its log");
      const extra = options.extraArgs === undefined ? [] : Array.isArray(options.extraArgs) ? options.extraArgs : options.extraArgs.split(/\s+/).filter(Boolean);
      const settings: LaunchSettings = {
        executable: options.executable,
        model: create.model,
        host: options.host,
        port: options.port,
        ...(options.maxModelLen !== undefined ? { maxModelLen: options.maxModelLen } : {}),
        ...(options.tensorParallelSize !== undefined ? { tensorParallelSize: options.tensorParallelSize } : {}),
        ...(options.gpuMemoryUtilization !== undefined ? { gpuMemoryUtilization: options.gpuMemoryUtilization } : {}),
        ...(options.kvCacheDtype !== undefined ? { kvCacheDtype: options.kvCacheDtype } : {}),
        extraArgs: extra,
        healthTimeoutMs: options.healthTimeoutMs,
        stopTimeoutMs: options.stopTimeoutMs,
      };
      this.managed = new ManagedServer(settings, create.runDir);
    } else if (!options.baseURL && !create.env.VLLM_BASE_URL) {
      throw new LoomError("BACKEND_OPTIONS", "vllm: give a server to attach to, or launch one", {
        hint: "--backend-opt baseURL=http://host:8000/v1 (or VLLM_BASE_URL), or --launch to run `vllm serve` for this run",
      });
    }
  }

  private baseURLs(): string[] {
    if (this.managed) return [this.managed.baseURL];
    const configured = this.options.baseURL ?? this.create.env.VLLM_BASE_URL!;
    return Array.isArray(configured) ? configured : [configured];
  }

  private backend(): OpenAICompatibleBackend {
    this.inner ??= new OpenAICompatibleBackend(
      {
        id: "vllm",
        model: this.model,
        baseURLs: this.baseURLs(),
        apiKey: this.create.env[this.options.apiKeyEnv],
        mode: this.options.mode,
        stream: this.options.stream,
        tokenizer: { kind: "server" },
        ...(this.options.maxModelLen !== undefined ? { maxModelLen: this.options.maxModelLen } : {}),
        features: this.launchFeatures(),
        continueFinalMessage: true,
        extraBody: {},
        describe: { apiKeyEnv: this.options.apiKeyEnv },
      },
      this.create.host,
    );
    return this.inner;
  }

  /** What the launch flags guarantee about the engine. */
  private launchFeatures(): string[] {
    // Automatic prefix caching is on by default (vLLM V1); a launch may turn it off.
    const extra = this.options.extraArgs === undefined ? [] : Array.isArray(this.options.extraArgs) ? this.options.extraArgs : this.options.extraArgs.split(/\s+/);
    const features: string[] = extra.includes("--no-enable-prefix-caching") ? [] : [PREFIX_CACHE_FEATURE];
    if (!this.managed) return features;
    if (this.options.kvCacheDtype?.startsWith("fp8")) features.push("kv.fp8");
    return features;
  }

  capabilities(): BackendCapabilities {
    return this.backend().capabilities();
  }

  async start(signal: AbortSignal): Promise<void> {
    if (!this.managed) return;
    this.create.log("info", `launching ${this.options.executable} serve ${this.model} (log: ${this.managed.logFile})`);
    await this.managed.start(signal);
    this.managed.onExit((message) => this.create.log("error", message));
    this.create.log("info", `vllm is healthy at ${this.managed.baseURL}`);
  }

  async probe(signal: AbortSignal): Promise<BackendCapabilities> {
    const capabilities = await this.backend().probe(signal);
    const root = this.baseURLs()[0]!.replace(/\/+$/, "").replace(/\/v1$/, "");
    this.version = await fetchJson(`${root}/version`, { signal }, VersionSchema, "vllm: GET /version")
      .then((v) => v.version)
      .catch(() => undefined);
    return capabilities;
  }

  async tokenizer(): Promise<Tokenizer | undefined> {
    const inner = await this.backend().tokenizer();
    if (!inner) return undefined;
    // Server-side tokenization dies with the server: say so instead of a connection error.
    return {
      id: inner.id,
      encode: (text, options) => this.guard(() => inner.encode(text, options)),
      decode: (ids, options) => this.guard(() => inner.decode(ids, options)),
    };
  }

  /** Run a request; if the managed server has died, the error is fatal for the run. */
  private async guard<T>(operation: () => Promise<T>): Promise<T> {
    const hint = "fix the server (see its log) and run the same command again to resume";
    const dead = this.managed?.deathMessage;
    if (dead) throw new LoomError("BACKEND_FATAL", dead, { hint });
    try {
      return await operation();
    } catch (error) {
      const died = this.managed?.deathMessage;
      if (died) throw new LoomError("BACKEND_FATAL", died, { hint, cause: error });
      throw error;
    }
  }

  generate(request: GenerateRequest): Promise<GenerateResult> {
    return this.guard(() => this.backend().generate(request));
  }

  async stop(): Promise<void> {
    await this.managed?.stop();
  }

  describe(): JsonObject {
    return {
      ...this.backend().describe(),
      serverVersion: this.version ?? null,
      launched: this.managed ? { executable: this.options.executable, args: this.managed.args, log: this.managed.logFile } : null,
    };
  }
}

export function createVllmBackend(create: BackendCreateOptions): VllmBackend {
  const parsed = VllmOptionsSchema.safeParse(create.options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new LoomError("BACKEND_OPTIONS", `vllm backend options: ${issue?.path.join(".") || "(root)"}: ${issue?.message ?? ""}`);
  }
  return new VllmBackend(create, parsed.data);
}

export { serveArgs };
