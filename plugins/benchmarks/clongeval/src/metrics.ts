/**
 * CLongEval's per-task metrics exactly as metrics.py and post_processing_for_stacked_tasks.py
 * (zexuanqiu/CLongEval @ 81ba789) compute them. LOOM-Scope's copy (loom-scope 0.1,
 * benchmarks/Specialization/CLongEval/utils/evaluation/metrics.py) is identical line for line.
 * Python `re` classes (`\w`, `\d`, `\s`) are Unicode, taken from Python 3.11's tables.
 */
import {
  chineseTokens,
  cutZh,
  defineMetric,
  OfficialScorerError,
  PY_DIGIT_CLASS_SOURCE as D,
  PY_SPACE_CLASS_SOURCE as S,
  PY_WORD_CLASS_SOURCE as W,
  pyJsonStr,
  pyStrip,
  removeChinesePunctuation,
  rougeLOrRaise,
  tokenF1,
  type Metric,
} from "@loomscope/metrics";

/** `qa_f1_zh_score` (LStQA, LCvMem): strip, keep the first line, cut at "问题：", jieba token F1. */
export function qaF1ZhScore(prediction: string, groundTruth: string): number {
  let p = pyStrip(prediction);
  if (p.includes("\n")) p = p.split("\n")[0] as string;
  const at = p.indexOf("问题：");
  if (at >= 0) p = p.slice(0, at);
  return tokenF1(chineseTokens(p), chineseTokens(groundTruth));
}

/**
 * Frames on Python's stack when `Rouge.get_scores` is called from eval.py: module → scorer →
 * rouge_zh_score; eval.py raises the limit to 10000 (`sys.setrecursionlimit(10000)`).
 */
export const ROUGE_RECURSION = { recursionLimit: 10000, callerFrames: 3 } as const;

/** `rouge_zh_score` (LStSum): 0 for "", else rouge 1.0.1 ROUGE-L F over jieba tokens, unguarded. */
export function rougeZhScore(prediction: string, groundTruth: string): number {
  if (prediction === "") return 0.0;
  return rougeLOrRaise(cutZh(prediction).join(" "), cutZh(groundTruth).join(" "), ROUGE_RECURSION);
}

const NEWS_PATTERNS = [
  new RegExp(`新闻(${D}+)，类别名：(${W}+)`, "u"),
  new RegExp(`新闻(${D}+)，类别名${D}+：(${W}+)`, "u"),
  new RegExp(`新闻${S}?(${D}+)[，：](${W}+)`, "u"),
];

/** post_processing_for_stacked_tasks.py `news_labeling_pattern_match`. */
export function newsLabelingPatternMatch(answer: string): string[] {
  const out: string[] = [];
  for (const line of answer.split("\n")) {
    for (const re of NEWS_PATTERNS) {
      const m = re.exec(line);
      if (m) {
        out.push(`${m[1]}，${m[2]}`);
        break;
      }
    }
  }
  return out;
}

const NEWS_TRUTH = new RegExp(`新闻${S}(${D}+)[：](${W}+)`, "u");

/** `news_labeling_zh_score` (StNLab): share of ground-truth (id, label) pairs found. */
export function newsLabelingZhScore(prediction: string, groundTruth: string): number {
  const predicted = newsLabelingPatternMatch(pyStrip(prediction));
  if (predicted.length === 0) return 0.0;
  const truth: string[] = [];
  for (const line of groundTruth.split("\n")) {
    const m = NEWS_TRUTH.exec(line);
    if (!m) throw new OfficialScorerError("AttributeError", `ground-truth line ${JSON.stringify(line)} does not match 新闻\\s(\\d+)[：](\\w+)`);
    truth.push(`${m[1]}，${m[2]}`);
  }
  const p = new Set(predicted);
  const same = new Set(truth.filter((t) => p.has(t))).size;
  if (same === 0) return 0.0;
  return same / truth.length;
}

