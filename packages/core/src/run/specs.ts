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

type Env = Readonly<Record<string, string | undefined>>;

/** A shard picked from a scheduler's environment, with where it came from (for the log line). */
export interface AutoShard {
  index: number;
  count: number;
  source: string;
}

const AUTO_SHARD_HINT =
  "--shard auto reads a Kubernetes Indexed Job (JOB_COMPLETION_INDEX, with LOOM_SHARD_COUNT set to the Job's completions), " +
  "a Slurm job array (SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT), or LOOM_SHARD_INDEX with LOOM_SHARD_COUNT; " +
  "outside a scheduler pass --shard i/n (see docs/scale.md)";

function envInt(env: Env, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return undefined;
  if (!/^\d+$/.test(raw.trim())) throw new LoomError("SHARD_SPEC", `--shard auto: ${name}=${raw} is not a whole number`, { hint: AUTO_SHARD_HINT });
  return Number(raw.trim());
}

function checked(index: number, count: number, source: string): AutoShard {
  if (count < 1 || index >= count) {
    throw new LoomError("SHARD_SPEC", `--shard auto: ${source} gives shard ${index} of ${count}, outside 0..${count - 1}`, { hint: AUTO_SHARD_HINT });
  }
  return { index, count, source };
}

/**
 * The shard of this process from its scheduler: a Kubernetes Indexed Job (JOB_COMPLETION_INDEX;
 * Kubernetes does not expose the completions count, so LOOM_SHARD_COUNT carries it), a Slurm job
 * array (SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN, divided by SLURM_ARRAY_TASK_STEP, of
 * SLURM_ARRAY_TASK_COUNT), or LOOM_SHARD_INDEX / LOOM_SHARD_COUNT for anything else.
 */
export function autoShard(env: Env = process.env): AutoShard {
  const k8sIndex = envInt(env, "JOB_COMPLETION_INDEX");
  if (k8sIndex !== undefined) {
    const count = envInt(env, "LOOM_SHARD_COUNT");
    if (count === undefined) {
      throw new LoomError("SHARD_SPEC", "--shard auto: JOB_COMPLETION_INDEX is set (a Kubernetes Indexed Job) but LOOM_SHARD_COUNT is not", {
        hint: "Kubernetes does not tell a pod how many completions its Job has: set LOOM_SHARD_COUNT in the pod's env to the Job's spec.completions (docs/scale.md)",
      });
    }
    return checked(k8sIndex, count, `a Kubernetes Indexed Job (JOB_COMPLETION_INDEX=${k8sIndex}, LOOM_SHARD_COUNT=${count})`);
  }
  const taskId = envInt(env, "SLURM_ARRAY_TASK_ID");
  if (taskId !== undefined) {
    const count = envInt(env, "SLURM_ARRAY_TASK_COUNT");
    if (count === undefined) {
      throw new LoomError("SHARD_SPEC", "--shard auto: SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not", { hint: AUTO_SHARD_HINT });
    }
    const min = envInt(env, "SLURM_ARRAY_TASK_MIN") ?? 0;
    const step = envInt(env, "SLURM_ARRAY_TASK_STEP") ?? 1;
    const offset = taskId - min;
    if (offset < 0 || step < 1 || offset % step !== 0) {
      throw new LoomError("SHARD_SPEC", `--shard auto: Slurm array task ${taskId} is not on the array's grid (min ${min}, step ${step})`, {
        hint: "use an evenly spaced array such as --array=0-7 (a list like --array=1,4,9 cannot be numbered into shards)",
      });
    }
    return checked(offset / step, count, `a Slurm array (SLURM_ARRAY_TASK_ID=${taskId}${min !== 0 ? `, SLURM_ARRAY_TASK_MIN=${min}` : ""}${step !== 1 ? `, SLURM_ARRAY_TASK_STEP=${step}` : ""}, SLURM_ARRAY_TASK_COUNT=${count})`);
  }
  const index = envInt(env, "LOOM_SHARD_INDEX");
  const count = envInt(env, "LOOM_SHARD_COUNT");
  if (index !== undefined && count !== undefined) return checked(index, count, `LOOM_SHARD_INDEX=${index}, LOOM_SHARD_COUNT=${count}`);
  throw new LoomError("SHARD_SPEC", "--shard auto found no shard index in the environment", { hint: AUTO_SHARD_HINT });
}

/**
 * `--shard i/n`: this process runs the samples whose id hashes to i (0-based) of n. `--shard auto`
 * takes i and n from the scheduler (`autoShard`).
 */
export function parseShard(spec: string, env: Env = process.env): { index: number; count: number } {
  if (spec === "auto") {
    const { index, count } = autoShard(env);
    return { index, count };
  }
  const match = /^(\d+)\/(\d+)$/.exec(spec);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index >= count) {
    throw new LoomError("SHARD_SPEC", `shard "${spec}" must be i/n with 0 <= i < n, or auto`);
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

