/**
 * LongBench-Cite's metrics as metric objects. All four are judged (GPT-4o in the official setup):
 * - citation_recall / citation_precision / citation_f1: the model's reply parsed as pred_one_shot.py
 *   does (statements and `<cite>` spans over the context's sentences), then auto_scorer.py's
 *   `get_citation_score` (one judge pass shared by the three metrics of a sample);
 * - correctness: eval_correct.py's score for the sample's dataset (max over the reference answers).
 * A sample whose citation verdicts cannot be read (eval_cite.py drops it) throws UnexpectedVerdictError.
 */
import type { Judge } from "@loomscope/spec";
import { OfficialScorerError, defineMetric, type Metric, type MetricInput } from "@loomscope/metrics";
import { statementsOf } from "./citations.js";
import { citationScores, itemCorrectness, type CitationJudgement, type FewShot } from "./judge.js";

const memo = new WeakMap<Judge, Map<string, Promise<CitationJudgement>>>();
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

function citationJudgement(input: MetricInput): Promise<CitationJudgement> {
  const judge = needJudge(input);
  const query = scoringString(input, "query");
  const context = scoringString(input, "context");
  const key = `${query}\u0000${input.prediction}\u0000${context.length}`;
  let m = memo.get(judge);
  if (!m) memo.set(judge, (m = new Map()));
  let hit = m.get(key);
  if (!hit) {
    hit = (async () => {
      const statements = statementsOf(input.prediction, context);
      const judged = await citationScores(query, input.prediction, statements, judge, input.signal);
      if (judged.support.some((s) => s.output === "No matched citation")) {
        throw new OfficialScorerError("TypeError", "eval_cite.py drops this response: a statement's citations are empty (usage None)");
      }
      return judged;
    })();
    m.set(key, hit);
    if (m.size > MEMO_SIZE) m.delete(m.keys().next().value as string);
    hit.catch(() => m?.delete(key));
  }
  return hit;
}

const cite = (id: "citation_recall" | "citation_precision" | "citation_f1", pick: (j: CitationJudgement) => number, description: string): Metric =>
  defineMetric({ id, description, judge: "LLM judge", score: async (input) => pick(await citationJudgement(input)) });

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
    const r = await itemCorrectness(input.task, scoringString(input, "query"), input.references, input.prediction, judge, fewShots, input.signal);
    return r.score;
  },
});

/** Headline first: citation F1 (the paper's main citation number), then recall, precision, correctness. */
export const LONGCITE_METRICS: readonly Metric[] = [citationF1, citationRecall, citationPrecision, correctness];