const TYPO_PATTERNS = [
  new RegExp(`段落ID：(${D}+)[，,]错别字${D}+，(${W}+)[，,]正确字${D}+，(${W}+)`, "u"),
  new RegExp(`段落ID：(${D}+)[，,]错别字，(${W}+)[，,]正确字，(${W}+)`, "u"),
  new RegExp(`段落ID：(${D}+)[，,]错别字：(${W}+)[，,]正确字：(${W}+)`, "u"),
  new RegExp(`段落ID：(${D}+)[，,]错别字${D}+，(${W}+)[，,](${W}+)`, "u"),
  new RegExp(`段落ID：(${D}+)[，,](${W}+)[，,](${W}+)`, "u"),
  new RegExp(`(${D}+)[，,](${W}+)[，,](${W}+)`, "u"),
];
const TYPO_ALTERNATIVES = [
  new RegExp(`段落ID：(${D}+)\\n错别字：(${W})\\n正确字：(${W})`, "u"),
  new RegExp(`段落ID：(${D}+)\\n错别字：(${W})，正确字：(${W})`, "u"),
];

/**
 * post_processing_for_stacked_tasks.py `typo_detection_pattern_match`. Kept quirk: when the answer
 * contains a blank line ("\n\n"), the alternative patterns are tried on the LAST LINE only (the
 * loop variable), which holds no "\n", so they never match and the result is empty.
 */
export function typoDetectionPatternMatch(answer: string): string[] {
  const lines = answer.split("\n");
  const out: string[] = [];
  let last = "";
  for (let line of lines) {
    const paren = line.indexOf("（");
    if (paren !== -1) line = line.slice(0, paren);
    last = line;
    for (const re of TYPO_PATTERNS) {
      const m = re.exec(line);
      if (m) {
        out.push(`${m[1]}，${m[2]}，${m[3]}`);
        break;
      }
    }
  }
  if (answer.split("\n\n").length === 1) return out;
  const alternative: string[] = [];
  for (const re of TYPO_ALTERNATIVES) {
    const m = re.exec(last);
    if (m) {
      alternative.push(`${m[1]}，${m[2]}，${m[3]}`);
      break;
    }
  }
  const alt = new Set(alternative);
  return [...new Set(out)].filter((x) => alt.has(x));
}

const firstTwo = (s: string): string => s.split("，").slice(0, 2).join("");

/** `typo_detection_zh_score` (StTDet): share of ground-truth (paragraph id + typo) found. */
export function typoDetectionZhScore(prediction: string, groundTruth: string): number {
  const predicted = typoDetectionPatternMatch(pyStrip(prediction));
  if (predicted.length === 0) return 0.0;
  const p = new Set(predicted.map(firstTwo));
  const truth = pyStrip(groundTruth).split("\n").map(firstTwo);
  const same = new Set(truth.filter((t) => p.has(t))).size;
  if (same === 0) return 0.0;
  return same / truth.length;
}

/** metrics.py `levenshtein_distance` over code points. */
export function levenshteinDistance(a: string, b: string): number {
  let s1 = Array.from(a);
  let s2 = Array.from(b);
  if (s1.length < s2.length) [s1, s2] = [s2, s1];
  if (s2.length === 0) return s1.length;
  let prev = Array.from({ length: s2.length + 1 }, (_, j) => j);
  for (let i = 0; i < s1.length; i++) {
    const cur = [i + 1];
    for (let j = 0; j < s2.length; j++) {
      const ins = (prev[j + 1] as number) + 1;
      const del = (cur[j] as number) + 1;
      const sub = (prev[j] as number) + (s1[i] !== s2[j] ? 1 : 0);
      cur.push(Math.min(ins, del, sub));
    }
    prev = cur;
  }
  return prev[prev.length - 1] as number;
}

