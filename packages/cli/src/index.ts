import { readFileSync } from "node:fs";
import { Argument, Command, CommanderError, InvalidArgumentError, Option } from "commander";
import {
  EventBus,
  loadConfig,
  mergeRuns,
  autoShard,
  buildPlan,
  isTaskFile,
  KNOWN_PLUGINS,
  createRedactor,
  writeFileAtomic,
  PluginRegistry,
  RUN_OPTIONS,
  rescoreRun,
  runEvaluation,
  SUPPORTED_API_VERSIONS,
  bindJudge,
  createDataAccess,
  DEFAULT_RETRY_POLICY,
  describeOption,
  parseBenchmarkOptions,
  resolveCacheDir,
  ResponseCache,
  type JudgeBinding,
  type LoomConfig,
  type RunEstimate,
  type RunSettings,
} from "@loomscope/core";
import { loadFileTarget, loadTaskFile } from "@loomscope/benchmark-kit";
import { isLoomError, LoomError, PROTOCOLS, readRunDirectory, type JsonObject, type Protocol, type RunResults } from "@loomscope/spec";
import { buildReportFor, renderReport, reportCommand, viewCommand } from "@loomscope/report";
import { writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { attachProgress } from "./progress.js";
import { resultsTable, textTable } from "./table.js";
import { pinnedSources, suiteDataLine } from "./suite-data.js";
import { addRunFlags, givenRunSettings, registryFor, runSettingsFor } from "./run-setup.js";
import { planTotalLine, registerPlanCommand } from "./plan.js";
import { registerAblateCommand } from "./ablate.js";

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

async function commandRun(targets: string[], given: RunSettings, flags: CliFlags, io: Io): Promise<number> {
  const cwd = process.cwd();
  const { registry, config } = await registryFor(cwd, flags.config);
  // A suite may suggest a model and a max length; flags and config win.
  const settings = await runSettingsFor(targets, given, registry, config, cwd);
  if (!settings.model) {
    io.err("error: no model given. Pass --model <backend>:<model>, e.g. --model llamacpp:./qwen3-0.6b.gguf, --model ollama:qwen3:8b or --model vllm:Qwen/Qwen3-8B");
    return EXIT.usage;
  }
  // --shard auto: the index and count come from the scheduler (a usage error when there is none).
  const shard = settings.shard === "auto" ? autoShard() : undefined;
  // Unknown targets fail here, with the nearest known id rather than a guessed package name.
  for (const t of targets) if (!isTaskFile(t) && !registry.find("suite", t) && !registry.find("benchmark", t)) throw registry.unknownTarget(t);
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
  if (shard?.source) io.err(`shard ${shard.index}/${shard.count}, from ${shard.source}`);
  const detach = attachProgress(bus, process.stderr, { quiet: Boolean(flags.quiet) });
  try {
    const outcome = await runEvaluation({
      ...settings,
      ...(shard ? { shard: `${shard.index}/${shard.count}` } : {}),
      targets,
      cwd,
      registry,
      bus,
      signal: controller.signal,
      loadTaskFile,
      loadFileTarget,
      // The plan's one-line total before the first request (loom plan shows the whole table).
      ...(flags.quiet ? {} : { onEstimate: (estimate: RunEstimate) => io.err(planTotalLine(estimate)) }),
    });
    detach();
    if (flags.json) io.out(JSON.stringify({ runDir: outcome.runDir, results: outcome.results, counts: outcome.counts, failures: outcome.failures }, null, 2));
    else {
      io.out(resultsTable(outcome.results));
      io.out(`\nrecords and results: ${outcome.runDir}`);
      const report = await writeRunReport(outcome.runDir);
      if (report.ok) io.out(`report: ${report.path}`);
      else io.err(`warn: no HTML report: ${report.message} (try \`loom report ${outcome.runDir}\`)`);
      const cached = outcome.counts.cached > 0 ? ` (${outcome.counts.cached} from the response cache)` : "";
      const skipped = outcome.counts.skipped > 0 ? `, ${outcome.counts.skipped} not run (too long for the model's window)` : "";
      io.out(`samples: ${outcome.counts.ok} ok${cached}, ${outcome.counts.errors} failed${skipped}, ${outcome.counts.resumed} resumed from an earlier run`);
    }
    for (const line of skippedLines(outcome.results)) io.err(line);
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
        } else if (kind === "backend") {
          const b = await registry.load("backend", p.manifest.id);
          const directives = b.directives ?? [];
          detail = `${b.description}; directives: ${directives.length > 0 ? directives.join(", ") : "none"}`;
          item.directives = [...directives];
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
  else io.out("Add a first-party plugin with the npm i line shown beside it; `loom plugins doctor` checks what is installed.");
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
  io.out(rows.length ? textTable(["kind", "package", "status"], rows) : "no loomscope plugins found");
  io.out(`\nsearched: ${registry.searched.join(", ") || "(no node_modules folders)"}`);
  io.out(bad === 0 ? "\nall plugins load" : `\n${bad} plugin(s) have problems`);
  return bad === 0 ? EXIT.ok : EXIT.usage;
}

interface ScoreFlags {
  predictions?: string;
  out?: string;
  protocol?: "official" | "loom";
  judge?: string;
  judgeOpt?: JsonObject;
  benchmarkOpt?: Record<string, JsonObject>;
  allowCodeExecution?: boolean;
  config?: string;
}

/** A judge for official-format scoring: any installed backend, its calls cached like a run's. */
/** The judge backend's options: the config file's for that backend, then `--judge-opt`. */
const judgeOptionsFor = (spec: string, config: LoomConfig, flags: JsonObject | undefined): JsonObject => ({
  ...((config.backends?.[spec.slice(0, spec.indexOf(":"))] as JsonObject | undefined) ?? {}),
  ...(flags ?? {}),
});

async function judgeFor(spec: string, registry: PluginRegistry, config: LoomConfig, signal: AbortSignal, io: Io, judgeOpt?: JsonObject): Promise<JudgeBinding> {
  const cacheDir = resolveCacheDir(config.cacheDir);
  return bindJudge(spec, {
    registry,
    env: process.env,
    cacheDir,
    data: createDataAccess({ cacheDir }),
    options: judgeOptionsFor(spec, config, judgeOpt),
    cache: new ResponseCache(join(cacheDir, "responses", "judge")),
    retry: config.retry ?? DEFAULT_RETRY_POLICY,
    concurrency: config.concurrency ?? 4,
    signal,
    log: (level, message) => io.err(`${level}: ${message}`),
  });
}

async function commandScore(target: string, flags: ScoreFlags, io: Io): Promise<number> {
  const cwd = process.cwd();
  const { registry, config } = await registryFor(cwd, flags.config);
  if (flags.predictions) {
    const benchmark = await registry.load("benchmark", target);
    if (!benchmark.scoreOfficial) {
      io.err(`error: benchmark ${target} has no official-format scorer`);
      return EXIT.usage;
    }
    let protocol = flags.protocol ?? "official";
    if (!(benchmark.protocols ?? ["official"]).includes(protocol)) {
      io.err(`note: ${target} reproduces one protocol (official): LOOM-Scope's code for it does not differ or is not ported, so --protocol ${protocol} scores the official one`);
      protocol = "official";
    }
    const options = parseBenchmarkOptions(target, benchmark.options, {
      ...((config.benchmarks?.[target] as JsonObject | undefined) ?? {}),
      ...(flags.benchmarkOpt?.[target] ?? {}),
      ...(flags.allowCodeExecution && benchmark.options?.["allowCodeExecution"] ? { allowCodeExecution: true } : {}),
    });
    const controller = new AbortController();
    const judge = flags.judge ? await judgeFor(flags.judge, registry, config, controller.signal, io, flags.judgeOpt) : undefined;
    try {
      const result = await benchmark.scoreOfficial({
        predictions: flags.predictions,
        ...(flags.out ? { out: flags.out } : {}),
        protocol,
        options,
        ...(judge ? { judge: judge.forSample([]) } : {}),
        log: (level, message) => (level === "error" || level === "warn" ? io.err(`${level}: ${message}`) : io.out(message)),
      });
      io.out(result.summary);
      for (const file of result.written) io.out(`wrote ${file}`);
      if (judge) io.err(`judge ${judge.id}: ${judge.stats.calls} calls, ${judge.stats.cached} from the cache`);
      return EXIT.ok;
    } finally {
      await judge?.dispose();
    }
  }
  const judgeSpec = flags.judge ?? readManifestJudge(target, cwd);
  const { results, rescored, changed } = await rescoreRun(target, {
    cwd,
    registry,
    loadTaskFile,
    loadFileTarget,
    ...(flags.judge ? { judge: flags.judge } : {}),
    judgeOptions: (spec) => judgeOptionsFor(spec, config, flags.judgeOpt),
    onNotice: (n) => io.err(`${n.level}: ${n.message}`),
  });
  io.out(resultsTable(results));
  io.out(`\nre-scored ${rescored} records (${changed} changed) in ${target}`);
  return EXIT.ok;
}

/** One line per cell whose samples were skipped for the model's window (whatever the display mode). */
function skippedLines(results: RunResults): string[] {
  const lines: string[] = [];
  for (const b of results.benchmarks) {
    for (const [task, byLength] of Object.entries(b.status?.cells ?? {})) {
      for (const [length, cell] of Object.entries(byLength)) {
        if (cell.skipped) lines.push(`  ${b.benchmark}/${task}${length === "all" ? "" : `/${length}`}: ${cell.skipped} of ${cell.planned} (${cell.skipReason ?? "too long"})`);
      }
    }
  }
  return lines.length > 0 ? [`not run: samples whose prompt cannot fit the model's window (their cells are marked partial):`, ...lines] : [];
}

/** Sizes in bytes from `500M`, `2G`, `1000000`. */
function parseSize(raw: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kKmMgG]?)[bB]?$/.exec(raw.trim());
  if (!m) throw new InvalidArgumentError(`expected a size such as 500M or 2G, got "${raw}"`);
  const unit = { "": 1, k: 1e3, m: 1e6, g: 1e9 }[m[2]!.toLowerCase() as "" | "k" | "m" | "g"];
  return Math.round(Number(m[1]) * unit);
}

