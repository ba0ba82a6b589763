import { z } from "zod";
import { JsonValueSchema } from "./common.js";

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
});
export type SuiteEntry = z.input<typeof SuiteEntrySchema>;

export const SuiteAggregationSchema = z.object({
  /** `mean`: unweighted mean of benchmark scores (LOOMBench); `weighted-mean`: by entry weight. */
  rule: z.enum(["mean", "weighted-mean"]),
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
