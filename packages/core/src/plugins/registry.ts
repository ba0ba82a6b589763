import { existsSync, readdirSync, readFileSync, realpathSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, dirname, isAbsolute, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { closest } from "@loomscope/metrics";
import {
  LoomError,
  PluginPackageJsonSchema,
  type AcceleratorPlugin,
  type BackendPlugin,
  type Benchmark,
  type PluginKind,
  type PluginManifest,
  type Suite,
} from "@loomscope/spec";
import { KNOWN_PLUGINS } from "./catalogue.js";

export { KNOWN_PLUGINS, type KnownPlugin } from "./catalogue.js";

/** The plugin API versions this core can load. */
export const SUPPORTED_API_VERSIONS: readonly number[] = [1];

export interface PluginOfKind {
  benchmark: Benchmark;
  backend: BackendPlugin;
  accelerator: AcceleratorPlugin;
  suite: Suite;
}

export interface DiscoveredPlugin {
  manifest: PluginManifest;
  packageName: string;
  version: string;
  description: string | undefined;
  dir: string;
}

/**
 * The package of a first-party plugin, from the catalogue; undefined for any other id. Install hints
 * name only these: suggesting `npm i @loomscope/<kind>-<whatever was typed>` would send users to
 * package names anyone could register.
 */
export const packageNameFor = (kind: PluginKind, id: string): string | undefined => KNOWN_PLUGINS.find((p) => p.kind === kind && p.id === id)?.package;

function readPluginPackage(dir: string): DiscoveredPlugin | { invalid: string; packageName: string } | undefined {
  const file = join(dir, "package.json");
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return undefined;
  }
  if (typeof raw !== "object" || raw === null || !("loomscope" in raw)) return undefined;
  const parsed = PluginPackageJsonSchema.safeParse(raw);
  const name = (raw as { name?: unknown }).name;
  if (!parsed.success) {
    return {
      packageName: typeof name === "string" ? name : dir,
      invalid: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "),
    };
  }
  return {
    manifest: parsed.data.loomscope,
    packageName: parsed.data.name,
    version: parsed.data.version,
    description: parsed.data.description,
    dir: realpathSync(dir),
  };
}

/** node_modules folders Node would search from `cwd`, nearest first. */
function nodeModulesChain(cwd: string): string[] {
  const chain: string[] = [];
  let dir = resolve(cwd);
  for (;;) {
    const candidate = join(dir, "node_modules");
    if (existsSync(candidate)) chain.push(candidate);
    const parent = dirname(dir);
    if (parent === dir) return chain;
    dir = parent;
  }
}

type Env = Readonly<Record<string, string | undefined>>;

/** `prefix=` from the user's .npmrc (where `npm i -g` installs when it is set there). */
function npmrcPrefix(env: Env): string | undefined {
  const home = env.HOME ?? env.USERPROFILE ?? homedir();
  const file = env.npm_config_userconfig ?? env.NPM_CONFIG_USERCONFIG ?? join(home, ".npmrc");
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  const line = /^\s*prefix\s*=\s*(.+?)\s*$/m.exec(text)?.[1];
  if (!line) return undefined;
  const expanded = line.replace(/^["']|["']$/g, "").replace(/\$\{([^}]+)\}/g, (_, name: string) => env[name] ?? "").replace(/^~(?=$|[\\/])/, home);
  return resolve(expanded);
}

/** The global node_modules folder of an npm prefix. */
const globalNodeModules = (prefix: string): string => (process.platform === "win32" ? join(prefix, "node_modules") : join(prefix, "lib", "node_modules"));

/**
 * Where `npm i -g` puts packages, worked out without spawning npm: the prefix npm and npx hand to
 * the processes they start (npm_config_global_prefix), an explicit one (npm_config_prefix /
 * NPM_CONFIG_PREFIX), the user's .npmrc, then the prefix of the running Node
 * (`<prefix>/bin/node` → `<prefix>/lib/node_modules`).
 */
export function globalPluginDirs(env: Env = process.env, execPath: string = process.execPath): string[] {
  const prefixes = [
    env.npm_config_global_prefix,
    env.npm_config_prefix,
    env.NPM_CONFIG_PREFIX,
    npmrcPrefix(env),
    process.platform === "win32" ? dirname(execPath) : dirname(dirname(execPath)),
  ].filter((p): p is string => Boolean(p));
  return [...new Set(prefixes.map((p) => globalNodeModules(resolve(p))))];
}

/**
 * The node_modules folders a plugin may live in beyond the project: the install tree of this core
 * and of the CLI that loaded it (for `npm i -g @loomscope/cli …` and `npx -p`, plugins sit beside
 * them), NODE_PATH, and the global prefix.
 */
export function installPluginDirs(env: Env = process.env): string[] {
  const here = dirname(fileURLToPath(import.meta.url));
  const cliScript = process.argv[1];
  let cliDir: string | undefined;
  if (cliScript) {
    try {
      cliDir = dirname(realpathSync(cliScript));
    } catch {
      cliDir = undefined;
    }
  }
  const nodePath = (env.NODE_PATH ?? "").split(delimiter).filter(Boolean).map((p) => resolve(p));
  return [...nodeModulesChain(here), ...(cliDir ? nodeModulesChain(cliDir) : []), ...nodePath, ...globalPluginDirs(env)];
}

/** Folders once each, by their real path, in the order given; missing ones dropped. */
function uniqueExisting(dirs: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const dir of dirs) {
    let real: string;
    try {
      real = realpathSync(dir);
    } catch {
      continue;
    }
    if (seen.has(real)) continue;
    seen.add(real);
    out.push(dir);
  }
  return out;
}

/** A config entry that names a folder rather than a package. */
export function isPluginPath(spec: string): boolean {
  if (spec.startsWith("file:")) return true;
  if (spec.startsWith(".") || spec.startsWith("~") || isAbsolute(spec) || /^[A-Za-z]:[\\/]/.test(spec) || spec.includes("\\")) return true;
  // Package names are `name` or `@scope/name`; anything else with a slash is a path.
  return spec.includes("/") && !/^@[^/]+\/[^/]+$/.test(spec);
}

function listDir(dir: string) {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return []; // unreadable (permissions) or gone: nothing to find there
  }
}

