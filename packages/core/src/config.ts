import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { LoomError } from "@loomscope/spec";
import { z } from "zod";
import { configShape, type RunSettings } from "./run/settings.js";
import { findSecretKeys } from "./redact.js";
import { parseJsonFile } from "./json-file.js";

/**
 * `loom.config.*`: the plugins to use, and any run option of the run-option table (`RUN_OPTIONS`,
 * config keys as listed there), so a new option is accepted here without another edit.
 */
export const LoomConfigSchema = z
  .object({
    /** Plugin packages to use; when given, no scan of node_modules happens. */
    plugins: z.array(z.string()).optional(),
    ...configShape(),
  })
  .strict();
export type LoomConfig = Omit<RunSettings, "backendOptions" | "benchmarkOptions" | "launch"> & { plugins?: string[] };


/** Typed identity for `loom.config.ts`. */
export const defineConfig = (config: LoomConfig): LoomConfig => config;

export function parseConfig(raw: unknown, source: string): LoomConfig {
  const parsed = LoomConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new LoomError("CONFIG", `${source}: ${issue?.path.join(".") || "(root)"}: ${issue?.message ?? "invalid"}`);
  }
  const secrets = findSecretKeys(parsed.data);
  if (secrets.length > 0) {
    throw new LoomError("CONFIG", `${source}: ${secrets.join(", ")} look like secrets; loomscope reads secrets only from the environment`, {
      hint: "set OPENAI_API_KEY / HF_TOKEN / … in the environment instead",
    });
  }
  return parsed.data as LoomConfig;
}

/** A TypeScript config outside a `"type": "module"` package loads as CommonJS: `{ default: config }`. */
function unwrapDefault(value: unknown): unknown {
  if (typeof value === "object" && value !== null && "default" in value) {
    const keys = Object.keys(value).filter((k) => k !== "__esModule");
    if (keys.length === 1) return (value as { default: unknown }).default;
  }
  return value;
}

const CONFIG_FILES = ["loom.config.ts", "loom.config.mts", "loom.config.js", "loom.config.mjs", "loom.config.json"];

/** Node that strips TypeScript types itself (22.18+, 23.6+) imports a .ts config with no loader. */
const nodeStripsTypes = (): boolean => Boolean((process.features as { typescript?: unknown }).typescript);

/**
 * tsx, looked up on demand (it is an optional peer of @loomscope/core, not a dependency): from the
 * config's own folder first (a project's devDependency), then from core (a workspace or a global
 * install that has it beside the CLI).
 */
async function importTsx(file: string): Promise<typeof import("tsx/esm/api")> {
  for (const from of [file, fileURLToPath(import.meta.url)]) {
    let entry: string;
    try {
      // Resolve the package, then its ESM entry: require.resolve would pick the CommonJS build.
      const manifest = createRequire(from).resolve("tsx/package.json");
      const exports = (JSON.parse(readFileSync(manifest, "utf8")) as { exports?: Record<string, { import?: { default?: string } }> }).exports;
      entry = join(dirname(manifest), exports?.["./esm/api"]?.import?.default ?? "dist/esm/api/index.mjs");
    } catch {
      continue; // not installed there: try the next place
    }
    return (await import(pathToFileURL(entry).href)) as typeof import("tsx/esm/api");
  }
  throw new LoomError("CONFIG", `${file} is TypeScript, and this Node (${process.version}) cannot load TypeScript without tsx`, {
    hint: `install tsx beside it (npm i -D tsx), use Node 22.18 or newer, or write the config as loom.config.mjs or loom.config.json`,
  });
}

async function importTypeScript(file: string): Promise<unknown> {
  const url = pathToFileURL(file).href;
  if (nodeStripsTypes()) {
    try {
      return unwrapDefault(((await import(url)) as { default?: unknown }).default);
    } catch (error) {
      // Type stripping refuses TypeScript-only syntax (enums, namespaces): tsx handles those.
      if ((error as { code?: string }).code !== "ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX") throw error;
    }
  }
  const { tsImport } = await importTsx(file);
  const module = (await tsImport(url, import.meta.url)) as { default?: unknown };
  return unwrapDefault(module.default);
}

/**
 * Load `loom.config.*` from `cwd` (or an explicit path). JSON and JavaScript configs load with Node
 * alone; TypeScript configs load natively where Node strips types, else through tsx, imported only
 * then.
 */
export async function loadConfig(cwd: string, explicit?: string): Promise<{ config: LoomConfig; file: string | undefined }> {
  const file = explicit ? resolve(cwd, explicit) : CONFIG_FILES.map((f) => join(cwd, f)).find((f) => existsSync(f));
  if (!file) return { config: {}, file: undefined };
  if (!existsSync(file)) throw new LoomError("CONFIG", `config file ${file} does not exist`);
  let raw: unknown;
  if (file.endsWith(".json")) {
    raw = parseJsonFile(file);
  } else {
    try {
      if (/\.[mc]?ts$/.test(file)) raw = await importTypeScript(file);
      else {
        const module = (await import(pathToFileURL(file).href)) as { default?: unknown };
        raw = unwrapDefault(module.default);
      }
    } catch (error) {
      if (error instanceof LoomError) throw error;
      // The config's own code threw (or does not compile): one line naming the file, no stack.
      throw new LoomError("CONFIG", `${file} failed to load: ${firstLine(error)}`, { hint: "fix the config file (run it with node or tsx to see the whole error)", cause: error });
    }
  }
  return { config: parseConfig(raw, file), file };
}

const firstLine = (error: unknown): string => {
  const text = error instanceof Error ? `${error.name === "Error" ? "" : `${error.name}: `}${error.message}` : String(error);
  return text.split("\n").find((l) => l.trim() !== "")?.trim() ?? "unknown error";
};
