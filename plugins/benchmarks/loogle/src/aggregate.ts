/**
 * LooGLE's aggregation, as its Evaluation scripts print it:
 * - automatic_sim (`get_semantic_matching`): per function the numpy mean over QA pairs, per
 *   component for tuple-valued functions (BLEU [1, 4], ROUGE recall [1, 2, L]);
 * - automatic_match (`get_match_score`): round(sum(hits) / sum(masks), 4) with numpy's round
 *   (nan when there are no masks, as numpy divides 0/0);
 * - llm (`get_accuracy`): QA: count("True") / (count("True") + count("False")) over the raw
 *   replies (ZeroDivisionError without either); summaries: numpy mean of the int scores.
 */
import type { AggregateCell, BenchmarkAggregate, Protocol } from "@loomscope/spec";
import { OfficialScorerError, numpyMean, numpyRound, pythonRound } from "@loomscope/metrics";

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

// ---- a run's aggregate ---------------------------------------------------------------------

const OFFICIAL_COLUMNS = [
  ["bleu1", "BLEU-1"],
  ["bleu4", "BLEU-4"],
  ["rouge1", "ROUGE-1"],
  ["rouge2", "ROUGE-2 (README: ROUGE-4)"],
  ["rougeL", "ROUGE-L"],
  ["meteor", "METEOR"],
  ["gpt4_judge", "GPT-4 judge (QA accuracy)"],
  ["gpt4_score", "GPT-4 score (0-100)"],
  ["exact_match", "Exact match"],
  ["partial_match", "Partial match"],
] as const;
const LOOM_COLUMNS = ["bleu1", "bleu4", "rouge1", "rouge4", "rougeL", "meteor_score"] as const;
const TASK_ORDER = ["shortdep_qa", "longdep_qa", "longdep_summarization", "shortdep_cloze"];

/** One cloze cell as get_match_score totals it: (hits, masks) per sample from the aligned rows. */
function matchPairs(cell: AggregateCell, metric: string): [number, number][] | undefined {
  if (!cell.rows) return undefined;
  return cell.rows.map((row) => {
    const masks = typeof row.meta?.["masks"] === "number" ? (row.meta["masks"] as number) : 0;
    const v = row.scores[metric];
    return [v === null || v === undefined ? 0 : Math.round(v * masks), masks];
  });
}

/** The official numbers of one task, as its Evaluation scripts print them (fractions, not ×100). */
export function officialTaskNumbers(cell: AggregateCell): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  const values = (m: string): number[] => cell.values[m] ?? [];
  if (cell.task === "shortdep_cloze") {
    for (const m of ["exact_match", "partial_match"]) {
      const pairs = matchPairs(cell, m);
      const n = pairs?.reduce((a, [, k]) => a + k, 0) ?? 0;
      out[m] = pairs && n > 0 ? matchScore(pairs) : null;
    }
    return out;
  }
  for (const m of ["bleu1", "bleu4", "rouge1", "rouge2", "rougeL", "meteor"]) out[m] = values(m).length ? numpyMean(values(m)) : null;
  if (cell.values["gpt4_judge"] !== undefined) {
    // count("True") / (count("True") + count("False")): the mean of the 0/1 verdicts; none is ZeroDivisionError.
    const v = values("gpt4_judge");
    out["gpt4_judge"] = v.length ? v.reduce((a, b) => a + b, 0) / v.length : null;
  }
  if (cell.values["gpt4_score"] !== undefined) out["gpt4_score"] = values("gpt4_score").length ? numpyMean(values("gpt4_score")) : null;
  return out;
}

/** LOOM-Scope's per-task number: `round(sum(values) / len(values), 2)` of its per-sample values. */
export function loomMean(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  let s = 0;
  for (const v of values) s += v;
  return pythonRound(s / values.length, 2);
}

/**
 * LOOM-Scope's automatic_eval.py multiplies each score by 100, but the BLEU and ROUGE functions
 * return tuples, and `tuple * 100` repeats the tuple: their components stay fractions. Only METEOR
 * (a float) is ×100.
 */
export const loomPerSample = (metric: string, value: number): number => (metric === "meteor_score" ? value * 100 : value);

export function aggregateLoogle(cells: readonly AggregateCell[], settings: { protocol: Protocol }): BenchmarkAggregate {
  const byTask = new Map(cells.map((c) => [c.task, c]));
  const tasks = TASK_ORDER.filter((t) => byTask.has(t));
  if (settings.protocol === "loom") {
    const rows = tasks.map((t) => LOOM_COLUMNS.map((m) => loomMean((byTask.get(t)!.values[m] ?? []).map((v) => loomPerSample(m, v)))));
    return {
      // LOOM-Scope's task average and total include BERTScore, which is not computed: no total.
      score: null,
      tasks: Object.fromEntries(tasks.map((t) => [t, null])),
      cells: {},
      tables: [
        {
          // round(mean, 2); bertscore and LOOM-Scope's Average/Total (which include it) are not computed.
          title: "LooGLE, LOOM-Scope (BLEU/ROUGE fractions, METEOR x100; no bertscore)",
          rows: tasks,
          columns: [...LOOM_COLUMNS],
          cells: rows,
        },
      ],
    };
  }
  const numbers = new Map(tasks.map((t) => [t, officialTaskNumbers(byTask.get(t)!)]));
  const columns = OFFICIAL_COLUMNS.filter(([m]) => tasks.some((t) => numbers.get(t)![m] !== undefined));
  const headline = (t: string): number | null => {
    const v = numbers.get(t)![t === "shortdep_cloze" ? "exact_match" : "bleu1"];
    return v === null || v === undefined ? null : 100 * v;
  };
  return {
    // LooGLE publishes no overall number.
    score: null,
    tasks: Object.fromEntries(tasks.map((t) => [t, headline(t)])),
    cells: {},
    tables: [
      {
        // automatic_eval.py / llm_eval.py numbers ×100 (the GPT-4 score is 0-100 already); BERTScore needs a model serving embeddings.
        title: "LooGLE (x100; BERTScore not computed)",
        rows: tasks,
        columns: columns.map(([, label]) => label),
        cells: tasks.map((t) =>
          columns.map(([m]) => {
            const v = numbers.get(t)![m];
            return v === undefined || v === null ? null : m === "gpt4_score" ? v : 100 * v;
          }),
        ),
      },
    ],
  };
}
