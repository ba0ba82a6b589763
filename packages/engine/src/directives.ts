import { LoomError, parseMethodParams, type EngineDirective, type JsonObject } from "@loomscope/spec";
import type { SparseMethod } from "./attention.js";
import { kvPolicy, type KVPolicy } from "./kv.js";
import { KV_ACCELERATOR, KV_METHOD_SCHEMAS, SPARSE_ACCELERATOR, SPARSE_METHOD_SCHEMAS, type KvMethod, type SparseMethodName } from "./methods.js";
import { sparseMethod } from "./sparse.js";

export interface Interpreted {
  policy?: KVPolicy;
  sparse?: SparseMethod;
  /** The directives as resolved (defaults filled in), for engineStats. */
  applied: JsonObject[];
}

/** Resolves a KV method's params (defaults merged, unknown names refused). */
export function resolveKvParams(method: string, params: unknown): JsonObject {
  const schema = KV_METHOD_SCHEMAS[method as KvMethod];
  if (!schema) throw new LoomError("ENGINE_DIRECTIVE", `engine: unknown kv-pruning method "${method}"`, { hint: `methods: ${Object.keys(KV_METHOD_SCHEMAS).join(", ")}` });
  return parseMethodParams(method, schema, params) as JsonObject;
}

export function resolveSparseParams(method: string, params: unknown): JsonObject {
  const schema = SPARSE_METHOD_SCHEMAS[method as SparseMethodName];
  if (!schema) throw new LoomError("ENGINE_DIRECTIVE", `engine: unknown sparse-attention method "${method}"`, { hint: `methods: ${Object.keys(SPARSE_METHOD_SCHEMAS).join(", ")}` });
  return parseMethodParams(method, schema, params) as JsonObject;
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
