/**
 * `defineDatasetBenchmark`: a benchmark over downloaded data. The plugin says where the rows are
 * (hub file, archive member, official local layout), what a row looks like (a zod schema) and how a
 * row becomes a sample; the kit reads rows in file order, gives each an id before parsing it,
 * reports malformed rows with file:line, and records provenance.
 */
import { LoomError, type BenchmarkContext, type RemoteFile, type SampleHandle } from "@loomscope/spec";
import type { z } from "zod";
import {
  assemble,
  completeSample,
  defaultSettings,
  taskRows,
  type CommonDefinition,
  type KitBenchmark,
  type KitStats,
  type OptionsShape,
  type SampleBody,
  type Sampler,
  type Unit,
} from "./base.js";
import { describeDataFile, openRows, resolveDataFile, type DataFile, type LocalFile } from "./sources.js";
import type { RawRow } from "./readers.js";
import { resolveTask } from "./tasks.js";

/** Where one row is: its unit, its 0-based index among the unit's rows, and its place in the file. */
export interface RowRef<O extends OptionsShape> extends Unit<O> {
  index: number;
  file: string;
  line: number;
  /** The record's key, for JSON objects of records. */
  key?: string;
  /** What `side()` loaded for the unit, if the benchmark declares it. */
  side?: unknown;
}

/** Whole files a unit may need besides its rows. */
export interface SideFiles {
  /** The first of `local` under `--data-dir`, else `remote` fetched; provenance recorded; the path on disk. */
  path(local: readonly string[], remote: RemoteFile): Promise<string>;
}

export interface DatasetSource<O extends OptionsShape> {
  /** The unit's rows on the hub; several candidates are tried in order. */
  remote(unit: Unit<O>): DataFile | readonly DataFile[];
  /** Official local layouts under `--data-dir`, relative; the first present wins. */
  local?(unit: Unit<O>): readonly (string | LocalFile)[];
  /** The official number of rows of a unit (progress before anything is read). */
  count?(unit: Unit<O>): number | undefined;
}

interface DatasetBase<R, O extends OptionsShape> extends CommonDefinition<O> {
  source: DatasetSource<O>;
  /** The schema of one row (or of one row of the unit, when tasks differ); malformed rows are data issues naming file:line. */
  record: z.ZodType<R> | ((unit: Unit<O>) => z.ZodType<R>);
  /** Side data a unit's samples need besides its rows (BAMBOO's problem file), loaded once per unit before its rows; given to toSample(s) as `row.side`. */
  side?(unit: Unit<O>, files: SideFiles): Promise<unknown>;
  /** Keep only some rows (a file holding several tasks); needs the row parsed. */
  filter?(record: R, row: RowRef<O>): boolean;
  /** How a JSON row's text is read when `JSON.parse` is not what the official code does (e.g. `pyJsonLoads`, which keeps 45.0 a float). */
  parse?(text: string): unknown;
}

export interface OneSamplePerRow<R, O extends OptionsShape> extends DatasetBase<R, O> {
  /** The row's sample id; the default `<task>_<length>-<index>` is known without parsing the row. */
  sampleId?(record: R, row: RowRef<O>): string;
  toSample(record: R, row: RowRef<O>): SampleBody;
}

export interface SamplesPerRow<R, O extends OptionsShape> extends DatasetBase<R, O> {
  /** Several samples from one row (questions about one document); ids default to `<row id>-<k>`. */
  toSamples(record: R, row: RowRef<O>): readonly SampleBody[];
}

export type DatasetBenchmarkDefinition<R, O extends OptionsShape> = OneSamplePerRow<R, O> | SamplesPerRow<R, O>;

/** The default id of a row: `<task>_<length>-<index>`, or `<task>-<index>` without length levels. */
export const rowId = (unit: { task: { id: string }; length: string | undefined }, index: number): string =>
  unit.length !== undefined ? `${unit.task.id}_${unit.length}-${index}` : `${unit.task.id}-${index}`;

