/**
 * Run settings: one table, one place per option. Each entry has its schema (validated the same way
 * from flags, config and API), its command-line flag and parser, whether it is part of the run's
 * identity (a different value is a different run directory), and whether it is copied onto every
 * record. The CLI builds its `run` flags from this table, config accepts its keys, the manifest
 * records the parsed values: adding an option here makes it flow everywhere.
 */
import { z } from "zod";
import { JsonValueSchema, LoomError, type JsonObject, type JsonValue } from "@loomscope/spec";
import { DEFAULT_SCHEDULE, SCHEDULE_POLICIES } from "./schedule.js";

export interface RunOptionMeta {
  description: string;
  /** Commander flags (`--max-length <tokens>`) and how a flag's text becomes the value. */
  cli?: { flags: string; parse?: (raw: string, previous: unknown) => unknown; defaultText?: string };
  /** Part of the run's identity: the config hash (and so the run directory) depends on it. */
  identity: boolean;
  /** Copied onto every record (settings that shape each sample's output). */
  onRecord?: boolean;
  /** Allowed in loom.config (default true). */
  config?: boolean;
}

export interface RunOption<S extends z.ZodType = z.ZodType> extends RunOptionMeta {
  schema: S;
}

const opt = <S extends z.ZodType>(schema: S, meta: RunOptionMeta): RunOption<S> => ({ schema, ...meta });

// ---- flag parsers (usage errors name the flag's value and what was expected) ----

const usage = (message: string, hint?: string) => new LoomError("USAGE", message, hint ? { hint } : undefined);

export function parseIntegerFlag(raw: string, what: string, min = 1): number {
  if (!/^-?\d+$/.test(raw.trim())) throw usage(`${what} must be an integer, got "${raw}"`);
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < min) throw usage(`${what} must be an integer >= ${min}, got "${raw}"`);
  return n;
}
function parseEnumFlag<T extends string>(raw: string, what: string, values: readonly T[]): T {
  const value = raw.trim() as T;
  if (!values.includes(value)) throw usage(`${what} must be one of ${values.join(", ")}, got "${raw}"`);
  return value;
}
const positive = (what: string) => (raw: string) => parseIntegerFlag(raw, what, 1);
const list = (raw: string) =>
  raw
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
const collect = (raw: string, previous: unknown) => [...((previous as string[] | undefined) ?? []), raw];

