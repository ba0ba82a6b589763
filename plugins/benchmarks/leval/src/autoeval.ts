/**
 * Evaluation/auto_eval.py for one prediction file (`python Evaluation/auto_eval.py --pred_file F`):
 * which answers are processed how (decided by substrings of F, as the script decides), the
 * LEvalMetrics `_compute` dict (exact_match / f1 / rouge with its geometric mean, num_predicted,
 * mean_prediction_length_characters, everything `round(…, 4)`, LEval_score, display_keys, display)
 * and what the script prints for it, including Topic Retrieval's three position groups and Sci-Fi's
 * loyalty / fact halves.
 */
import { OfficialScorerError, PyFloat, pyLen, pythonRound, type PyJsonValue } from "@loomscope/metrics";
import {
  exactMatchScore,
  f1Score,
  processGtCode,
  processGtJudge,
  processGtMc,
  processMath,
  processOutputCode,
  processOutputJudge,
  processOutputMc,
  rougePair,
  ROUGE_TYPES,
} from "./process.js";

/** Baselines/LEval_config.py `with_option_tasks`. */
export const WITH_OPTION_TASKS = ["coursera", "quality", "tpo"] as const;
/** auto_eval.py `SUPPORT_METRICS`: lines with another `evaluation` ("human", "LLM") are skipped. */
export const SUPPORT_METRICS = ["f1", "rouge", "exam"] as const;
export type LevalConfig = (typeof SUPPORT_METRICS)[number];

/** How auto_eval.py reads a file, from substrings of its --pred_file path (first match wins, in this order). */
export type FileKind = "options" | "gsm" | "codeU" | "topic" | "sci_fi" | "plain";

export function fileKind(predFile: string): FileKind {
  if (WITH_OPTION_TASKS.some((t) => predFile.includes(t))) return "options";
  if (predFile.includes("gsm")) return "gsm";
  if (predFile.includes("codeU")) return "codeU";
  if (predFile.includes("topic_retrieval_longchat")) return "topic";
  if (predFile.includes("sci_fi")) return "sci_fi";
  return "plain";
}

/** A Python value of the printed dict: ints as numbers, floats as PyFloat. */
export type MetricsDict = Record<string, PyJsonValue>;

/** The (prediction, reference) auto_eval.py compares for a line of a file of this kind (Topic Retrieval and Sci-Fi aside). */
export function processPair(kind: FileKind, pred: string, gt: string, coursera: boolean): [string, string] {
  if (kind === "options") return [processOutputMc(pred, coursera), processGtMc(gt)];
  if (kind === "gsm") return [processMath(pred), processMath(gt)];
  if (kind === "codeU") return [processOutputCode(pred, gt), processGtCode(gt)];
  return [pred, gt];
}

/** `compute_exact_match` / `compute_f1`: 100 × the mean of the best score per prediction. */
function computeBest(score: (p: string, r: string) => number, name: string, predictions: readonly string[], references: readonly (readonly string[])[]): number {
  if (predictions.length === 0) throw new OfficialScorerError("ZeroDivisionError", `float division by zero (${name} on no predictions)`);
  let total = 0;
  predictions.forEach((p, i) => (total += Math.max(...(references[i] ?? []).map((r) => score(p, r)))));
  return (100.0 * total) / predictions.length;
}

export type RougeKey = (typeof ROUGE_TYPES)[number];

/**
 * The rouge branch of `_compute_helper`: per prediction the best fmeasure × 100 over its references
 * (after `postprocess_text`), then the plain mean per type, then the geometric mean of rouge1, rouge2, rougeL.
 */
export function computeRouge(predictions: readonly string[], references: readonly (readonly string[])[]): Record<RougeKey | "geometric_mean", number> {
  const perSample = predictions.map((p, i) => {
    const best = { rouge1: -Infinity, rouge2: -Infinity, rougeL: -Infinity, rougeLsum: -Infinity };
    for (const r of references[i] ?? []) {
      const s = rougePair(p, r);
      for (const k of ROUGE_TYPES) best[k] = Math.max(best[k], s[k]);
    }
    return best;
  });
  if (predictions.length === 0) throw new OfficialScorerError("IndexError", "list index out of range (compute_rouge on no predictions)");
  return rougeMeans(perSample);
}

/** The rouge reduction: the plain mean per type of per-sample values (fmeasure × 100), and the geometric mean of rouge1, rouge2, rougeL. */
export function rougeMeans(perSample: readonly Readonly<Record<RougeKey, number>>[]): Record<RougeKey | "geometric_mean", number> {
  const mean = (k: RougeKey) => perSample.reduce((total, s) => total + s[k], 0) / perSample.length;
  const value = { rouge1: mean("rouge1"), rouge2: mean("rouge2"), rougeL: mean("rougeL"), rougeLsum: mean("rougeLsum"), geometric_mean: 0 };
  value.geometric_mean = (value.rouge1 * value.rouge2 * value.rougeL) ** (1.0 / 3.0);
  return value;
}

const DISPLAY_KEYS: Readonly<Record<LevalConfig, readonly string[]>> = {
  exam: ["exact_match"],
  rouge: ["rouge/rouge1", "rouge/rouge2", "rouge/rougeL"],
  f1: ["f1"],
};
const SCORE_KEY: Readonly<Record<LevalConfig, string>> = { exam: "exact_match", rouge: "rouge/geometric_mean", f1: "f1" };

