/**
 * L-CiteEval's metrics as metric objects. Per-sample values on the scale the official sums use:
 * f1 / precision / recall / rouge-l / rouge-1 in 0–1 (the scripts multiply by 100 when they
 * aggregate), acc already × 100 (as eval_correct.py's `correct_lst`), citation recall / precision /
 * F1 in 0–1, cite_num a count. A sample the official scorer leaves out of a metric is null there
 * (compute_autoais skips a generation with no sentence; counting_stars without `passage_id`
 * appends no cite number; LOOM-Scope skips a summary whose head says "summary" without ":").
 *
 * The citation metrics split sentences with nltk's `sent_tokenize`: Punkt with the English model
 * (`punktEnglishParameters` in @loomscope/metrics), or a punkt_tab/english folder where nltk would
 * look (`$NLTK_DATA`, `~/nltk_data`, …), or parameters installed with `useSentenceParameters`.
 */
import { LoomError, type Judge, type JudgeRequest } from "@loomscope/spec";
import { defineMetric, punktEnglishParameters, type Metric, type MetricInput, type PunktParameters } from "@loomscope/metrics";
import { QA_TASKS, SUMMARY_TASKS, countingStarsCorrectness, niahCorrectness, qaCorrectness, summaryCorrectness, type Answer } from "./correctness.js";
import { NLI_MODEL, NoSentencesError, autoaisScores, countingStarsCitationScores, niahCitationScores, type CitationScores } from "./citation.js";
import type { Doc } from "./prompt.js";
import { LoomSkippedError, loomCitationF1, loomCorrectness } from "./loom.js";
import { findPunktTab } from "./punkt-tab.js";

/** Under `--protocol loom` LOOM-Scope reports only these per task (F1 / ROUGE / ACC; citation F1). */
function notInLoom(id: string): never {
  throw new Error(`LOOM-Scope's L_CiteEval scorer does not report "${id}" (--protocol loom)`);
}

let sentenceParams: PunktParameters | undefined;
let found: Promise<PunktParameters | undefined> | undefined;
/**
 * Split sentences with other Punkt parameters than nltk's English model (e.g. a punkt_tab folder
 * read with `loadPunktTab`); the parity fixtures use a made-up set this way. No argument: the
 * built-in English model.
 */
export function useSentenceParameters(params: PunktParameters = punktEnglishParameters()): void {
  sentenceParams = params;
}

