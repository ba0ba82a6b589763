/**
 * The official metric code paths (metrics.py) as metric objects, and evaluation.py's per-sample rule:
 * the score starts at 0 and only the first ground truth is tried (its loop `break`s after one).
 */
import { defineMetric, keywordGatedF1, keywordGatedF1Zh, qaF1, qaF1Zh, rougeLZhBlacklist, type Metric, type RougeRecursionOptions } from "@loomscope/metrics";
import { DATASET_METRIC, type DatasetName, type OfficialMetric } from "./config.js";

/**
 * Python frames under `Rouge.get_scores` when evaluation.py scores dureader_mixup (module, `scorer`,
 * `rouge_zh_score_blacklist`, `rouge_score`): past 988 LCS steps RecursionError scores 0.
 */
export const LVEVAL_ROUGE_RECURSION: RougeRecursionOptions = { recursionLimit: 1000, callerFrames: 4 };

/** `metric(prediction, ground_truth, gold_ans)` of metrics.py, with its description. */
const OFFICIAL: Record<OfficialMetric, [string, (p: string, g: string, gold: string | null) => number]> = {
  qa_f1_score: ["token F1 (English normalisation)", (p, g) => qaF1(p, g)],
  qa_f1_zh_score: ["token F1 over jieba tokens", (p, g) => qaF1Zh(p, g)],
  qa_f1_score_with_gold_ans: ["token F1, 0 unless answer-keyword recall ≥ 0.2 (blacklisted words not counted)", keywordGatedF1],
  qa_f1_zh_score_with_gold_ans: ["token F1 over jieba tokens, 0 unless answer-keyword recall ≥ 0.4", keywordGatedF1Zh],
  rouge_zh_score_blacklist: ["ROUGE-L over jieba tokens with the blacklist removed", (p, g) => rougeLZhBlacklist(p, g, LVEVAL_ROUGE_RECURSION)],
};

/** One call of an official metric function. */
export const officialMetric = (metric: OfficialMetric, prediction: string, groundTruth: string, goldAns: string | null): number =>
  OFFICIAL[metric][1](prediction, groundTruth, goldAns);

/** evaluation.py's `scorer` body for one sample. */
export function scoreSample(dataset: DatasetName, prediction: string, groundTruths: readonly string[], goldAns: string | null): number {
  const first = groundTruths[0];
  return first === undefined ? 0.0 : Math.max(0.0, officialMetric(DATASET_METRIC[dataset], prediction, first, goldAns));
}

/** The metric objects, by their metrics.py names; `scoring.answer_keywords` is `gold_ans`. */
export const METRIC = Object.fromEntries(
  (Object.keys(OFFICIAL) as OfficialMetric[]).map((id) => [
    id,
    defineMetric({
      id,
      description: OFFICIAL[id][0],
      score: ({ prediction, references, scoring }) => {
        const first = references[0];
        const keywords = scoring?.["answer_keywords"];
        return first === undefined ? 0.0 : Math.max(0.0, officialMetric(id, prediction, first, typeof keywords === "string" ? keywords : null));
      },
    }),
  ]),
) as Record<OfficialMetric, Metric>;
