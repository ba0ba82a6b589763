/**
 * LongBench's metrics.py (THUDM/LongBench @ 2e00731, `LongBench/metrics.py`) in full, and the
 * per-sample part of eval.py's `scorer` / `scorer_e`: the first-line rule for trec, triviaqa,
 * samsum and lsht, then `score = max(score, metric(prediction, ground_truth, all_classes=...))`
 * over the ground truths, starting from 0.
 *
 * Shared pieces come from @loomscope/metrics (normalize_answer, jieba, token F1, rouge 1.0.1,
 * fuzzywuzzy on its difflib path, Python's `\d`); what is LongBench's own is here.
 */
import {
  OfficialScorerError,
  PY_DIGIT_CLASS_SOURCE,
  defineMetric,
  fuzzRatio,
  pyDigitRuns,
  qaF1,
  qaF1Zh,
  rougeL,
  rougeLZh,
  type Metric,
  type MetricInput,
} from "@loomscope/metrics";
import type { JsonValue, Protocol } from "@loomscope/spec";
import {
  DATASET2METRIC,
  FIRST_LINE_DATASETS,
  isDataset,
  type Dataset,
  type OfficialMetricName,
} from "./config.js";

/**
 * Python frames below `Rouge.get_scores` when the scorer calls it; rouge 1.0.1 rebuilds the LCS
 * recursively and the wrapper scores 0 once Python's recursion limit (1000) is hit, so the depth
 * decides where very long texts start scoring 0 (see @loomscope/metrics `rougeL`).
 * - official: `python eval.py` → <module> → scorer[_e] → rouge_score (3), rouge_zh_score adds 1.
 * - loom: `loom-scope.eval` / `loom-scope.run --eval` → <module> → main → evaluate_benchmark →
 *   LongBench.evaluate_data → evaluate → scorer → rouge_score (7), rouge_zh_score adds 1.
 */
export const ROUGE_CALLER_FRAMES: Readonly<Record<Protocol, { en: number; zh: number }>> = {
  official: { en: 3, zh: 4 },
  loom: { en: 7, zh: 8 },
};

/** eval.py: `prediction.lstrip('\n').split('\n')[0]`. */
export function firstLine(prediction: string): string {
  let start = 0;
  while (start < prediction.length && prediction[start] === "\n") start++;
  const rest = prediction.slice(start);
  const end = rest.indexOf("\n");
  return end === -1 ? rest : rest.slice(0, end);
}

/** metrics.py `count_score`: share of the numbers in the prediction that equal the ground truth, as strings. */
export function countScore(prediction: string, groundTruth: string): number {
  const numbers = pyDigitRuns(prediction);
  let right = 0;
  for (const n of numbers) if (n === groundTruth) right++;
  return numbers.length === 0 ? 0.0 : right / numbers.length;
}

const PARAGRAPH_EN = new RegExp(`Paragraph (${PY_DIGIT_CLASS_SOURCE}+)`, "u");
const PARAGRAPH_ZH = new RegExp(`段落(${PY_DIGIT_CLASS_SOURCE}+)`, "u");

function retrieval(prediction: string, groundTruth: string, pattern: RegExp, source: string): number {
  const m = pattern.exec(groundTruth);
  if (!m) {
    // `matches[0]` on an empty re.findall result
    throw new OfficialScorerError("IndexError", `the ground truth ${JSON.stringify(groundTruth)} has no "${source}" number`);
  }
  const id = m[1] as string;
  const numbers = pyDigitRuns(prediction);
  let right = 0;
  for (const n of numbers) if (n === id) right++;
  return numbers.length === 0 ? 0.0 : right / numbers.length;
}

/** metrics.py `retrieval_score`: the id is the first `Paragraph (\d+)` of the ground truth. */
export function retrievalScore(prediction: string, groundTruth: string): number {
  return retrieval(prediction, groundTruth, PARAGRAPH_EN, "Paragraph N");
}

/** metrics.py `retrieval_zh_score`: the id is the first `段落(\d+)` of the ground truth. */
export function retrievalZhScore(prediction: string, groundTruth: string): number {
  return retrieval(prediction, groundTruth, PARAGRAPH_ZH, "段落N");
}

/**
 * metrics.py `code_sim_score`: the first line (after leading newlines) that holds no "`", "#" or
 * "//" — or "" when every line does — compared with fuzz.ratio, divided by 100.
 */
export function codeSimScore(prediction: string, groundTruth: string): number {
  let start = 0;
  while (start < prediction.length && prediction[start] === "\n") start++;
  let chosen = "";
  for (const line of prediction.slice(start).split("\n")) {
    if (!line.includes("`") && !line.includes("#") && !line.includes("//")) {
      chosen = line;
      break;
    }
  }
  return fuzzRatio(chosen, groundTruth) / 100;
}

/**
 * metrics.py `classification_score`, quirks included: the classes found in the prediction as
 * substrings are collected; then, iterating that list while removing from it (so the element
 * after a removed one is skipped), a class that is a substring of the ground truth but not equal
 * to it is removed (`list.remove`: its first occurrence). Score 1/len(list) when the ground truth
 * is in the list, else 0.
 */
