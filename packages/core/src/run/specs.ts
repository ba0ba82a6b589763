import { LoomError, type JsonObject, type JsonPrimitive } from "@loomscope/spec";

/** `<backend>:<model>`, the model after the first colon (`ollama:qwen3:8b` → ollama, qwen3:8b). */
export function parseModelSpec(spec: string): { backend: string; model: string } {
  const colon = spec.indexOf(":");
  if (colon <= 0) {
    throw new LoomError("MODEL_SPEC", `model "${spec}" must be written <backend>:<model>`, {
      hint: "e.g. llamacpp:./qwen3-0.6b.gguf, ollama:qwen3:8b, vllm:Qwen/Qwen3-8B, openai:gpt-4.1-mini",
    });
  }
  return { backend: spec.slice(0, colon), model: spec.slice(colon + 1) };
}

function parseValue(raw: string): JsonPrimitive {
  if (raw === "true") return true;
  if (raw === "false") return false;
  if (raw === "null") return null;
  if (/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(raw)) return Number(raw);
  return raw;
}

export interface AcceleratorSpec {
  id: string;
  method: string | undefined;
  params: JsonObject;
}

/** `<plugin-id>[:<method>][,key=value…]`, e.g. `rag-lancedb:bm25,k=15` or `kv-pruning:snapkv,budget=2048`. */
export function parseAcceleratorSpec(spec: string): AcceleratorSpec {
  const [head = "", ...pairs] = spec.split(",");
  const [id = "", method] = head.split(":", 2);
  if (!/^[a-z0-9][a-z0-9._-]*$/.test(id)) {
    throw new LoomError("ACCELERATOR_SPEC", `accelerator "${spec}" must be written <plugin-id>[:<method>][,key=value…]`);
  }
  const params: JsonObject = {};
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new LoomError("ACCELERATOR_SPEC", `"${pair}" in accelerator "${spec}" is not key=value`);
    params[pair.slice(0, eq).trim()] = parseValue(pair.slice(eq + 1).trim());
  }
  return { id, method: method || undefined, params };
}

/**
 * `--shard i/n`: this process runs the samples whose id hashes to i (0-based) of n. `auto` takes
 * i and n from a Kubernetes Indexed Job (JOB_COMPLETION_INDEX, with the completions count in
 * LOOM_SHARD_COUNT) or a Slurm array (SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_COUNT, SLURM_ARRAY_TASK_MIN).
 */
export function parseShard(spec: string, env: Readonly<Record<string, string | undefined>> = process.env): { index: number; count: number } {
  if (spec === "auto") return shardFromEnvironment(env);
  const match = /^(\d+)\/(\d+)$/.exec(spec);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index >= count) {
    throw new LoomError("SHARD_SPEC", `shard "${spec}" must be i/n with 0 <= i < n`);
  }
  return { index, count };
}

/** FNV-1a, stable across machines and Node versions, for shard assignment. */
export function stableHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

function shardFromEnvironment(env: Readonly<Record<string, string | undefined>>): { index: number; count: number } {
  const int = (v: string | undefined) => (v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined);
  const k8sIndex = int(env.JOB_COMPLETION_INDEX);
  if (k8sIndex !== undefined) {
    const count = int(env.LOOM_SHARD_COUNT);
    if (count === undefined) {
      throw new LoomError("SHARD_SPEC", "--shard auto: JOB_COMPLETION_INDEX is set but LOOM_SHARD_COUNT is not", {
        hint: "pass the Job's completions count to the pod as LOOM_SHARD_COUNT (see docs/scale.md)",
      });
    }
    return parseShard(`${k8sIndex}/${count}`, {});
  }
  const slurmId = int(env.SLURM_ARRAY_TASK_ID);
  if (slurmId !== undefined) {
    const count = int(env.SLURM_ARRAY_TASK_COUNT);
    if (count === undefined) throw new LoomError("SHARD_SPEC", "--shard auto: SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not");
    return parseShard(`${slurmId - (int(env.SLURM_ARRAY_TASK_MIN) ?? 0)}/${count}`, {});
  }
  throw new LoomError("SHARD_SPEC", "--shard auto needs a Kubernetes Indexed Job (JOB_COMPLETION_INDEX + LOOM_SHARD_COUNT) or a Slurm array (SLURM_ARRAY_TASK_ID + SLURM_ARRAY_TASK_COUNT)", {
    hint: "or pass --shard i/n",
  });
}
