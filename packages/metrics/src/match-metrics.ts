/** Per-sample forms of accuracy and containment used by the metric registry. */
import type { MetricInput } from "./metric.js";
import { pyLower } from "./unicode.js";
import { pyStrip } from "./python.js";

/** 1 when `prediction.strip()` equals one of the references exactly. */
export function accuracyOf({ prediction, references }: Pick<MetricInput, "prediction" | "references">): number {
  const p = pyStrip(prediction);
  return references.some((r) => pyStrip(r) === p) ? 1 : 0;
}

/** 1 when `reference.lower() in prediction.lower()` for one of the references (empty references never match). */
export function containsAny({ prediction, references }: Pick<MetricInput, "prediction" | "references">): number {
  const p = pyLower(prediction);
  return references.some((r) => r.length > 0 && p.includes(pyLower(r))) ? 1 : 0;
}
