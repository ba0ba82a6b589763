import { defineBackend } from "@loomscope/spec";
import { EngineBackend } from "./backend.js";

export { EngineBackend, EngineOptionsSchema, ENGINE_FEATURES, parseEngineModel } from "./backend.js";

export default defineBackend({
  kind: "backend",
  apiVersion: 1,
  id: "engine",
  description: "Reference TypeScript transformer (Llama/Qwen2) with KV-cache policies and sparse prefill: engine:<hf-folder> or engine:random:<preset|json>",
  create: (options) => new EngineBackend(options),
});
