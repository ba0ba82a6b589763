// docs/scale.md is tested: its Kubernetes Job manifest is checked against the Job fields it uses
// (a zod schema of batch/v1 Job essentials), and the commands it contains — the Job's container
// command with each completion index, the sbatch script with each array index, the merge — run
// against the testkit server with only the variables the documents define set to local values.
import { spawn } from "node:child_process";
import { chmodSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { startOpenAIServer, type FakeOpenAIServer } from "@loomscope/testkit";
import { answerLookup, FIXTURE_BENCHMARK, LOOM_BIN, project, recordLines, REPO } from "../helpers.js";

const DOC = readFileSync(join(REPO, "docs/scale.md"), "utf8");
const VLLM_BACKEND = join(REPO, "plugins/backends/vllm");
const SAMPLES = 10; // per task; fixture-qa has two tasks

/** The fenced block right after `<!-- test: <name> … -->`. */
function block(name: string): string {
  const match = new RegExp(`<!-- test: ${name}\\b[^>]*-->\\s*\`\`\`[a-z]*\\n([\\s\\S]*?)\\n\`\`\``).exec(DOC);
  if (!match) throw new Error(`docs/scale.md has no block marked "test: ${name}"`);
  return match[1]!;
}

// --- The Kubernetes Job essentials: the fields the manifest uses, strictly (a typo is an unknown key). ---
const dnsLabel = z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/).max(63);
const quantity = z.union([z.string().regex(/^\d+(\.\d+)?(m|Ki|Mi|Gi|Ti|k|M|G|T)?$/), z.number()]);
const EnvVar = z
  .object({
    name: z.string().regex(/^[-._a-zA-Z][-._a-zA-Z0-9]*$/),
    value: z.string().optional(),
    valueFrom: z
      .object({ secretKeyRef: z.object({ name: dnsLabel, key: z.string(), optional: z.boolean().optional() }).strict() })
      .strict()
      .optional(),
  })
  .strict()
  .refine((e) => (e.value === undefined) !== (e.valueFrom === undefined), "an env var has either value or valueFrom");
const Container = z
  .object({
    name: dnsLabel,
    image: z.string().min(1),
    command: z.array(z.string()).optional(),
    args: z.array(z.string()).optional(),
    env: z.array(EnvVar).optional(),
    volumeMounts: z.array(z.object({ name: dnsLabel, mountPath: z.string().startsWith("/") }).strict()).optional(),
    resources: z.object({ requests: z.record(z.enum(["cpu", "memory"]), quantity).optional(), limits: z.record(z.string(), quantity).optional() }).strict().optional(),
  })
  .strict();
const JobSchema = z
  .object({
    apiVersion: z.literal("batch/v1"),
    kind: z.literal("Job"),
    metadata: z.object({ name: z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/).max(253) }).strict(),
    spec: z
      .object({
        completionMode: z.literal("Indexed"),
        completions: z.number().int().positive(),
        parallelism: z.number().int().positive(),
        backoffLimitPerIndex: z.number().int().nonnegative().optional(),
        template: z
          .object({
            spec: z
              .object({
                restartPolicy: z.enum(["Never", "OnFailure"]),
                containers: z.array(Container).min(1),
                volumes: z.array(z.object({ name: dnsLabel, persistentVolumeClaim: z.object({ claimName: dnsLabel }).strict() }).strict()).optional(),
              })
              .strict(),
          })
          .strict(),
      })
      .strict()
      // Kubernetes: backoffLimitPerIndex needs Indexed completion and Never restarts.
      .refine((s) => s.backoffLimitPerIndex === undefined || s.template.spec.restartPolicy === "Never", "backoffLimitPerIndex requires restartPolicy Never"),
  })
  .strict();

/** Kubernetes' `$(NAME)` expansion in command and args: defined names are replaced, `$$` escapes. */
const expandK8s = (text: string, env: Record<string, string>) =>
  text.replace(/\$\$|\$\(([-._a-zA-Z][-._a-zA-Z0-9]*)\)/g, (all, name: string | undefined) => (all === "$$" ? "$" : name !== undefined && name in env ? env[name]! : all));

