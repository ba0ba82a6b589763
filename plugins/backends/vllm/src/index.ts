import { defineBackend } from "@loomscope/spec";
import { createVllmBackend } from "./backend.js";

export { VllmBackend, VllmOptionsSchema, createVllmBackend, serveArgs, type VllmOptions } from "./backend.js";
export { ManagedServer, type LaunchSettings } from "./launch.js";

export default defineBackend({
  kind: "backend",
  apiVersion: 1,
  id: "vllm",
  description: "vLLM: attach to servers (balanced) or launch `vllm serve`; exact truncation through /tokenize",
  /** Upstream vLLM has no token eviction and no switchable sparse prefill: no directive is honoured. */
  directives: [],
  create: (options) => createVllmBackend(options),
});
