import { defineBackend, type CataloguedDirectiveName } from "@loomscope/spec";
import { createLlamaCppBackend } from "./backend.js";

export {
  LlamaCppBackend,
  LlamaCppOptionsSchema,
  createLlamaCppBackend,
  llamaTokenizer,
  FEATURES,
  type LlamaCppOptions,
  type StreamingLlmParams,
} from "./backend.js";
export { parseModelSpec, splitParts, modelUnavailable, WAYS_ON, type ModelSource } from "./model-spec.js";
export { streamingllmKeep, streamingllmEraseRange } from "./streamingllm.js";
export { SequencePool, type Lease, type PoolStats } from "./pool.js";
export { loadLlama, type GpuChoice } from "./llama.js";

export default defineBackend({
  kind: "backend",
  apiVersion: 1,
  id: "llamacpp",
  description: "llama.cpp embedded through node-llama-cpp: local or Hugging Face GGUF, the model's own tokenizer and chat template, StreamingLLM by KV range erasure",
  /** StreamingLLM by erasing token ranges; node-llama-cpp exposes neither keys nor attention, so no other method. */
  directives: ["kv-pruning:streamingllm"] satisfies CataloguedDirectiveName[],
  create: (options) => createLlamaCppBackend(options),
});
