/**
 * Plan: what a run will evaluate. Targets (suites, benchmark ids, task files) become plan entries —
 * each benchmark configured with its validated options and the protocol — and entries become units
 * of work (benchmark × task × length). Every filter that matches nothing is an error here, before
 * any model is touched.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { LoomError, type Benchmark, type JsonObject, type PinnedDataFile, type Protocol, type Suite, type SuiteEntry, type TaskSpec } from "@loomscope/spec";
import type { DiscoveredPlugin, PluginRegistry } from "../plugins/registry.js";
import { didYouMean } from "@loomscope/metrics";
import { parseBenchmarkOptions } from "./options.js";
import { sampleKey } from "./store.js";

export interface PlanEntry {
  benchmark: Benchmark;
  /** The installed package, or the task file a benchmark was read from. */
  origin: { plugin: DiscoveredPlugin } | { file: string };
  tasks: TaskSpec[];
  lengths: readonly string[] | undefined;
  limit: number | undefined;
  sampleIds: readonly string[] | undefined;
  /** The suite entry's pinned data files (one per unit), read instead of the benchmark's own sources. */
  pinnedData: readonly PinnedDataFile[] | undefined;
  /** Validated options, defaults filled in. */
  options: JsonObject;
  /** The protocol reproduced (official when the benchmark has only that one). */
  protocol: Protocol;
}

export interface Unit {
  entry: PlanEntry;
  task: TaskSpec;
  length: string | undefined;
  /** `sampleKey` of the unit with an empty id: the prefix of its samples' keys. */
  key: string;
}

export interface Plan {
  entries: PlanEntry[];
  /** The suite run: an installed one, or one read from a suite file. */
  suite: { suite: Suite; plugin: DiscoveredPlugin } | { suite: Suite; file: string } | undefined;
  units: Unit[];
  /** Notes for the user (e.g. a benchmark with one protocol asked for another). */
  notices: string[];
}

export interface PlanRequest {
  targets: readonly string[];
  tasks?: readonly string[];
  lengths?: readonly string[];
  limit?: number;
  protocol?: Protocol;
  /** Options per benchmark id (config `benchmarks` and `--benchmark-opt`). */
  benchmarkOptions?: Readonly<Record<string, JsonObject>>;
  /** `--allow-code-execution`: passed as the `allowCodeExecution` option to benchmarks that declare it. */
  allowCodeExecution?: boolean;
  cwd: string;
  loadTaskFile?: TaskFileLoader;
  /** Reads task and suite files given as targets (falls back to `loadTaskFile`). */
  loadFileTarget?: FileTargetLoader;
}

/** A target naming a task file rather than an installed plugin. */
export const isTaskFile = (target: string): boolean => /\.(ya?ml|json)$/i.test(target);

/** Reads a task file into a benchmark (the CLI passes @loomscope/benchmark-kit's `loadTaskFile`). */
export type TaskFileLoader = (path: string) => Promise<Benchmark>;

/**
 * What a file target is: a task file (one benchmark) or a suite file (entries, some of which may be
 * task files, given as benchmarks by id). The CLI passes @loomscope/benchmark-kit's `loadFileTarget`.
 */
export type FileTarget =
  | { kind: "benchmark"; benchmark: Benchmark }
  | { kind: "suite"; suite: Suite; benchmarks: ReadonlyMap<string, { benchmark: Benchmark; file: string }> };
export type FileTargetLoader = (path: string) => Promise<FileTarget>;

