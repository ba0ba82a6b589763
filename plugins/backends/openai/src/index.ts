import { defineBackend, type CataloguedDirectiveName } from "@loomscope/spec";
import { createOpenAIBackend } from "./backend.js";

export { OpenAICompatibleBackend, OpenAIOptionsSchema, createOpenAIBackend, serverRoot, isOpenAIHost, tiktokenSpecFor } from "./backend.js";
export type { OpenAIOptions, OpenAICompatibleSettings } from "./backend.js";

export default defineBackend({
  kind: "backend",
  apiVersion: 1,
  id: "openai",
  description: "Any OpenAI-compatible endpoint (OpenAI, SGLang, llama-server, LM Studio, hosted providers)",
  /** StreamingLLM as llama-server's context shift (`n_keep`); the kv-pruning binding refuses it on servers without the feature. */
  directives: ["kv-pruning:streamingllm"] satisfies CataloguedDirectiveName[],
  create: (options) => createOpenAIBackend(options),
});