/** `loom cache stats|prune`: the response cache every run shares (generations and judge calls). */
async function commandCache(action: "stats" | "prune", flags: { cacheDir?: string; maxSize?: number }, io: Io): Promise<number> {
  const root = join(resolveCacheDir(flags.cacheDir), "responses");
  const parts = ["generate", "judge"].map((name) => ({ name, cache: new ResponseCache(join(root, name)) }));
  if (action === "prune") {
    if (flags.maxSize === undefined) throw new LoomError("USAGE", "loom cache prune needs --max-size", { hint: "e.g. loom cache prune --max-size 2G" });
    for (const { name, cache } of parts) {
      const { removed, bytes } = cache.prune(flags.maxSize / parts.length);
      io.out(`${name}: removed ${removed} entries, ${(bytes / 1e6).toFixed(1)} MB left`);
    }
    return EXIT.ok;
  }
  io.out(textTable(["cache", "entries", "MB"], parts.map(({ name, cache }) => {
    const u = cache.usage();
    return [name, String(u.entries), (u.bytes / 1e6).toFixed(1)];
  })));
  io.out(`\nat ${root}; runs reuse an answer when the model, the exact prompt and the generation settings match (--no-cache bypasses it)`);
  return EXIT.ok;
}

/** The judge a run was scored with, from its manifest (for the judge backend's options from config). */
function readManifestJudge(runDir: string, cwd: string): string | undefined {
  try {
    // Through spec's run-directory reader; a missing or unreadable manifest is `loom score`'s to report.
    return readRunDirectory(resolve(cwd, runDir), { invalid: "notice" }).manifest?.judge?.spec ?? undefined;
  } catch {
    return undefined;
  }
}

