/**
 * `defineGeneratedBenchmark`: a benchmark whose samples are built on the fly (haystacks to a
 * token length, needles at depths). Ids are cheap and come first, in the official order; core
 * applies limit, sample ids, resume and shard to them, so only samples that will run are generated.
 */
import type { BenchmarkContext } from "@loomscope/spec";
import {
  assemble,
  completeSample,
  defaultSettings,
  type CommonDefinition,
  type KitBenchmark,
  type KitStats,
  type OptionsShape,
  type SampleBody,
  type Sampler,
  type Unit,
} from "./base.js";

/** What a generator gets for one sample: its unit, and the run's services (tokenizer, seed, data). */
export interface GenerateContext<O extends OptionsShape> extends Unit<O> {
  ctx: BenchmarkContext;
}

export interface GeneratedBenchmarkDefinition<O extends OptionsShape> extends CommonDefinition<O> {
  /**
   * The unit's sample ids in the official order; must be cheap (no generation). `ctx` gives the
   * run's data access, for ids that come from a small data file (patients × questions; NoLiMa's
   * tests are the rows of its needle set).
   */
  ids(unit: Unit<O>, ctx: BenchmarkContext): readonly string[] | Promise<readonly string[]>;
  /** Build one sample. */
  generate(id: string, unit: GenerateContext<O>): SampleBody | Promise<SampleBody>;
  /** Where generators read from (essays, word lists), for `loom describe`. */
  dataSources?: readonly string[];
}

export function defineGeneratedBenchmark<const O extends OptionsShape = Record<never, never>>(def: GeneratedBenchmarkDefinition<O>): KitBenchmark {
  const sampler: Sampler<O> = {
    dataSources: def.dataSources ?? ["generated locally"],
    async *handles(unit, ctx, stats: KitStats) {
      for (const id of await def.ids(unit, ctx)) {
        if (ctx.signal.aborted) return;
        stats.rows++;
        yield {
          id,
          load: async () => {
            stats.loaded++;
            return completeSample(await def.generate(id, { ...unit, ctx }), unit, id);
          },
        };
      }
    },
    async count(unit, ctx) {
      return (await def.ids(unit, ctx)).length;
    },
  };
  return assemble(def, sampler, defaultSettings(def), { rows: 0, loaded: 0 });
}
