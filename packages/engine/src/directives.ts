import { LoomError, type EngineDirective, type JsonObject } from "@loomscope/spec";
import type { z } from "zod";
import type { SparseMethod } from "./attention.js";
import { kvPolicy, type KVPolicy } from "./kv.js";
import { KV_ACCELERATOR, KV_METHOD_SCHEMAS, SPARSE_ACCELERATOR, SPARSE_METHOD_SCHEMAS } from "./methods.js";
import { sparseMethod } from "./sparse.js";

export interface Interpreted {
  policy?: KVPolicy;
  sparse?: SparseMethod;
  /** The directives as resolved (defaults filled in), for engineStats. */
  applied: JsonObject[];
}

/** A params error as one readable line per problem (`name: what is wrong`), with the names the method takes. */
function paramsError(method: string, error: z.ZodError, schema: z.ZodType): LoomError {
  const problems = error.issues.map((issue) => {
    const unknown = issue.code === "unrecognized_keys" ? (issue as { keys?: string[] }).keys : undefined;
    if (unknown?.length) return `unknown param${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")}`;
    return `${issue.path.join(".") || "params"}: ${issue.message}`;
  });
  const shape = (schema as { shape?: Record<string, unknown> }).shape;
  return new LoomError("ACCELERATOR_PARAMS", `${method}: ${problems.join("; ")}`, shape ? { hint: `${method} takes ${Object.keys(shape).join(", ")}` } : undefined);
}

/** Resolves a KV method's params (defaults merged, unknown names refused). */
export function resolveKvParams(method: string, params: unknown): JsonObject {
  const schema = KV_METHOD_SCHEMAS[method as keyof typeof KV_METHOD_SCHEMAS];
  if (!schema) throw new LoomError("ENGINE_DIRECTIVE", `engine: unknown kv-pruning method "${method}"`, { hint: `methods: ${Object.keys(KV_METHOD_SCHEMAS).join(", ")}` });
  const parsed = schema.safeParse(params ?? {});
  if (!parsed.success) throw paramsError(method, parsed.error, schema);
  return parsed.data as JsonObject;
}

export function resolveSparseParams(method: string, params: unknown): JsonObject {
  const schema = SPARSE_METHOD_SCHEMAS[method as keyof typeof SPARSE_METHOD_SCHEMAS];
  if (!schema) throw new LoomError("ENGINE_DIRECTIVE", `engine: unknown sparse-attention method "${method}"`, { hint: `methods: ${Object.keys(SPARSE_METHOD_SCHEMAS).join(", ")}` });
  const parsed = schema.safeParse(params ?? {});
  if (!parsed.success) throw paramsError(method, parsed.error, schema);
  return parsed.data as JsonObject;
}

/** Turns request.engine directives into a KV policy and a sparse prefill method. */
export function interpretDirectives(directives: readonly EngineDirective[] | undefined): Interpreted {
  const out: Interpreted = { applied: [] };
  for (const d of directives ?? []) {
    if (d.accelerator === KV_ACCELERATOR) {
      if (out.policy) throw new LoomError("ENGINE_DIRECTIVE", "engine: two kv-pruning directives in one request");
      const params = resolveKvParams(d.method, d.params);
      out.policy = kvPolicy(d.method, params);
      out.applied.push({ accelerator: d.accelerator, method: d.method, params });
    } else if (d.accelerator === SPARSE_ACCELERATOR) {
      if (out.sparse) throw new LoomError("ENGINE_DIRECTIVE", "engine: two sparse-attention directives in one request");
      const params = resolveSparseParams(d.method, d.params);
      out.sparse = sparseMethod(d.method, params as never);
      out.applied.push({ accelerator: d.accelerator, method: d.method, params });
    } else {
      throw new LoomError("ENGINE_DIRECTIVE", `engine: no support for accelerator "${d.accelerator}"`, {
        hint: `the engine interprets ${KV_ACCELERATOR} and ${SPARSE_ACCELERATOR}`,
      });
    }
  }
  return out;
}
