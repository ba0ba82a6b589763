import { resolve } from "node:path";
import { LoomError, type JsonValue, type RunManifest, type RunResults, type SampleRecord } from "@loomscope/spec";
import { PluginRegistry } from "../plugins/registry.js";
import { sha256 } from "../text/tokenizers.js";
import { readRunPlan, unitKey, writeRunPlan, type UnitPlan } from "./plan-file.js";
import { aggregateRun, benchmarksOf, openRun } from "./rescore.js";
import type { TaskFileLoader } from "./plan.js";
import { stableHash } from "./specs.js";
import { RunStore, sampleKey, type StoreNotice } from "./store.js";

/** A sample the merged run has no record of, and the shard that should have run it. */
export interface MissingSample {
  benchmark: string;
  task: string;
  length: string | null;
  id: string;
  /** The shard index it hashes to (`--shard i/n` assignment), or null for unsharded runs. */
  shard: number | null;
}

export interface MergeCheck {
  /** Shard count shared by the runs, or null when they are not shard runs. */
  count: number | null;
  /** Shard indices no run directory was given for. */
  missingShards: number[];
  /** Planned samples with no record in any shard. */
  missing: MissingSample[];
  /** Units (benchmark/task/length) that no shard read to the end: their samples are unknown. */
  unlisted: string[];
  /** Samples recorded with an error (present, but failed). */
  failed: number;
}

export interface MergeOutcome {
  results: RunResults;
  records: number;
  runDir: string;
  check: MergeCheck;
}

const SHOWN_IDS = 100;


const show = (value: unknown): string => (value === undefined ? "(absent)" : JSON.stringify(value));

/** The first place two JSON values differ, as a path (`plan[0].limit`), or undefined when equal. */
export function firstDifference(a: JsonValue | undefined, b: JsonValue | undefined, path = ""): { path: string; a: unknown; b: unknown } | undefined {
  if (JSON.stringify(a) === JSON.stringify(b)) return undefined;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const d = firstDifference(a[i], b[i], `${path}[${i}]`);
      if (d) return d;
    }
  } else if (a && b && typeof a === "object" && typeof b === "object" && !Array.isArray(a) && !Array.isArray(b)) {
    for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      const d = firstDifference(a[key], b[key], path ? `${path}.${key}` : key);
      if (d) return d;
    }
  }
  return { path: path || "(the whole config)", a, b };
}

function parseShardSetting(value: unknown): { index: number; count: number } | null {
  if (typeof value !== "string") return null;
  const match = /^(\d+)\/(\d+)$/.exec(value);
  return match ? { index: Number(match[1]), count: Number(match[2]) } : null;
}

/** Refuse runs that are not shards of one configuration, saying which setting differs. */
function checkSettings(runs: readonly { dir: string; manifest: RunManifest }[]): void {
  const [first, ...rest] = runs;
  if (!first) return;
  const settings = (m: RunManifest) => ({ ...m.config, shard: null }) as JsonValue;
  for (const run of rest) {
    const diff = firstDifference(settings(run.manifest), settings(first.manifest));
    if (diff) {
      throw new LoomError("MERGE", `${run.dir} was run with different settings than ${first.dir}: ${diff.path} is ${show(diff.a)} there and ${show(diff.b)} in ${first.dir}`, {
        hint: "only shards of one command (the same settings, a different --shard) can be merged",
      });
    }
    for (const plugin of run.manifest.plugins) {
      const other = first.manifest.plugins.find((p) => p.kind === plugin.kind && p.id === plugin.id);
      if (other && other.version !== plugin.version) {
        throw new LoomError("MERGE", `${run.dir} was run with ${plugin.package}@${plugin.version} but ${first.dir} with ${other.package}@${other.version}`, {
          hint: "run every shard with the same plugin versions",
        });
      }
    }
  }
}

/** The shard count shared by the runs, and the indices missing; refuses mixed and repeated shards. */
function checkShards(runs: readonly { dir: string; manifest: RunManifest }[]): { count: number | null; missingShards: number[] } {
  const shards = runs.map((r) => ({ dir: r.dir, shard: parseShardSetting(r.manifest.config.shard) }));
  const sharded = shards.filter((s) => s.shard !== null);
  if (sharded.length === 0) return { count: null, missingShards: [] };
  const unsharded = shards.find((s) => s.shard === null);
  if (unsharded) {
    throw new LoomError("MERGE", `${unsharded.dir} is not a shard run (no --shard), but ${sharded[0]!.dir} is shard ${sharded[0]!.shard!.index}/${sharded[0]!.shard!.count}`, {
      hint: "merge the shard directories of one sharded command",
    });
  }
  const count = sharded[0]!.shard!.count;
  for (const s of sharded) {
    if (s.shard!.count !== count) {
      throw new LoomError("MERGE", `${s.dir} is shard ${s.shard!.index}/${s.shard!.count} but ${sharded[0]!.dir} is shard ${sharded[0]!.shard!.index}/${count}: the shard counts differ`, {
        hint: "merge shards of one --shard i/n split (the same n)",
      });
    }
  }
  const byIndex = new Map<number, string>();
  for (const s of sharded) {
    const twice = byIndex.get(s.shard!.index);
    if (twice) throw new LoomError("MERGE", `shard ${s.shard!.index}/${count} is given twice: ${twice} and ${s.dir}`, { hint: "name each shard's run directory once" });
    byIndex.set(s.shard!.index, s.dir);
  }
  return { count, missingShards: Array.from({ length: count }, (_, i) => i).filter((i) => !byIndex.has(i)) };
}

