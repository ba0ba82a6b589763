/**
 * What `loom run`, `loom plan` and `loom ablate` share: the run flags (built from core's one option
 * table), the plugin registry of the folder, and the settings a command runs with (a suite's
 * suggested model and max length, then config, then flags).
 */
import { dirname, resolve } from "node:path";
import { InvalidArgumentError, Option, type Command } from "commander";
import { isTaskFile, loadConfig, PluginRegistry, RUN_OPTIONS, type LoomConfig, type RunSettings } from "@loomscope/core";
import { loadFileTarget } from "@loomscope/benchmark-kit";

/**
 * The plugin registry for this folder: the packages named in config (names or paths, relative to
 * the config file), else a scan of this project's node_modules, the CLI's own install tree and the
 * global prefix.
 */
export async function registryFor(cwd: string, configFile?: string): Promise<{ registry: PluginRegistry; config: LoomConfig }> {
  const { config, file } = await loadConfig(cwd, configFile);
  const registry = new PluginRegistry({ cwd, ...(config.plugins ? { packages: config.plugins } : {}), ...(file ? { configDir: dirname(file) } : {}) });
  return { registry, config };
}

/** Run-setting flags (all but `skip`) on a command; returns commander attribute → setting key. */
export function addRunFlags(command: Command, skip: ReadonlySet<string> = new Set()): Map<string, string> {
  const settingOf = new Map<string, string>();
  for (const [key, option] of Object.entries(RUN_OPTIONS)) {
    if (!option.cli || skip.has(key)) continue;
    const flag = new Option(option.cli.flags, option.description);
    const parse = option.cli.parse;
    if (parse) {
      flag.argParser((raw: string, previous: unknown) => {
        try {
          return parse(raw, previous);
        } catch (error) {
          // Commander then names the flag and its value, and exits 2.
          throw new InvalidArgumentError(error instanceof Error ? error.message : String(error));
        }
      });
    }
    command.addOption(flag);
    settingOf.set(flag.attributeName(), key);
  }
  return settingOf;
}

/** The run settings given on the command line (commander's defaults, e.g. --no-cache's true, would override config). */
export function givenRunSettings(command: Command, flags: Record<string, unknown>, settingOf: ReadonlyMap<string, string>): RunSettings {
  const given: Record<string, unknown> = {};
  for (const [attribute, key] of settingOf) if (command.getOptionValueSource(attribute) === "cli") given[key] = flags[attribute];
  return given as RunSettings;
}

/** A suite's suggested model and max length, then config, then the flags. */
export async function runSettingsFor(targets: readonly string[], given: RunSettings, registry: PluginRegistry, config: LoomConfig, cwd: string): Promise<RunSettings> {
  const { plugins: _plugins, ...fromConfig } = config;
  const suiteDefaults: RunSettings = {};
  for (const t of targets) {
    let defaults: { model?: string; maxLength?: number } | undefined;
    if (isTaskFile(t)) {
      const target = await loadFileTarget(resolve(cwd, t));
      if (target.kind === "suite") defaults = target.suite.defaults;
    } else if (registry.find("suite", t)) defaults = (await registry.load("suite", t)).defaults;
    if (defaults?.model) suiteDefaults.model ??= defaults.model;
    if (defaults?.maxLength) suiteDefaults.maxLength ??= defaults.maxLength;
  }
  return { ...suiteDefaults, ...fromConfig, ...given };
}