/** Runs a command without blocking this process (the fake server answers from here). */
function exec(command: string, args: readonly string[], options: { cwd: string; env: Record<string, string> }): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

/** A bin folder where `loom` is this checkout's CLI (the image's global install, here). */
function loomOnPath(): string {
  const bin = mkdtempSync(join(tmpdir(), "loom-bin-"));
  writeFileSync(join(bin, "loom"), `#!/bin/sh\nexec "${process.execPath}" "${LOOM_BIN}" "$@"\n`);
  chmodSync(join(bin, "loom"), 0o755);
  return bin;
}

const baseEnv = (bin: string): Record<string, string> => {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^(JOB_COMPLETION_INDEX|SLURM_|LOOM_SHARD_)/.test(k)) env[k] = v;
  return { ...env, CI: "1", PATH: `${bin}${delimiter}${process.env.PATH ?? ""}` };
};

describe("docs/scale.md", () => {
  let server: FakeOpenAIServer;
  let bin: string;
  beforeAll(async () => {
    server = await startOpenAIServer({ models: [{ id: "test-model", maxModelLen: 8192 }], script: answerLookup });
    bin = loomOnPath();
  });
  afterAll(() => server.close());

  /** A project where the image's plugins are the fixture benchmark and the vLLM backend. */
  const cwd = () => project({ plugins: [FIXTURE_BENCHMARK, VLLM_BACKEND], benchmarks: { "fixture-qa": { samples: SAMPLES } } });

  it("the Kubernetes manifest is a valid Indexed Job whose shard count matches its completions", () => {
    const job = JobSchema.parse(parseYaml(block("kubernetes-job")));
    const container = job.spec.template.spec.containers[0]!;
    const env = Object.fromEntries((container.env ?? []).filter((e) => e.value !== undefined).map((e) => [e.name, e.value!]));
    expect(env.LOOM_SHARD_COUNT).toBe(String(job.spec.completions));
    expect(job.spec.parallelism).toBeLessThanOrEqual(job.spec.completions);
    expect(container.args?.join(" ")).toMatch(/--shard auto/);
    // Every mount has a volume, and the results land on the shared volume.
    const volumes = new Set((job.spec.template.spec.volumes ?? []).map((v) => v.name));
    for (const m of container.volumeMounts ?? []) expect(volumes.has(m.name), m.name).toBe(true);
    const out = expandK8s(container.args![container.args!.indexOf("--out") + 1]!, env);
    expect((container.volumeMounts ?? []).some((m) => out.startsWith(`${m.mountPath}/`))).toBe(true);
    // The schema is strict: a misspelt field is caught.
    const typo = parseYaml(block("kubernetes-job").replace("completionMode", "completionsMode"));
    expect(JobSchema.safeParse(typo).success).toBe(false);
  });

  it("runs the Job's container command once per completion index, then the merge command", async () => {
    const job = JobSchema.parse(parseYaml(block("kubernetes-job")));
    const container = job.spec.template.spec.containers[0]!;
    const manifestEnv = Object.fromEntries((container.env ?? []).filter((e) => e.value !== undefined).map((e) => [e.name, e.value!]));
    const dir = cwd();
    const results = join(dir, "results");
    // Local values for the cluster's: only variables the manifest defines.
    const local: Record<string, string> = {
      TARGET: "fixture-qa",
      MODEL: "vllm:test-model",
      VLLM_BASE_URL: server.baseURL,
      RESULTS: results,
      LOOMSCOPE_CACHE_DIR: join(dir, "cache/loomscope"),
      HF_HOME: join(dir, "cache/huggingface"),
    };
    for (const name of Object.keys(local)) expect(manifestEnv, `the manifest defines ${name}`).toHaveProperty(name);
    const podEnv = { ...manifestEnv, ...local };
    expect(container.command).toEqual(["loom"]);
    for (let index = 0; index < job.spec.completions; index++) {
      const args = container.args!.map((a) => expandK8s(a, podEnv));
      const run = await exec("loom", args, { cwd: dir, env: { ...baseEnv(bin), ...podEnv, JOB_COMPLETION_INDEX: String(index) } });
      expect(run.stderr, `pod ${index}`).toContain(`shard ${index}/${job.spec.completions}, from a Kubernetes Indexed Job`);
      expect(run.status, run.stderr).toBe(0);
    }
    const shardDirs = readdirSync(results);
    expect(shardDirs).toHaveLength(job.spec.completions);
    const perShard = shardDirs.map((d) => recordLines(join(results, d)).length);
    expect(perShard.reduce((a, b) => a + b, 0)).toBe(2 * SAMPLES);

    const merge = await exec("bash", ["-euo", "pipefail", "-c", block("merge")], { cwd: dir, env: { ...baseEnv(bin), RESULTS: results } });
    expect(merge.status, merge.stderr).toBe(0);
    expect(merge.stdout).toContain(`merged ${2 * SAMPLES} records from ${job.spec.completions} of ${job.spec.completions} shards`);
    expect(JSON.parse(readFileSync(join(results, "merged", "results.json"), "utf8"))).toMatchObject({ complete: true, benchmarks: [{ samples: { ok: 2 * SAMPLES, errors: 0 } }] });
  });

  it("runs the sbatch script once per array index, then the merge command", async () => {
    const script = block("sbatch");
    const array = /^#SBATCH --array=(\d+)-(\d+)$/m.exec(script);
    expect(array, "the script declares an --array=a-b range").not.toBeNull();
    const [min, max] = [Number(array![1]), Number(array![2])];
    const count = max - min + 1;
    const dir = cwd();
    const results = join(dir, "results");
    const file = join(dir, "loom-array.sbatch");
    writeFileSync(file, script);
    // The variables the script reads with defaults, set to local values.
    const local: Record<string, string> = { TARGET: "fixture-qa", MODEL: "vllm:test-model", RESULTS: results, VLLM_BASE_URL: server.baseURL };
    for (const name of Object.keys(local)) expect(script, `the script reads ${name}`).toMatch(new RegExp(`\\$\\{${name}:[-=]`));
    for (let task = min; task <= max; task++) {
      const slurm = { SLURM_ARRAY_JOB_ID: "4242", SLURM_ARRAY_TASK_ID: String(task), SLURM_ARRAY_TASK_COUNT: String(count), SLURM_ARRAY_TASK_MIN: String(min), SLURM_ARRAY_TASK_MAX: String(max), SLURM_ARRAY_TASK_STEP: "1" };
      const run = await exec("bash", [file], { cwd: dir, env: { ...baseEnv(bin), ...local, ...slurm } });
      expect(run.stderr, `task ${task}`).toContain(`shard ${task - min}/${count}, from a Slurm array`);
      expect(run.status, run.stderr).toBe(0);
    }
    expect(readdirSync(results)).toHaveLength(count);
    const merge = await exec("bash", ["-euo", "pipefail", "-c", block("merge")], { cwd: dir, env: { ...baseEnv(bin), RESULTS: results } });
    expect(merge.status, merge.stderr).toBe(0);
    expect(merge.stdout).toContain(`merged ${2 * SAMPLES} records from ${count} of ${count} shards`);
  });

  it("the merge command refuses when a shard is missing, naming its samples", async () => {
    const script = block("sbatch");
    const dir = cwd();
    const results = join(dir, "results");
    const file = join(dir, "loom-array.sbatch");
    writeFileSync(file, script);
    const local = { TARGET: "fixture-qa", MODEL: "vllm:test-model", RESULTS: results, VLLM_BASE_URL: server.baseURL };
    // Only tasks 0 and 1 of a 3-task array ran.
    for (const task of [0, 1]) {
      const slurm = { SLURM_ARRAY_TASK_ID: String(task), SLURM_ARRAY_TASK_COUNT: "3" };
      expect((await exec("bash", [file], { cwd: dir, env: { ...baseEnv(bin), ...local, ...slurm } })).status).toBe(0);
    }
    const merge = await exec("bash", ["-euo", "pipefail", "-c", block("merge")], { cwd: dir, env: { ...baseEnv(bin), RESULTS: results } });
    expect(merge.status).toBe(2);
    expect(merge.stderr).toMatch(/shard 2\/3 is missing \(no run directory given\); \d+ planned samples? ha(s|ve) no record:\n {2}fixture-qa\/[\w-]+: [\w-]+ \(shard 2\)/);
  });
});