/** The plan of all shards: every unit's sample ids, from whichever shards listed it (they must agree). */
function unionPlan(runs: readonly { dir: string }[]): Map<string, UnitPlan> {
  const plan = new Map<string, { plan: UnitPlan; dir: string }>();
  for (const run of runs) {
    for (const [key, unit] of readRunPlan(run.dir)) {
      const seen = plan.get(key);
      if (!seen) {
        plan.set(key, { plan: unit, dir: run.dir });
        continue;
      }
      const a = new Set(seen.plan.ids);
      const b = new Set(unit.ids);
      const onlyA = [...a].filter((id) => !b.has(id));
      const onlyB = [...b].filter((id) => !a.has(id));
      if (onlyA.length > 0 || onlyB.length > 0) {
        const where = `${unit.benchmark}/${unit.task}${unit.length ? `/${unit.length}` : ""}`;
        throw new LoomError("MERGE", `shards saw different samples for ${where}: ${onlyA.length} only in ${seen.dir} (${onlyA.slice(0, 5).join(", ")}), ${onlyB.length} only in ${run.dir} (${onlyB.slice(0, 5).join(", ")})`, {
          hint: "run every shard with the same command and data (--limit, --tasks, --lengths and --sample-ids decide which samples a shard sees; they are not part of the run's identity)",
        });
      }
    }
  }
  return new Map([...plan].map(([key, value]) => [key, value.plan]));
}

/** The units the manifest's plan names (task × length). */
function expectedUnits(manifest: RunManifest): { benchmark: string; task: string; length: string | null }[] | undefined {
  return manifest.plan ? manifest.plan.map((u) => ({ ...u })) : undefined;
}

const unitName = (u: { benchmark: string; task: string; length: string | null }) => `${u.benchmark}/${u.task}${u.length ? `/${u.length}` : ""}`;

/** The refusal for an incomplete merge: which shards, units and sample ids are missing. */
function incompleteError(check: MergeCheck): LoomError {
  const parts: string[] = [];
  if (check.missingShards.length > 0) {
    parts.push(`shard${check.missingShards.length > 1 ? "s" : ""} ${check.missingShards.map((i) => `${i}/${check.count}`).join(", ")} ${check.missingShards.length > 1 ? "are" : "is"} missing (no run directory given)`);
  }
  if (check.unlisted.length > 0) parts.push(`no shard finished reading ${check.unlisted.join(", ")}, so their samples are unknown`);
  if (check.missing.length > 0) {
    const byUnit = new Map<string, MissingSample[]>();
    for (const m of check.missing) byUnit.set(unitName(m), [...(byUnit.get(unitName(m)) ?? []), m]);
    let shown = 0;
    const lines: string[] = [];
    for (const [unit, samples] of byUnit) {
      const ids = samples.slice(0, Math.max(0, SHOWN_IDS - shown)).map((m) => (m.shard !== null ? `${m.id} (shard ${m.shard})` : m.id));
      shown += ids.length;
      lines.push(`  ${unit}: ${ids.join(", ")}${ids.length < samples.length ? `, and ${samples.length - ids.length} more` : ""}`);
    }
    parts.push(`${check.missing.length} planned sample${check.missing.length > 1 ? "s have" : " has"} no record:\n${lines.join("\n")}`);
  }
  return new LoomError("MERGE_INCOMPLETE", `the shards are incomplete: ${parts.join("; ")}`, {
    hint: "run the missing shards with the same command and their --shard i/n (re-running an interrupted shard resumes it), then merge again; or pass --allow-incomplete to merge what there is (the results say incomplete)",
  });
}

/**
 * `loom merge <dirs…> --out <dir>`: join the run directories of the `--shard i/n` runs of one
 * command into one run directory. Refuses runs whose settings differ (naming the setting), and
 * refuses an incomplete set — missing shards, units no shard read, planned samples nobody recorded —
 * naming the sample ids, unless `allowIncomplete` (then the results say incomplete).
 *
 * What was planned comes from each shard's `plan.jsonl`: every shard streams all samples and keeps
 * its own, so any shard that read a unit to its end lists that unit's ids for every shard; the
 * manifest's plan says which units there must be.
 */
