/**
 * The directive catalogue: what an engine accelerator asks of a backend. A directive is named
 * `<accelerator>:<method>` (`kv-pruning:snapkv`); its parameters arrive resolved (every field
 * present, nothing unknown), so the schemas here carry the constraints and no defaults — defaults
 * belong to whoever resolves them (an accelerator, the engine library). A backend plugin declares
 * the directives it honours (`BackendPlugin.directives`); the host refuses any other at bind time,
 * the same way for every backend.
 */
import { z } from "zod";
import type { EngineDirective } from "./backend.js";
import type { JsonObject } from "./common.js";
import { LoomError } from "./errors.js";

/** `<accelerator>:<method>`, e.g. `kv-pruning:streamingllm`. */
export type DirectiveName = `${string}:${string}`;

export interface DirectiveDefinition<Methods extends Record<string, z.ZodObject> = Record<string, z.ZodObject>, Accelerator extends string = string> {
  /** The accelerator id that issues it (`EngineDirective.accelerator`). */
  readonly accelerator: Accelerator;
  readonly description: string;
  /** Each method's parameters as a backend receives them. */
  readonly methods: Methods;
}

export const defineDirective = <const Methods extends Record<string, z.ZodObject>, const Accelerator extends string>(
  definition: DirectiveDefinition<Methods, Accelerator>,
): DirectiveDefinition<Methods, Accelerator> => definition;

const count = z.number().int().positive();
/** Entries kept per KV head per layer; a value in (0, 1) is a fraction of the prompt length. */
const budget = z.number().positive();

const snapkv = z
  .object({
    budget,
    /** Observation window: the last prompt queries that vote. */
    windowSize: count,
    /** 1-D pooling width over the votes. */
    kernelSize: count,
    pooling: z.enum(["maxpool", "avgpool"]),
  })
  .strict();

export const KV_PRUNING_DIRECTIVE = defineDirective({
  accelerator: "kv-pruning",
  description: "evict KV-cache entries after prefill (and, for some methods, during decode) under a per-head budget",
  methods: {
    streamingllm: z
      .object({
        /** Attention-sink tokens kept from the start. */
        sinkTokens: z.number().int().nonnegative(),
        /** Most recent tokens kept. */
        windowTokens: count,
        /** Save and reload the sequence after eviction so decode scans fewer cells (llama.cpp). */
        compact: z.boolean(),
      })
      .strict(),
    h2o: z
      .object({
        budget,
        /** Share of the budget given to the recent window. */
        recentShare: z.number().min(0).max(1),
      })
      .strict(),
    snapkv,
    pyramidkv: snapkv
      .extend({
        /** Pyramid steepness: the top layer keeps (budget − window)/beta prompt tokens. */
        beta: count,
      })
      .strict(),
    l2norm: z
      .object({
        budget,
        /** Layers left uncompressed. */
        skipLayers: z.array(z.number().int().nonnegative()),
      })
      .strict(),
    tova: z.object({ budget }).strict(),
  },
});

export const SPARSE_ATTENTION_DIRECTIVE = defineDirective({
  accelerator: "sparse-attention",
  description: "prefill under a sparse attention pattern built per head (decode stays dense)",
  methods: {
    minference: z
      .object({
        /** Queries at the end of the prompt used to estimate the pattern. */
        lastQ: count,
        /** Vertical columns kept. */
        verticalSize: count,
        /** Slash diagonals kept. */
        slashSize: count,
        /** Query rows per block of the block-sparse layout. */
        blockSize: count,
      })
      .strict(),
    flexprefill: z
      .object({
        /** Cumulative attention coverage. */
        gamma: z.number().positive().max(1),
        /** Jensen–Shannon threshold choosing the query-aware pattern. */
        tau: z.number().nonnegative(),
        /** Minimum keys per query block. */
        minBudget: count,
        blockSize: count,
      })
      .strict(),
    xattention: z
      .object({
        /** Cumulative block-mass threshold. */
        threshold: z.number().positive().max(1),
        /** Antidiagonal stride. */
        stride: count,
        blockSize: count,
      })
      .strict(),
    blocktopk: z
      .object({
        /** Key block size. */
        blockSize: count,
        /** Blocks per query, the current block included. */
        topK: count,
      })
      .strict(),
  },
});

/** Every first-party directive definition, by accelerator id. */
export const DIRECTIVE_CATALOGUE = {
  [KV_PRUNING_DIRECTIVE.accelerator]: KV_PRUNING_DIRECTIVE,
  [SPARSE_ATTENTION_DIRECTIVE.accelerator]: SPARSE_ATTENTION_DIRECTIVE,
} as const satisfies Record<string, DirectiveDefinition>;

