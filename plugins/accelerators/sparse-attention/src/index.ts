import {
  AcceleratorUnsupportedError,
  defineAccelerator,
  methodParamsResolver,
  SPARSE_ATTENTION_DIRECTIVE,
  type AcceleratorMethod,
  type BindRequest,
  type DirectiveDefinition,
  type EngineBinding,
} from "@loomscope/spec";
import { BlockTopKParamsSchema, FlexPrefillParamsSchema, MInferenceParamsSchema, XAttentionParamsSchema } from "@loomscope/engine";

export const ACCELERATOR_ID = SPARSE_ATTENTION_DIRECTIVE.accelerator;

type Method = keyof typeof SPARSE_ATTENTION_DIRECTIVE.methods;

/**
 * What a user may pass per method (`--accelerator sparse-attention:xattention,stride=8`): the engine
 * library's method schemas (the directive's fields with the papers' defaults). Keyed by the
 * directive catalogue's methods, so a method added there must be given here.
 */
export const PARAMS_SCHEMAS = {
  minference: MInferenceParamsSchema,
  flexprefill: FlexPrefillParamsSchema,
  xattention: XAttentionParamsSchema,
  blocktopk: BlockTopKParamsSchema,
} as const satisfies Record<Method, DirectiveDefinition["methods"][string]>;

/** The user's params for a method, defaults merged; unknown methods, names and bad values refused. */
export const resolveParams = methodParamsResolver(ACCELERATOR_ID, PARAMS_SCHEMAS);

const DESCRIPTIONS: Record<Method, string> = {
  minference: "MInference vertical-slash: columns and diagonals chosen from the last 64 queries' attention",
  flexprefill: "FlexPrefill: query-aware or vertical-slash per head (Jensen–Shannon test), blocks covering γ of the attention",
  xattention: "XAttention: blocks scored by strided antidiagonal sums, kept until the threshold of the row's mass",
  blocktopk: "Block top-k (MoBA): each query attends to its current block and the top-k past blocks by mean-key gate",
};

export const METHODS: AcceleratorMethod[] = (Object.keys(PARAMS_SCHEMAS) as Method[]).map((id) => ({
  id,
  description: DESCRIPTIONS[id],
  defaults: resolveParams(id, {}),
}));

function refusalHint(backendId: string): string {
  switch (backendId) {
    case "vllm":
      return "upstream vLLM has had no switchable sparse prefill since v0.11; run sparse attention on the engine backend, or on a server that declares attention.sparse-prefill.launch";
    case "llamacpp":
      return "llama.cpp has no sparse attention kernels; run sparse attention on the engine backend";
    case "ollama":
    case "openai":
      return `${backendId} offers no control over the attention kernel through its API; run sparse attention on the engine backend, or on a server launched with sparse prefill that declares attention.sparse-prefill.launch`;
    default:
      return `${backendId} declares no sparse prefill; run sparse attention on the engine backend`;
  }
}

function bind(request: BindRequest): EngineBinding {
  const { method, backend } = request;
  const features = backend.capabilities.features;
  const params = resolveParams(method, request.params);
  const base = { stage: "engine" as const, accelerator: ACCELERATOR_ID, method, params, directive: { accelerator: ACCELERATOR_ID, method, params } };
  if (features.includes("attention.sparse-prefill")) {
    return { ...base, label: `${method} sparse prefill on the reference engine (decode stays dense)` };
  }
  if (features.includes("attention.sparse-prefill.launch")) {
    return {
      ...base,
      label: `${method}: sparse prefill chosen by ${backend.id}'s launch flags (the server must have been started with it; the directive only records the intent)`,
    };
  }
  throw new AcceleratorUnsupportedError(ACCELERATOR_ID, backend.id, ["attention.sparse-prefill"], refusalHint(backend.id));
}

export default defineAccelerator({
  kind: "accelerator",
  apiVersion: 1,
  id: ACCELERATOR_ID,
  stage: "engine",
  description: "Sparse prefill attention inside the engine: MInference, FlexPrefill, XAttention, block top-k (MoBA)",
  methods: METHODS,
  defaultMethod: "minference",
  bind,
});
