import { readFileSync } from "node:fs";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import {
  EventBus,
  loadConfig,
  mergeRuns,
  KNOWN_PLUGINS,
  createRedactor,
  writeFileAtomic,
  PluginRegistry,
  RUN_OPTIONS,
  rescoreRun,
  runEvaluation,
  SUPPORTED_API_VERSIONS,
  type LoomConfig,
  type RunSettings,
} from "@loomscope/core";
import { loadTaskFile } from "@loomscope/benchmark-kit";
import { isLoomError, LoomError, type JsonObject } from "@loomscope/spec";
import { buildReportFor, renderReport, reportCommand, viewCommand } from "@loomscope/report";
import { join } from "node:path";
import { attachProgress } from "./progress.js";
import { resultsTable, textTable } from "./table.js";

/** Exit codes, documented in the README. */
export const EXIT = {
  ok: 0,
  /** An unexpected failure (a bug, or an error without a loomscope code). */
  failure: 1,
  /** Bad usage or configuration: unknown plugin, bad flag, accelerator refused, missing data. */
  usage: 2,
  /** The run finished, but some samples or tasks failed (their records say why). */
  partial: 3,
  /** The run directory could not be written (disk full, read-only, permissions); finished samples are saved. */
  storage: 4,
  /** Interrupted (Ctrl-C); every finished sample is saved and a re-run resumes. */
  interrupted: 130,
} as const;

const version = (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }).version;

const positiveInt = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`expected a positive integer, got ${value}`);
  return n;
};

/** Flags of `loom run` that are not run settings. */
interface CliFlags {
  config?: string;
  quiet?: boolean;
  json?: boolean;
}

/** The plugin registry for this folder: the packages named in config, else a node_modules scan. */
async function registryFor(cwd: string, configFile?: string): Promise<{ registry: PluginRegistry; config: LoomConfig }> {
  const { config } = await loadConfig(cwd, configFile);
  return { registry: new PluginRegistry({ cwd, ...(config.plugins ? { packages: config.plugins } : {}) }), config };
}

async function commandRun(targets: string[], given: RunSettings, flags: CliFlags, io: Io): Promise<number> {
  const cwd = process.cwd();
  const { registry, config } = await registryFor(cwd, flags.config);
  const { plugins: _plugins, ...fromConfig } = config;
  // A suite may suggest a model and a max length; flags and config win.
  const suiteDefaults: RunSettings = {};
  for (const t of targets) {
    if (!registry.find("suite", t)) continue;
    const defaults = (await registry.load("suite", t)).defaults;
    if (defaults?.model) suiteDefaults.model ??= defaults.model;
    if (defaults?.maxLength) suiteDefaults.maxLength ??= defaults.maxLength;
  }
  const settings: RunSettings = { ...suiteDefaults, ...fromConfig, ...given };
  if (!settings.model) {
    io.err("error: no model given. Pass --model <backend>:<model>, e.g. --model llamacpp:./qwen3-0.6b.gguf, --model ollama:qwen3:8b or --model vllm:Qwen/Qwen3-8B");
    return EXIT.usage;
  }
  const bus = new EventBus();
  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    interrupts++;
    if (interrupts === 1) {
      io.err("\ninterrupted: cancelling in-flight requests; finished samples are saved (Ctrl-C again to quit now)");
      controller.abort(new Error("interrupted"));
    } else process.exit(EXIT.interrupted);
  };
  process.on("SIGINT", onSigint);
  process.on("SIGTERM", onSigint);
  const detach = attachProgress(bus, process.stderr, { quiet: Boolean(flags.quiet) });
  try {
    const outcome = await runEvaluation({ ...settings, targets, cwd, registry, bus, signal: controller.signal, loadTaskFile });
    detach();
    if (flags.json) io.out(JSON.stringify({ runDir: outcome.runDir, results: outcome.results, counts: outcome.counts, failures: outcome.failures }, null, 2));
    else {
      io.out(resultsTable(outcome.results));
      io.out(`\nrecords and results: ${outcome.runDir}`);
      const report = await writeRunReport(outcome.runDir);
      if (report.ok) io.out(`report: ${report.path}`);
      else io.err(`warn: no HTML report: ${report.message} (try \`loom report ${outcome.runDir}\`)`);
      const cached = outcome.counts.cached > 0 ? ` (${outcome.counts.cached} from the response cache)` : "";
      io.out(`samples: ${outcome.counts.ok} ok${cached}, ${outcome.counts.errors} failed, ${outcome.counts.resumed} resumed from an earlier run`);
    }
    // Failures are printed whatever the display mode: -q hides progress, never what went wrong.
    for (const f of outcome.failures) io.err(`error: ${f.benchmark}/${f.task}${f.length ? `/${f.length}` : ""} did not run: ${f.message}`);
    if (outcome.fatal) io.err(`error: the run stopped: ${outcome.fatal}`);
    if (outcome.interrupted) return EXIT.interrupted;
    if (outcome.fatal) return EXIT.partial;
    return outcome.counts.errors > 0 || outcome.failures.length > 0 ? EXIT.partial : EXIT.ok;
  } finally {
    detach();
    process.off("SIGINT", onSigint);
    process.off("SIGTERM", onSigint);
  }
}