/** `loom suite show <id|file>`: what a suite will run — entries, units, sample counts, data sources. */
async function commandSuiteShow(target: string, flags: { config?: string; json?: boolean }, io: Io): Promise<number> {
  const cwd = process.cwd();
  const { registry, config } = await registryFor(cwd, flags.config);
  if (!isTaskFile(target) && !registry.find("suite", target)) throw registry.unknownTarget(target);
  const plan = await buildPlan(registry, { targets: [target], cwd, loadTaskFile, loadFileTarget, ...(config.benchmarks ? { benchmarkOptions: config.benchmarks } : {}) });
  if (!plan.suite) throw new LoomError("USAGE", `${target} is not a suite`, { hint: "loom describe <benchmark> shows a benchmark" });
  const cacheDir = resolveCacheDir(config.cacheDir);
  const data = createDataAccess({ cacheDir, offline: true, ...(config.dataDir ? { dataDir: resolve(cwd, config.dataDir) } : {}) });
  const rows: string[][] = [];
  const units: JsonObject[] = [];
  for (const unit of plan.units) {
    const ctx = { cacheDir, data, seed: 0, options: unit.entry.options, ...(unit.entry.pinnedData ? { pinnedData: unit.entry.pinnedData } : {}), protocol: unit.entry.protocol, signal: new AbortController().signal, log: () => {}, reportDataIssue: () => {}, recordProvenance: () => {} };
    const request = { task: unit.task.id, ...(unit.length ? { length: unit.length } : {}), ...(unit.entry.limit !== undefined ? { limit: unit.entry.limit } : {}), ...(unit.entry.sampleIds ? { sampleIds: unit.entry.sampleIds } : {}) };
    const count = await unit.entry.benchmark.count?.(request, ctx).catch(() => undefined);
    rows.push([unit.entry.benchmark.id, unit.task.id, unit.length ?? "—", count === undefined ? "?" : String(count), unit.entry.protocol]);
    units.push({ benchmark: unit.entry.benchmark.id, task: unit.task.id, length: unit.length ?? null, samples: count ?? null, protocol: unit.entry.protocol });
  }
  const suite = plan.suite.suite;
  if (flags.json) {
    io.out(JSON.stringify({ suite: suite.id, version: suite.version, aggregation: suite.aggregation, entries: suite.entries, units, dataSources: Object.fromEntries(plan.entries.map((e) => [e.benchmark.id, e.pinnedData ? pinnedSources(e.pinnedData) : (e.benchmark.dataSources ?? [])])) }, null, 2));
    return EXIT.ok;
  }
  io.out(`suite ${suite.id}@${suite.version}: ${suite.description}`);
  io.out(`aggregation: ${suite.aggregation.rule}${suite.aggregation.capabilityMeans === false ? "" : ", with per-capability means"}\n`);
  io.out(textTable(["benchmark", "task", "length", "samples", "protocol"], rows));
  const known = units.map((u) => u["samples"]).filter((n): n is number => typeof n === "number");
  io.out(`\n${known.reduce((a, b) => a + b, 0)} samples in ${units.length} units${known.length < units.length ? ` (${units.length - known.length} unit(s) counted when their data is read)` : ""}`);
  for (const e of plan.entries) io.out(suiteDataLine(e));
  return EXIT.ok;
}

