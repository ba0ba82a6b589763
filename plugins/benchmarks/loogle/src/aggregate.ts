/**
 * LooGLE's aggregation, as its Evaluation scripts print it:
 * - automatic_sim (`get_semantic_matching`): per function the numpy mean over QA pairs, per
 *   component for tuple-valued functions (BLEU [1, 4], ROUGE recall [1, 2, L]);
 * - automatic_match (`get_match_score`): round(sum(hits) / sum(masks), 4) with numpy's round
 *   (nan when there are no masks, as numpy divides 0/0);
 * - llm (`get_accuracy`): QA: count("True") / (count("True") + count("False")) over the raw
 *   replies (ZeroDivisionError without either); summaries: numpy mean of the int scores.
 */
import { OfficialScorerError, numpyMean, numpyRound } from "@loomscope/metrics";

export function semanticMatching(values: { bleu: [number, number][]; rouge: [number, number, number][]; meteor: number[] }): {
  get_bleu_score: number[];
  get_rouge_score: number[];
  get_meteor_score: number;
} {
  if (values.bleu.length === 0) throw new OfficialScorerError("IndexError", "no scored pairs (result[i][0] of an empty list)");
  return {
    get_bleu_score: [0, 1].map((j) => numpyMean(values.bleu.map((t) => t[j] as number))),
    get_rouge_score: [0, 1, 2].map((j) => numpyMean(values.rouge.map((t) => t[j] as number))),
    get_meteor_score: numpyMean(values.meteor),
  };
}

export function matchScore(pairs: readonly [number, number][]): number {
  let hits = 0;
  let total = 0;
  for (const [h, n] of pairs) {
    hits += h;
    total += n;
  }
  return numpyRound(hits / total, 4); // 0/0 is nan, as np.int64 / np.int64 gives
}

export function judgeAccuracy(task: string, replies: readonly (string | number)[]): number {
  if (task.includes("qa")) {
    const t = replies.filter((r) => r === "True").length;
    const f = replies.filter((r) => r === "False").length;
    if (t + f === 0) throw new OfficialScorerError("ZeroDivisionError", "no judge reply was exactly 'True' or 'False'");
    return t / (t + f);
  }
  return numpyMean(replies as number[]);
}