function packageDirs(nodeModules: string): string[] {
  const dirs: string[] = [];
  for (const entry of listDir(nodeModules)) {
    if (entry.name.startsWith(".")) continue;
    const full = join(nodeModules, entry.name);
    if (entry.name.startsWith("@")) {
      for (const scoped of listDir(full)) {
        if (scoped.isDirectory() || scoped.isSymbolicLink()) dirs.push(join(full, scoped.name));
      }
    } else if (entry.isDirectory() || entry.isSymbolicLink()) {
      dirs.push(full);
    }
  }
  return dirs;
}

export interface RegistryOptions {
  cwd?: string;
  /** Packages (names or paths) named in config: looked up first, and the scan is skipped when given. */
  packages?: readonly string[];
  /** The folder relative plugin paths in config are resolved from (the config file's folder); default cwd. */
  configDir?: string;
  /**
   * node_modules folders searched after the working directory's chain; default: the CLI's and
   * core's install tree, NODE_PATH and the global prefix (`installPluginDirs()`).
   */
  searchPaths?: readonly string[];
  env?: Env;
}

/**
 * Finds plugins by reading package.json manifests only; nothing is imported until a run needs it.
 * It looks, nearest first, in the node_modules chain of the working directory, then in the install
 * tree of the CLI and core, NODE_PATH and the global prefix; or only at the packages named in
 * config (names looked up in those same places, or paths).
 */
export class PluginRegistry {
  private readonly plugins: DiscoveredPlugin[] = [];
  private readonly invalid: { packageName: string; reason: string }[] = [];
  private readonly loaded = new Map<string, Promise<unknown>>();
  /** The node_modules folders looked in, in order. */
  readonly searched: readonly string[];

  constructor(options: RegistryOptions = {}) {
    const cwd = resolve(options.cwd ?? process.cwd());
    const env = options.env ?? process.env;
    this.searched = uniqueExisting([...nodeModulesChain(cwd), ...(options.searchPaths ?? installPluginDirs(env))]);
    const seen = new Set<string>();
    const add = (found: ReturnType<typeof readPluginPackage>) => {
      if (!found) return;
      if ("invalid" in found) {
        this.invalid.push({ packageName: found.packageName, reason: found.invalid });
        return;
      }
      const key = `${found.manifest.kind}:${found.manifest.id}`;
      if (seen.has(key)) return; // nearest node_modules wins, as Node resolution does
      seen.add(key);
      this.plugins.push(found);
    };
    if (options.packages && options.packages.length > 0) {
      const base = resolve(cwd, options.configDir ?? ".");
      for (const spec of options.packages) add(this.readConfigured(spec, base, env));
      return;
    }
    for (const nodeModules of this.searched) {
      for (const dir of packageDirs(nodeModules)) add(readPluginPackage(dir));
    }
  }

