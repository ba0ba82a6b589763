import { existsSync, readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import {
  LoomError,
  type Backend,
  type BackendCapabilities,
  type BackendCreateOptions,
  type ChatMessage,
  type ChatTemplater,
  type GenerateRequest,
  type GenerateResult,
  type JsonObject,
  type Tokenizer,
} from "@loomscope/spec";
import { z } from "zod";
import {
  argmax,
  BYTE_EOS,
  ByteTokenizer,
  interpretDirectives,
  loadHfModel,
  PRESETS,
  randomModel,
  RandomModelSchema,
  sessionStats,
  Transformer,
  type LoadedModel,
  type ModelConfig,
} from "@loomscope/engine";

export const EngineOptionsSchema = z
  .object({
    /** Max input tokens to advertise (defaults to the model's max positions). */
    maxInputTokens: z.number().int().positive().optional(),
  })
  .strict();

export const ENGINE_FEATURES = ["kv.policy", "attention.sparse-prefill"] as const;

/** A model spec after `engine:` — `random:<preset>`, `random:{json}`, or a Hugging Face model folder. */
export function parseEngineModel(spec: string): { kind: "random"; spec: z.input<typeof RandomModelSchema>; name: string } | { kind: "hf"; dir: string } {
  if (spec.startsWith("random:")) {
    const rest = spec.slice("random:".length);
    if (rest.trim().startsWith("{")) {
      let raw: unknown;
      try {
        raw = JSON.parse(rest);
      } catch (error) {
        throw new LoomError("BACKEND_OPTIONS", `engine: random model JSON does not parse: ${(error as Error).message}`);
      }
      const { preset, ...fields } = z.object({ preset: z.string().optional() }).passthrough().parse(raw);
      const base = preset ? PRESETS[preset] : {};
      if (!base) throw new LoomError("BACKEND_OPTIONS", `engine: no preset "${preset}"`, { hint: `presets: ${Object.keys(PRESETS).join(", ")}` });
      return { kind: "random", spec: RandomModelSchema.parse({ ...base, ...fields }), name: rest };
    }
    const base = PRESETS[rest];
    if (!base) throw new LoomError("BACKEND_OPTIONS", `engine: no preset "${rest}"`, { hint: `presets: ${Object.keys(PRESETS).join(", ")}, or random:{"layers":2,…}` });
    return { kind: "random", spec: base, name: rest };
  }
  return { kind: "hf", dir: resolve(spec) };
}

const TokenizerConfigSchema = z
  .object({
    chat_template: z.union([z.string(), z.array(z.object({ name: z.string(), template: z.string() }))]).optional(),
    bos_token: z.union([z.string(), z.object({ content: z.string() }), z.null()]).optional(),
    eos_token: z.union([z.string(), z.object({ content: z.string() }), z.null()]).optional(),
  })
  .passthrough();

const tokenText = (t: string | { content: string } | null | undefined) => (t === null || t === undefined ? undefined : typeof t === "string" ? t : t.content);

/** The random models' chat template (they were never trained on one; this only frames the turns). */
const RANDOM_TEMPLATE: ChatTemplater = {
  id: "engine-random-chat:v1",
  apply(messages, { addGenerationPrompt }) {
    return messages.map((m) => `<|${m.role}|>\n${m.content}\n`).join("") + (addGenerationPrompt ? "<|assistant|>\n" : "");
  },
};

export class EngineBackend implements Backend {
  readonly id = "engine";
  readonly model: string;
  private loaded: LoadedModel | undefined;
  private transformer: Transformer | undefined;
  private tokenizerPromise: Promise<Tokenizer> | undefined;
  private readonly source: ReturnType<typeof parseEngineModel>;
  private readonly options: z.infer<typeof EngineOptionsSchema>;
  private readonly create: BackendCreateOptions;

  constructor(create: BackendCreateOptions) {
    this.create = create;
    this.model = create.model;
    const parsed = EngineOptionsSchema.safeParse(create.options ?? {});
    if (!parsed.success) throw new LoomError("BACKEND_OPTIONS", `engine: bad options: ${parsed.error.message}`);
    this.options = parsed.data;
    this.source = parseEngineModel(create.model);
    if (this.source.kind === "hf") {
      const dir = this.source.dir;
      if (!existsSync(dir) || !statSync(dir).isDirectory()) {
        throw new LoomError("MODEL_NOT_FOUND", `engine: ${dir} is not a model folder`, {
          hint: "pass engine:<folder with config.json + model.safetensors> or engine:random:tiny",
        });
      }
    }
  }

  private net(): Transformer {
    if (!this.transformer) {
      this.loaded = this.source.kind === "random" ? randomModel(this.source.spec) : loadHfModel(this.source.dir);
      this.transformer = new Transformer(this.loaded);
    }
    return this.transformer;
  }

  get config(): ModelConfig {
    return this.net().config;
  }

  capabilities(): BackendCapabilities {
    return {
      promptModes: ["raw"],
      exactTokenizer: true,
      maxInputTokens: this.options.maxInputTokens ?? this.net().config.maxPositions,
      features: [...ENGINE_FEATURES],
    };
  }

  tokenizer(): Promise<Tokenizer> {
    this.tokenizerPromise ??= this.source.kind === "random" ? Promise.resolve(new ByteTokenizer()) : this.create.host.loadTokenizer(this.source.dir);
    return this.tokenizerPromise;
  }

  private tokenizerConfig(): z.infer<typeof TokenizerConfigSchema> | undefined {
    if (this.source.kind !== "hf") return undefined;
    const file = resolve(this.source.dir, "tokenizer_config.json");
    return existsSync(file) ? TokenizerConfigSchema.parse(JSON.parse(readFileSync(file, "utf8"))) : undefined;
  }

  async chatTemplate(): Promise<ChatTemplater | undefined> {
    if (this.source.kind === "random") return RANDOM_TEMPLATE;
    const cfg = this.tokenizerConfig();
    if (!cfg?.chat_template) return undefined;
    const source = typeof cfg.chat_template === "string" ? cfg.chat_template : (cfg.chat_template.find((t) => t.name === "default") ?? cfg.chat_template[0])?.template;
    if (!source) return undefined;
    const bos = tokenText(cfg.bos_token);
    const eos = tokenText(cfg.eos_token);
    return this.create.host.chatTemplate(source, { ...(bos ? { bos_token: bos } : {}), ...(eos ? { eos_token: eos } : {}) });
  }

  private eosIds(): number[] {
    if (this.source.kind === "random") return [BYTE_EOS];
    const raw = JSON.parse(readFileSync(resolve(this.source.dir, "config.json"), "utf8")) as { eos_token_id?: unknown };
    const ids = Array.isArray(raw.eos_token_id) ? raw.eos_token_id : [raw.eos_token_id];
    return ids.filter((x): x is number => typeof x === "number");
  }

  private async promptText(messages: readonly ChatMessage[]): Promise<string> {
    const t = await this.chatTemplate();
    if (!t) throw new LoomError("ENGINE_PROMPT", "engine: chat messages sent but the model has no chat template", { hint: "send raw prompts" });
    return t.apply(messages, { addGenerationPrompt: true });
  }

  async generate(request: GenerateRequest): Promise<GenerateResult> {
    const started = performance.now();
    const { policy, sparse, applied } = interpretDirectives(request.engine);
    const net = this.net();
    const tokenizer = await this.tokenizer();
    const text = request.prompt.kind === "raw" ? request.prompt.text : await this.promptText(request.prompt.messages);
    // Raw text from a chat template already holds BOS when the template writes it; random models add it here.
    const ids = await tokenizer.encode(text, { addSpecialTokens: this.source.kind === "random" });
    if (ids.length > net.config.maxPositions) {
      throw new LoomError("PROMPT_TOO_LONG", `engine: prompt of ${ids.length} tokens exceeds the model's ${net.config.maxPositions} positions`);
    }
    request.signal.throwIfAborted();
    const t0 = performance.now();
    const { logits: first, session } = net.prefill(ids, { ...(policy ? { policy } : {}), ...(sparse ? { sparse } : {}) });
    const t1 = performance.now();
    const eos = this.eosIds();
    const stops = request.stop ?? [];
    const out: number[] = [];
    let finishReason: "stop" | "length" = "length";
    let logits = first;
    let answer = "";
    while (out.length < request.maxNewTokens) {
      request.signal.throwIfAborted();
      const next = argmax(logits);
      if (eos.includes(next)) {
        finishReason = "stop";
        break;
      }
      out.push(next);
      answer = await tokenizer.decode(out, { skipSpecialTokens: true });
      const hit = stops.map((s) => answer.indexOf(s)).filter((i) => i >= 0);
      if (hit.length) {
        answer = answer.slice(0, Math.min(...hit));
        finishReason = "stop";
        break;
      }
      if (out.length >= request.maxNewTokens) break;
      logits = net.decodeStep(session, next);
      await new Promise((r) => setImmediate(r));
    }
    const t2 = performance.now();
    const stats: JsonObject = { ...sessionStats(session, net.config), directives: applied };
    return {
      text: answer,
      usage: { promptTokens: ids.length, completionTokens: out.length },
      timings: { ttftMs: t1 - started, prefillMs: t1 - t0, decodeMs: t2 - t1, totalMs: t2 - started },
      finishReason,
      engineStats: stats,
    };
  }

  describe(): JsonObject {
    const c = this.net().config;
    return {
      engine: "@loomscope/engine reference transformer (Float32, CPU, greedy)",
      source: this.source.kind === "random" ? `random:${this.source.name}` : this.source.dir,
      config: { ...c },
      ...(this.source.kind === "random" ? { seed: RandomModelSchema.parse(this.source.spec).seed } : {}),
    };
  }
}
