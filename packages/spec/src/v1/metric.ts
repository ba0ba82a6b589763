import { z } from "zod";

/**
 * What core needs to know of a metric to aggregate it and label it: the serialisable half of a
 * metric object (`@loomscope/metrics` `Metric` carries the scoring function beside it).
 */
export const MetricInfoSchema = z.object({
  id: z.string(),
  description: z.string().optional(),
  /** How per-sample values combine into a cell: the mean, with its standard error. */
  aggregation: z.enum(["mean"]).default("mean"),
  /** Factor from the per-sample value to the reported number (100: a 0–1 value shown as a percentage). */
  scale: z.number().positive().default(100),
  higherIsBetter: z.boolean().default(true),
  /** Per-sample values are 0 or 1 (paired comparisons then use McNemar's test). */
  binary: z.boolean().default(false),
  /** Set when the metric is scored by a judge model: what the judge does (e.g. "LLM judge", "NLI"). */
  judge: z.string().optional(),
  /**
   * Set when scoring runs model-written code (BAMBOO's private_eval): core refuses a run that plans
   * such a metric unless `--allow-code-execution` is given.
   */
  executesCode: z.boolean().optional(),
});
export type MetricInfo = z.input<typeof MetricInfoSchema>;
