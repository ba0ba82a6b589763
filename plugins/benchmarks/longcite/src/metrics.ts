/**
 * LongBench-Cite's metrics as metric objects. All four are judged (GPT-4o in the official setup):
 * - citation_recall / citation_precision / citation_f1: the model's reply parsed as pred_one_shot.py
 *   does (statements and `<cite>` spans over the context's sentences), then auto_scorer.py's
 *   `get_citation_score` (one judge pass shared by the three metrics of a sample);
 * - correctness: eval_correct.py's score for the sample's dataset (max over the reference answers).
 * A sample eval_cite.py leaves out (an unreadable verdict after the official tries: auto_scorer.py's
 * NotImplementedError, or any other exception inside its `process`, such as the usage sum over a
 * statement whose citations are empty) is null in the three citation metrics: counted apart, never
 * as 0. Correctness has no such case: eval_correct.py re-raises, so its failures stay errors.
 * The prediction is pred_one_shot.py's `output` (a reply starting "statement>" gets its "<" back).
 */
import type { Judge } from "@loomscope/spec";
import { OfficialScorerError, defineMetric, type Metric, type MetricInput } from "@loomscope/metrics";
import { statementsOf } from "./citations.js";
import { UnexpectedVerdictError, citationScores, itemCorrectness, type CitationJudgement, type FewShot } from "./judge.js";

/** pred_one_shot.py: `if output.startswith("statement>"): output = "<" + output` — the `prediction` both eval scripts read. */
export const officialPrediction = (output: string): string => (output.startsWith("statement>") ? "<" + output : output);

const memo = new WeakMap<Judge, Map<string, Promise<CitationJudgement | null>>>();
const MEMO_SIZE = 64;

function needJudge(input: MetricInput): Judge {
  if (!input.judge) throw new Error("longcite metrics need a judge (--judge <backend:model>)");
  if (input.protocol === "loom") throw new Error("LOOM-Scope has no LongBench-Cite: only --protocol official");
  return input.judge;
}

function scoringString(input: MetricInput, key: string): string {
  const v = input.scoring?.[key];
  if (typeof v !== "string") throw new Error(`longcite sample has no scoring.${key}`);
  return v;
}

/** One judge pass for the three citation metrics of a sample; null when eval_cite.py leaves the item out. */
function citationJudgement(input: MetricInput): Promise<CitationJudgement | null> {
  const judge = needJudge(input);
  const query = scoringString(input, "query");
  const context = scoringString(input, "context");
  const prediction = officialPrediction(input.prediction);
  const key = `${query}\u0000${prediction}\u0000${context.length}`;
  let m = memo.get(judge);
  if (!m) memo.set(judge, (m = new Map()));
  let hit = m.get(key);
  if (!hit) {
    hit = (async () => {
      const statements = statementsOf(prediction, context);
      let judged: CitationJudgement;
      try {
        judged = await citationScores(query, prediction, statements, judge, input.signal);
      } catch (e) {
        // auto_scorer.py raises NotImplementedError (or Python raises): eval_cite.py's `process` catches it and drops the item.
        if (e instanceof UnexpectedVerdictError || e instanceof OfficialScorerError) return null;
        throw e;
      }
      // A statement whose citations are all whitespace has usage None: the usage sum raises, and the item is dropped.
      if (judged.support.some((s) => s.output === "No matched citation")) return null;
      return judged;
    })();
    m.set(key, hit);
    if (m.size > MEMO_SIZE) m.delete(m.keys().next().value as string);
    hit.catch(() => m?.delete(key));
  }
  return hit;
}

const cite = (id: "citation_recall" | "citation_precision" | "citation_f1", pick: (j: CitationJudgement) => number, description: string): Metric =>
  defineMetric({
    id,
    description,
    judge: "LLM judge",
    score: async (input) => {
      const judged = await citationJudgement(input);
      return judged === null ? null : pick(judged);
    },
  });

export const citationRecall = cite("citation_recall", (j) => j.recall, "auto_scorer.py score_recall: mean support of the statements (GPT-4o)");
export const citationPrecision = cite("citation_precision", (j) => j.precision, "auto_scorer.py score_precision: mean relevance of the citations (GPT-4o)");
export const citationF1 = cite("citation_f1", (j) => j.f1, "2PR / (P + R) of the two above");

export const correctness = defineMetric({
  id: "correctness",
  description: "eval_correct.py gpt_score_* for the dataset, max over the references (GPT-4o)",
  judge: "LLM judge",
  score: async (input) => {
    const judge = needJudge(input);
    const raw = input.scoring?.["few_shot_scores"];
    const fewShots: FewShot[] = Array.isArray(raw)
      ? raw.map((f) => {
          const o = f as { answer?: unknown; score?: unknown };
          return { answer: String(o.answer ?? ""), score: typeof o.score === "number" || typeof o.score === "string" ? o.score : null };
        })
      : [];
    const r = await itemCorrectness(input.task, scoringString(input, "query"), input.references, officialPrediction(input.prediction), judge, fewShots, input.signal);
    return r.score;
  },
});

/** Headline first: citation F1 (the paper's main citation number), then recall, precision, correctness. */
export const LONGCITE_METRICS: readonly Metric[] = [citationF1, citationRecall, citationPrecision, correctness];
