import { defineBackend, type CataloguedDirectiveName } from "@loomscope/spec";
import { createOllamaBackend } from "./backend.js";

export { OllamaBackend, OllamaOptionsSchema, createOllamaBackend, normalizeModelName, type OllamaOptions } from "./backend.js";

export default defineBackend({
  kind: "backend",
  apiVersion: 1,
  id: "ollama",
  description: "Ollama through the official client; num_ctx always set, silent prompt cuts reported as errors",
  /** StreamingLLM as Ollama's context shift (`num_keep`, on overflow only). */
  directives: ["kv-pruning:streamingllm"] satisfies CataloguedDirectiveName[],
  create: (options) => createOllamaBackend(options),
});