/** `retrieval_zh_edit_score` (KpRet): 1 - edit distance / longer length, after cutting at "键：". */
export function retrievalZhEditScore(prediction: string, groundTruth: string): number {
  let p = prediction;
  const at = p.indexOf("键：");
  if (at >= 0) p = p.slice(0, at);
  p = removeChinesePunctuation(p);
  const g = removeChinesePunctuation(groundTruth);
  const maxLen = Math.max(Array.from(p).length, Array.from(g).length);
  if (maxLen === 0) throw new OfficialScorerError("ZeroDivisionError", "prediction and answer are empty after punctuation removal");
  return 1.0 - levenshteinDistance(p, g) / maxLen;
}

/** `table_querying_match_score` (TblQry): 1 when the answer (punctuation removed) is in the prediction. */
export function tableQueryingMatchScore(prediction: string, groundTruth: string | number): number {
  return removeChinesePunctuation(prediction).includes(removeChinesePunctuation(pyJsonStr(groundTruth))) ? 1.0 : 0.0;
}

export type ClongevalDataset =
  | "long_story_qa"
  | "long_conversation_memory"
  | "long_story_summarization"
  | "stacked_news_labeling"
  | "stacked_typo_detection"
  | "key_passage_retrieval"
  | "table_querying";

/** eval.py `dataset2metric`, with the function names eval.py writes in its "metric" field. */
export const DATASET_METRIC: Readonly<Record<ClongevalDataset, { name: string; fn: (p: string, g: string) => number }>> = {
  long_story_qa: { name: "qa_f1_zh_score", fn: qaF1ZhScore },
  long_conversation_memory: { name: "qa_f1_zh_score", fn: qaF1ZhScore },
  long_story_summarization: { name: "rouge_zh_score", fn: rougeZhScore },
  stacked_news_labeling: { name: "news_labeling_zh_score", fn: newsLabelingZhScore },
  stacked_typo_detection: { name: "typo_detection_zh_score", fn: typoDetectionZhScore },
  key_passage_retrieval: { name: "retrieval_zh_edit_score", fn: retrievalZhEditScore },
  table_querying: { name: "table_querying_match_score", fn: tableQueryingMatchScore },
};

/**
 * eval.py `get_prediction_answer` skips a response containing "HTTP_ERROR" or "UNKNOW_ERROR" (an
 * API call that failed): it is neither scored nor counted. LOOM-Scope's eval.py scores it.
 */
export function isSkippedResponse(prediction: string): boolean {
  return prediction.includes("HTTP_ERROR") || prediction.includes("UNKNOW_ERROR");
}

export function scoreSample(dataset: ClongevalDataset, prediction: string, answer: string | number): number {
  const { fn } = DATASET_METRIC[dataset];
  return dataset === "table_querying" ? tableQueryingMatchScore(prediction, answer) : fn(prediction, pyJsonStr(answer));
}

const mk = (id: string, description: string, fn: (p: string, g: string) => number, binary = false): Metric =>
  defineMetric({
    id,
    description,
    binary,
    score: ({ prediction, references }) => {
      const ref = references[0];
      if (ref === undefined) throw new OfficialScorerError("IndexError", "no answer for this sample");
      return fn(prediction, ref);
    },
  });

export const CLONGEVAL_METRICS = {
  qa_f1_zh_score: mk("qa_f1_zh_score", "CLongEval F1 over jieba tokens of the first answer line", qaF1ZhScore),
  rouge_zh_score: mk("rouge_zh_score", "CLongEval ROUGE-L F (rouge 1.0.1) over jieba tokens", rougeZhScore),
  news_labeling_zh_score: mk("news_labeling_zh_score", "CLongEval share of news labels found", newsLabelingZhScore),
  typo_detection_zh_score: mk("typo_detection_zh_score", "CLongEval share of (paragraph, typo) pairs found", typoDetectionZhScore),
  retrieval_zh_edit_score: mk("retrieval_zh_edit_score", "CLongEval 1 - normalised edit distance", retrievalZhEditScore),
  table_querying_match_score: mk("table_querying_match_score", "CLongEval answer contained in prediction", tableQueryingMatchScore, true),
} as const satisfies Record<string, Metric>;
