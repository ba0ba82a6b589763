/**
 * viz.ipynb's scoring, re-done: answer parsing (json.loads, or json_repair 0.25.2 for fenced answers and for
 * Chinese), reduce_duplicate, the acquisition score (reference star in the prediction) and the
 * reasoning variant's partial credit (get_reasoning_score: 1 / 0.5 / 0.25 / 0), and the final
 * score: the mean over the (counting times × context size) pivot table, `np.round(3)`.
 */
import { jsonRepairLoads, numpyRound, pyJsonLoads, pyJsonToJson, pyStrip } from "@loomscope/metrics";
import { A_STARS_32, ANSWER_KEY, M, R_STARS_32, VIZ_SCALAR, type Language, type Variant } from "./constants.js";

export type Parsed = { ok: true; value: unknown } | { ok: false; reason: string };

/**
 * `json_repair.loads(text)` as plain values: @loomscope/metrics' port of json_repair 0.25.2 (the
 * release current when viz.ipynb was published; neither it nor LOOM-Scope pins one), with dicts as
 * objects and ints / floats as numbers (the scorer compares them with Python's ==, where 15 == 15.0).
 */
export function repairJson(text: string): unknown {
  return pyJsonToJson(jsonRepairLoads(text));
}

/** The predicted star list as viz.ipynb extracts it; `ok: false` where the notebook would raise. */
export function parseAnswer(answer: string, language: Language): Parsed {
  const key = ANSWER_KEY[language];
  let obj: unknown;
  try {
    if (answer.includes("```")) obj = repairJson(pyStrip(answer.replaceAll("```", "").replaceAll("json", "")));
    else if (language === "ZH") obj = repairJson(answer);
    else obj = pyJsonToJson(pyJsonLoads(answer));
  } catch (e) {
    return { ok: false, reason: `answer is not JSON (${(e as Error).message})` };
  }
  if (obj === null || typeof obj !== "object" || Array.isArray(obj) || !(key in obj)) return { ok: false, reason: `answer has no "${key}" key` };
  return { ok: true, value: (obj as Record<string, unknown>)[key] };
}

/** Python equality of a predicted item with an int star count (15 == 15.0 == True-ish for 1). */
const pyEqualsInt = (x: unknown, n: number) => (typeof x === "number" && x === n) || (typeof x === "boolean" && Number(x) === n);

/** reduce_duplicate: first m items (when longer), then a set. Strings iterate as characters. */
export function reduceDuplicate(predicted: unknown, m: number): unknown[] | undefined {
  let items: unknown[];
  if (Array.isArray(predicted)) items = predicted;
  else if (typeof predicted === "string") items = Array.from(predicted);
  else if (predicted !== null && typeof predicted === "object") items = Object.keys(predicted);
  else return undefined; // len() of a number or None raises
  if (items.length > m) items = items.slice(0, m);
  if (items.some((x) => x !== null && typeof x === "object")) return undefined; // unhashable
  return items;
}

export function reasoningScore(index: number, predicted: readonly unknown[]): number {
  const a = predicted.some((x) => pyEqualsInt(x, A_STARS_32[index] as number));
  const r = predicted.some((x) => pyEqualsInt(x, R_STARS_32[index] as number));
  if (a && r) return 0.5;
  if (a) return 1;
  if (r) return 0.25;
  return 0;
}

/** The m per-star scores of one answer, or undefined where the notebook would raise. */
export function starScores(predictedRaw: unknown, variant: Variant, references: readonly unknown[] = A_STARS_32, m = M): number[] | undefined {
  const predicted = reduceDuplicate(predictedRaw, m);
  if (!predicted) return undefined;
  const out: number[] = [];
  for (let i = 1; i <= m; i++) {
    if (variant === "searching") {
      const ref = references[i - 1];
      out.push(ref !== undefined && typeof ref === "number" && predicted.some((x) => pyEqualsInt(x, ref)) ? 1 : ref !== undefined && predicted.some((x) => x === ref) ? 1 : 0);
    } else out.push(reasoningScore(i - 1, predicted));
  }
  return out;
}

/** numpy `np.round(x, 3)`. */
export const npRound3 = (x: number): number => numpyRound(x, 3);

export interface PivotItem {
  contextSize: number;
  scores: readonly number[];
}
/** pivot_table(mean) over (Counting Times, Context Size), then `.mean(axis=None).round(3)`. */
export function pivotMean(items: readonly PivotItem[], language: Language, variant: Variant): number {
  const scalar = VIZ_SCALAR[language][variant];
  const cells = new Map<number, Map<number, [number, number]>>();
  for (const it of items) {
    const size = Math.trunc(it.contextSize / scalar);
    it.scores.forEach((s, i) => {
      const row = cells.get(i + 1) ?? new Map<number, [number, number]>();
      const c = row.get(size) ?? [0, 0];
      row.set(size, [c[0] + s, c[1] + 1]);
      cells.set(i + 1, row);
    });
  }
  const values: number[] = [];
  for (const t of [...cells.keys()].sort((a, b) => a - b)) {
    const row = cells.get(t) as Map<number, [number, number]>;
    for (const size of [...row.keys()].sort((a, b) => a - b)) {
      const [sum, n] = row.get(size) as [number, number];
      values.push(sum / n);
    }
  }
  if (values.length === 0) return Number.NaN;
  return npRound3(values.reduce((a, b) => a + b, 0) / values.length);
}