type MethodsOf<D> = D extends DirectiveDefinition<infer M, string> ? M : never;
/** The params a backend receives for a catalogued directive, e.g. `DirectiveParams<typeof KV_PRUNING_DIRECTIVE, "snapkv">`. */
export type DirectiveParams<D extends DirectiveDefinition<Record<string, z.ZodObject>, string>, M extends keyof MethodsOf<D>> = z.output<MethodsOf<D>[M]>;
/** The names of the catalogued directives, e.g. `"kv-pruning:snapkv"`. */
export type CataloguedDirectiveName = {
  [A in keyof typeof DIRECTIVE_CATALOGUE]: `${A & string}:${keyof MethodsOf<(typeof DIRECTIVE_CATALOGUE)[A]> & string}`;
}[keyof typeof DIRECTIVE_CATALOGUE];

export const directiveName = (directive: Pick<EngineDirective, "accelerator" | "method">): DirectiveName => `${directive.accelerator}:${directive.method}`;

/** Every directive name a definition covers (a backend that honours all of them declares these). */
export function directiveNames(definition: DirectiveDefinition): DirectiveName[] {
  return Object.keys(definition.methods).map((method) => directiveName({ accelerator: definition.accelerator, method }));
}

/** The catalogue's schema for a directive, or undefined for one it does not define (a third-party accelerator's). */
export function directiveSchema(directive: Pick<EngineDirective, "accelerator" | "method">): z.ZodObject | undefined {
  const definition = (DIRECTIVE_CATALOGUE as Record<string, DirectiveDefinition>)[directive.accelerator];
  return definition ? definition.methods[directive.method] : undefined;
}

/**
 * A method's params checked against its schema, as one readable line per problem (`name: what is
 * wrong`, `unknown param x`), the hint naming the params the method takes. `owner` prefixes the
 * message (`snapkv`, `kv-pruning:snapkv`).
 */
export function parseMethodParams<S extends z.ZodType>(owner: string, schema: S, params: unknown, code = "ACCELERATOR_PARAMS"): z.output<S> {
  const parsed = schema.safeParse(params ?? {});
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const unknown = issue.code === "unrecognized_keys" ? issue.keys : undefined;
    if (unknown?.length) return `unknown param${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")}`;
    return `${issue.path.join(".") || "params"}: ${issue.message}`;
  });
  const shape = schema instanceof z.ZodObject ? Object.keys(schema.shape) : undefined;
  return failParams(code, owner, problems, shape);
}

/**
 * An accelerator's `resolveParams(method, params)` over its per-method schemas: an unknown method
 * is refused naming the methods there are; the params are parsed (defaults merged, unknown names
 * and bad values refused) by `parseMethodParams`.
 */
export function methodParamsResolver(accelerator: string, schemas: Readonly<Record<string, z.ZodType>>): (method: string, params: unknown) => JsonObject {
  return (method, params) => {
    const schema = Object.hasOwn(schemas, method) ? schemas[method] : undefined;
    if (!schema) throw new LoomError("ACCELERATOR_SPEC", `${accelerator} has no method "${method}"`, { hint: `methods: ${Object.keys(schemas).join(", ")}` });
    return parseMethodParams(method, schema, params) as JsonObject;
  };
}

function failParams(code: string, owner: string, problems: string[], names: string[] | undefined): never {
  throw new LoomError(code, `${owner}: ${problems.join("; ")}`, names ? { hint: `${owner} takes ${names.join(", ")}` } : undefined);
}

type DefaultsFor<S extends z.ZodRawShape> = { [K in keyof S]?: z.output<S[K]> };
type Defaulted<S extends z.ZodRawShape, D> = { [K in keyof S]: K extends keyof D ? z.ZodDefault<S[K]> : S[K] };

/**
 * A directive's params schema with defaults filled in for the named fields: how an accelerator or
 * an engine turns the catalogue's contract into what a user may leave out, without restating it.
 */
export function withDefaults<S extends z.ZodRawShape, const D extends DefaultsFor<S>>(schema: z.ZodObject<S>, defaults: D): z.ZodObject<Defaulted<S, D>, z.core.$strict> {
  const shape: Record<string, z.ZodType> = {};
  for (const [key, value] of Object.entries(defaults)) {
    const field = schema.shape[key];
    if (!field) throw new LoomError("DIRECTIVE_SCHEMA", `default given for "${key}", which the schema does not have`);
    shape[key] = (field as unknown as z.ZodType).default(value as never);
  }
  return schema.extend(shape).strict() as unknown as z.ZodObject<Defaulted<S, D>, z.core.$strict>;
}