  /** One `plugins:` entry of config: a path to a plugin folder, or an installed package's name. */
  private readConfigured(spec: string, base: string, env: Env): ReturnType<typeof readPluginPackage> {
    let dir: string;
    if (isPluginPath(spec)) {
      const raw = spec.startsWith("file:") ? spec.slice(5) : spec;
      const home = env.HOME ?? env.USERPROFILE ?? homedir();
      dir = resolve(base, raw.replace(/^~(?=$|[\\/])/, home));
      if (!existsSync(dir)) {
        throw new LoomError("PLUGIN_MISSING", `plugin path ${spec} named in config does not exist (${dir})`, {
          hint: `fix the path in the config's plugins (relative paths are resolved from ${base}), or name an installed package instead`,
        });
      }
      if (!existsSync(join(dir, "package.json"))) {
        throw new LoomError("PLUGIN_BAD_MANIFEST", `plugin path ${spec} (${dir}) has no package.json`, {
          hint: "name the plugin package's folder, the one holding its package.json",
        });
      }
    } else {
      // Look the package up in the searched folders directly: no need for it to export ./package.json.
      const found = this.searched.map((nm) => join(nm, ...spec.split("/"))).find((d) => existsSync(join(d, "package.json")));
      if (!found) {
        const known = KNOWN_PLUGINS.find((p) => p.package === spec);
        const near = known ? undefined : closest(spec, KNOWN_PLUGINS.map((p) => p.package));
        throw new LoomError("PLUGIN_MISSING", `plugin package ${spec} named in config is not installed (looked in ${this.searched.length} node_modules folders: this project's, the CLI's, NODE_PATH and the global prefix)`, {
          hint: known
            ? `npm i ${spec}`
            : near
              ? `did you mean ${near}? (npm i ${near})`
              : `install it in this project (or globally beside the CLI), or fix the name; \`loom list\` shows the first-party plugins`,
        });
      }
      dir = found;
    }
    const plugin = readPluginPackage(dir);
    if (!plugin) throw new LoomError("PLUGIN_BAD_MANIFEST", `${spec} has no "loomscope" manifest in its package.json (${join(dir, "package.json")})`);
    return plugin;
  }

  list(kind?: PluginKind): DiscoveredPlugin[] {
    return this.plugins.filter((p) => kind === undefined || p.manifest.kind === kind);
  }

  /** Packages that carry a `loomscope` field that does not validate. */
  problems(): { packageName: string; reason: string }[] {
    return [...this.invalid];
  }

  find(kind: PluginKind, id: string): DiscoveredPlugin | undefined {
    return this.plugins.find((p) => p.manifest.kind === kind && p.manifest.id === id);
  }

  /** Resolve a plugin or explain how to get it. */
  require(kind: PluginKind, id: string): DiscoveredPlugin {
    const found = this.find(kind, id);
    if (found) return found;
    const installed = this.list(kind).map((p) => p.manifest.id);
    throw new LoomError(
      "PLUGIN_MISSING",
      `no ${kind} plugin with id "${id}" is installed${installed.length ? ` (installed: ${installed.join(", ")})` : ""}`,
      { hint: this.hintFor([kind], id) },
    );
  }

  /** The error for a `loom run` target that is neither an installed suite nor an installed benchmark. */
  unknownTarget(target: string): LoomError {
    const suites = this.list("suite").map((p) => p.manifest.id);
    const benchmarks = this.list("benchmark").map((p) => p.manifest.id);
    return new LoomError("PLUGIN_MISSING", `"${target}" is neither an installed suite nor an installed benchmark`, {
      hint: `${this.hintFor(["suite", "benchmark"], target)} (installed suites: ${suites.join(", ") || "none"}; benchmarks: ${benchmarks.join(", ") || "none"})`,
    });
  }

  /**
   * How to get a missing plugin: the install line when the id is a first-party plugin, else the
   * nearest known id ("did you mean"), never an install line for a name the user typed.
   */
  hintFor(kinds: readonly PluginKind[], id: string): string {
    const known = KNOWN_PLUGINS.find((p) => kinds.includes(p.kind) && p.id === id);
    if (known) return `npm i ${known.package}`;
    const candidates = [...kinds.flatMap((k) => this.list(k).map((p) => p.manifest.id)), ...KNOWN_PLUGINS.filter((p) => kinds.includes(p.kind)).map((p) => p.id)];
    const near = closest(id, candidates);
    if (near) {
      const installed = kinds.some((k) => this.find(k, near));
      const pkg = KNOWN_PLUGINS.find((p) => kinds.includes(p.kind) && p.id === near)?.package;
      return `did you mean "${near}"?${!installed && pkg ? ` (not installed: npm i ${pkg})` : ""}`;
    }
    return `\`loom list\` shows the installed plugins and the first-party ones you can add`;
  }

