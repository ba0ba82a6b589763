/**
 * `--protocol loom`: LOOM-Scope's L_CiteEval scorer (loom-scope 0.1 sdist
 * `benchmarks/Faithfulness/L_CiteEval/utils/evaluation/eval_citation.py`, and the stored
 * `eval_correct.py`). Per sample: QA F1 only; summaries and niah score 0 where ROUGE fails; a
 * summary with "summary" but no ":" in its head is skipped (not counted); counting_stars accuracy
 * in 0–1 with its failures guarded; citation F1 only, 0 for a generation with no sentence, for a
 * niah item without gold, for an empty passage_id. Per task: `round(100 * sum / n, 2)` (Python).
 * The generation is the prediction string itself (LOOM-Scope stores `generation` as a str).
 */
import type { Judge } from "@loomscope/spec";
import { OfficialScorerError, officialPercent, pyInt, pyJsonLoads, pyLower, pyStrip, pythonRound, punktEnglishParameters, punktSentences, type PunktParameters, type PyJsonValue } from "@loomscope/metrics";
import { PENGUIN_COUNT, distinct, firstLine, inInts, qaF1Triple, removeCitations, type Answer, QA_TASKS, SUMMARY_TASKS } from "./correctness.js";
import { autoaisScores, citedIndexes, NoSentencesError } from "./citation.js";
import { rougeScores } from "@loomscope/metrics";
import type { Doc } from "./prompt.js";

/** LOOM-Scope's eval_correct.py `task_metrics` labels (niah's says ROUGE-L but is ROUGE-1 recall). */
export const LOOM_TASK_METRICS: Readonly<Record<string, string>> = {
  niah: "ROUGE-L",
  locomo: "F1",
  hotpotqa: "F1",
  narrativeqa: "F1",
  natural_questions: "F1",
  multi_news: "ROUGE-L",
  gov_report: "ROUGE-L",
  "2wikimultihopqa": "F1",
  counting_stars: "ACC",
  dialsim: "F1",
  qmsum: "ROUGE-L",
};

/** LOOM-Scope skipped the sample (`continue` before appending): it is in no mean. */
export class LoomSkippedError extends Error {
  readonly code = "SKIPPED";
  constructor(why: string) {
    super(`LOOM-Scope's scorer skips this sample (${why})`);
    this.name = "LoomSkippedError";
  }
}

/** `rouge_score` returning 0.0 on failure, then `max(score, …)` over a list answer. */
function loomRouge(hyp: string, answer: Answer): ReturnType<typeof rougeScores> | 0 {
  const one = (ref: string): ReturnType<typeof rougeScores> | 0 => {
    try {
      return rougeScores(hyp, ref, undefined, { callerFrames: 3 });
    } catch (e) {
      if (e instanceof OfficialScorerError) return 0;
      throw e;
    }
  };
  if (typeof answer === "string") return one(answer);
  if (!Array.isArray(answer)) return 0;
  let score: ReturnType<typeof rougeScores> | 0 = 0;
  for (const a of answer) {
    const s = one(String(a));
    if (score !== 0 || s !== 0) throw new OfficialScorerError("TypeError", "'>' not supported between instances of 'dict' and 'int'");
    score = s;
  }
  return score;
}