/** The installed parameters, else a punkt_tab/english folder where nltk would look, else nltk's English model. */
export async function sentenceParameters(): Promise<PunktParameters> {
  if (sentenceParams) return sentenceParams;
  found ??= findPunktTab();
  sentenceParams = (await found) ?? punktEnglishParameters();
  return sentenceParams;
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

// ---------------------------------------------------------------------------------------------
// The LLM substitute for the NLI model (not the official metric; its own metric ids).

/** The question the substitute asks an LLM judge instead of the NLI pipeline (loomscope's wording, not L-CiteEval's). */
export function llmNliRequest(premise: string, hypothesis: string): JudgeRequest {
  return {
    messages: [
      {
        role: "user",
        content: `Premise:\n${premise}\n\nHypothesis:\n${hypothesis}\n\nDoes the premise entail the hypothesis? Answer with one word: entailment, neutral or contradiction.`,
      },
    ],
    maxNewTokens: 8,
    temperature: 0,
  };
}

/** The reply read as an NLI label: "entailment" when it starts with that word (any case), else the reply. */
export const llmNliLabel = (reply: string): string => (/^\W*entailment\b/i.test(reply.trim()) ? "entailment" : reply);

/** A judge that answers the NLI pair with an LLM judge, so compute_autoais runs unchanged over it. */
function llmAsNli(judge: Judge): Judge {
  return {
    id: judge.id,
    complete: async (request, options) => {
      const [premise, hypothesis] = request.messages.map((m) => m.content);
      return llmNliLabel(await judge.complete(llmNliRequest(premise ?? "", hypothesis ?? ""), options));
    },
  };
}

// ---------------------------------------------------------------------------------------------

type CitationPass = (Omit<CitationScores, "citeNum"> & { citeNum: number | null }) | null;
// One citation pass per (judge, sample) for the four citation metrics.
const memo = new WeakMap<object, Map<string, Promise<CitationPass>>>();
const NO_JUDGE = {};

function citation(input: MetricInput, substitute: boolean): Promise<CitationPass> {
  const dataset = datasetOf(input.task);
  const owner: object = input.judge ?? NO_JUDGE;
  let m = memo.get(owner);
  if (!m) memo.set(owner, (m = new Map()));
  const key = `${substitute}\u0000${input.task}\u0000${input.prediction}\u0000${JSON.stringify(input.scoring?.["id"] ?? "")}`;
  let hit = m.get(key);
  if (!hit) {
    hit = (async (): Promise<CitationPass> => {
      if (dataset === "niah") return niahCitationScores(input.prediction, docsOf(input), String(answerOf(input)), undefined);
      if (dataset === "counting_stars") return countingStarsCitationScores(input.prediction, docsOf(input), answerOf(input));
      const judge: Judge | undefined = input.judge;
      if (!judge) throw new Error("l-citeeval citation metrics need an NLI judge (--judge <backend:model>)");
      try {
        return await autoaisScores(input.prediction, docsOf(input), substitute ? llmAsNli(judge) : judge, await sentenceParameters(), 3, input.signal);
      } catch (e) {
        // compute_autoais `continue`s: the sample is in no citation list.
        if (e instanceof NoSentencesError) return null;
        throw e;
      }
    })();
    const memoMap = m;
    memoMap.set(key, hit);
    if (memoMap.size > 64) memoMap.delete(memoMap.keys().next().value as string);
    hit.catch(() => memoMap.delete(key));
  }
  return hit;
}

const ruleBased = (dataset: string): boolean => dataset === "niah" || dataset === "counting_stars";

function citationMetrics(dataset: string, substitute: boolean): Metric[] {
  const rule = ruleBased(dataset);
  const judge = rule ? undefined : substitute ? `LLM judge (a substitute for the NLI model ${NLI_MODEL}, not the official metric)` : "NLI";
  const suffix = substitute && !rule ? "_llm" : "";
  const mk = (id: string, pick: (c: NonNullable<CitationPass>) => number | null, description: string, scale = 100): Metric =>
    defineMetric({
      id: id + (id === "cite_num" ? "" : suffix),
      description: suffix ? `${description}, with an LLM judge standing in for the NLI model (loomscope's substitute prompt)` : description,
      scale,
      ...(judge ? { judge } : {}),
      score: async (input) => {
        if (input.protocol === "loom") {
          if (id !== "citation_f1" || substitute) notInLoom(id + suffix);
          return loomCitationF1(dataset, input.prediction, docsOf(input), answerOf(input), input.judge, ruleBased(dataset) ? undefined : await sentenceParameters());
        }
        const pass = await citation(input, substitute);
        return pass === null ? null : pick(pass);
      },
    });
  return [
    mk("citation_f1", (c) => c.f1, "eval_citation.py citation F1"),
    mk("citation_rec", (c) => c.recall, "eval_citation.py citation recall"),
    mk("citation_prec", (c) => c.precision, "eval_citation.py citation precision"),
    // counting_stars without passage_id: eval_citation.py appends no cite number (null).
    mk("cite_num", (c) => c.citeNum, "citations counted per sample (eval_citation.py cite_num)", 1),
  ];
}

/** The official citation metrics: NLI-judged (niah and counting_stars rule-based). */
export function CITATION_METRICS(dataset: string): Metric[] {
  return citationMetrics(dataset, false);
}

/** The LLM-judge substitute: `citation_f1_llm`, `citation_rec_llm`, `citation_prec_llm` (never the NLI ids). */
export function LLM_CITATION_METRICS(dataset: string): Metric[] {
  return citationMetrics(dataset, true);
}

/** LOOM-Scope's per-sample correctness, null where it skips the sample. */
function loomValue(dataset: string, input: MetricInput, docs: readonly unknown[]): number | null {
  try {
    return loomCorrectness(dataset, input.prediction, docs, answerOf(input));
  } catch (e) {
    if (e instanceof LoomSkippedError) return null;
    throw e;
  }
}

const REPAIR = "eval_correct.py as committed raises NameError before its first score; this is its per-sample score, which that line does not touch";

export function CORRECTNESS_METRICS(dataset: string): Metric[] {
  if (QA_TASKS.includes(dataset)) {
    const mk = (id: "f1" | "precision" | "recall"): Metric =>
      defineMetric({
        id,
        description: `eval_correct.py QA ${id} (first line, citations removed, max over answers; ${REPAIR})`,
        score: (input) => {
          if (input.protocol === "loom") return id === "f1" ? loomValue(dataset, input, []) : notInLoom(id);
          return qaCorrectness(input.prediction, answerOf(input))[id];
        },
      });
    return [mk("f1"), mk("precision"), mk("recall")];
  }
  if (SUMMARY_TASKS.includes(dataset)) {
    return [
      defineMetric({
        id: "rouge-l",
        description: `eval_correct.py ROUGE-L F (rouge 1.0.1; ${REPAIR})`,
        score: (input) => (input.protocol === "loom" ? loomValue(dataset, input, []) : summaryCorrectness(input.prediction, answerOf(input))),
      }),
    ];
  }
  if (dataset === "niah") {
    return [
      defineMetric({
        id: "rouge-1",
        description: `eval_correct.py ROUGE-1 recall (rouge 1.0.1; ${REPAIR})`,
        score: (input) => (input.protocol === "loom" ? loomValue(dataset, input, []) : niahCorrectness(input.prediction, answerOf(input))),
      }),
    ];
  }
  return [
    defineMetric({
      id: "acc",
      description: `eval_correct.py counting accuracy (× 100 per sample; LOOM-Scope: 0-1; ${REPAIR})`,
      scale: 1,
      score: (input) => (input.protocol === "loom" ? loomValue(dataset, input, docsOf(input)) : countingStarsCorrectness(input.prediction, docsOf(input), answerOf(input))),
    }),
  ];
}

/** What LOOM-Scope's scorer reports per task: citation F1 and the task's correctness metric (F1, ROUGE-L, ROUGE-1 or ACC). */
export function LOOM_METRICS(dataset: string): Metric[] {
  return [CITATION_METRICS(dataset)[0] as Metric, CORRECTNESS_METRICS(dataset)[0] as Metric];
}