/** Resolve the targets into plan entries and units. */
export async function buildPlan(registry: PluginRegistry, request: PlanRequest): Promise<Plan> {
  const entries: PlanEntry[] = [];
  const notices: string[] = [];
  const knownTasks = new Set<string>();
  let suite: Plan["suite"];
  const protocol = request.protocol ?? "official";

  const add = (benchmark: Benchmark, origin: PlanEntry["origin"], spec: Partial<SuiteEntry>) => {
    const options = parseBenchmarkOptions(benchmark.id, benchmark.options, {
      ...((spec.options as JsonObject | undefined) ?? {}),
      ...(request.benchmarkOptions?.[benchmark.id] ?? {}),
      ...(request.allowCodeExecution && benchmark.options?.["allowCodeExecution"] ? { allowCodeExecution: true } : {}),
    });
    const protocols = benchmark.protocols ?? ["official"];
    const wantedProtocol: Protocol = spec.protocol ?? protocol;
    if (spec.protocol && request.protocol && spec.protocol !== request.protocol) {
      notices.push(`${benchmark.id} runs protocol ${spec.protocol}, as its suite entry says, not --protocol ${request.protocol}`);
    }
    let effective: Protocol = wantedProtocol;
    if (!protocols.includes(wantedProtocol)) {
      effective = "official";
      notices.push(`${benchmark.id} reproduces one protocol (official): LOOM-Scope's code for it does not differ or is not ported, so protocol ${wantedProtocol} runs the official one`);
    }
    const configured = benchmark.configure ? benchmark.configure({ protocol: effective, options }) : benchmark;
    for (const t of configured.tasks) knownTasks.add(t.id);
    const wanted = request.tasks ?? spec.tasks;
    const tasks = wanted ? configured.tasks.filter((t) => wanted.includes(t.id)) : [...configured.tasks];
    if (spec.tasks && request.tasks === undefined) {
      const unknown = spec.tasks.filter((t) => !configured.tasks.some((x) => x.id === t));
      if (unknown.length) throw new LoomError("PLAN", `benchmark ${benchmark.id} has no task ${unknown.join(", ")}`, { hint: `its tasks: ${configured.tasks.map((t) => t.id).join(", ")}` });
    }
    if (spec.data) checkPinsName(configured, spec.data as readonly PinnedDataFile[]);
    if (tasks.length === 0) return;
    entries.push({
      benchmark: configured,
      origin,
      tasks,
      lengths: request.lengths ?? spec.lengths,
      limit: request.limit ?? spec.limit,
      sampleIds: spec.sampleIds,
      pinnedData: spec.data as readonly PinnedDataFile[] | undefined,
      options,
      protocol: effective,
    });
  };

  for (const target of request.targets) {
    if (isTaskFile(target)) {
      const file = resolve(request.cwd, target);
      if (!existsSync(file)) throw new LoomError("USAGE", `file ${file} does not exist`);
      const loaded: FileTarget | undefined = request.loadFileTarget
        ? await request.loadFileTarget(file)
        : request.loadTaskFile
          ? { kind: "benchmark", benchmark: await request.loadTaskFile(file) }
          : undefined;
      if (!loaded) throw new LoomError("USAGE", `${target} is a task or suite file, and this host cannot read them`, { hint: "run it with the loom CLI, or pass loadFileTarget from @loomscope/benchmark-kit" });
      if (loaded.kind === "benchmark") add(loaded.benchmark, { file }, {});
      else {
        if (suite) throw new LoomError("PLAN", "one suite per run", { hint: "run suites one at a time" });
        suite = { suite: loaded.suite, file };
        for (const e of loaded.suite.entries) {
          const inline = loaded.benchmarks.get(e.benchmark);
          if (inline) add(inline.benchmark, { file: inline.file }, e);
          else if (registry.find("benchmark", e.benchmark)) add(await registry.load("benchmark", e.benchmark), { plugin: registry.require("benchmark", e.benchmark) }, e);
          else throw registry.unknownTarget(e.benchmark);
        }
      }
    } else if (registry.find("suite", target)) {
      if (suite) throw new LoomError("PLAN", "one suite per run", { hint: "run suites one at a time" });
      const loaded = await registry.load("suite", target);
      // Name every member the suite needs and lacks at once, as the suite's, not as a typo.
      const lacking = loaded.entries.map((e) => e.benchmark).filter((id) => !registry.find("benchmark", id));
      if (lacking.length > 0) {
        const hints = lacking.map((id) => registry.hintFor(["benchmark"], id)).filter((h) => h.startsWith("npm i "));
        throw new LoomError("PLUGIN_MISSING", `suite ${target} needs the benchmark(s) ${lacking.join(", ")}, which are not installed`, {
          hint: hints.length ? hints.join("; ") : `install the benchmark plugins ${lacking.join(", ")}`,
        });
      }
      suite = { suite: loaded, plugin: registry.require("suite", target) };
      for (const e of loaded.entries) add(await registry.load("benchmark", e.benchmark), { plugin: registry.require("benchmark", e.benchmark) }, e);
    } else if (registry.find("benchmark", target)) {
      add(await registry.load("benchmark", target), { plugin: registry.require("benchmark", target) }, {});
    } else {
      const suites = registry.list("suite").map((p) => p.manifest.id);
      const benchmarks = registry.list("benchmark").map((p) => p.manifest.id);
      throw new LoomError("PLUGIN_MISSING", `"${target}" is neither an installed suite nor an installed benchmark${didYouMean(target, [...suites, ...benchmarks])}`, {
        hint: `installed suites: ${suites.join(", ") || "none"}; benchmarks: ${benchmarks.join(", ") || "none"}. To add one: npm i @loomscope/benchmark-${target} (or @loomscope/suite-${target})`,
      });
    }
  }

  // Filters that match nothing anywhere are mistakes, not empty runs.
  if (request.tasks) {
    const known = knownTasks;
    const unknown = request.tasks.filter((t) => !entries.some((e) => e.tasks.some((x) => x.id === t)));
    if (unknown.length > 0) {
      throw new LoomError("USAGE", `--tasks: no planned benchmark has task ${unknown.map((t) => `"${t}"${didYouMean(t, known)}`).join(", ")}`, {
        hint: `tasks: ${[...known].join(", ") || "(none: check the targets)"}`,
      });
    }
  }
  if (entries.length === 0) throw new LoomError("PLAN", "nothing to run: the filters left no task");
  return { entries, suite, units: unitsOf(entries, request.lengths), notices };
}

