/**
 * A metric as a value: its scoring function together with how its per-sample values aggregate and
 * how they are shown. Benchmarks declare metric objects on their tasks; core reads the serialisable
 * part (`MetricInfo` in @loomscope/spec) to aggregate every declared metric with its standard error.
 */
import type { Judge, JsonObject, MetricInfo, Protocol } from "@loomscope/spec";
import { accuracyOf, containsAny } from "./match-metrics.js";
import { exactMatchAny } from "./match.js";
import { qaF1, qaF1Zh } from "./f1.js";
import { rougeL, rougeLZh } from "./rouge.js";

export interface MetricInput {
  prediction: string;
  references: readonly string[];
  /** Extra scorer inputs stored with the sample (answer keywords, options, …). */
  scoring?: JsonObject;
  task: string;
  length?: string;
  protocol: Protocol;
  /** Present for judge metrics (core refuses a run that needs one and has none). */
  judge?: Judge;
  signal?: AbortSignal;
}

/**
 * A metric object. `V` is what `score` gives: a number, or `number | null` for a metric that leaves
 * some samples out (null: the official scorer does not count the sample; counted apart, never as 0).
 */
export interface Metric<V extends number | null = number | null> extends Readonly<Required<Omit<MetricInfo, "description" | "judge" | "executesCode">>> {
  readonly description?: string;
  /** What the judge does, for judge-scored metrics ("LLM judge", "NLI"). */
  readonly judge?: string;
  /** Scoring runs model-written code: core refuses to plan it without --allow-code-execution. */
  readonly executesCode?: boolean;
  score(input: MetricInput): V | Promise<V>;
}

/** Any metric, whatever its scores (what a task row holds). */
export type AnyMetric = Metric<number | null>;

export type MetricDefinition<V extends number | null = number | null> = MetricInfo & { score(input: MetricInput): V | Promise<V> };

/** A metric with the defaults filled in: mean aggregation, shown ×100, higher is better. */
export function defineMetric<V extends number | null = number>(definition: MetricDefinition<V>): Metric<V> {
  return {
    aggregation: "mean",
    scale: 100,
    higherIsBetter: true,
    binary: false,
    ...definition,
  };
}

/** The serialisable half of a metric, as recorded for core and reports. */
export function metricInfo(metric: AnyMetric): MetricInfo {
  const { score: _score, ...info } = metric;
  return info;
}

/** Best value of `f(prediction, reference)` over the references (LongBench's `max(score, …)`); 0 without references. */
export const bestOver =
  (f: (prediction: string, reference: string) => number) =>
  ({ prediction, references }: MetricInput): number => {
    let best = 0;
    for (const r of references) best = Math.max(best, f(prediction, r));
    return best;
  };

/**
 * Metrics by registry id, for task files (`loom run ./task.yaml`) and simple benchmarks. Each is the
 * LongBench / SQuAD definition with the best value over the references.
 */
export const METRICS: Readonly<Record<string, Metric>> = {
  exact_match: defineMetric({ id: "exact_match", description: "SQuAD exact match after normalize_answer, best over references", binary: true, score: ({ prediction, references }) => exactMatchAny(prediction, references) }),
  qa_f1: defineMetric({ id: "qa_f1", description: "LongBench qa_f1_score (English token F1), best over references", score: bestOver(qaF1) }),
  qa_f1_zh: defineMetric({ id: "qa_f1_zh", description: "LongBench qa_f1_zh_score (jieba token F1), best over references", score: bestOver(qaF1Zh) }),
  rouge_l: defineMetric({ id: "rouge_l", description: "LongBench rouge_score (rouge 1.0.1 ROUGE-L F), best over references", score: bestOver((p, r) => rougeL(p, r)) }),
  rouge_l_zh: defineMetric({ id: "rouge_l_zh", description: "LongBench rouge_zh_score (ROUGE-L F over jieba tokens), best over references", score: bestOver(rougeLZh) }),
  accuracy: defineMetric({ id: "accuracy", description: "1 when the stripped prediction equals a reference exactly", binary: true, score: accuracyOf }),
  contains: defineMetric({ id: "contains", description: "1 when the prediction contains a reference (case-insensitive)", binary: true, score: containsAny }),
};

/** A registry metric, or an error naming the known ids. */
export function metricById(id: string): Metric {
  const metric = METRICS[id];
  if (!metric) throw new RangeError(`unknown metric "${id}"; known metrics: ${Object.keys(METRICS).join(", ")}`);
  return metric;
}
