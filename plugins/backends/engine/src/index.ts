import { defineBackend, directiveNames, KV_PRUNING_DIRECTIVE, SPARSE_ATTENTION_DIRECTIVE } from "@loomscope/spec";
import { EngineBackend } from "./backend.js";

export { EngineBackend, EngineOptionsSchema, ENGINE_FEATURES, parseEngineModel } from "./backend.js";

export default defineBackend({
  kind: "backend",
  apiVersion: 1,
  id: "engine",
  description: "Reference TypeScript transformer (Llama/Qwen2) with KV-cache policies and sparse prefill: engine:<hf-folder> or engine:random:<preset|json>",
  /** Every kv-pruning and sparse-attention method: the library runs them all. */
  directives: [...directiveNames(KV_PRUNING_DIRECTIVE), ...directiveNames(SPARSE_ATTENTION_DIRECTIVE)],
  create: (options) => new EngineBackend(options),
});
