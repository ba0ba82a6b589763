import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
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

/** Load `loom.config.*` from `cwd` (or an explicit path); TypeScript configs are loaded through tsx. */
export async function loadConfig(cwd: string, explicit?: string): Promise<{ config: LoomConfig; file: string | undefined }> {
  const file = explicit ? resolve(cwd, explicit) : CONFIG_FILES.map((f) => join(cwd, f)).find((f) => existsSync(f));
  if (!file) return { config: {}, file: undefined };
  if (!existsSync(file)) throw new LoomError("CONFIG", `config file ${file} does not exist`);
  let raw: unknown;
  if (file.endsWith(".json")) {
    raw = parseJsonFile(file);
  } else {
    try {
      if (/\.m?ts$/.test(file)) {
        const { tsImport } = await import("tsx/esm/api");
        const module = (await tsImport(pathToFileURL(file).href, import.meta.url)) as { default?: unknown };
        raw = unwrapDefault(module.default);
      } else {
        const module = (await import(pathToFileURL(file).href)) as { default?: unknown };
        raw = module.default;
      }
    } catch (error) {
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
