import { execFileSync } from "node:child_process";
import { setMaxListeners } from "node:events";
import { readFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { basename, join, resolve } from "node:path";
import {
  BackendRequestError,
  isLoomError,
  LoomError,
  PromptPartsSchema,
  type AcceleratorBinding,
  type Backend,
  type BackendCapabilities,
  type Benchmark,
  type BenchmarkContext,
  type BenchmarkResult,
  type ChatMessage,
  type ChatTemplater,
  type DataAccess,
  type GeneratePrompt,
  type GenerateResult,
  type JsonObject,
  type PlannedTask,
  type PromptBinding,
  type PromptStats,
  type RunManifest,
  type RunResults,
  type Sample,
  type SampleRecord,
  type Suite,
  type TaskSpec,
  type Tokenizer,
} from "@loomscope/spec";
import { createDataAccess } from "../data/access.js";
import { resolveCacheDir } from "../data/cache.js";
import { EventBus } from "../events.js";
import { hostServices } from "../host.js";
import { PluginRegistry, type DiscoveredPlugin } from "../plugins/registry.js";
import { DEFAULT_RETRY_POLICY, classifyError, withRetry, type RetryPolicy } from "../retry.js";
import { formatTemplate } from "../text/format.js";
import { chatTemplateFromConfig, jinjaChatTemplate } from "../text/chat-template.js";
import { loadHfTokenizer, resolveTokenizer, sha256 } from "../text/tokenizers.js";
import { middleTruncate } from "../text/truncate.js";
import { aggregateBenchmark, aggregateSuite } from "./aggregate.js";
import { AdaptiveLimiter } from "./limiter.js";
import { appendUnitPlan } from "./plan-file.js";
import { parseAcceleratorSpec, parseModelSpec, stableHash } from "./specs.js";
import { RunStore, sampleKey } from "./store.js";

export interface RunOptions {
  /** Suite or benchmark ids. */
  targets: readonly string[];
  /** `<backend>:<model>`. */
  model: string;
  /** `<plugin-id>[:<method>][,key=value…]`. */
  accelerators?: readonly string[];
  tasks?: readonly string[];
  lengths?: readonly string[];
  /** Samples per (task, length). */
  limit?: number;
  /** Max input tokens the prompt is fitted to; default: the backend's max minus the task's generation budget. */
  maxLength?: number;
  concurrency?: number;
  seed?: number;
  /** Parent folder of run directories (default ./loom-runs). */
  outDir?: string;
  /** Exact run directory (overrides outDir). */
  runDir?: string;
  cacheDir?: string;
  dataDir?: string;
  offline?: boolean;
  tokenizer?: string;
  chatTemplate?: string;
  timeoutMs?: number;
  retry?: RetryPolicy;
  shard?: { index: number; count: number };
  /** Re-attempt samples recorded as errors by an earlier run (default true). */
  retryErrors?: boolean;
  /** Run prompt accelerators even on tasks they refuse. */
  force?: boolean;
  backendOptions?: JsonObject;
  benchmarkOptions?: Readonly<Record<string, JsonObject>>;
  /** Plugin packages to use instead of scanning node_modules. */
  plugins?: readonly string[];
  cwd?: string;
  env?: Readonly<Record<string, string | undefined>>;
  bus?: EventBus;
  signal?: AbortSignal;
  registry?: PluginRegistry;
  /** Samples whose prompts are built at once (each holds its full context meanwhile); default 4. */
  prepareConcurrency?: number;
  /** fsync each record (slower; survives power loss, not only a killed process). */
  fsync?: boolean;
}

export interface UnitFailure {
  benchmark: string;
  task: string;
  length: string | null;
  message: string;
}

export interface RunOutcome {
  runDir: string;
  manifest: RunManifest;
  results: RunResults;
  interrupted: boolean;
  counts: { ok: number; errors: number; resumed: number };
  failures: UnitFailure[];
  /** Why the run stopped early when the backend died (records finished before that are kept). */
  fatal?: string;
}

interface PlanEntry {
  benchmark: Benchmark;
  plugin: DiscoveredPlugin;
  tasks: TaskSpec[];
  lengths: readonly string[] | undefined;
  limit: number | undefined;
  sampleIds: readonly string[] | undefined;
  options: JsonObject;
}

interface Unit {
  entry: PlanEntry;
  task: TaskSpec;
  length: string | undefined;
  planned: PlannedTask;
  pending: number;
  exhausted: boolean;
  ok: number;
  errors: number;
}

const DEFAULT_TIMEOUT_MS = 10 * 60_000;
/** Tokens kept free for the chat template when the max length is derived from the model's window. */
export const TEMPLATE_RESERVE_TOKENS = 128;
const SNIPPET = 2000;

function readVersion(pkgUrl: URL): string {
  try {
    return (JSON.parse(readFileSync(pkgUrl, "utf8")) as { version: string }).version;
  } catch {
    return "unknown";
  }
}

function gitInfo(cwd: string): { sha: string; dirty: boolean } | null {
  try {
    const sha = execFileSync("git", ["rev-parse", "HEAD"], { cwd, stdio: ["ignore", "pipe", "ignore"] }).toString().trim();
    const dirty = execFileSync("git", ["status", "--porcelain"], { cwd, stdio: ["ignore", "pipe", "ignore"] }).toString().trim() !== "";
    return { sha, dirty };
  } catch {
    return null;
  }
}

const slug = (text: string): string =>
  text
    .replace(/^.*[\\/]/, "")
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40) || "x";

