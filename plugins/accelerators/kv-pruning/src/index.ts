import {
  AcceleratorUnsupportedError,
  defineAccelerator,
  KV_PRUNING_DIRECTIVE,
  methodParamsResolver,
  type AcceleratorMethod,
  type BindRequest,
  type DirectiveDefinition,
  type EngineBinding,
  type JsonObject,
} from "@loomscope/spec";
import {
  H2OParamsSchema,
  L2NormParamsSchema,
  PyramidKVParamsSchema,
  SnapKVParamsSchema,
  StreamingLLMParamsSchema,
  TOVAParamsSchema,
  streamingllmEraseRange,
  streamingllmKeep,
} from "@loomscope/engine";

export { streamingllmKeep, streamingllmEraseRange };

export const ACCELERATOR_ID = KV_PRUNING_DIRECTIVE.accelerator;

type Method = keyof typeof KV_PRUNING_DIRECTIVE.methods;

/**
 * What a user may pass per method (`--accelerator kv-pruning:snapkv,budget=256`): the engine
 * library's method schemas (the directive's fields with the papers' defaults). Keyed by the
 * directive catalogue's methods, so a method added there must be given here.
 */
export const PARAMS_SCHEMAS = {
  streamingllm: StreamingLLMParamsSchema,
  h2o: H2OParamsSchema,
  snapkv: SnapKVParamsSchema,
  pyramidkv: PyramidKVParamsSchema,
  l2norm: L2NormParamsSchema,
  tova: TOVAParamsSchema,
} as const satisfies Record<Method, DirectiveDefinition["methods"][string]>;

/** The user's params for a method, defaults merged; unknown methods, names and bad values refused. */
export const resolveParams = methodParamsResolver(ACCELERATOR_ID, PARAMS_SCHEMAS);

const DESCRIPTIONS: Record<Method, string> = {
  streamingllm: "StreamingLLM: keep the first sinkTokens (attention sinks) and the last windowTokens",
  h2o: "H2O: heavy hitters by accumulated attention plus a recent window, also evicting during decode",
  snapkv: "SnapKV: the observation window's pooled attention votes pick the prompt entries to keep",
  pyramidkv: "PyramidKV: SnapKV selection under layer-wise budgets, larger in lower layers",
  l2norm: "L2Compress (LOOM-Scope) / kvpress KnormPress: keep the keys with the lowest L2 norm",
  tova: "TOVA (kvpress TOVAPress): evict by the last token's attention averaged over the layer's heads",
};

export const METHODS: AcceleratorMethod[] = (Object.keys(PARAMS_SCHEMAS) as Method[]).map((id) => ({
  id,
  description: DESCRIPTIONS[id],
  defaults: resolveParams(id, {}),
}));

/** Why a backend without `kv.policy` cannot run a method other than streamingllm. */
function refusalHint(backendId: string, features: readonly string[], method: string): string {
  if (backendId === "vllm") return "upstream vLLM has no token eviction (only fp8 KV-cache quantization); run KV pruning on the engine backend (engine:<model-dir>)";
  if (features.includes("kv.erase-range")) {
    return `llama.cpp exposes neither keys nor attention weights, only erasing token ranges, so ${method} cannot choose entries; only streamingllm runs there`;
  }
  if (features.includes("kv.context-shift")) {
    return `${backendId} only shifts context on overflow (keep the first n tokens, drop half the rest), so ${method} cannot run; only streamingllm runs there, as context shift`;
  }
  return `${backendId} declares no KV-cache control; run ${method} on the engine backend (engine:<model-dir> or engine:random:<preset>)`;
}

function bind(request: BindRequest): EngineBinding {
  const { method, backend } = request;
  const features = backend.capabilities.features;
  const params = resolveParams(method, request.params);
  const directive = { accelerator: ACCELERATOR_ID, method, params };
  const base = { stage: "engine" as const, accelerator: ACCELERATOR_ID, method, params, directive };
  if (features.includes("kv.policy")) {
    return { ...base, label: `${method} on the reference engine (per-head KV eviction after prefill and during decode; ${summary(method, params)})` };
  }
  if (method === "streamingllm") {
    const sink = params["sinkTokens"] as number;
    const window = params["windowTokens"] as number;
    const compact = params["compact"] === true;
    if (features.includes("kv.erase-range")) {
      if (compact && !features.includes("kv.compaction")) {
        throw new AcceleratorUnsupportedError(ACCELERATOR_ID, backend.id, ["kv.compaction"], `${backend.id} cannot save and reload a sequence; pass compact=false`);
      }
      return {
        ...base,
        label: `streamingllm by erasing KV ranges after prefill on ${backend.id} (keep first ${sink} + last ${window}${compact ? ", compacted by saving and reloading the sequence" : ""})`,
      };
    }
    if (features.includes("kv.context-shift")) {
      if (compact) {
        throw new AcceleratorUnsupportedError(ACCELERATOR_ID, backend.id, ["kv.compaction"], `${backend.id}'s context shift cannot compact; pass compact=false`);
      }
      return {
        ...base,
        label: `streamingllm as ${backend.id} context shift (num_keep/n_keep = ${sink}); fires only when the context overflows, never after prefill`,
      };
    }
    throw new AcceleratorUnsupportedError(ACCELERATOR_ID, backend.id, ["kv.policy", "kv.erase-range", "kv.context-shift"], refusalHint(backend.id, features, method));
  }
  throw new AcceleratorUnsupportedError(ACCELERATOR_ID, backend.id, ["kv.policy"], refusalHint(backend.id, features, method));
}

function summary(method: string, params: JsonObject): string {
  return Object.entries(params)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? `[${v.join(",")}]` : String(v)}`)
    .join(", ") || method;
}

export default defineAccelerator({
  kind: "accelerator",
  apiVersion: 1,
  id: ACCELERATOR_ID,
  stage: "engine",
  description: "KV-cache pruning inside the engine: StreamingLLM, H2O, SnapKV, PyramidKV, L2Compress, TOVA",
  methods: METHODS,
  defaultMethod: "snapkv",
  bind,
});
