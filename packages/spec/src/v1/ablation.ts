import { z } from "zod";

/**
 * `loom ablate`'s table (written as ablation.json beside the variants' run directories): the same
 * targets run once per accelerator variant, scores per benchmark and task, the work each did, and
 * deltas against the `none` variant with paired significance. The report draws its quality/cost
 * frontier from it.
 */

export const AblationPairedSchema = z.object({
  /** Samples scored in both variants (the pairs). */
  n: z.number().int().nonnegative(),
  /** Mean per-sample headline score difference (variant − none), on the metric's natural scale. */
  meanDiff: z.number().nullable(),
  /** 95% paired-bootstrap interval of that difference. */
  interval: z.tuple([z.number(), z.number()]).nullable(),
  /** Two-sided p-value: McNemar's exact test where every score is 0/1, else the paired bootstrap. */
  p: z.number().nullable(),
  test: z.enum(["mcnemar", "paired-bootstrap"]).nullable(),
  /** McNemar's discordant pairs: right with none only, right with the variant only. */
  noneOnly: z.number().int().nonnegative().optional(),
  variantOnly: z.number().int().nonnegative().optional(),
});
export type AblationPaired = z.infer<typeof AblationPairedSchema>;

export const AblationRowSchema = z.object({
  variant: z.string(),
  benchmark: z.string(),
  /** Null on the benchmark's own row (its official aggregate). */
  task: z.string().nullable(),
  score: z.number().nullable(),
  scored: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  notRun: z.number().int().nonnegative(),
  promptTokens: z.number().int().nonnegative(),
  completionTokens: z.number().int().nonnegative(),
  /** Sums of the accelerators' numeric counters over the records (`engine.<stat>`, `<accelerator>.<stat>`). */
  counters: z.record(z.string(), z.number()),
  /** Score minus the none variant's score (null for none, or where either is missing). */
  delta: z.number().nullable(),
  paired: AblationPairedSchema.nullable(),
});
export type AblationRow = z.infer<typeof AblationRowSchema>;

export const AblationVariantSchema = z.object({
  name: z.string(),
  /** The accelerator specs the variant ran with (empty for none). */
  accelerators: z.array(z.string()),
  runDir: z.string(),
  /** Mean of the benchmark scores; null when any is missing. */
  score: z.number().nullable(),
  /** This invocation's wall time, binding included. */
  wallMs: z.number().nonnegative(),
  /** Generation requests this invocation sent (retries included); 0 when everything came from the cache or the records. */
  requests: z.number().int().nonnegative(),
  /** Samples this invocation answered from the response cache. */
  cached: z.number().int().nonnegative(),
  /** Samples already recorded in the variant's run directory (resumed, not run again). */
  resumed: z.number().int().nonnegative(),
  promptTokens: z.number().int().nonnegative(),
  completionTokens: z.number().int().nonnegative(),
  counters: z.record(z.string(), z.number()),
  /** Failed and not-run samples over all benchmarks: a score over fewer samples is marked. */
  failed: z.number().int().nonnegative(),
  notRun: z.number().int().nonnegative(),
  /** The variant did not run (an accelerator refused the backend or the task, …): why. Its numbers are zero. */
  error: z.string().nullable().optional(),
});
export type AblationVariant = z.infer<typeof AblationVariantSchema>;

export const AblationTableSchema = z.object({
  v: z.literal(1),
  model: z.string(),
  targets: z.array(z.string()),
  /** The variant deltas are taken against. */
  baseline: z.string(),
  variants: z.array(AblationVariantSchema),
  rows: z.array(AblationRowSchema),
  notices: z.array(z.string()),
});
export type AblationTable = z.infer<typeof AblationTableSchema>;