const errorInfo = (error: unknown): { code: string; message: string; status?: number } => {
  const status = error instanceof BackendRequestError ? error.status : undefined;
  return {
    code: isLoomError(error) ? error.code : error instanceof Error && error.name === "TimeoutError" ? "TIMEOUT" : "ERROR",
    message: error instanceof Error ? error.message : String(error),
    ...(status !== undefined ? { status } : {}),
  };
};

/** Resolve suites and benchmarks named on the command line into plan entries. */
async function buildPlan(registry: PluginRegistry, options: RunOptions): Promise<{ entries: PlanEntry[]; suite: Suite | undefined }> {
  const entries: PlanEntry[] = [];
  let suite: Suite | undefined;
  const addBenchmark = async (
    id: string,
    spec: { tasks?: readonly string[]; lengths?: readonly string[]; limit?: number; sampleIds?: readonly string[]; options?: JsonObject },
  ) => {
    const benchmark = await registry.load("benchmark", id);
    const plugin = registry.require("benchmark", id);
    const wanted = options.tasks ?? spec.tasks;
    const tasks = wanted ? benchmark.tasks.filter((t) => wanted.includes(t.id)) : [...benchmark.tasks];
    const unknown = (wanted ?? []).filter((t) => !benchmark.tasks.some((x) => x.id === t));
    if (unknown.length > 0 && options.tasks === undefined) {
      throw new LoomError("PLAN", `benchmark ${id} has no task ${unknown.join(", ")}`, {
        hint: `its tasks: ${benchmark.tasks.map((t) => t.id).join(", ")}`,
      });
    }
    if (tasks.length === 0) return;
    entries.push({
      benchmark,
      plugin,
      tasks,
      lengths: options.lengths ?? spec.lengths,
      limit: options.limit ?? spec.limit,
      sampleIds: spec.sampleIds,
      options: { ...(spec.options ?? {}), ...(options.benchmarkOptions?.[id] ?? {}) },
    });
  };
  for (const target of options.targets) {
    if (registry.find("suite", target)) {
      if (suite) throw new LoomError("PLAN", "one suite per run", { hint: "run suites one at a time" });
      suite = await registry.load("suite", target);
      for (const e of suite.entries) {
        await addBenchmark(e.benchmark, {
          ...(e.tasks ? { tasks: e.tasks } : {}),
          ...(e.lengths ? { lengths: e.lengths } : {}),
          ...(e.limit !== undefined ? { limit: e.limit } : {}),
          ...(e.sampleIds ? { sampleIds: e.sampleIds } : {}),
          ...(e.options ? { options: e.options as JsonObject } : {}),
        });
      }
    } else if (registry.find("benchmark", target)) {
      await addBenchmark(target, {});
    } else {
      const suites = registry.list("suite").map((p) => p.manifest.id);
      const benchmarks = registry.list("benchmark").map((p) => p.manifest.id);
      throw new LoomError("PLUGIN_MISSING", `"${target}" is neither an installed suite nor an installed benchmark`, {
        hint: `installed suites: ${suites.join(", ") || "none"}; benchmarks: ${benchmarks.join(", ") || "none"}. To add one: npm i @loomscope/benchmark-${target} (or @loomscope/suite-${target})`,
      });
    }
  }
  if (entries.length === 0) throw new LoomError("PLAN", "nothing to run: the filters left no task");
  return { entries, suite };
}

