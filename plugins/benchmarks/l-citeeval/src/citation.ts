/**
 * L-CiteEval's citation scores per sample, as script/eval_citation.py computes them:
 * - `compute_autoais` (all tasks but niah and counting_stars): the generation split into sentences
 *   with nltk's `sent_tokenize` (English Punkt), `[n` citations read per sentence (at most 3 kept),
 *   an NLI model judging whether the cited passages entail the sentence (recall) and whether each
 *   citation is needed (precision);
 * - `compute_niah_citation`: the passage holding the answer among the first line's citations;
 * - `compute_counting_stars_citation`: `passage_id` of the JSON answer against the passages
 *   holding the counts.
 * The NLI model (`tasksource/deberta-base-long-nli` in the official code) is the judge: each call is
 * `pipe([dict(text=premise, text_pair=hypothesis)])`; a verdict counts as entailment when its label
 * is exactly "entailment".
 */
import type { Judge, JudgeRequest } from "@loomscope/spec";
import { OfficialScorerError, PY_DIGIT_CLASS_SOURCE, punktSentences, pyInt, pyStrip, type PunktParameters, type PyJsonValue } from "@loomscope/metrics";
import { countingStarsAnswer, countingStarsGold, distinct, firstLine, inInts, pyIn, removeCitations } from "./correctness.js";
import type { Doc } from "./prompt.js";

/** The NLI model of eval_citation.py (`pipeline("text-classification", model=…)`). */
export const NLI_MODEL = "tasksource/deberta-base-long-nli";
/** `--at_most_citations` default. */
export const AT_MOST_CITATIONS = 3;

/**
 * One NLI call as a judge request: the pipeline's text pair, premise first (`text`), hypothesis
 * second (`text_pair`), as two user messages. An NLI judge backend maps them back to the pair; its
 * reply is the predicted label.
 */
export function nliRequest(premise: string, hypothesis: string): JudgeRequest {
  return { messages: [{ role: "user", content: premise }, { role: "user", content: hypothesis }], maxNewTokens: 1, temperature: 0 };
}

/** `_run_nli_autoais`: 1 when the label is exactly "entailment". */
export const nliEntails = (verdict: string): number => (verdict === "entailment" ? 1 : 0);

/** `_format_document`: "Passage: …" for a str doc, "Title: …\nPassage: …" for a dict. */
export function formatDocument(doc: Doc): string {
  if (typeof doc === "string") return `Passage: ${doc}`;
  if (doc !== null && typeof doc === "object") return `Title: ${String(doc.title)}\nPassage: ${String(doc.text)}`;
  throw new OfficialScorerError("TypeError", "sequence item: expected str instance, NoneType found");
}

/** `[int(r[1:])-1 for r in re.findall(r"\[\d+", sent)]` (Python's \d is Unicode). */
export function citedIndexes(sent: string): number[] {
  return [...sent.matchAll(CITATION)].map((m) => Number(pyInt(m[1] as string)) - 1);
}
const CITATION = new RegExp(`\\[(${PY_DIGIT_CLASS_SOURCE}+)`, "gu");

/** `docs[i]` with Python's negative indexing. */
function at(docs: readonly Doc[], i: number): Doc {
  const j = i < 0 ? docs.length + i : i;
  if (j < 0 || j >= docs.length) throw new OfficialScorerError("IndexError", "list index out of range");
  return docs[j] as Doc;
}

export interface CitationScores {
  recall: number;
  precision: number;
  f1: number;
  citeNum: number;
}

/** The sample has no sentence: compute_autoais `continue`s and leaves it out of every list. */
export class NoSentencesError extends Error {
  readonly code = "SKIPPED";
  constructor() {
    super("the generation has no sentence: eval_citation.py leaves this sample out of the citation scores");
    this.name = "NoSentencesError";
  }
}