/** LOOM-Scope's per-sample correctness (its own scale: F1 / ROUGE / accuracy in 0–1). */
export function loomCorrectness(dataset: string, generation: string, docs: readonly unknown[], answer: Answer, modelName = ""): number {
  if (QA_TASKS.includes(dataset)) {
    const ans = removeCitations(firstLine(generation));
    if (typeof answer === "string" || typeof answer === "number") return qaF1Triple(ans, String(answer))[0];
    let best = 0;
    for (const a of answer) best = Math.max(best, qaF1Triple(ans, String(a))[0]);
    return best;
  }
  if (SUMMARY_TASKS.includes(dataset)) {
    let ans = pyStrip(generation);
    if (pyLower(Array.from(ans).slice(0, 100).join("")).includes("summary")) {
      const ind = ans.indexOf(":");
      if (ind === -1) throw new LoomSkippedError('"summary" in the head but no ":"');
      ans = pyStrip(ans.slice(ind + 1));
    }
    const nl = ans.indexOf("\n");
    if (nl !== -1) ans = ans.slice(0, nl);
    ans = removeCitations(ans);
    if (ans === "") return 0;
    const s = loomRouge(ans, answer);
    return s === 0 ? 0 : s["rouge-l"].f;
  }
  if (dataset === "niah") {
    const s = loomRouge(removeCitations(firstLine(generation)), answer);
    return s === 0 ? 0 : s["rouge-1"].r;
  }
  // counting_stars
  const gold: number[] = [];
  for (const d of docs) {
    if (typeof d === "string" && d.includes("The little penguin counted")) {
      const m = PENGUIN_COUNT.exec(d);
      if (m) gold.push(Number(pyInt(m[1] as string)));
    }
  }
  const ans = pyStrip(generation);
  let parsed: PyJsonValue;
  try {
    if (modelName.includes("Llama3-ChatQA-2-70B")) parsed = pyJsonLoads("{" + ans + "}");
    else {
      const i1 = ans.indexOf("{");
      const i2 = ans.indexOf("}");
      if (i1 === -1 || i2 === -1) return 0;
      parsed = pyJsonLoads(ans.slice(i1, Math.max(i1, i2 + 1)));
    }
  } catch {
    return 0;
  }
  let total = 0;
  if (parsed instanceof Map && parsed.has("little_penguin")) {
    const lp = parsed.get("little_penguin");
    if (Array.isArray(lp)) {
      for (const a of (lp as readonly PyJsonValue[]).slice(0, gold.length)) if (inInts(a, gold)) total++;
    } else if (typeof lp === "string") {
      // Slicing and iterating a str works; its characters never equal an int.
    }
  }
  return gold.length > 0 ? total / gold.length : 0;
}

/** LOOM-Scope's per-sample citation F1. */
export async function loomCitationF1(
  dataset: string,
  generation: string,
  docs: readonly Doc[],
  answer: Answer,
  judge: Judge | undefined,
  sentenceParams: PunktParameters = punktEnglishParameters(),
  modelName = "",
): Promise<number> {
  if (dataset === "niah") {
    let gold: number | undefined;
    for (let j = 0; j < docs.length; j++) {
      const d = docs[j];
      if (typeof d === "string" && d.includes(String(answer))) {
        gold = j;
        break;
      }
    }
    if (gold === undefined) return 0;
    const ref = citedIndexes(firstLine(generation)).slice(0, 3);
    if (ref.includes(gold) && ref.length > 0) return (2 * 1 * 1) / ref.length / (1 + 1 / ref.length);
    return 0;
  }
  if (dataset === "counting_stars") {
    const goldIds: number[] = [];
    docs.forEach((d, j) => {
      if (typeof d === "string" && d.includes("The little penguin counted")) goldIds.push(j + 1);
    });
    const ans = pyStrip(generation);
    let parsed: PyJsonValue;
    try {
      if (modelName.includes("Llama3-ChatQA-2-70B")) parsed = pyJsonLoads("{" + ans + "}");
      else {
        const i1 = ans.indexOf("{");
        const i2 = ans.indexOf("}");
        if (i1 === -1 || i2 === -1) return 0;
        parsed = pyJsonLoads(ans.slice(i1, Math.max(i1, i2 + 1)));
      }
    } catch {
      return 0;
    }
    if (!(parsed instanceof Map) || !parsed.has("passage_id")) return 0;
    const raw = parsed.get("passage_id") as PyJsonValue;
    if (!Array.isArray(raw) && typeof raw !== "string") throw new OfficialScorerError("TypeError", "object has no len()");
    if ((Array.isArray(raw) ? raw.length : raw.length) === 0) return 0;
    const ids = distinct(raw);
    let correct = 0;
    for (const id of ids) if (inInts(id, goldIds)) correct++;
    const precision = correct / ids.length;
    const recall = goldIds.length > 0 ? correct / goldIds.length : 0;
    return precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  }
  if (!judge) throw new Error("l-citeeval citation metrics need an NLI judge (--judge <backend:model>)");
  if (punktSentences(generation, sentenceParams).length === 0) return 0;
  try {
    return (await autoaisScores(generation, docs, judge, sentenceParams)).f1;
  } catch (e) {
    if (e instanceof NoSentencesError) return 0;
    throw e;
  }
}

/** LOOM-Scope `save_results`: `round(100 * sum(scores) / len(scores), 2)` per task. */
export function loomTaskScore(values: readonly number[]): number | null {
  return values.length === 0 ? null : officialPercent(values);
}
