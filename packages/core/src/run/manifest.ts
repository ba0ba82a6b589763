/**
 * A run's identity and manifest. The config hash covers what changes results — the targets, each
 * benchmark's version, protocol and options, and the identity settings — and not what only selects
 * or schedules work (tasks, lengths, limit, concurrency) or where things are served from, so a
 * larger `--limit`, an added task or a moved server resume the same run directory.
 */
import { existsSync, readFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import type { JsonObject, RunManifest } from "@loomscope/spec";
import type { DiscoveredPlugin } from "../plugins/registry.js";
import { sha256 } from "../text/tokenizers.js";
import { canonicalJson } from "./cache.js";
import type { Plan } from "./plan.js";

/** Backend options that say where or how a model is reached, not which model answers. */
const CONNECTION_OPTION = /^(baseURL|baseUrl|base_url|host|url|urls|endpoint|endpoints|apiKeyEnv|launch|timeoutMs|port|concurrency)$/;

export function backendIdentityOptions(options: JsonObject): JsonObject {
  return Object.fromEntries(Object.entries(options).filter(([k]) => !CONNECTION_OPTION.test(k)));
}

export interface IdentityInput {
  targets: readonly string[];
  plan: Plan;
  settings: JsonObject;
  backendOptions: JsonObject;
}

/** The hashed configuration (written to the manifest as `config`) and its hash. */
export function runIdentity(input: IdentityInput): { config: JsonObject; hash: string } {
  const config: JsonObject = {
    targets: [...input.targets],
    benchmarks: input.plan.entries.map((e) => ({
      benchmark: e.benchmark.id,
      version: e.benchmark.version,
      protocol: e.protocol,
      options: e.options,
      sampleIds: e.sampleIds ? [...e.sampleIds] : null,
      // Pinned files change which rows run: part of the identity (absent when none, so older hashes hold).
      ...(e.pinnedData ? { pinnedData: e.pinnedData.map((p) => ({ task: p.task, length: p.length ?? null, file: p.file as JsonObject, ids: p.ids ?? null, ...(p.idsByLength ? { idsByLength: p.idsByLength as JsonObject } : {}) })) } : {}),
    })),
    ...input.settings,
    backendOptions: backendIdentityOptions(input.backendOptions),
  };
  return { config, hash: sha256(canonicalJson(config)) };
}

const slug = (text: string): string =>
  text
    .replace(/^.*[\\/]/, "")
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40) || "x";

export function runDirFor(cwd: string, options: { runDir?: string | undefined; out?: string | undefined; model: string; targets: readonly string[]; hash: string }): string {
  if (options.runDir) return resolve(cwd, options.runDir);
  const model = options.model.slice(options.model.indexOf(":") + 1);
  return join(resolve(cwd, options.out ?? "loom-runs"), `${slug(model)}__${slug(options.targets.join("+"))}__${options.hash.slice(0, 10)}`);
}

function readVersion(pkgUrl: URL): string {
  try {
    return (JSON.parse(readFileSync(pkgUrl, "utf8")) as { version: string }).version;
  } catch {
    return "unknown";
  }
}

/**
 * The commit of the repository around `cwd`, read from `.git` files. No git command runs: `git
 * status` would run hooks and filters that the folder's own `.git/config` names (core.fsmonitor).
 */
export function gitInfo(cwd: string): { sha: string; dirty: boolean | null } | null {
  let dir = resolve(cwd);
  for (;;) {
    const dotGit = join(dir, ".git");
    if (existsSync(dotGit)) {
      try {
        let gitDir = dotGit;
        const text = readFileSync(dotGit, "utf8");
        const pointer = /^gitdir: (.+)$/m.exec(text);
        if (pointer) gitDir = resolve(dir, pointer[1]!.trim());
        return readHead(gitDir);
      } catch {
        try {
          return readHead(dotGit);
        } catch {
          return null;
        }
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

function readHead(gitDir: string): { sha: string; dirty: null } | null {
  const head = readFileSync(join(gitDir, "HEAD"), "utf8").trim();
  const ref = /^ref: (.+)$/.exec(head)?.[1];
  if (!ref) return /^[0-9a-f]{40}$/.test(head) ? { sha: head, dirty: null } : null;
  // A worktree's refs live in the common dir.
  const common = existsSync(join(gitDir, "commondir")) ? resolve(gitDir, readFileSync(join(gitDir, "commondir"), "utf8").trim()) : gitDir;
  for (const base of [gitDir, common]) {
    const loose = join(base, ref);
    if (existsSync(loose)) return { sha: readFileSync(loose, "utf8").trim(), dirty: null };
  }
  const packed = join(common, "packed-refs");
  if (existsSync(packed)) {
    for (const line of readFileSync(packed, "utf8").split("\n")) {
      const [sha, name] = line.split(" ");
      if (name === ref && sha) return { sha, dirty: null };
    }
  }
  return null;
}

export interface ManifestInput {
  runDir: string;
  previous: RunManifest | undefined;
  identity: { config: JsonObject; hash: string };
  plan: Plan;
  /** Installed plugins, and benchmarks read from task files (`file:<path>`). */
  plugins: (DiscoveredPlugin | { kind: "benchmark" | "suite"; id: string; file: string; version: string })[];
  model: { spec: string; backend: string; info: JsonObject };
  tokenizer: RunManifest["tokenizer"];
  chatTemplate: RunManifest["chatTemplate"];
  accelerators: RunManifest["accelerators"];
  judge: string | undefined;
  seed: number;
  /** The dispatch order of this invocation (`--schedule`). */
  schedule: NonNullable<RunManifest["schedule"]>;
  cwd: string;
}

export function buildManifest(input: ManifestInput): RunManifest {
  const { previous } = input;
  return {
    v: 1,
    runId: previous?.runId ?? basename(input.runDir),
    createdAt: previous?.createdAt ?? new Date().toISOString(),
    configHash: input.identity.hash,
    config: input.identity.config,
    loomscope: {
      core: readVersion(new URL("../../package.json", import.meta.url)),
      spec: readVersion(new URL("../../../spec/package.json", import.meta.url)),
    },
    plugins: input.plugins.map((p) =>
      "file" in p ? { kind: p.kind, id: p.id, package: `file:${p.file}`, version: p.version } : { kind: p.manifest.kind, id: p.manifest.id, package: p.packageName, version: p.version },
    ),
    model: input.model,
    tokenizer: input.tokenizer,
    chatTemplate: input.chatTemplate,
    accelerators: input.accelerators,
    benchmarks: Object.fromEntries(input.plan.entries.map((e) => [e.benchmark.id, { protocol: e.protocol, options: e.options }])),
    plan: input.plan.units.map((u) => ({ benchmark: u.entry.benchmark.id, task: u.task.id, length: u.length ?? null })),
    judge: input.judge ? { spec: input.judge } : null,
    seed: input.seed,
    schedule: input.schedule,
    provenance: previous?.provenance ?? {},
    git: gitInfo(input.cwd),
    machine: { platform: process.platform, arch: process.arch, cpus: cpus().length, memoryBytes: totalmem(), node: process.version },
    ...(previous?.totals ? { totals: previous.totals } : {}),
  };
}
