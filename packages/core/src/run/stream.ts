/**
 * Sampling: the stream of samples to run, unit by unit in plan order. Benchmarks that give ids first
 * (`handles`) have limit, sample ids, resume and shard applied to ids, so only samples that will run
 * are parsed or generated; older benchmarks are filtered after they built each sample. Every id of
 * the plan is noted, so results cover exactly the plan.
 */
import { isLoomError, type BenchmarkContext, type Sample, type SampleRequest } from "@loomscope/spec";
import type { Unit } from "./plan.js";
import { stableHash } from "./specs.js";
import { sampleKey } from "./store.js";

export interface StreamContext {
  contextFor(unit: Unit): BenchmarkContext;
  /** Keys of samples already finished (resume). */
  done: ReadonlySet<string>;
  shard: { index: number; count: number } | undefined;
  signal: AbortSignal;
  /** Keys of every sample of the plan in this shard, filled as ids are seen. */
  planned: Set<string>;
  onUnitStart(unit: Unit): void;
  onUnitEnd(unit: Unit): void;
  onUnitError(unit: Unit, error: unknown): void;
  onDuplicate(unit: Unit, id: string): void;
  /** A unit's stream was read to its end: every id of its plan, all shards' included (for `loom merge`). */
  onUnitComplete(unit: Unit, ids: readonly string[]): void;
}

export interface DrawnSample {
  unit: Unit;
  sample: Sample;
}

const requestOf = (unit: Unit): SampleRequest => ({
  task: unit.task.id,
  ...(unit.length !== undefined ? { length: unit.length } : {}),
  ...(unit.entry.limit !== undefined ? { limit: unit.entry.limit } : {}),
  ...(unit.entry.sampleIds ? { sampleIds: unit.entry.sampleIds } : {}),
});

/** Whether a sample belongs to this shard (FNV-1a of its key, stable across machines). */
export const inShard = (key: string, shard: StreamContext["shard"]): boolean => !shard || stableHash(key) % shard.count === shard.index;

async function* unitSamples(unit: Unit, ctx: StreamContext): AsyncGenerator<Sample, void> {
  const benchmark = unit.entry.benchmark;
  const bctx = ctx.contextFor(unit);
  const request = requestOf(unit);
  const wanted = unit.entry.sampleIds ? new Set(unit.entry.sampleIds) : undefined;
  const seen = new Set<string>();
  const keyOf = (id: string) => sampleKey({ benchmark: benchmark.id, task: unit.task.id, length: unit.length ?? null, id });
  /** Whether an id is to be run now; notes it in the plan. */
  const admit = (id: string): boolean => {
    if (seen.has(id)) {
      ctx.onDuplicate(unit, id);
      return false;
    }
    seen.add(id);
    const key = keyOf(id);
    if (!inShard(key, ctx.shard)) return false;
    ctx.planned.add(key);
    return !ctx.done.has(key);
  };
  if (benchmark.handles) {
    let taken = 0;
    for await (const handle of benchmark.handles({ task: request.task, ...(request.length !== undefined ? { length: request.length } : {}) }, bctx)) {
      if (ctx.signal.aborted) return;
      if (unit.entry.limit !== undefined && taken >= unit.entry.limit) break;
      taken++;
      if (wanted && !wanted.has(handle.id)) continue;
      if (!admit(handle.id)) continue;
      const sample = await handle.load();
      if (sample) yield sample;
    }
  } else {
    let yielded = 0;
    for await (const sample of benchmark.samples(request, bctx)) {
      if (ctx.signal.aborted) return;
      if (unit.entry.limit !== undefined && yielded >= unit.entry.limit) break;
      yielded++;
      if (admit(sample.id)) yield sample;
    }
  }
  if (!ctx.signal.aborted) ctx.onUnitComplete(unit, [...seen]);
}

/** Every sample to run, in plan order; a unit whose data fails is reported and the rest go on. */
export async function* streamSamples(units: readonly Unit[], ctx: StreamContext): AsyncGenerator<DrawnSample> {
  for (const unit of units) {
    if (ctx.signal.aborted) return;
    ctx.onUnitStart(unit);
    try {
      for await (const sample of unitSamples(unit, ctx)) {
        if (ctx.signal.aborted) return;
        yield { unit, sample };
      }
    } catch (error) {
      if (ctx.signal.aborted) return;
      ctx.onUnitError(unit, error);
    }
    ctx.onUnitEnd(unit);
  }
}

export const isAbort = (error: unknown): boolean => isLoomError(error, "ABORTED") || (error instanceof Error && error.name === "AbortError");