/** `compute_autoais` for one item. */
export async function autoaisScores(
  generation: string,
  docs: readonly Doc[],
  judge: Judge,
  sentenceParams: PunktParameters,
  atMost = AT_MOST_CITATIONS,
  signal?: AbortSignal,
): Promise<CitationScores> {
  const sents = punktSentences(generation, sentenceParams);
  if (sents.length === 0) throw new NoSentencesError();
  const nli = async (premise: string, hypothesis: string): Promise<number> =>
    nliEntails(await judge.complete(nliRequest(premise, hypothesis), signal === undefined ? undefined : { signal }));
  let entail = 0;
  let entailPrec = 0;
  let totalCitations = 0;
  for (const sent of sents) {
    const target = pyStrip(removeCitations(sent));
    let ref = citedIndexes(sent);
    let joint = -1;
    let jointPassage = "";
    if (ref.length === 0) joint = 0;
    else if (ref.some((r) => r >= docs.length)) joint = 0;
    else {
      ref = ref.slice(0, atMost);
      totalCitations += ref.length;
      jointPassage = ref.map((r) => formatDocument(at(docs, r))).join("\n");
    }
    if (joint === -1) joint = await nli(jointPassage, target);
    entail += joint;
    if (joint && ref.length > 1) {
      for (const id of ref) {
        let ok = await nli(formatDocument(at(docs, id)), target);
        if (!ok) {
          const rest = [...ref];
          rest.splice(rest.indexOf(id), 1);
          ok = await nli(rest.map((r) => formatDocument(at(docs, r))).join("\n"), target);
          if (!ok) entailPrec += 1;
        } else entailPrec += 1;
      }
    } else entailPrec += joint;
  }
  const recall = entail / sents.length;
  const precision = totalCitations > 0 ? entailPrec / totalCitations : 0;
  const f1 = recall + precision === 0 ? 0 : (2 * recall * precision) / (recall + precision);
  return { recall, precision, f1, citeNum: totalCitations };
}

/**
 * `compute_niah_citation` for one item. `previousGold` is the gold index of the item before (the
 * script's `gold_ind` survives from one item to the next when the answer is in no passage; for the
 * first item that is UnboundLocalError).
 */
export function niahCitationScores(generation: string, docs: readonly Doc[], answer: string, previousGold: number | undefined, atMost = AT_MOST_CITATIONS): CitationScores & { gold: number } {
  let gold = previousGold;
  for (let j = 0; j < docs.length; j++) {
    const d = docs[j];
    if (typeof d === "string" ? d.includes(answer) : d !== null && typeof d === "object" && answer in d) {
      gold = j;
      break;
    }
  }
  if (gold === undefined) throw new OfficialScorerError("UnboundLocalError", "local variable 'gold_ind' referenced before assignment");
  const ref = citedIndexes(firstLine(generation)).slice(0, atMost);
  if (ref.includes(gold)) {
    const k = ref.length;
    return { recall: 1, precision: 1 / k, f1: (2 * 1 * 1) / k / (1 + 1 / k), citeNum: k, gold };
  }
  return { recall: 0, precision: 0, f1: 0, citeNum: ref.length, gold };
}

/**
 * `compute_counting_stars_citation` for one item. `citeNum` is null where the script appends no
 * cite number (no `passage_id`: its lists then fall out of step; see aggregate.ts).
 */
export function countingStarsCitationScores(generation: string, docs: readonly unknown[], answer: unknown, chatQa = false): Omit<CitationScores, "citeNum"> & { citeNum: number | null } {
  const gold = countingStarsGold(docs);
  const len = Array.isArray(answer) ? answer.length : typeof answer === "string" ? Array.from(answer).length : -1;
  if (len !== gold.counts.length) throw new OfficialScorerError("AssertionError", "len(gold_ans_lst) != len(i['answer'])");
  const parsed = countingStarsAnswer(generation, chatQa);
  if (parsed === null) return { recall: 0, precision: 0, f1: 0, citeNum: 0 };
  if (!pyIn(parsed, "passage_id")) return { recall: 0, precision: 0, f1: 0, citeNum: null };
  const ids = distinct((parsed as Map<string, PyJsonValue>).get("passage_id") as PyJsonValue);
  let correct = 0;
  for (const id of ids) if (inInts(id, gold.ids)) correct++;
  if (ids.length === 0) throw new OfficialScorerError("ZeroDivisionError", "division by zero (empty passage_id)");
  const precision = correct / ids.length;
  if (gold.ids.length === 0) throw new OfficialScorerError("ZeroDivisionError", "division by zero (no gold passage)");
  const recall = correct / gold.ids.length;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { recall, precision, f1, citeNum: ids.length };
}