/**
 * Runs an evaluation: plan → bind accelerators (refusing before anything starts) → stream samples
 * through prompt accelerators, middle truncation, chat template and the backend → score → store.
 * Every finished sample is on disk before the next event; re-running resumes.
 */
export async function runEvaluation(options: RunOptions): Promise<RunOutcome> {
  const cwd = resolve(options.cwd ?? process.cwd());
  const env = options.env ?? process.env;
  const bus = options.bus ?? new EventBus();
  // The run's own controller: the user's signal (Ctrl-C) or a fatal backend error (a dead server) stop it.
  const userSignal = options.signal ?? new AbortController().signal;
  const controller = new AbortController();
  const signal = controller.signal;
  if (userSignal.aborted) controller.abort(userSignal.reason);
  userSignal.addEventListener("abort", () => controller.abort(userSignal.reason), { once: true });
  let fatal: string | undefined;
  // Every in-flight request listens for the run's abort: that is one listener per request, not a leak.
  setMaxListeners(0, signal);
  const log = (level: "debug" | "info" | "warn" | "error", message: string, source?: string) =>
    bus.emit("log", { level, message, ...(source ? { source } : {}) });
  const registry = options.registry ?? new PluginRegistry({ cwd, ...(options.plugins ? { packages: options.plugins } : {}) });
  const cacheDir = resolveCacheDir(options.cacheDir, env);
  const data: DataAccess = createDataAccess({
    cacheDir,
    ...(options.dataDir ? { dataDir: resolve(cwd, options.dataDir) } : {}),
    ...(options.offline !== undefined ? { offline: options.offline } : {}),
    env,
    onRetry: (info) => log("warn", `download retry ${info.attempt}: ${info.reason}; waiting ${info.delayMs} ms`),
  });

  const { entries, suite } = await buildPlan(registry, options);

  // Backend and accelerators, all before anything runs.
  const modelSpec = parseModelSpec(options.model);
  const backendPlugin = await registry.load("backend", modelSpec.backend);
  const acceleratorSpecs = (options.accelerators ?? []).map(parseAcceleratorSpec);
  const acceleratorPlugins = await Promise.all(acceleratorSpecs.map((a) => registry.load("accelerator", a.id)));

  const runDirFor = (hash: string) =>
    options.runDir
      ? resolve(cwd, options.runDir)
      : join(resolve(cwd, options.outDir ?? "loom-runs"), `${slug(modelSpec.model)}__${slug(options.targets.join("+"))}__${hash.slice(0, 10)}`);

  // The config hash covers everything that changes results, so the same command resumes the same directory.
  const hashedConfig: JsonObject = {
    targets: [...options.targets],
    plan: entries.map((e) => ({
      benchmark: e.benchmark.id,
      version: e.benchmark.version,
      tasks: e.tasks.map((t) => t.id),
      lengths: e.lengths ? [...e.lengths] : null,
      limit: e.limit ?? null,
      sampleIds: e.sampleIds ? [...e.sampleIds] : null,
      options: e.options,
    })),
    model: options.model,
    backendOptions: options.backendOptions ?? {},
    accelerators: acceleratorSpecs.map((a) => ({ id: a.id, method: a.method ?? null, params: a.params })),
    maxLength: options.maxLength ?? null,
    seed: options.seed ?? 0,
    tokenizer: options.tokenizer ?? null,
    chatTemplate: options.chatTemplate ?? null,
    shard: options.shard ? `${options.shard.index}/${options.shard.count}` : null,
  };
  const configHash = sha256(JSON.stringify(hashedConfig));
  const runDir = runDirFor(configHash);

  const backend: Backend = await backendPlugin.create({
    model: modelSpec.model,
    options: options.backendOptions ?? {},
    env,
    cacheDir,
    data,
    host: hostServices,
    ...(options.maxLength !== undefined ? { maxInputTokens: options.maxLength } : {}),
    runDir,
    log: (level, message) => log(level, message, modelSpec.backend),
  });

  let started = false;
  const bindings: AcceleratorBinding[] = [];
  try {
    if (backend.start) {
      await backend.start(signal);
      started = true;
    }
    const capabilities: BackendCapabilities = backend.probe
      ? (await withRetry(() => backend.probe!(signal), { signal })).value
      : backend.capabilities();

    for (const [i, spec] of acceleratorSpecs.entries()) {
      const plugin = acceleratorPlugins[i]!;
      const method = spec.method ?? plugin.defaultMethod;
      if (!plugin.methods.some((m) => m.id === method)) {
        throw new LoomError("ACCELERATOR_SPEC", `${plugin.id} has no method "${method}"`, {
          hint: `methods: ${plugin.methods.map((m) => m.id).join(", ")}`,
        });
      }
      const binding = await plugin.bind({
        method,
        params: spec.params,
        backend: { id: modelSpec.backend, model: modelSpec.model, capabilities },
        cacheDir,
        env,
        log: (level, message) => log(level, message, plugin.id),
        ...(options.force ? { force: true } : {}),
      });
      bindings.push(binding);
    }
    const promptBindings = bindings.filter((b): b is PromptBinding => b.stage === "prompt");
    const engineDirectives = bindings.flatMap((b) => (b.stage === "engine" ? [b.directive] : []));
    if (!options.force) {
      for (const b of promptBindings) {
        for (const entry of entries) {
          for (const task of entry.tasks) {
            const reason = b.refuseTask?.(task);
            if (reason) {
              throw new LoomError("ACCELERATOR_TASK", `${b.accelerator}:${b.method} refuses ${entry.benchmark.id}/${task.id}: ${reason}`, {
                hint: "drop the task (--tasks) or pass --force to run it anyway",
              });
            }
          }
        }
      }
    }

    // Tokenizer and chat template.
    let tokenizer: Tokenizer | undefined;
    let tokenizerSource = "none";
    if (options.tokenizer) {
      tokenizer = resolveTokenizer(options.tokenizer.startsWith("tiktoken:") ? options.tokenizer : resolve(cwd, options.tokenizer));
      tokenizerSource = "config";
    } else if (backend.tokenizer) {
      tokenizer = await backend.tokenizer();
      tokenizerSource = capabilities.exactTokenizer ? "backend (exact)" : "backend";
    }
    const useChat = capabilities.promptModes.includes("chat");
    let templater: ChatTemplater | undefined;
    if (!useChat) {
      if (options.chatTemplate) {
        const file = resolve(cwd, options.chatTemplate);
        templater = file.endsWith(".json")
          ? chatTemplateFromConfig(loadHfTokenizer(join(file, "..")).config)
          : jinjaChatTemplate(readFileSync(file, "utf8"));
      } else if (backend.chatTemplate) {
        templater = await backend.chatTemplate();
      }
    }
    // Without --max-length, prompts fit the model's window less the task's generation budget and
    // room for the chat template's own tokens (which the engine adds after we count).
    const maxLengthFor = (task: TaskSpec): number | undefined =>
      options.maxLength ??
      (capabilities.maxInputTokens !== undefined ? capabilities.maxInputTokens - task.maxNewTokens - TEMPLATE_RESERVE_TOKENS : undefined);
    if (!tokenizer && entries.some((e) => e.tasks.some((t) => maxLengthFor(t) !== undefined))) {
      throw new LoomError("TOKENIZER", "prompts must be fitted to a max length, but the backend gives no tokenizer", {
        hint: "pass --tokenizer tiktoken:o200k_base or --tokenizer ./path/to/tokenizer.json",
      });
    }

    // Run directory, manifest, resume state.
    const store = RunStore.open(runDir, {
      ...(options.fsync ? { fsync: true } : {}),
      onNotice: (n) => log(n.level, n.message, "store"),
    });
    const previous = store.readManifest();
    if (previous && previous.configHash !== configHash) {
      throw new LoomError("RUN_DIR", `${runDir} holds a run with a different configuration`, {
        hint: "use another --run-dir, or the same options as that run to resume it",
      });
    }
    const existing = await store.records((n) => log(n.level, n.message, "store"));
    const retryErrors = options.retryErrors ?? true;
    const done = new Set<string>();
    for (const [key, record] of existing) if (record.status === "ok" || !retryErrors) done.add(key);

    const provenance: Record<string, Record<string, JsonObject>> = previous?.provenance ?? {};
    const manifest: RunManifest = {
      v: 1,
      runId: previous?.runId ?? basename(runDir),
      createdAt: previous?.createdAt ?? new Date().toISOString(),
      configHash,
      config: hashedConfig,
      loomscope: {
        core: readVersion(new URL("../../package.json", import.meta.url)),
        spec: readVersion(new URL("../../../spec/package.json", import.meta.url)),
      },
      plugins: [
        ...entries.map((e) => e.plugin),
        registry.require("backend", modelSpec.backend),
        ...acceleratorSpecs.map((a) => registry.require("accelerator", a.id)),
        ...(suite ? [registry.require("suite", suite.id)] : []),
      ].map((p) => ({ kind: p.manifest.kind, id: p.manifest.id, package: p.packageName, version: p.version })),
      model: { spec: options.model, backend: modelSpec.backend, info: backend.describe() },
      tokenizer: tokenizer ? { id: tokenizer.id, source: tokenizerSource } : null,
      chatTemplate: templater ? { id: templater.id } : null,
      accelerators: bindings.map((b) => ({ accelerator: b.accelerator, method: b.method, label: b.label, params: b.params })),
      seed: options.seed ?? 0,
      provenance,
      git: gitInfo(cwd),
      machine: { platform: process.platform, arch: process.arch, cpus: cpus().length, memoryBytes: totalmem(), node: process.version },
    };
    store.writeManifest(manifest);

    // Units of work with their counts, for the progress display.
    const units: Unit[] = [];
    const seed = options.seed ?? 0;
    const contextFor = (entry: PlanEntry): BenchmarkContext => ({
      cacheDir,
      data,
      ...(tokenizer ? { tokenizer } : {}),
      seed,
      options: entry.options,
      signal,
      log: (level, message) => log(level, message, entry.benchmark.id),
      reportDataIssue: (issue) => {
        bus.emit("data:issue", { benchmark: entry.benchmark.id, ...issue });
        log("warn", `${issue.file}${issue.line !== undefined ? `:${issue.line}` : ""}: ${issue.message}`, entry.benchmark.id);
      },
      recordProvenance: (key, value) => {
        (provenance[entry.benchmark.id] ??= {})[key] = value;
      },
    });
    // Samples already recorded per (benchmark, task, length), counted in one pass over the records.
    const resumedPerUnit = new Map<string, number>();
    for (const [key, record] of existing) {
      if (!done.has(key)) continue;
      const unit = sampleKey({ ...record, id: "" });
      resumedPerUnit.set(unit, (resumedPerUnit.get(unit) ?? 0) + 1);
    }
    const resumedIn = (benchmark: string, task: string, length: string | null) =>
      resumedPerUnit.get(sampleKey({ benchmark, task, length, id: "" })) ?? 0;
    for (const entry of entries) {
      for (const task of entry.tasks) {
        const lengths = task.lengths.length === 0 ? [undefined] : task.lengths.filter((l) => !entry.lengths || entry.lengths.includes(l));
        for (const length of lengths) {
          const request = {
            task: task.id,
            ...(length !== undefined ? { length } : {}),
            ...(entry.limit !== undefined ? { limit: entry.limit } : {}),
            ...(entry.sampleIds ? { sampleIds: entry.sampleIds } : {}),
          };
          let total: number | undefined;
          try {
            total = await entry.benchmark.count?.(request, contextFor(entry));
          } catch {
            total = undefined;
          }
          if (total !== undefined && entry.limit !== undefined) total = Math.min(total, entry.limit);
          if (total !== undefined && options.shard) total = undefined; // unknown until ids are hashed
          units.push({
            entry,
            task,
            length,
            planned: { benchmark: entry.benchmark.id, task: task.id, length: length ?? null, total, resumed: resumedIn(entry.benchmark.id, task.id, length ?? null) },
            pending: 0,
            exhausted: false,
            ok: 0,
            errors: 0,
          });
        }
      }
    }
    bus.emit("run:start", { runId: manifest.runId, runDir, manifest, plan: units.map((u) => u.planned) });

    const counts = { ok: 0, errors: 0, resumed: done.size };
    const failures: UnitFailure[] = [];
    const totals = { promptTokens: 0, completionTokens: 0, requests: 0, costUsd: 0, priced: false };
    const limiter = new AdaptiveLimiter(options.concurrency ?? 4, (limit, reason) =>
      bus.emit("concurrency:change", { backend: modelSpec.backend, limit, reason }),
    );
    const onAbort = () => limiter.wakeAll();
    signal.addEventListener("abort", onAbort);
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const retryPolicy = options.retry ?? DEFAULT_RETRY_POLICY;

    const maybeTaskDone = (unit: Unit) => {
      if (unit.exhausted && unit.pending === 0) {
        bus.emit("task:done", { benchmark: unit.planned.benchmark, task: unit.task.id, length: unit.planned.length, ok: unit.ok, errors: unit.errors });
      }
    };

    async function* stream(): AsyncGenerator<{ unit: Unit; sample: Sample }> {
      for (const unit of units) {
        if (signal.aborted) return;
        const { entry, task, length } = unit;
        bus.emit("task:start", { benchmark: entry.benchmark.id, task: task.id, length: length ?? null, total: unit.planned.total, resumed: unit.planned.resumed });
        const seen = new Set<string>();
        let yielded = 0;
        try {
          const request = {
            task: task.id,
            ...(length !== undefined ? { length } : {}),
            ...(entry.limit !== undefined ? { limit: entry.limit } : {}),
            ...(entry.sampleIds ? { sampleIds: entry.sampleIds } : {}),
          };
          for await (const sample of entry.benchmark.samples(request, contextFor(entry))) {
            if (signal.aborted) return;
            if (entry.limit !== undefined && yielded >= entry.limit) break;
            yielded++;
            if (seen.has(sample.id)) {
              contextFor(entry).reportDataIssue({ file: `${task.id}${length ? `/${length}` : ""}`, message: `duplicate sample id ${sample.id}; skipped` });
              continue;
            }
            seen.add(sample.id);
            const key = sampleKey({ benchmark: entry.benchmark.id, task: task.id, length: length ?? null, id: sample.id });
            if (done.has(key)) continue;
            if (options.shard && stableHash(key) % options.shard.count !== options.shard.index) continue;
            unit.pending++;
            yield { unit, sample };
          }
          // The stream was read to its end: list every id in it (all shards' samples) for `loom merge`.
          appendUnitPlan(runDir, { benchmark: entry.benchmark.id, task: task.id, length: length ?? null, ids: [...seen] });
        } catch (error) {
          if (signal.aborted) return;
          const info = errorInfo(error);
          const hint = isLoomError(error) && error.hint ? ` (${error.hint})` : "";
          failures.push({ benchmark: entry.benchmark.id, task: task.id, length: length ?? null, message: info.message + hint });
          log("error", `${entry.benchmark.id}/${task.id}${length ? `/${length}` : ""}: ${info.message}${hint}`, entry.benchmark.id);
        }
        unit.exhausted = true;
        maybeTaskDone(unit);
      }
    }

    const processSample = async (unit: Unit, sample: Sample, releasePrep: () => void): Promise<void> => {
      const { entry, task } = unit;
      const benchmark = entry.benchmark;
      const length = unit.length ?? null;
      const startedAt = new Date();
      const t0 = performance.now();
      bus.emit("sample:start", { benchmark: benchmark.id, task: task.id, length, sampleId: sample.id });
      const base = {
        v: 1 as const,
        id: sample.id,
        benchmark: benchmark.id,
        task: task.id,
        length,
        references: sample.references,
        ...(sample.scoring ? { scoring: sample.scoring } : {}),
        ...(sample.meta ? { meta: sample.meta } : {}),
      };
      const accelerators: SampleRecord["accelerators"] = [];
      let prompt: PromptStats | null = null;
      let attempts = 0;
      let result: GenerateResult | undefined;
      try {
        let parts = PromptPartsSchema.parse(benchmark.prompt(sample, task));
        for (const binding of promptBindings) {
          const out = await binding.transform(parts, { task, sampleId: sample.id, ...(tokenizer ? { tokenizer } : {}), signal });
          parts = PromptPartsSchema.parse(out.parts);
          accelerators.push({ accelerator: binding.accelerator, method: binding.method, label: binding.label, params: binding.params, stats: out.stats });
        }
        let text = formatTemplate(parts.template, parts.values);
        const limit = maxLengthFor(task);
        if (parts.truncation === "middle" && limit !== undefined && tokenizer) {
          // Server-side tokenizers (vLLM /tokenize) can fail like any request: same retry loop.
          const source = text;
          const cut = (await withRetry(() => middleTruncate(source, limit, tokenizer), { policy: retryPolicy, signal })).value;
          text = cut.text;
          prompt = {
            tokens: cut.tokens,
            maxTokens: limit,
            truncated: cut.truncated,
            originalChars: cut.originalChars,
            keptChars: cut.keptChars,
            originalTokens: cut.originalTokens,
            originalTokensExact: cut.originalTokensExact,
            head: "",
            tail: "",
          };
        } else {
          prompt = {
            tokens: null,
            maxTokens: limit ?? null,
            truncated: false,
            originalChars: text.length,
            keptChars: text.length,
            originalTokens: null,
            originalTokensExact: false,
            head: "",
            tail: "",
          };
        }
        const messages: ChatMessage[] = [];
        if (parts.system !== undefined) messages.push({ role: "system", content: parts.system });
        messages.push({ role: "user", content: text });
        let generatePrompt: GeneratePrompt;
        if (useChat) {
          if (parts.assistantPrefix) messages.push({ role: "assistant", content: parts.assistantPrefix });
          generatePrompt = { kind: "chat", messages };
        } else {
          const body = parts.chat && templater ? templater.apply(messages, { addGenerationPrompt: true }) : text;
          generatePrompt = { kind: "raw", text: body + (parts.assistantPrefix ?? "") };
        }
        const sent = generatePrompt.kind === "raw" ? generatePrompt.text : messages.map((m) => m.content).join("\n");
        prompt.head = sent.slice(0, SNIPPET);
        prompt.tail = sent.length > SNIPPET ? sent.slice(-SNIPPET) : "";
        bus.emit("sample:prompt", { benchmark: benchmark.id, task: task.id, length, sampleId: sample.id, tokens: prompt.tokens, truncated: prompt.truncated });
        // The prompt is built: drop the sample's (possibly huge) inputs and free the preparation slot.
        sample.input = {};
        parts.values = {};
        releasePrep();

        const outcome = await withRetry(
          async () => {
            await limiter.acquire(signal);
            // One controller per request, tied to the run's signal and the timeout (cheaper than AbortSignal.any).
            const request = new AbortController();
            let timedOut = false;
            const timer = setTimeout(() => {
              timedOut = true;
              request.abort(new BackendRequestError(`request timed out after ${timeoutMs} ms`, { retryable: true }));
            }, timeoutMs);
            const forward = () => request.abort(signal.reason);
            signal.addEventListener("abort", forward, { once: true });
            const requestSignal = request.signal;
            try {
              const r = await backend.generate({
                prompt: generatePrompt,
                maxNewTokens: task.maxNewTokens,
                temperature: 0,
                // A lower bound (the template adds tokens): lets backends catch an engine's silent cut.
                ...(prompt?.tokens != null ? { expectedPromptTokens: prompt.tokens } : {}),
                ...(engineDirectives.length ? { engine: engineDirectives } : {}),
                signal: requestSignal,
              });
              limiter.success();
              return r;
            } catch (error) {
              if (timedOut && !signal.aborted) {
                throw new BackendRequestError(`request timed out after ${timeoutMs} ms`, { retryable: true, cause: error });
              }
              const verdict = classifyError(error);
              if (verdict.status === 429 || verdict.status === 503) limiter.backoff(`HTTP ${verdict.status}`, verdict.retryAfterMs);
              throw error;
            } finally {
              clearTimeout(timer);
              signal.removeEventListener("abort", forward);
              limiter.release();
            }
          },
          {
            policy: retryPolicy,
            signal,
            onRetry: (info) =>
              bus.emit("request:retry", {
                sampleId: sample.id,
                attempt: info.attempt,
                delayMs: info.delayMs,
                reason: info.reason,
                ...(info.status !== undefined ? { status: info.status } : {}),
              }),
          },
        );
        attempts = outcome.attempts;
        result = outcome.value;
        // Engine bindings act inside the backend: their record is the binding plus what the engine reports.
        for (const binding of bindings) {
          if (binding.stage !== "engine") continue;
          accelerators.push({ accelerator: binding.accelerator, method: binding.method, label: binding.label, params: binding.params, stats: result.engineStats ?? {} });
        }
        const scores = await benchmark.score({
          task: task.id,
          ...(unit.length !== undefined ? { length: unit.length } : {}),
          prediction: result.text,
          references: sample.references,
          ...(sample.scoring ? { scoring: sample.scoring } : {}),
        });
        const headline = task.metrics[0];
        const record: SampleRecord = {
          ...base,
          status: "ok",
          prediction: result.text,
          scores,
          score: headline !== undefined ? (scores[headline] ?? null) : null,
          prompt,
          usage: { promptTokens: result.usage.promptTokens ?? null, completionTokens: result.usage.completionTokens ?? null },
          // totalMs is the sample's whole time here (queueing and retries included), not the last request's.
          timings: { ...result.timings, startedAt: startedAt.toISOString(), totalMs: performance.now() - t0 },
          accelerators,
          ...(result.engineStats ? { engineStats: result.engineStats } : {}),
          attempts,
          error: null,
        };
        store.append(record);
        totals.requests += attempts;
        totals.promptTokens += result.usage.promptTokens ?? 0;
        totals.completionTokens += result.usage.completionTokens ?? 0;
        if (result.usage.costUsd !== undefined) {
          totals.costUsd += result.usage.costUsd;
          totals.priced = true;
        }
        unit.ok++;
        counts.ok++;
        bus.emit("sample:done", { record });
      } catch (error) {
        if (isLoomError(error, "BACKEND_FATAL")) {
          // The backend cannot serve any more requests: stop the run, keep what finished.
          if (fatal === undefined) {
            fatal = error.hint ? `${error.message} (${error.hint})` : error.message;
            log("error", fatal, modelSpec.backend);
            controller.abort(error);
          }
          return;
        }
        // An interrupted sample is not finished: no record, so a resume runs it again.
        if (signal.aborted) return;
        const failedAttempts = (error as { attempts?: number }).attempts ?? attempts;
        const record: SampleRecord = {
          ...base,
          status: "error",
          prediction: result?.text ?? null,
          scores: {},
          score: null,
          prompt,
          usage: { promptTokens: result?.usage.promptTokens ?? null, completionTokens: result?.usage.completionTokens ?? null },
          timings: { startedAt: startedAt.toISOString(), totalMs: performance.now() - t0 },
          accelerators,
          attempts: failedAttempts,
          error: errorInfo(error),
        };
        store.append(record);
        totals.requests += failedAttempts;
        unit.errors++;
        counts.errors++;
        bus.emit("sample:error", { record });
      } finally {
        releasePrep();
        unit.pending--;
        maybeTaskDone(unit);
      }
    };

    // Two stages: at most `prepSlots` samples exist in full (drawn from the stream, prompt being
    // built and truncated); after that only the fitted prompt waits for one of the request slots.
    // So memory is bounded by a few full contexts, however long they are and however many
    // requests are in flight.
    const iterator = stream();
    const prepSlots = new AdaptiveLimiter(Math.max(1, Math.min(limiter.max, options.prepareConcurrency ?? 4)));
    const onAbortPrep = () => prepSlots.wakeAll();
    signal.addEventListener("abort", onAbortPrep);
    await Promise.all(
      Array.from({ length: limiter.max }, async () => {
        for (;;) {
          if (signal.aborted) return;
          try {
            await prepSlots.acquire(signal);
          } catch {
            return;
          }
          let released = false;
          const releasePrep = () => {
            if (!released) {
              released = true;
              prepSlots.release();
            }
          };
          const next = await iterator.next();
          if (next.done) {
            releasePrep();
            return;
          }
          await processSample(next.value.unit, next.value.sample, releasePrep);
        }
      }),
    );
    signal.removeEventListener("abort", onAbortPrep);
    signal.removeEventListener("abort", onAbort);
    const interrupted = userSignal.aborted;

    // Aggregate from the store: every record of this directory, resumed ones included.
    const all = [...(await store.records()).values()];
    const benchmarkResults: BenchmarkResult[] = entries.map((entry) => {
      const result = aggregateBenchmark(entry.benchmark, all.filter((r) => r.benchmark === entry.benchmark.id));
      bus.emit("benchmark:done", { result });
      return result;
    });
    const results: RunResults = {
      v: 1,
      runId: manifest.runId,
      complete: !signal.aborted && failures.length === 0,
      benchmarks: benchmarkResults,
      suite: suite ? aggregateSuite(suite, benchmarkResults) : null,
    };
    store.writeResults(results);
    const previousTotals = previous?.totals;
    manifest.totals = {
      promptTokens: (previousTotals?.promptTokens ?? 0) + totals.promptTokens,
      completionTokens: (previousTotals?.completionTokens ?? 0) + totals.completionTokens,
      requests: (previousTotals?.requests ?? 0) + totals.requests,
      costUsd: totals.priced || previousTotals?.costUsd != null ? (previousTotals?.costUsd ?? 0) + totals.costUsd : null,
    };
    store.writeManifest(manifest);
    store.close();
    bus.emit("run:done", { results, interrupted, runDir });
    return { runDir, manifest, results, interrupted, counts, failures, ...(fatal !== undefined ? { fatal } : {}) };
  } finally {
    for (const binding of bindings) await binding.dispose?.().catch(() => undefined);
    if (started) await backend.stop?.().catch(() => undefined);
  }
}