/** `loom describe <id>`: a plugin's tasks, lengths, options with defaults, metrics and data sources. */
async function commandDescribe(id: string, flags: { json?: boolean; config?: string }, io: Io): Promise<number> {
  const { registry } = await registryFor(process.cwd(), flags.config);
  if (!registry.find("benchmark", id)) {
    if (registry.find("suite", id)) {
      const suite = await registry.load("suite", id);
      io.out(`suite ${suite.id}@${suite.version}: ${suite.description}`);
      io.out(textTable(["benchmark", "tasks", "lengths", "limit", "weight"], suite.entries.map((e) => [e.benchmark, e.tasks?.join(",") ?? "all", e.lengths?.join(",") ?? "all", String(e.limit ?? "all"), String(e.weight ?? 1)])));
      io.out(`aggregation: ${suite.aggregation.rule}`);
      return EXIT.ok;
    }
    throw registry.unknownTarget(id);
  }
  const b = await registry.load("benchmark", id);
  if (flags.json) {
    io.out(JSON.stringify({ id: b.id, version: b.version, capability: b.capability, description: b.description, protocols: b.protocols ?? ["official"], tasks: b.tasks, options: b.options ?? {}, metrics: b.metrics ?? {}, dataSources: b.dataSources ?? [] }, null, 2));
    return EXIT.ok;
  }
  io.out(`${b.id}@${b.version} (${b.capability}): ${b.description}`);
  io.out(`protocols: ${(b.protocols ?? ["official"]).join(", ")}`);
  io.out("\n" + textTable(["task", "language", "lengths", "max new tokens", "metrics"], b.tasks.map((t) => [t.id, t.language, t.levels ? t.levels.map((l) => `${l.label} (${l.value} ${l.unit})`).join(", ") : t.lengths.join(", ") || "—", String(t.maxNewTokens), t.metrics.join(", ")])));
  const options = Object.entries(b.options ?? {});
  io.out(options.length ? "\noptions (--benchmark-opt " + b.id + ".<name>=<value>):\n" + options.map(([k, o]) => `  ${describeOption(k, o)}`).join("\n") : "\noptions: none");
  const metrics = Object.values(b.metrics ?? {});
  if (metrics.length) io.out("\nmetrics:\n" + metrics.map((m) => `  ${m.id}${m.judge ? ` [judge: ${m.judge}]` : ""}${m.description ? ` — ${m.description}` : ""}`).join("\n"));
  if (b.dataSources?.length) io.out("\ndata: " + b.dataSources.join("; "));
  return EXIT.ok;
}

