import { z } from "zod";
import { JsonValueSchema } from "./common.js";
import { RemoteFileSchema } from "./data.js";

/**
 * One pinned data file of a suite member: the rows of one unit (task, and length level where the
 * task has them; without a length, every length of the task, each unit keeping its own rows as the
 * benchmark's multi-length files do) come from this file — a hub file at a fixed revision with its sha256 — instead of
 * the benchmark's own sources, read with the benchmark's own record schema. `ids` pins the sample-id
 * list the rows must yield (their count and the sha256 of the ids joined by "\n", in file order),
 * so two teams running the suite run the same samples; a file or an id list that differs is refused.
 */
export const PinnedDataFileSchema = z.object({
  task: z.string(),
  length: z.string().optional(),
  file: RemoteFileSchema,
  /** Row format when the file name does not tell it (e.g. JSON lines named `.json`). */
  format: z.enum(["jsonl", "json", "json-records", "csv", "parquet"]).optional(),
  ids: z.object({ count: z.number().int().nonnegative(), sha256: z.string().regex(/^[0-9a-f]{64}$/) }).optional(),
  /** When the pin names no length and the task has length levels (one file holds every length): the ids of each length's unit. */
  idsByLength: z.record(z.string(), z.object({ count: z.number().int().nonnegative(), sha256: z.string().regex(/^[0-9a-f]{64}$/) })).optional(),
});
export type PinnedDataFile = z.input<typeof PinnedDataFileSchema>;

export const SuiteEntrySchema = z.object({
  benchmark: z.string(),
  tasks: z.array(z.string()).optional(),
  lengths: z.array(z.string()).optional(),
  limit: z.number().int().positive().optional(),
  sampleIds: z.array(z.string()).optional(),
  weight: z.number().positive().default(1),
  options: z.record(z.string(), JsonValueSchema).optional(),
  /** The protocol this entry reproduces (default: the run's). */
  protocol: z.enum(["official", "loom"]).optional(),
  /** This member's data comes from these pinned files (one per unit), not from the benchmark's own sources. */
  data: z.array(PinnedDataFileSchema).optional(),
});
export type SuiteEntry = z.input<typeof SuiteEntrySchema>;

export const SuiteAggregationSchema = z.object({
  /**
   * `mean`: unweighted mean of benchmark scores (LOOMBench); `weighted-mean`: by entry weight;
   * `capability-mean`: the mean of the per-capability means (each capability counts once).
   */
  rule: z.enum(["mean", "weighted-mean", "capability-mean"]),
  /** Show per-capability means beside the suite score. */
  capabilityMeans: z.boolean().default(true),
});

export interface Suite {
  readonly kind: "suite";
  readonly apiVersion: 1;
  readonly id: string;
  readonly version: string;
  readonly description: string;
  readonly entries: readonly SuiteEntry[];
  readonly aggregation: z.input<typeof SuiteAggregationSchema>;
  /** Defaults the CLI uses when the user gives none. */
  readonly defaults?: { model?: string; maxLength?: number };
}