function describeZodError(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.length > 0 ? i.path.join(".") : "record"}: ${i.message}`)
    .join("; ");
}

const asArray = <T>(x: T | readonly T[]): readonly T[] => (Array.isArray(x) ? (x as readonly T[]) : [x as T]);

export function defineDatasetBenchmark<R, const O extends OptionsShape = Record<never, never>>(def: DatasetBenchmarkDefinition<R, O>): KitBenchmark {
  const many = "toSamples" in def;

  /** Parse and validate a row; undefined (with a data issue reported) when malformed. */
  const schemaOf = (unit: Unit<O>): z.ZodType<R> => (typeof def.record === "function" ? (def.record as (u: Unit<O>) => z.ZodType<R>)(unit) : def.record);
  const parse = (raw: RawRow, ctx: BenchmarkContext, schema: z.ZodType<R>): R | undefined => {
    let value: unknown = raw.value;
    if (raw.text !== undefined) {
      try {
        value = def.parse ? def.parse(raw.text) : JSON.parse(raw.text);
      } catch (e) {
        ctx.reportDataIssue({ file: raw.file, line: raw.line, message: `invalid JSON: ${(e as Error).message}` });
        return undefined;
      }
    }
    const result = schema.safeParse(value);
    if (!result.success) {
      ctx.reportDataIssue({ file: raw.file, line: raw.line, message: describeZodError(result.error) });
      return undefined;
    }
    return result.data;
  };

  /** The handles of a unit's rows, from its own sources or (a suite's pinned data) from one given file. */
  async function* rowHandles(unit: Unit<O>, ctx: BenchmarkContext, stats: KitStats, pinned: DataFile | undefined): AsyncGenerator<SampleHandle> {
      const schema = schemaOf(unit);
      const side = def.side ? await def.side(unit, { path: (local, remote) => resolveDataFile(ctx, local, remote) }) : undefined;
      const sideRef = side !== undefined ? { side } : {};
      const opened = pinned ? await openRows(ctx, [], [pinned]) : await openRows(ctx, def.source.local?.(unit) ?? [], asArray(def.source.remote(unit)));
      // Ids are known without parsing unless the id, a filter or several samples per row need the row.
      const eager = many || def.filter !== undefined || (def as OneSamplePerRow<R, O>).sampleId !== undefined;
      let index = 0;
      for await (const raw of opened.rows) {
        if (ctx.signal.aborted) return;
        if (raw.text !== undefined && raw.text.trim() === "") continue;
        stats.rows++;
        if (!eager) {
          const ref: RowRef<O> = { ...unit, index: index++, file: raw.file, line: raw.line, ...(raw.key !== undefined ? { key: raw.key } : {}), ...sideRef };
          const id = rowId(unit, ref.index);
          yield {
            id,
            load: async () => {
              const record = parse(raw, ctx, schema);
              if (record === undefined) return undefined;
              stats.loaded++;
              return completeSample((def as OneSamplePerRow<R, O>).toSample(record, ref), unit, id);
            },
          };
          continue;
        }
        // The id or the filter needs the row: parse it now (the sample is still built lazily).
        const record = parse(raw, ctx, schema);
        if (record === undefined) {
          index++;
          continue;
        }
        const ref: RowRef<O> = { ...unit, index, file: raw.file, line: raw.line, ...(raw.key !== undefined ? { key: raw.key } : {}), ...sideRef };
        if (def.filter && !def.filter(record, ref)) continue;
        index++;
        if (!many) {
          const one = def as OneSamplePerRow<R, O>;
          const id = one.sampleId ? one.sampleId(record, ref) : rowId(unit, ref.index);
          yield {
            id,
            load: async () => {
              stats.loaded++;
              return completeSample(one.toSample(record, ref), unit, id);
            },
          };
          continue;
        }
        const bodies = (def as SamplesPerRow<R, O>).toSamples(record, ref);
        stats.loaded++;
        for (const [k, body] of bodies.entries()) {
          const id = body.id ?? `${rowId(unit, ref.index)}-${k}`;
          yield { id, load: async () => completeSample(body, unit, id) };
        }
      }
  }

  const sampler: Sampler<O> = {
    dataSources: [],
    handles: (unit, ctx, stats) => rowHandles(unit, ctx, stats, undefined),
    pinned: (unit, file, ctx, stats) => rowHandles(unit, ctx, stats, file),
    count(unit, ctx) {
      // A local folder may hold a subset of the official rows: counting it would mean reading it twice.
      if ((def.source.local?.(unit) ?? []).some((l) => ctx.data.local(typeof l === "string" ? l : l.path) !== undefined)) return undefined;
      return def.source.count?.(unit);
    },
  };

  const stats: KitStats = { rows: 0, loaded: 0 };
  const settings = defaultSettings(def);
  const describeUnits = taskRows(def, settings).slice(0, 1).flatMap((row) => {
    const task = resolveTask(row, "official");
    const length = task.lengths[0];
    try {
      return asArray(def.source.remote({ ...settings, task, length })).map(describeDataFile);
    } catch {
      return [];
    }
  });
  (sampler as { dataSources: readonly string[] }).dataSources = describeUnits.length ? [`${describeUnits.join("; ")} (first task; others alike)`] : [];
  if (taskRows(def, settings).length === 0) throw new LoomError("DEFINITION", `${def.id}: no tasks`);
  return assemble(def, sampler, settings, stats);
}