  /** Check the apiVersion, import the entry, and check it exports what the manifest declares. */
  async load<K extends PluginKind>(kind: K, id: string): Promise<PluginOfKind[K]> {
    const plugin = this.require(kind, id);
    const key = `${kind}:${id}`;
    let pending = this.loaded.get(key);
    if (!pending) {
      pending = importPlugin(plugin);
      this.loaded.set(key, pending);
    }
    return (await pending) as PluginOfKind[K];
  }
}

const REQUIRED_MEMBERS: Record<PluginKind, readonly string[]> = {
  benchmark: ["tasks", "samples", "prompt", "score", "capability"],
  backend: ["create"],
  accelerator: ["bind", "methods", "stage"],
  suite: ["entries", "aggregation"],
};

/** A backend's declared directive, `<accelerator>:<method>`. */
const DIRECTIVE_NAME = /^[^:\s]+:[^:\s]+$/;

async function importPlugin(plugin: DiscoveredPlugin): Promise<unknown> {
  const { manifest, packageName, version } = plugin;
  if (!SUPPORTED_API_VERSIONS.includes(manifest.apiVersion)) {
    throw new LoomError(
      "PLUGIN_API_VERSION",
      `${packageName}@${version} declares apiVersion ${manifest.apiVersion}, but this loomscope core supports apiVersion ${SUPPORTED_API_VERSIONS.join(", ")}`,
      {
        hint:
          manifest.apiVersion > Math.max(...SUPPORTED_API_VERSIONS)
            ? `upgrade loomscope: npm i @loomscope/core@latest @loomscope/cli@latest`
            : `install a version of ${packageName} built for apiVersion ${SUPPORTED_API_VERSIONS.join("/")}`,
      },
    );
  }
  const entry = resolve(plugin.dir, manifest.entry);
  if (!existsSync(entry)) {
    throw new LoomError("PLUGIN_BAD_ENTRY", `${packageName}: entry ${manifest.entry} does not exist (${entry})`, {
      hint: `build the package (npm run build) or fix "loomscope.entry" in its package.json`,
    });
  }
  let module: { default?: unknown };
  try {
    module = (await import(pathToFileURL(entry).href)) as { default?: unknown };
  } catch (cause) {
    throw new LoomError("PLUGIN_BAD_ENTRY", `${packageName}: importing ${manifest.entry} failed: ${(cause as Error).message}`, {
      cause,
    });
  }
  const value = module.default;
  const problems: string[] = [];
  if (typeof value !== "object" || value === null) problems.push("it has no default export object");
  else {
    const record = value as Record<string, unknown>;
    if (record.kind !== manifest.kind) problems.push(`its default export has kind ${String(record.kind)}, not ${manifest.kind}`);
    if (record.id !== manifest.id) problems.push(`its default export has id ${String(record.id)}, not ${manifest.id}`);
    if (record.apiVersion !== manifest.apiVersion) problems.push(`its default export has apiVersion ${String(record.apiVersion)}`);
    for (const member of REQUIRED_MEMBERS[manifest.kind]) {
      if (record[member] === undefined) problems.push(`it lacks "${member}"`);
    }
    if (manifest.kind === "backend" && record.directives !== undefined) {
      const bad = Array.isArray(record.directives) ? record.directives.filter((d) => typeof d !== "string" || !DIRECTIVE_NAME.test(d)) : [record.directives];
      if (bad.length > 0) problems.push(`its directives must be <accelerator>:<method> names, not ${bad.map((d) => JSON.stringify(d)).join(", ")}`);
    }
  }
  if (problems.length > 0) {
    throw new LoomError("PLUGIN_BAD_ENTRY", `${packageName} does not export a ${manifest.kind} plugin: ${problems.join("; ")}`, {
      hint: `the entry's default export must be define${manifest.kind[0]!.toUpperCase()}${manifest.kind.slice(1)}({ kind: "${manifest.kind}", id: "${manifest.id}", apiVersion: ${manifest.apiVersion}, … })`,
    });
  }
  return value;
}