/** A pinned file for a unit the benchmark does not have would silently never be read: refuse it. */
function checkPinsName(benchmark: Benchmark, pins: readonly PinnedDataFile[]): void {
  for (const pinned of pins) {
    const task = benchmark.tasks.find((t) => t.id === pinned.task);
    if (!task) throw new LoomError("PLAN", `${benchmark.id}: pinned data names task "${pinned.task}", which the benchmark does not have`, { hint: `its tasks: ${benchmark.tasks.map((t) => t.id).join(", ")}` });
    if ((pinned.length ?? null) !== null && !task.lengths.includes(pinned.length!)) {
      throw new LoomError("PLAN", `${benchmark.id}: pinned data names length "${pinned.length}" of task ${task.id}, which has lengths ${task.lengths.join(", ") || "(none)"}`);
    }
  }
}

/** The (benchmark, task, length) units of the entries; a `--lengths` level no task has is a usage error. */
function unitsOf(entries: readonly PlanEntry[], requestedLengths: readonly string[] | undefined): Unit[] {
  const units: Unit[] = [];
  const usedLengths = new Set<string>();
  for (const entry of entries) {
    for (const task of entry.tasks) {
      const lengths = task.lengths.length === 0 ? [undefined] : task.lengths.filter((l) => !entry.lengths || entry.lengths.includes(l));
      for (const length of lengths) {
        if (length !== undefined) usedLengths.add(length);
        units.push({ entry, task, length, key: sampleKey({ benchmark: entry.benchmark.id, task: task.id, length: length ?? null, id: "" }) });
      }
    }
  }
  if (requestedLengths) {
    const known = new Set(entries.flatMap((e) => e.tasks.flatMap((t) => t.lengths)));
    const unknown = requestedLengths.filter((l) => !usedLengths.has(l));
    if (unknown.length > 0) {
      throw new LoomError("USAGE", `--lengths: no planned task has length level ${unknown.map((l) => `"${l}"${didYouMean(l, known)}`).join(", ")}`, {
        hint: `length levels: ${[...known].join(", ") || "(these tasks have none)"}`,
      });
    }
  }
  if (units.length === 0) throw new LoomError("PLAN", "nothing to run: no task has the requested length levels");
  return units;
}

/**
 * The planned units that cannot read their suite entry's pinned data — no pin names the unit, or
 * its pin carries no sha256 — so `loom run` refuses before any model is touched (the kit refuses
 * them again as it reads, for hosts that skip this check). `loom suite show` still shows them.
 */
export function unreadablePins(plan: Plan): string[] {
  const problems: string[] = [];
  for (const unit of plan.units) {
    const pins = unit.entry.pinnedData;
    if (!pins) continue;
    const where = `${unit.entry.benchmark.id}/${unit.task.id}${unit.length !== undefined ? `/${unit.length}` : ""}`;
    const pin = pins.find((p) => p.task === unit.task.id && p.length === unit.length) ?? pins.find((p) => p.task === unit.task.id && p.length === undefined);
    if (!pin) problems.push(`${where}: no pinned file`);
    else if (!pin.file.sha256) problems.push(`${where}: ${pin.file.path} has no sha256 in the suite`);
  }
  return problems;
}