/** The run's HTML report, written beside its records; a failure here never fails the run. */
async function writeRunReport(runDir: string): Promise<{ ok: true; path: string } | { ok: false; message: string }> {
  try {
    const path = join(runDir, "report.html");
    // Written to a temporary file and renamed: a kill leaves the old report or the new one, never half of one.
    writeFileAtomic(path, renderReport(await buildReportFor([runDir]), "html"));
    return { ok: true, path };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

async function commandList(flags: { kind?: string; json?: boolean; config?: string }, io: Io): Promise<number> {
  const { registry } = await registryFor(process.cwd(), flags.config);
  const kinds = (flags.kind ? [flags.kind] : ["suite", "benchmark", "backend", "accelerator"]) as ("suite" | "benchmark" | "backend" | "accelerator")[];
  const listing: JsonObject[] = [];
  for (const kind of kinds) {
    const plugins = registry.list(kind);
    const rows: string[][] = [];
    for (const p of plugins) {
      let detail = p.description ?? "";
      const item: JsonObject = { kind, id: p.manifest.id, package: p.packageName, version: p.version, apiVersion: p.manifest.apiVersion };
      try {
        if (!SUPPORTED_API_VERSIONS.includes(p.manifest.apiVersion)) throw new Error(`apiVersion ${p.manifest.apiVersion} unsupported`);
        if (kind === "benchmark") {
          const b = await registry.load("benchmark", p.manifest.id);
          detail = `${b.capability}; tasks: ${b.tasks.map((t) => t.id).join(", ")}`;
          item.capability = b.capability;
          item.tasks = b.tasks.map((t) => ({ id: t.id, language: t.language, lengths: [...t.lengths], maxNewTokens: t.maxNewTokens, metrics: [...t.metrics] }));
        } else if (kind === "accelerator") {
          const a = await registry.load("accelerator", p.manifest.id);
          detail = `${a.stage}; methods: ${a.methods.map((m) => m.id).join(", ")}`;
          item.methods = a.methods.map((m) => m.id);
        } else if (kind === "suite") {
          const s = await registry.load("suite", p.manifest.id);
          detail = `${s.description} (${s.entries.map((e) => e.benchmark).join(", ")})`;
        }
      } catch (error) {
        detail = `unusable: ${(error as Error).message}`;
        item.error = (error as Error).message;
      }
      rows.push([p.manifest.id, `${p.packageName}@${p.version}`, detail]);
      listing.push(item);
    }
    // First-party plugins that are not installed, with the line that installs them.
    for (const known of KNOWN_PLUGINS) {
      if (known.kind !== kind || plugins.some((p) => p.manifest.id === known.id)) continue;
      rows.push([known.id, "(not installed)", `${known.description} — npm i ${known.package}`]);
      listing.push({ kind, id: known.id, package: known.package, installed: false });
    }
    if (!flags.json) {
      io.out(`${kind}s${rows.length === 0 ? ": none" : ""}`);
      if (rows.length > 0) io.out(textTable(["id", "package", "details"], rows) + "\n");
    }
  }
  if (flags.json) io.out(JSON.stringify(listing, null, 2));
  else io.out(`Add plugins with npm, e.g. npm i @loomscope/benchmark-<id>; \`loom plugins doctor\` checks them.`);
  return EXIT.ok;
}

async function commandDoctor(io: Io): Promise<number> {
  const { registry } = await registryFor(process.cwd());
  const rows: string[][] = [];
  let bad = 0;
  for (const problem of registry.problems()) {
    bad++;
    rows.push(["?", problem.packageName, `invalid manifest: ${problem.reason}`]);
  }
  for (const p of registry.list()) {
    try {
      await registry.load(p.manifest.kind, p.manifest.id);
      rows.push([p.manifest.kind, `${p.packageName}@${p.version}`, `ok (apiVersion ${p.manifest.apiVersion})`]);
    } catch (error) {
      bad++;
      const hint = isLoomError(error) && error.hint ? ` — fix: ${error.hint}` : "";
      rows.push([p.manifest.kind, `${p.packageName}@${p.version}`, `${(error as Error).message}${hint}`]);
    }
  }
  io.out(rows.length ? textTable(["kind", "package", "status"], rows) : "no loomscope plugins found in node_modules");
  io.out(bad === 0 ? "\nall plugins load" : `\n${bad} plugin(s) have problems`);
  return bad === 0 ? EXIT.ok : EXIT.usage;
}

async function commandScore(target: string, flags: { predictions?: string; out?: string }, io: Io): Promise<number> {
  const cwd = process.cwd();
  const { registry } = await registryFor(cwd);
  if (flags.predictions) {
    const benchmark = await registry.load("benchmark", target);
    if (!benchmark.scoreOfficial) {
      io.err(`error: benchmark ${target} has no official-format scorer`);
      return EXIT.usage;
    }
    const result = await benchmark.scoreOfficial({
      predictions: flags.predictions,
      ...(flags.out ? { out: flags.out } : {}),
      log: (level, message) => (level === "error" || level === "warn" ? io.err(`${level}: ${message}`) : io.out(message)),
    });
    io.out(result.summary);
    for (const file of result.written) io.out(`wrote ${file}`);
    return EXIT.ok;
  }
  const { results, rescored, changed } = await rescoreRun(target, { cwd, registry, onNotice: (n) => io.err(`${n.level}: ${n.message}`) });
  io.out(resultsTable(results));
  io.out(`\nre-scored ${rescored} records (${changed} changed) in ${target}`);
  return EXIT.ok;
}

async function commandMerge(dirs: string[], flags: { out: string }, io: Io): Promise<number> {
  const { registry } = await registryFor(process.cwd());
  const { results, records, runDir } = await mergeRuns(dirs, flags.out, { cwd: process.cwd(), registry, onNotice: (n) => io.err(`${n.level}: ${n.message}`) });
  io.out(resultsTable(results));
  io.out(`\nmerged ${records} records into ${runDir}`);
  return EXIT.ok;
}

export interface Io {
  out(text: string): void;
  err(text: string): void;
}

const defaultIo: Io = {
  out: (text) => process.stdout.write(text + "\n"),
  err: (text) => process.stderr.write(text + "\n"),
};

export function buildProgram(io: Io, setCode: (code: number) => void): Command {
  const program = new Command("loom")
    .description("Evaluate long-context language models: benchmarks, backends and accelerators as plugins.")
    .version(version)
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .addHelpText(
      "after",
      `
Examples:
  loom run quickstart --model llamacpp:./qwen3-0.6b.gguf
  loom run lveval --model vllm:Qwen/Qwen3-8B --max-length 31500 --lengths 16k,32k
  loom run ruler --model ollama:qwen3:8b --accelerator rag-lancedb:bm25,k=15
  loom score ./loom-runs/<run>            re-score a run without calling a model
  loom score lveval --predictions ./preds  score prediction files in the official format

Exit codes: 0 ok · 1 unexpected failure · 2 usage/config/plugin error · 3 some samples failed · 4 run directory not writable (disk full, read-only; finished samples are saved) · 130 interrupted`,
    );

  const run = program
    .command("run")
    .description("run suites, benchmarks or task files (.yaml/.json) against a model; re-running the same command resumes")
    .argument("<targets...>", "suite or benchmark ids, or task files");
  // Every run setting's flag comes from the one table in core (RUN_OPTIONS).
  const settingOf = new Map<string, string>();
  for (const [key, option] of Object.entries(RUN_OPTIONS)) {
    if (!option.cli) continue;
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
    run.addOption(flag);
    settingOf.set(flag.attributeName(), key);
  }
  run
    .option("--config <file>", "config file (default loom.config.{ts,js,json} in the current folder)")
    .option("-q, --quiet", "no progress display (errors and failures are still printed)")
    .option("--json", "print the results as JSON")
    .action(async (targets: string[], flags: Record<string, unknown> & CliFlags, command: Command) => {
      const given: Record<string, unknown> = {};
      for (const [attribute, key] of settingOf) {
        // Only what was given on the command line: commander's defaults (e.g. --no-cache's true) would override config.
        if (command.getOptionValueSource(attribute) === "cli") given[key] = flags[attribute];
      }
      setCode(await commandRun(targets, given as RunSettings, flags, io));
    });

  program
    .command("list")
    .description("installed plugins with their capability, tasks and methods")
    .addOption(new Option("--kind <kind>", "only this kind").choices(["suite", "benchmark", "backend", "accelerator"]))
    .option("--json", "machine-readable")
    .option("--config <file>", "config file")
    .action(async (flags: { kind?: string; json?: boolean; config?: string }) => setCode(await commandList(flags, io)));

  const plugins = program.command("plugins").description("plugin maintenance");
  plugins
    .command("doctor")
    .description("check every installed plugin: manifest, apiVersion, entry and exported kind")
    .action(async () => setCode(await commandDoctor(io)));

  program
    .command("score")
    .description("re-score a run directory without calling a model, or score official prediction files")
    .argument("<run-dir|benchmark>", "a run directory, or a benchmark id with --predictions")
    .option("--predictions <dir>", "official-format prediction files to score with <benchmark>'s official scorer")
    .option("--out <dir>", "where to write the official-format results")
    .action(async (target: string, flags: { predictions?: string; out?: string }) => setCode(await commandScore(target, flags, io)));

  program
    .command("merge")
    .description("join the run directories of --shard runs into one")
    .argument("<run-dirs...>")
    .requiredOption("-o, --out <dir>", "merged run directory")
    .action(async (dirs: string[], flags: { out: string }) => setCode(await commandMerge(dirs, flags, io)));

  // --- @loomscope/report: `loom report` and `loom view` (logic lives in packages/report) ---
  program
    .command("report")
    .description("HTML report of a run; several runs side by side with deltas and a leaderboard; md/csv/json for papers and spreadsheets")
    .argument("<runs...>", "run directories, or results folders holding them")
    .option("-o, --out <file>", "output file (default: <run>/report.html for one run, ./loom-report.html for several; md/csv/json print to stdout)")
    .addOption(new Option("-f, --format <format>", "output format (default: from --out, else html)").choices(["html", "md", "csv", "json"]))
    .option("--title <text>", "page title")
    .action(async (runs: string[], flags: { out?: string; format?: string; title?: string }) => setCode(await reportCommand(runs, flags, io)));
  program
    .command("view")
    .description("read-only local server (127.0.0.1) over a results folder: lists runs and opens their reports")
    .argument("[dir]", "results folder (default ./loom-runs)")
    .option("-p, --port <port>", "port (0 picks a free one)", "7420")
    .action(async (dir: string | undefined, flags: { port?: string }) => setCode(await viewCommand(dir, flags, io)));
  // --- end @loomscope/report ---

  return program;
}

/** Runs the CLI and returns the exit code (never calls process.exit except on a second Ctrl-C). */
export async function main(argv: readonly string[], given: Io = defaultIo): Promise<number> {
  // Secrets of the environment never reach the terminal, whatever a server echoed into a message.
  const redact = createRedactor(process.env);
  const io: Io = { out: (text) => given.out(text), err: (text) => given.err(redact(text)) };
  let code: number = EXIT.ok;
  const program = buildProgram(io, (c) => (code = c));
  try {
    await program.parseAsync([...argv], { from: "user" });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === "commander.helpDisplayed" || error.code === "commander.version" || error.code === "commander.help") return EXIT.ok;
      return EXIT.usage;
    }
    if (isLoomError(error)) {
      io.err(`error: ${error.message}`);
      if (error.hint) io.err(`fix: ${error.hint}`);
      return error.code === "STORAGE" ? EXIT.storage : EXIT.usage;
    }
    io.err(`unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return EXIT.failure;
  }
}

export type { LoomConfig };
