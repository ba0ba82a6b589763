import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";

/**
 * `plan.jsonl` in a run directory: one line per (benchmark, task, length) whose sample stream the
 * run read to the end, listing every sample id it holds, in stream order. A shard reads the whole
 * stream and keeps its own samples, so each shard's plan lists the samples of all shards: that is
 * what lets `loom merge` name the samples no shard recorded. A unit that was interrupted or failed
 * while streaming writes no line (its plan is unknown). Re-running appends again; the last line of
 * a unit wins.
 */
export const PLAN_FILE = "plan.jsonl";

const UnitPlanSchema = z.object({
  v: z.literal(1),
  benchmark: z.string(),
  task: z.string(),
  length: z.string().nullable(),
  ids: z.array(z.string()),
});
export type UnitPlan = Omit<z.infer<typeof UnitPlanSchema>, "v">;

export const unitKey = (u: { benchmark: string; task: string; length: string | null }): string => `${u.benchmark}\u0000${u.task}\u0000${u.length ?? ""}`;

/** Record that a unit's sample stream was read to its end, with every id in it. */
export function appendUnitPlan(runDir: string, plan: UnitPlan): void {
  appendFileSync(join(runDir, PLAN_FILE), JSON.stringify({ v: 1, ...plan }) + "\n");
}

/** The units a run listed, last line per unit winning; a torn or foreign line is skipped. */
export function readRunPlan(runDir: string): Map<string, UnitPlan> {
  const plans = new Map<string, UnitPlan>();
  const file = join(runDir, PLAN_FILE);
  if (!existsSync(file)) return plans;
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (line.trim() === "") continue;
    let parsed;
    try {
      parsed = UnitPlanSchema.safeParse(JSON.parse(line));
    } catch {
      continue;
    }
    if (!parsed.success) continue;
    const { v: _v, ...plan } = parsed.data;
    plans.set(unitKey(plan), plan);
  }
  return plans;
}

/** Write a whole plan (the merged directory's). */
export function writeRunPlan(runDir: string, plans: Iterable<UnitPlan>): void {
  writeFileSync(join(runDir, PLAN_FILE), [...plans].map((p) => JSON.stringify({ v: 1, ...p }) + "\n").join(""));
}