export function classificationScore(prediction: string, groundTruth: string, allClasses: readonly string[]): number {
  const matched: string[] = [];
  for (const c of allClasses) if (prediction.includes(c)) matched.push(c);
  for (let i = 0; i < matched.length; i++) {
    const term = matched[i] as string;
    if (groundTruth.includes(term) && term !== groundTruth) matched.splice(matched.indexOf(term), 1);
  }
  return matched.includes(groundTruth) ? 1.0 / matched.length : 0.0;
}

/** One official metric function by name, with the protocol's rouge call depth. */
export function officialMetric(
  name: OfficialMetricName,
  protocol: Protocol = "official",
): (prediction: string, groundTruth: string, allClasses: readonly string[] | null) => number {
  const frames = ROUGE_CALLER_FRAMES[protocol];
  switch (name) {
    case "qa_f1_score":
      return (p, g) => qaF1(p, g);
    case "qa_f1_zh_score":
      return (p, g) => qaF1Zh(p, g);
    case "rouge_score":
      return (p, g) => rougeL(p, g, { callerFrames: frames.en });
    case "rouge_zh_score":
      return (p, g) => rougeLZh(p, g, { callerFrames: frames.zh });
    case "classification_score":
      return (p, g, classes) => {
        if (classes === null) {
          throw new OfficialScorerError("TypeError", "classification_score needs all_classes, the record has null");
        }
        return classificationScore(p, g, classes);
      };
    case "retrieval_score":
      return (p, g) => retrievalScore(p, g);
    case "retrieval_zh_score":
      return (p, g) => retrievalZhScore(p, g);
    case "count_score":
      return (p, g) => countScore(p, g);
    case "code_sim_score":
      return (p, g) => codeSimScore(p, g);
  }
}

/** The dataset a task id names: `qasper` and `qasper_e` both score as `qasper`. */
export function datasetOfTask(task: string): Dataset | undefined {
  const base = task.endsWith("_e") ? task.slice(0, -2) : task;
  return isDataset(base) ? base : undefined;
}

/**
 * One sample as eval.py's `scorer` scores it: the first-line rule, then the best metric value
 * over the ground truths, starting from 0 (no ground truths: 0).
 */
export function scoreSample(
  dataset: Dataset,
  prediction: string,
  groundTruths: readonly string[],
  allClasses: readonly string[] | null,
  protocol: Protocol = "official",
): number {
  const text = (FIRST_LINE_DATASETS as readonly string[]).includes(dataset) ? firstLine(prediction) : prediction;
  const metric = officialMetric(DATASET2METRIC[dataset], protocol);
  let score = 0.0;
  for (const gt of groundTruths) score = Math.max(score, metric(text, gt, allClasses));
  return score;
}

function allClassesOf(scoring: MetricInput["scoring"]): string[] | null {
  const value: JsonValue | undefined = scoring?.["all_classes"];
  if (value === undefined || value === null) return null;
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) {
    throw new TypeError("scoring.all_classes must be a list of strings or null");
  }
  return value as string[];
}

const DESCRIPTIONS: Record<OfficialMetricName, string> = {
  qa_f1_score: "LongBench qa_f1_score: token F1 after normalize_answer, best over the answers",
  qa_f1_zh_score: "LongBench qa_f1_zh_score: F1 over normalised jieba tokens, best over the answers",
  rouge_score: "LongBench rouge_score: rouge 1.0.1 ROUGE-L F (0 where it raises), best over the answers",
  rouge_zh_score: "LongBench rouge_zh_score: ROUGE-L F over space-joined jieba tokens, best over the answers",
  classification_score: "LongBench classification_score: 1/|matched classes| when the label is among the classes found in the prediction",
  retrieval_score: "LongBench retrieval_score: share of the numbers in the prediction equal to the answer's paragraph number",
  retrieval_zh_score: "LongBench retrieval_zh_score: share of the numbers in the prediction equal to the answer's 段落 number",
  count_score: "LongBench count_score: share of the numbers in the prediction equal to the count",
  code_sim_score: "LongBench code_sim_score: fuzzywuzzy ratio / 100 of the first code line",
};

function makeMetric(name: OfficialMetricName): Metric {
  return defineMetric({
    id: name,
    description: DESCRIPTIONS[name],
    binary: false,
    score: (input: MetricInput): number => {
      const dataset = datasetOfTask(input.task);
      if (dataset === undefined) throw new RangeError(`longbench has no dataset for task "${input.task}"`);
      if (DATASET2METRIC[dataset] !== name) {
        throw new RangeError(`${name} is not the metric of ${dataset} (eval.py uses ${DATASET2METRIC[dataset]})`);
      }
      return scoreSample(dataset, input.prediction, input.references, allClassesOf(input.scoring), input.protocol);
    },
  });
}

/** The nine official metrics as metric objects, by metrics.py name. */
export const LONGBENCH_METRICS: Readonly<Record<OfficialMetricName, Metric>> = {
  qa_f1_score: makeMetric("qa_f1_score"),
  qa_f1_zh_score: makeMetric("qa_f1_zh_score"),
  rouge_score: makeMetric("rouge_score"),
  rouge_zh_score: makeMetric("rouge_zh_score"),
  classification_score: makeMetric("classification_score"),
  retrieval_score: makeMetric("retrieval_score"),
  retrieval_zh_score: makeMetric("retrieval_zh_score"),
  count_score: makeMetric("count_score"),
  code_sim_score: makeMetric("code_sim_score"),
};
