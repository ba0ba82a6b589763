/**
 * L-CiteEval's metrics as metric objects. Per-sample values on the scale the official sums use:
 * f1 / precision / recall / rouge-l / rouge-1 in 0–1 (the scripts multiply by 100 when they
 * aggregate), acc already × 100 (as eval_correct.py's `correct_lst`), citation recall / precision /
 * F1 in 0–1, cite_num a count. The NLI-judged citation metrics split sentences with nltk's
 * `sent_tokenize` (Punkt with the English model, `punktEnglishParameters` in @loomscope/metrics).
 */
import type { Judge } from "@loomscope/spec";
import { defineMetric, punktEnglishParameters, type Metric, type MetricInput, type PunktParameters } from "@loomscope/metrics";
import { QA_TASKS, SUMMARY_TASKS, countingStarsCorrectness, niahCorrectness, qaCorrectness, summaryCorrectness, type Answer } from "./correctness.js";
import { autoaisScores, countingStarsCitationScores, niahCitationScores, type CitationScores } from "./citation.js";
import type { Doc } from "./prompt.js";
import { loomCitationF1, loomCorrectness } from "./loom.js";

/** Under `--protocol loom` LOOM-Scope reports only these per task (F1 / ROUGE / ACC; citation F1). */
function notInLoom(id: string): never {
  throw new Error(`LOOM-Scope's L_CiteEval scorer does not report "${id}" (--protocol loom)`);
}

let sentenceParams: PunktParameters = punktEnglishParameters();
/**
 * Split sentences with other Punkt parameters than nltk's English model (e.g. a punkt_tab folder
 * read with `loadPunktTab`); the parity fixtures use a made-up set this way.
 */
export function useSentenceParameters(params: PunktParameters = punktEnglishParameters()): void {
  sentenceParams = params;
}

function datasetOf(task: string): string {
  return task.replace(/^(length_|hardness_)/, "");
}

function docsOf(input: MetricInput): Doc[] {
  const d = input.scoring?.["docs"];
  if (!Array.isArray(d)) throw new Error("l-citeeval sample has no scoring.docs");
  return d as Doc[];
}

function answerOf(input: MetricInput): Answer {
  const a = input.scoring?.["answer"];
  if (typeof a === "string" || typeof a === "number" || Array.isArray(a)) return a as Answer;
  throw new Error("l-citeeval sample has no scoring.answer");
}

// One citation pass per (judge, sample) for the four citation metrics.
const memo = new WeakMap<object, Map<string, Promise<CitationScores & { citeNum: number | null }>>>();
const NO_JUDGE = {};

function citation(input: MetricInput): Promise<CitationScores & { citeNum: number | null }> {
  const dataset = datasetOf(input.task);
  const owner: object = input.judge ?? NO_JUDGE;
  let m = memo.get(owner);
  if (!m) memo.set(owner, (m = new Map()));
  const key = `${input.task}\u0000${input.prediction}\u0000${JSON.stringify(input.scoring?.["id"] ?? "")}`;
  let hit: Promise<CitationScores & { citeNum: number | null }> | undefined = m.get(key);
  if (!hit) {
    hit = (async (): Promise<CitationScores & { citeNum: number | null }> => {
      if (dataset === "niah") {
        const a = answerOf(input);
        return niahCitationScores(input.prediction, docsOf(input), String(a), undefined);
      }
      if (dataset === "counting_stars") return countingStarsCitationScores(input.prediction, docsOf(input), answerOf(input)) as CitationScores & { citeNum: number | null };
      const judge: Judge | undefined = input.judge;
      if (!judge) throw new Error("l-citeeval citation metrics need an NLI judge (--judge <backend:model>)");
      return autoaisScores(input.prediction, docsOf(input), judge, sentenceParams, 3, input.signal);
    })();
    const memoMap = m;
    memoMap.set(key, hit);
    if (memoMap.size > 64) memoMap.delete(memoMap.keys().next().value as string);
    hit.catch(() => memoMap.delete(key));
  }
  return hit;
}

const judged = (dataset: string): string | undefined => (dataset === "niah" || dataset === "counting_stars" ? undefined : "NLI");

export function CITATION_METRICS(dataset: string): Metric[] {
  const j = judged(dataset);
  const mk = (id: string, pick: (c: CitationScores & { citeNum: number | null }) => number, description: string, scale = 100): Metric =>
    defineMetric({
      id,
      description,
      scale,
      ...(j ? { judge: j } : {}),
      score: async (input) => {
        if (input.protocol === "loom") {
          if (id !== "citation_f1") notInLoom(id);
          return loomCitationF1(dataset, input.prediction, docsOf(input), answerOf(input), input.judge, sentenceParams);
        }
        return pick(await citation(input));
      },
    });
  return [
    mk("citation_f1", (c) => c.f1, "eval_citation.py citation F1"),
    mk("citation_rec", (c) => c.recall, "eval_citation.py citation recall"),
    mk("citation_prec", (c) => c.precision, "eval_citation.py citation precision"),
    mk("cite_num", (c) => {
      if (c.citeNum === null) throw new Error("counting_stars: no passage_id, eval_citation.py appends no cite number");
      return c.citeNum;
    }, "citations counted per sample", 1),
  ];
}

export function CORRECTNESS_METRICS(dataset: string): Metric[] {
  if (QA_TASKS.includes(dataset)) {
    const mk = (id: "f1" | "precision" | "recall"): Metric =>
      defineMetric({
        id,
        description: `eval_correct.py QA ${id} (first line, citations removed, max over answers)`,
        score: (input) => {
          if (input.protocol === "loom") return id === "f1" ? loomCorrectness(dataset, input.prediction, [], answerOf(input)) : notInLoom(id);
          return qaCorrectness(input.prediction, answerOf(input))[id];
        },
      });
    return [mk("f1"), mk("precision"), mk("recall")];
  }
  if (SUMMARY_TASKS.includes(dataset)) {
    return [defineMetric({ id: "rouge-l", description: "eval_correct.py ROUGE-L F (rouge 1.0.1)", score: (input) => (input.protocol === "loom" ? loomCorrectness(dataset, input.prediction, [], answerOf(input)) : summaryCorrectness(input.prediction, answerOf(input))) })];
  }
  if (dataset === "niah") {
    return [defineMetric({ id: "rouge-1", description: "eval_correct.py ROUGE-1 recall (rouge 1.0.1)", score: (input) => (input.protocol === "loom" ? loomCorrectness(dataset, input.prediction, [], answerOf(input)) : niahCorrectness(input.prediction, answerOf(input))) })];
  }
  return [
    defineMetric({
      id: "acc",
      description: "eval_correct.py counting accuracy (× 100 per sample; LOOM-Scope: 0-1)",
      scale: 1,
      score: (input) => (input.protocol === "loom" ? loomCorrectness(dataset, input.prediction, docsOf(input), answerOf(input)) : countingStarsCorrectness(input.prediction, docsOf(input), answerOf(input))),
    }),
  ];
}