/** A scalar from the command line: JSON when it parses (numbers, booleans, null, objects, arrays), else the text. */
export function parseFlagValue(raw: string): JsonValue {
  const text = raw.trim();
  if (/^(-?\d|true$|false$|null$|\{|\[|")/.test(text)) {
    try {
      return JsonValueSchema.parse(JSON.parse(text));
    } catch {
      // not JSON: the text as it is
    }
  }
  return raw;
}

/** `key=value` (value as `parseFlagValue`), repeatable, into one object. */
function keyValue(raw: string, previous: unknown): JsonObject {
  const eq = raw.indexOf("=");
  if (eq <= 0) throw usage(`"${raw}" is not key=value`);
  return { ...((previous as JsonObject | undefined) ?? {}), [raw.slice(0, eq).trim()]: parseFlagValue(raw.slice(eq + 1)) };
}

/** `a=1,b=x` into an object (commas separate pairs; use the flag twice for values with commas). */
function keyValues(raw: string, previous: unknown): JsonObject {
  let out = (previous as JsonObject | undefined) ?? {};
  for (const pair of raw.split(",").filter((p) => p.trim() !== "")) out = keyValue(pair, out);
  return out;
}

/** `<benchmark>.<key>=<value>`, repeatable, into `{ benchmark: { key: value } }`. */
function benchmarkOption(raw: string, previous: unknown): Record<string, JsonObject> {
  const m = /^([a-z0-9][a-z0-9._-]*?)\.([A-Za-z_][\w-]*)=(.*)$/s.exec(raw);
  if (!m) throw usage(`"${raw}" is not <benchmark>.<option>=<value>`, "e.g. --benchmark-opt infinitebench.family=gpt4");
  const prev = (previous as Record<string, JsonObject> | undefined) ?? {};
  const [, id = "", key = "", value = ""] = m;
  return { ...prev, [id]: { ...(prev[id] ?? {}), [key]: parseFlagValue(value) } };
}

/** `i/n`, or `auto` (from the scheduler's environment, resolved by the CLI). */
function shardFlag(raw: string): string {
  if (raw !== "auto" && !/^\d+\/\d+$/.test(raw)) throw usage(`shard "${raw}" must be i/n (0 <= i < n) or auto`);
  return raw;
}

/** Requests in flight at most: beyond this, workers only queue inside the client. */
export const MAX_CONCURRENCY = 4096;

/** Generation settings a user may set; anything else is refused so typos do not pass silently. */
export const GenerationSettingsSchema = z
  .object({
    temperature: z.number().min(0).optional(),
    top_p: z.number().gt(0).max(1).optional(),
    top_k: z.number().int().positive().optional(),
    max_tokens: z.number().int().positive().optional(),
    seed: z.number().int().optional(),
    stop: z.array(z.string()).optional(),
  })
  .strict();
export type GenerationSettings = z.infer<typeof GenerationSettingsSchema>;

const RetrySchema = z
  .object({
    attempts: z.number().int().positive().default(6),
    baseDelayMs: z.number().int().nonnegative().default(500),
    maxDelayMs: z.number().int().nonnegative().default(60_000),
  })
  .strict();

const JsonObjectSchema = z.record(z.string(), JsonValueSchema);

/** Every run option. Keys are the config keys; flags are the CLI's. */
export const RUN_OPTIONS = {
  model: opt(z.string().min(1), { description: "model, e.g. llamacpp:./model.gguf, ollama:qwen3:8b, vllm:Qwen/Qwen3-8B, openai:gpt-4.1-mini", cli: { flags: "-m, --model <backend:model>" }, identity: true }),
  accelerators: opt(z.array(z.string()), { description: "accelerator <plugin-id>[:<method>][,key=value…]; repeatable", cli: { flags: "-a, --accelerator <spec>", parse: collect }, identity: true }),
  tasks: opt(z.array(z.string()).min(1), { description: "comma-separated task ids", cli: { flags: "--tasks <ids>", parse: list }, identity: false }),
  lengths: opt(z.array(z.string()).min(1), { description: "comma-separated length levels, e.g. 16k,32k", cli: { flags: "--lengths <levels>", parse: list }, identity: false }),
  limit: opt(z.number().int().positive(), { description: "samples per task and length (the first n in the official order)", cli: { flags: "-n, --limit <n>", parse: positive("--limit") }, identity: false }),
  maxLength: opt(z.number().int().positive(), { description: "max input tokens; prompts are cut in the middle to fit", cli: { flags: "--max-length <tokens>", parse: positive("--max-length") }, identity: true }),
  concurrency: opt(z.number().int().positive().max(MAX_CONCURRENCY, `at most ${MAX_CONCURRENCY} requests in flight (more would only queue inside the client)`), { description: "concurrent requests (adapts down on 429/503)", cli: { flags: "-c, --concurrency <n>", parse: positive("--concurrency") }, identity: false }),
  seed: opt(z.number().int(), { description: "seed for generated benchmarks", cli: { flags: "--seed <n>", parse: (raw) => parseIntegerFlag(raw, "--seed", Number.MIN_SAFE_INTEGER) }, identity: true }),
  protocol: opt(z.enum(["official", "loom"]), { description: "reproduce the official benchmark (default) or LOOM-Scope's code", cli: { flags: "--protocol <official|loom>", parse: (raw) => z.enum(["official", "loom"]).parse(raw) }, identity: true, onRecord: true }),
  judge: opt(z.string().min(1), { description: "model that scores judge-scored metrics, <backend:model>", cli: { flags: "--judge <backend:model>" }, identity: true }),
  judgeOptions: opt(JsonObjectSchema, { description: "option of the judge's backend, key=<value or JSON>; repeatable", cli: { flags: "--judge-opt <key=value>", parse: keyValue }, identity: false }),
  gen: opt(GenerationSettingsSchema, { description: "generation settings, e.g. temperature=0.7,top_p=0.9,max_tokens=512 (default: each benchmark's official)", cli: { flags: "--gen <key=value,…>", parse: keyValues }, identity: true, onRecord: true }),
  systemPrompt: opt(z.string(), { description: "system prompt for every sample (<text> or @file)", cli: { flags: "--system-prompt <text|@file>" }, identity: true, onRecord: true }),
  out: opt(z.string(), { description: "parent folder of run directories (default ./loom-runs)", cli: { flags: "-o, --out <dir>" }, identity: false }),
  runDir: opt(z.string(), { description: "exact run directory", cli: { flags: "--run-dir <dir>" }, identity: false }),
  tokenizer: opt(z.string(), { description: "tiktoken:<encoding> or a tokenizer.json path, when the backend has none", cli: { flags: "--tokenizer <spec>" }, identity: true }),
  chatTemplate: opt(z.string(), { description: "jinja chat template (or tokenizer_config.json) for raw-prompt backends", cli: { flags: "--chat-template <file>" }, identity: true }),
  timeoutMs: opt(z.number().int().positive(), { description: "per-request timeout in ms", cli: { flags: "--timeout <ms>", parse: positive("--timeout") }, identity: false }),
  sampleTimeoutMs: opt(z.number().int().positive(), { description: "time limit in ms for one sample's requests, retries and back-off included (default 30 minutes)", cli: { flags: "--sample-timeout <ms>", parse: positive("--sample-timeout") }, identity: false }),
  shard: opt(z.string(), { description: "run only shard i of n (0-based), or auto (Kubernetes Indexed Job, Slurm array); join shards with loom merge", cli: { flags: "--shard <i/n|auto>", parse: shardFlag }, identity: true }),
  dataDir: opt(z.string(), { description: "use dataset files already on disk (official layout)", cli: { flags: "--data-dir <dir>" }, identity: false }),
  cacheDir: opt(z.string(), { description: "data and model cache (default ~/.cache/loomscope)", cli: { flags: "--cache-dir <dir>" }, identity: false }),
  offline: opt(z.boolean(), { description: "never download; fail with where to put missing files", cli: { flags: "--offline" }, identity: false }),
  force: opt(z.boolean(), { description: "run prompt accelerators even on tasks they refuse", cli: { flags: "--force" }, identity: false }),
  retryErrors: opt(z.boolean(), { description: "on resume, keep samples that failed instead of trying them again", cli: { flags: "--no-retry-errors" }, identity: false }),
  cache: opt(z.boolean(), { description: "do not reuse or store model responses in the response cache", cli: { flags: "--no-cache" }, identity: false }),
  logPrompts: opt(z.enum(["snippet", "full"]), { description: "keep the first and last 2,000 characters of each prompt on records (snippet), or the whole prompt (full)", cli: { flags: "--log-prompts <snippet|full>", parse: (raw) => z.enum(["snippet", "full"]).parse(raw) }, identity: false }),
  allowCodeExecution: opt(z.boolean(), { description: "let benchmarks run model-written code (sandboxed child process) where their official scorer does", cli: { flags: "--allow-code-execution" }, identity: false }),
  backendOptions: opt(JsonObjectSchema, { description: "backend option, key=<value or JSON>; repeatable", cli: { flags: "--backend-opt <key=value>", parse: keyValue }, identity: false, config: false }),
  benchmarkOptions: opt(z.record(z.string(), JsonObjectSchema), { description: "benchmark option, <benchmark>.<key>=<value>; repeatable", cli: { flags: "--benchmark-opt <id.key=value>", parse: benchmarkOption }, identity: false, config: false }),
  launch: opt(z.boolean(), { description: "let the backend start and manage its server for this run (vllm)", cli: { flags: "--launch" }, identity: false, config: false }),
  backends: opt(z.record(z.string(), JsonObjectSchema), { description: "options per backend id, e.g. { ollama: { host: … } }", identity: false }),
  benchmarks: opt(z.record(z.string(), JsonObjectSchema), { description: "options per benchmark id", identity: false }),
  retry: opt(RetrySchema, { description: "retries of failed requests: attempts in all, and the back-off (Retry-After wins)", identity: false }),
  schedule: opt(z.enum(SCHEDULE_POLICIES), {
    description: `dispatch order of requests: official (first come, first served), prefix (samples sharing a long prompt prefix back to back, the first alone, then longest first) or longest (longest prompt first); default ${DEFAULT_SCHEDULE} where the server caches prompt prefixes, else longest. Records and scores do not change`,
    cli: { flags: "--schedule <official|prefix|longest>", parse: (raw) => parseEnumFlag(raw, "--schedule", SCHEDULE_POLICIES) },
    identity: false,
  }),
  prepareConcurrency: opt(z.number().int().positive(), { description: "samples whose prompts are built at once (each holds its full context meanwhile)", identity: false }),
  fsync: opt(z.boolean(), { description: "fsync each record (survives power loss, not only a killed process)", identity: false }),
} as const satisfies Record<string, RunOption>;

export type RunOptionTable = Readonly<Record<string, RunOption>>;
type Table = typeof RUN_OPTIONS;

/** The parsed run settings: every option optional, typed from its schema. */
export type RunSettings = { -readonly [K in keyof Table]?: z.output<Table[K]["schema"]> };

/** Settings as given (before validation), e.g. from flags and config. */
export type RawRunSettings = Readonly<Record<string, unknown>>;

/** Validates raw settings against a table; the first problem is a usage error naming the option. */
export function parseRunSettings(raw: RawRunSettings, table: RunOptionTable = RUN_OPTIONS): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    const option = table[key];
    if (!option) throw new LoomError("USAGE", `unknown run option "${key}"`, { hint: `options: ${Object.keys(table).join(", ")}` });
    const parsed = option.schema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const flag = option.cli?.flags.replace(/^-\w, /, "").split(" ")[0];
      throw new LoomError("USAGE", `${flag ?? key}: ${issue?.path.length ? `${issue.path.join(".")}: ` : ""}${issue?.message ?? "invalid"}`);
    }
    out[key] = parsed.data;
  }
  return out;
}

/** The settings that make a run what it is, for the config hash (identity options only, sorted). */
export function identityOf(settings: Readonly<Record<string, unknown>>, table: RunOptionTable = RUN_OPTIONS): JsonObject {
  const out: JsonObject = {};
  for (const key of Object.keys(table).sort()) {
    if (table[key]?.identity && settings[key] !== undefined) out[key] = settings[key] as JsonValue;
  }
  return out;
}

/** The settings copied onto every record. */
export function recordSettingsOf(settings: Readonly<Record<string, unknown>>, table: RunOptionTable = RUN_OPTIONS): JsonObject | undefined {
  const out: JsonObject = {};
  for (const [key, option] of Object.entries(table)) if (option.onRecord && settings[key] !== undefined) out[key] = settings[key] as JsonValue;
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The config-file part of the table, as zod shape entries. */
export function configShape(table: RunOptionTable = RUN_OPTIONS): Record<string, z.ZodOptional<z.ZodType>> {
  const shape: Record<string, z.ZodOptional<z.ZodType>> = {};
  for (const [key, option] of Object.entries(table)) if (option.config !== false) shape[key] = option.schema.optional();
  return shape;
}