/** `LEvalMetrics(config_name).compute(predictions, references)`: the dict auto_eval.py prints. */
export function levalMetrics(config: LevalConfig, predictions: readonly string[], references: readonly (readonly string[])[]): MetricsDict {
  const raw: [string, number, "int" | "float"][] = [];
  if (config === "exam") raw.push(["exact_match", computeBest(exactMatchScore, "compute_exact_match", predictions, references), "float"]);
  else if (config === "f1") raw.push(["f1", computeBest(f1Score, "compute_f1", predictions, references), "float"]);
  else {
    const r = computeRouge(predictions, references);
    for (const k of [...ROUGE_TYPES, "geometric_mean"] as const) raw.push([`rouge/${k}`, r[k], "float"]);
  }
  raw.push(["num_predicted", predictions.length, "int"]);
  let chars = 0;
  for (const p of predictions) chars += pyLen(p);
  raw.push(["mean_prediction_length_characters", chars / predictions.length, "float"]);
  const out: MetricsDict = {};
  const plain: Record<string, number> = {};
  for (const [k, v, kind] of raw) {
    plain[k] = kind === "int" ? v : pythonRound(v, 4);
    out[k] = kind === "int" ? v : new PyFloat(plain[k] as number);
  }
  out["LEval_score"] = out[SCORE_KEY[config]] as PyJsonValue;
  out["display_keys"] = [...DISPLAY_KEYS[config]];
  out["display"] = DISPLAY_KEYS[config].map((k) => out[k] as PyJsonValue);
  return out;
}

/** The numeric value of a printed entry. */
export function metricValue(dict: MetricsDict, key: string): number {
  const v = dict[key];
  if (v === undefined) throw new OfficialScorerError("KeyError", `'${key}'`);
  return v instanceof PyFloat ? v.value : (v as number);
}

/** One line of a prediction file, as read_jsonl returns it (the first key containing "_pred" holds the prediction). */
export type PredictionLine = PyJsonValue;

function asObject(line: PredictionLine, what: string): ReadonlyMap<string, PyJsonValue> {
  if (!(line instanceof Map)) throw new OfficialScorerError("TypeError", `${what} is not a JSON object`);
  return line as ReadonlyMap<string, PyJsonValue>;
}

export interface FileEvaluation {
  config: LevalConfig;
  kind: FileKind;
  /** What the script prints, keyed as printed (a metrics dict, or labelled dicts and averages). */
  printed: Record<string, PyJsonValue>;
}

function str(v: PyJsonValue | undefined, what: string): string {
  if (v === undefined) throw new OfficialScorerError("KeyError", what);
  if (typeof v !== "string") throw new OfficialScorerError("TypeError", `${what} is not a string`);
  return v;
}

/**
 * auto_eval.py's `__main__` for one file. `predFile` is the --pred_file path the script would be
 * given (its substrings decide the processing); `lines` are the JSON objects read_jsonl returned.
 */
export function evaluateFile(predFile: string, lines: readonly PredictionLine[]): FileEvaluation {
  if (lines.length === 0) throw new OfficialScorerError("IndexError", "list index out of range (pred_data[0]: no readable line)");
  const predictionKey = [...asObject(lines[0] as PredictionLine, "the first line").keys()].find((k) => k.includes("_pred"));
  const kind = fileKind(predFile);
  const coursera = predFile.includes("coursera");
  const preds: string[] = [];
  const refs: string[][] = [];
  const groups: string[][] = kind === "topic" ? [[], [], []] : [[], []];
  const groupRefs: string[][][] = kind === "topic" ? [[], [], []] : [[], []];
  let config: LevalConfig | undefined;
  lines.forEach((raw, i) => {
    const line = asObject(raw, `line ${i + 1}`);
    if (!line.has("evaluation")) throw new OfficialScorerError("KeyError", `'evaluation' (line ${i + 1})`);
    const evaluation = line.get("evaluation");
    if (!(SUPPORT_METRICS as readonly unknown[]).includes(evaluation)) return;
    if (predictionKey === undefined) throw new OfficialScorerError("KeyError", "0 (no key containing \"_pred\" in the first line)");
    const pred = str(line.get(predictionKey), `'${predictionKey}' (line ${i + 1})`);
    const gt = str(line.get("gt"), `'gt' (line ${i + 1})`);
    if (kind === "topic") {
      (groupRefs[i % 3] as string[][]).push([gt]);
      (groups[i % 3] as string[]).push(pred);
    } else if (kind === "sci_fi") {
      const [loyalty, fact] = processGtJudge(gt);
      const [lp, fp] = processOutputJudge(pred);
      (groupRefs[0] as string[][]).push([loyalty]);
      (groupRefs[1] as string[][]).push([fact]);
      (groups[0] as string[]).push(lp);
      (groups[1] as string[]).push(fp);
    } else {
      const [p, r] = processPair(kind, pred, gt, coursera);
      preds.push(p);
      refs.push([r]);
    }
    config = evaluation as LevalConfig;
  });
  if (config === undefined) throw new OfficialScorerError("AssertionError", "no line with evaluation f1, rouge or exam (assert config_name is not None)");
  const printed: Record<string, PyJsonValue> = {};
  if (kind === "topic") {
    let balance = 0;
    for (let g = 0; g < 3; g++) {
      const m = levalMetrics(config, groups[g] as string[], groupRefs[g] as string[][]);
      printed[`first ${g + 1} sentence retrieval score`] = m;
      balance += metricValue(m, "exact_match");
    }
    printed["average score of the 1st/2nd/3rd sentence retrieval"] = new PyFloat(balance / 3);
  } else if (kind === "sci_fi") {
    let balance = 0;
    for (let g = 0; g < 2; g++) {
      const m = levalMetrics(config, groups[g] as string[], groupRefs[g] as string[][]);
      printed[g === 0 ? "loyalty score" : "fact score"] = m;
      balance += metricValue(m, "exact_match");
    }
    printed["average score of fact and loyalty"] = new PyFloat(balance / 2);
  } else {
    Object.assign(printed, levalMetrics(config, preds, refs));
  }
  return { config, kind, printed };
}