async function commandMerge(dirs: string[], flags: { out: string; allowIncomplete?: boolean }, io: Io): Promise<number> {
  const { registry } = await registryFor(process.cwd());
  const { results, records, runDir, check } = await mergeRuns(dirs, flags.out, {
    cwd: process.cwd(),
    registry,
    onNotice: (n) => io.err(`${n.level}: ${n.message}`),
    ...(flags.allowIncomplete ? { allowIncomplete: true } : {}),
  });
  io.out(resultsTable(results));
  const shards = check.count !== null ? ` from ${check.count - check.missingShards.length} of ${check.count} shards` : "";
  io.out(`\nmerged ${records} records${shards} into ${runDir}${results.complete ? "" : " (incomplete)"}`);
  return results.complete ? EXIT.ok : EXIT.partial;
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
  const settingOf = addRunFlags(run);
  run
    .option("--config <file>", "config file (default loom.config.{ts,js,json} in the current folder)")
    .option("-q, --quiet", "no progress display (errors and failures are still printed)")
    .option("--json", "print the results as JSON")
    .action(async (targets: string[], flags: Record<string, unknown> & CliFlags, command: Command) => {
      setCode(await commandRun(targets, givenRunSettings(command, flags, settingOf), flags, io));
    });

  // loom plan and loom ablate: their own modules (plan.ts, ablate.ts).
  registerPlanCommand(program, io, setCode);
  registerAblateCommand(program, io, setCode);

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
    .option("--out <dir>", "where to write the official-format results (default: the predictions folder)")
    .addOption(new Option("--protocol <protocol>", "score as the official scorer (default) or as LOOM-Scope's").choices(["official", "loom"]))
    .option("--judge <backend:model>", "model that scores judge-scored metrics (calls are cached)")
    .addOption(new Option("--judge-opt <key=value>", RUN_OPTIONS.judgeOptions.description).argParser((raw: string, prev: unknown) => RUN_OPTIONS.judgeOptions.cli!.parse!(raw, prev)))
    .addOption(new Option("--benchmark-opt <id.key=value>", RUN_OPTIONS.benchmarkOptions.description).argParser((raw: string, prev: unknown) => RUN_OPTIONS.benchmarkOptions.cli!.parse!(raw, prev)))
    .option("--allow-code-execution", RUN_OPTIONS.allowCodeExecution.description)
    .option("--config <file>", "config file")
    .action(async (target: string, flags: ScoreFlags) => setCode(await commandScore(target, flags, io)));

  program
    .command("cache")
    .description("the response cache shared by all runs: its size (stats) or trimming it (prune --max-size)")
    .addArgument(new Argument("<action>", "stats or prune").choices(["stats", "prune"]))
    .option("--cache-dir <dir>", "cache folder (default ~/.cache/loomscope)")
    .option("--max-size <size>", "prune: keep at most this much (e.g. 2G), oldest entries go first", parseSize)
    .action(async (action: "stats" | "prune", flags: { cacheDir?: string; maxSize?: number }) => setCode(await commandCache(action, flags, io)));

  const suiteCommand = program.command("suite").description("suites: what one will run");
  suiteCommand
    .command("show")
    .description("a suite's entries, units, sample counts and data sources (an installed suite or a suite file)")
    .argument("<suite>", "suite id or suite file")
    .option("--json", "machine-readable")
    .option("--config <file>", "config file")
    .action(async (target: string, flags: { json?: boolean; config?: string }) => setCode(await commandSuiteShow(target, flags, io)));

  program
    .command("describe")
    .description("a benchmark's tasks, length levels, options with defaults, metrics and data sources (or a suite's entries)")
    .argument("<id>", "benchmark or suite id")
    .option("--json", "machine-readable")
    .option("--config <file>", "config file")
    .action(async (id: string, flags: { json?: boolean; config?: string }) => setCode(await commandDescribe(id, flags, io)));

  program
    .command("merge")
    .description("join the run directories of --shard runs into one; refuses shards of different settings, and names missing samples")
    .argument("<run-dirs...>")
    .requiredOption("-o, --out <dir>", "merged run directory")
    .option("--allow-incomplete", "merge even when shards or samples are missing (the results say incomplete)")
    .action(async (dirs: string[], flags: { out: string; allowIncomplete?: boolean }) => setCode(await commandMerge(dirs, flags, io)));

  // --- @loomscope/report: `loom report` and `loom view` (logic lives in packages/report) ---
  program
    .command("report")
    .description("HTML report of a run; several runs side by side with deltas and a leaderboard; md/csv/json for papers and spreadsheets")
    .argument("<runs...>", "run directories, or results folders holding them")
    .option("-o, --out <file>", "output file (default: <run>/report.html for one run, ./loom-report.html for several; md/csv/json print to stdout)")
    .addOption(new Option("-f, --format <format>", "output format (default: from --out, else html)").choices(["html", "md", "csv", "json"]))
    .option("--title <text>", "page title")
    .option("--leaderboard", "the leaderboard alone: runs × benchmarks × Avg × capability means (as the LOOMBench card lays it out)")
    .action(async (runs: string[], flags: { out?: string; format?: string; title?: string; leaderboard?: boolean }) => setCode(await reportCommand(runs, flags, io)));
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
