/**
 * Bind: everything a run needs from the model side, before any sample is built — the backend
 * (created, started, probed), accelerator bindings (refusals happen here), the tokenizer and chat
 * template prompts are fitted and templated with, and the judge. Nothing runs if any of it fails.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import {
  LoomError,
  type AcceleratorBinding,
  type Backend,
  type BackendCapabilities,
  type ChatTemplater,
  type DataAccess,
  type EngineDirective,
  type JsonObject,
  type PromptBinding,
  type Tokenizer,
} from "@loomscope/spec";
import { hostServices } from "../host.js";
import type { PluginRegistry } from "../plugins/registry.js";
import { withRetry } from "../retry.js";
import { chatTemplateFromConfig, jinjaChatTemplate } from "../text/chat-template.js";
import { loadHfTokenizer, resolveTokenizer } from "../text/tokenizers.js";
import { checkDirectives, installedDirectiveHonours } from "./directives.js";
import type { Plan } from "./plan.js";
import { parseAcceleratorSpec, parseModelSpec, type AcceleratorSpec } from "./specs.js";

export interface Bound {
  backend: Backend;
  backendId: string;
  model: string;
  capabilities: BackendCapabilities;
  bindings: AcceleratorBinding[];
  promptBindings: PromptBinding[];
  engineDirectives: EngineDirective[];
  tokenizer: Tokenizer | undefined;
  tokenizerSource: string;
  templater: ChatTemplater | undefined;
  /** Stop what bind started (accelerator bindings, a managed server). */
  dispose(): Promise<void>;
}

export interface BindRequest {
  registry: PluginRegistry;
  model: string;
  accelerators: readonly string[];
  backendOptions: JsonObject;
  maxLength: number | undefined;
  tokenizer: string | undefined;
  chatTemplate: string | undefined;
  force: boolean;
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  cacheDir: string;
  data: DataAccess;
  runDir: string;
  signal: AbortSignal;
  log: (level: "debug" | "info" | "warn" | "error", message: string, source?: string) => void;
}

/** Accelerator plugins and specs, loaded and checked (method names) without binding. */
export async function loadAccelerators(registry: PluginRegistry, specs: readonly string[]) {
  const parsed: AcceleratorSpec[] = specs.map(parseAcceleratorSpec);
  const plugins = await Promise.all(parsed.map((a) => registry.load("accelerator", a.id)));
  return parsed.map((spec, i) => {
    const plugin = plugins[i]!;
    const method = spec.method ?? plugin.defaultMethod;
    if (!plugin.methods.some((m) => m.id === method)) {
      throw new LoomError("ACCELERATOR_SPEC", `${plugin.id} has no method "${method}"`, { hint: `methods: ${plugin.methods.map((m) => m.id).join(", ")}` });
    }
    return { spec, plugin, method };
  });
}

async function resolveTemplating(req: BindRequest, backend: Backend, capabilities: BackendCapabilities) {
  let tokenizer: Tokenizer | undefined;
  let tokenizerSource = "none";
  if (req.tokenizer) {
    tokenizer = resolveTokenizer(req.tokenizer.startsWith("tiktoken:") ? req.tokenizer : resolve(req.cwd, req.tokenizer));
    tokenizerSource = "config";
  } else if (backend.tokenizer) {
    tokenizer = await backend.tokenizer();
    tokenizerSource = capabilities.exactTokenizer ? "backend (exact)" : "backend";
  }
  let templater: ChatTemplater | undefined;
  if (req.chatTemplate) {
    const file = resolve(req.cwd, req.chatTemplate);
    templater = file.endsWith(".json") ? chatTemplateFromConfig(loadHfTokenizer(join(file, "..")).config) : jinjaChatTemplate(readFileSync(file, "utf8"));
  } else if (!capabilities.promptModes.includes("chat") && backend.chatTemplate) {
    templater = await backend.chatTemplate();
  }
  return { tokenizer, tokenizerSource, templater };
}

/** Create, start and probe the backend; bind the accelerators; resolve tokenizer and chat template. */
export async function bind(req: BindRequest, plan: Plan): Promise<Bound> {
  const { backend: backendId, model } = parseModelSpec(req.model);
  const backendPlugin = await req.registry.load("backend", backendId);
  const accelerators = await loadAccelerators(req.registry, req.accelerators);
  const backend = await backendPlugin.create({
    model,
    options: req.backendOptions,
    env: req.env,
    cacheDir: req.cacheDir,
    data: req.data,
    host: hostServices,
    ...(req.maxLength !== undefined ? { maxInputTokens: req.maxLength } : {}),
    runDir: req.runDir,
    log: (level, message) => req.log(level, message, backendId),
  });
  let started = false;
  const bindings: AcceleratorBinding[] = [];
  const dispose = async () => {
    for (const binding of bindings) await binding.dispose?.().catch(() => undefined);
    if (started) await backend.stop?.().catch(() => undefined);
  };
  try {
    if (backend.start) {
      await backend.start(req.signal);
      started = true;
    }
    const capabilities = backend.probe ? (await withRetry(() => backend.probe!(req.signal), { signal: req.signal })).value : backend.capabilities();
    for (const { spec, plugin, method } of accelerators) {
      bindings.push(
        await plugin.bind({
          method,
          params: spec.params,
          backend: { id: backendId, model, capabilities },
          cacheDir: req.cacheDir,
          env: req.env,
          log: (level, message) => req.log(level, message, plugin.id),
          ...(req.force ? { force: true } : {}),
        }),
      );
    }
    const engineDirectives = bindings.flatMap((b) => (b.stage === "engine" ? [b.directive] : []));
    await checkDirectives({ backend: backendId, directives: backendPlugin.directives ?? [] }, engineDirectives, () => installedDirectiveHonours(req.registry));
    const promptBindings = bindings.filter((b): b is PromptBinding => b.stage === "prompt");
    if (!req.force) {
      for (const b of promptBindings) {
        for (const unit of plan.units) {
          const reason = b.refuseTask?.(unit.task);
          if (reason) {
            throw new LoomError("ACCELERATOR_TASK", `${b.accelerator}:${b.method} refuses ${unit.entry.benchmark.id}/${unit.task.id}: ${reason}`, {
              hint: "drop the task (--tasks) or pass --force to run it anyway",
            });
          }
        }
      }
    }
    const templating = await resolveTemplating(req, backend, capabilities);
    return {
      backend,
      backendId,
      model,
      capabilities,
      bindings,
      promptBindings,
      engineDirectives,
      ...templating,
      dispose,
    };
  } catch (error) {
    await dispose();
    throw error;
  }
}