export async function mergeRuns(
  dirs: readonly string[],
  out: string,
  options: { registry?: PluginRegistry; cwd?: string; onNotice?: (n: StoreNotice) => void; allowIncomplete?: boolean; loadTaskFile?: TaskFileLoader } = {},
): Promise<MergeOutcome> {
  if (dirs.length === 0) throw new LoomError("MERGE", "name the run directories to merge");
  const cwd = options.cwd ?? process.cwd();
  const target = resolve(cwd, out);
  const sources = dirs.map((d) => resolve(cwd, d));
  if (sources.includes(target)) throw new LoomError("MERGE", `--out ${out} is one of the directories to merge`, { hint: "merge into a new directory" });
  const runs: Array<ReturnType<typeof openRun> & { dir: string; path: string }> = [];
  let store: RunStore | undefined;
  try {
    for (const [i, path] of sources.entries()) runs.push({ dir: dirs[i]!, path, ...openRun(path, undefined, options.onNotice) });
    // The target is opened (and locked) only once the shards have passed every check.
    const openTarget = (): RunStore => (store = RunStore.open(target, { lock: "loom merge", ...(options.onNotice ? { onNotice: options.onNotice } : {}) }));
    return await mergeOpen(runs, openTarget, target, options);
  } finally {
    store?.close();
    for (const run of runs) run.store.close();
  }
}

async function mergeOpen(
  runs: Array<ReturnType<typeof openRun> & { dir: string; path: string }>,
  openTarget: () => RunStore,
  target: string,
  options: { registry?: PluginRegistry; cwd?: string; onNotice?: (n: StoreNotice) => void; allowIncomplete?: boolean; loadTaskFile?: TaskFileLoader },
): Promise<MergeOutcome> {
  const cwd = options.cwd ?? process.cwd();
  checkSettings(runs);
  const { count, missingShards } = checkShards(runs);
  const registry = options.registry ?? new PluginRegistry({ cwd });

  const merged = new Map<string, SampleRecord>();
  for (const run of runs) {
    for (const [key, record] of await run.store.records(options.onNotice)) {
      const earlier = merged.get(key);
      // Shards hold disjoint samples; if one appears twice, a success beats an error.
      if (!earlier || earlier.status !== "ok") merged.set(key, record);
    }
  }

  const plan = unionPlan(runs.map((r) => ({ dir: r.path })));
  const units = expectedUnits(runs[0]!.manifest) ?? [...plan.values()];
  const missing: MissingSample[] = [];
  const unlisted: string[] = [];
  for (const unit of units) {
    const listed = plan.get(unitKey(unit));
    if (!listed) {
      unlisted.push(unitName(unit));
      continue;
    }
    for (const id of listed.ids) {
      const key = sampleKey({ ...unit, id });
      if (!merged.has(key)) missing.push({ ...unit, id, shard: count !== null ? stableHash(key) % count : null });
    }
  }
  const failed = [...merged.values()].filter((r) => r.status === "error").length;
  const check: MergeCheck = { count, missingShards, missing, unlisted, failed };
  const complete = missingShards.length === 0 && missing.length === 0 && unlisted.length === 0;
  if (!complete) {
    const error = incompleteError(check);
    if (!options.allowIncomplete) throw error;
    options.onNotice?.({ level: "warn", message: `${error.message} (merged anyway: --allow-incomplete)` });
  }
  if (failed > 0) options.onNotice?.({ level: "warn", message: `${failed} merged sample(s) failed; their records carry the error` });

  const config = { ...runs[0]!.manifest.config, shard: null };
  const manifest: RunManifest = {
    ...runs[0]!.manifest,
    runId: `${runs[0]!.manifest.runId}-merged`,
    configHash: sha256(JSON.stringify(config)),
    config,
    totals: runs.reduce(
      (acc, r) => ({
        promptTokens: acc.promptTokens + (r.manifest.totals?.promptTokens ?? 0),
        completionTokens: acc.completionTokens + (r.manifest.totals?.completionTokens ?? 0),
        requests: acc.requests + (r.manifest.totals?.requests ?? 0),
        costUsd: acc.costUsd === null && r.manifest.totals?.costUsd == null ? null : (acc.costUsd ?? 0) + (r.manifest.totals?.costUsd ?? 0),
        cached: acc.cached + (r.manifest.totals?.cached ?? 0),
        cachedPromptTokens: acc.cachedPromptTokens + (r.manifest.totals?.cachedPromptTokens ?? 0),
      }),
      { promptTokens: 0, completionTokens: 0, requests: 0, costUsd: null as number | null, cached: 0, cachedPromptTokens: 0 },
    ),
  };
  const store = openTarget();
  store.writeManifest(manifest);
  writeRunPlan(target, plan.values());
  const results = await aggregateRun(await benchmarksOf(registry, manifest, options.loadTaskFile), registry, manifest, [...merged.values()], complete, target);
  // Records and results are written together (one commit), so a killed merge leaves no mix.
  store.rewriteRecords(merged.values(), results);
  return { results, records: merged.size, runDir: target, check };
}
