/**
 * NoLiMa's response evaluation, evaluation/async_evaluate.py `NoLiMa_Tester._evaluate_response`
 * (adobe-research/NoLiMa @ 7532e4e), case-sensitive, no normalisation:
 * - `EM`: `response.strip() in gold_answers`;
 * - `contains`: `any(g in response for g in gold_answers)` (the metric of every official run config);
 * - `lastline_EM` / `lastline_contains`: the same on `response.strip().split("\n")[-1]`.
 * `gold_answers` is `[selected_character]` for `{CHAR}` needles, else the test's `gold_answers` as
 * `json.loads` returned it: a list, or a plain string when it was not JSON — then EM is a substring
 * test and `contains` iterates its characters (any one character of the answer in the response).
 */
import { OfficialScorerError, defineMetric, pyContains, pyStrip } from "@loomscope/metrics";
import { LoomError } from "@loomscope/spec";

export const NOLIMA_METRICS = ["EM", "contains", "lastline_EM", "lastline_contains"] as const;
export type NolimaMetricName = (typeof NOLIMA_METRICS)[number];

/** `any(g in text for g in gold)`: a str is iterated by character (code point). */
function anyIn(gold: string | readonly string[], text: string): boolean {
  const items = typeof gold === "string" ? Array.from(gold) : gold;
  return items.some((g) => text.includes(g));
}
const lastLine = (response: string): string => {
  const lines = pyStrip(response).split("\n");
  return lines[lines.length - 1] as string;
};

/** `_evaluate_response(response, gold_answers)` → 0 or 1. A None response raises as it does there. */
export function evaluateResponse(response: string | null, goldAnswers: string | readonly string[], metric: string): number {
  if (!(NOLIMA_METRICS as readonly string[]).includes(metric)) throw new OfficialScorerError("ValueError", `Invalid metric: ${metric}`);
  if (response === null) {
    throw new OfficialScorerError(metric === "contains" ? "TypeError" : "AttributeError", "the response is None");
  }
  switch (metric as NolimaMetricName) {
    case "EM":
      return pyContains(goldAnswers, pyStrip(response)) ? 1 : 0;
    case "contains":
      return anyIn(goldAnswers, response) ? 1 : 0;
    case "lastline_EM":
      return pyContains(goldAnswers, lastLine(response)) ? 1 : 0;
    case "lastline_contains":
      return anyIn(goldAnswers, lastLine(response)) ? 1 : 0;
  }
}

/**
 * The metric: `scoring.gold_answers` (string or list, as the tester holds it) and `scoring.metric`
 * (default `contains`, the official run configs' choice).
 */
export const nolimaMetric = defineMetric({
  id: "nolima_metric",
  description: "NoLiMa _evaluate_response: `contains` (any gold answer is a substring of the response, case-sensitive) unless the run sets EM / lastline_EM / lastline_contains",
  binary: true,
  score: ({ prediction, scoring }) => {
    const gold = scoring?.["gold_answers"];
    const metric = scoring?.["metric"] ?? "contains";
    if (typeof metric !== "string") throw new LoomError("SCORING", "nolima: scoring.metric must be a string");
    if (typeof gold === "string") return evaluateResponse(prediction, gold, metric);
    if (Array.isArray(gold) && gold.every((g) => typeof g === "string")) return evaluateResponse(prediction, gold as string[], metric);
    throw new LoomError("SCORING", "nolima needs scoring.gold_answers (a string or a list of strings)");
  },
});
