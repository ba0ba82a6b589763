/**
 * LongHealth's document placement: `create_prompt` and `sample_distractions` of utils.py, ported
 * step for step (as the copies of that file give them; see the README):
 *
 * - lengths are `len(tokenizer.encode(x))` with the tokenizer's defaults (special tokens added);
 *   the budget starts at question + options + template, and every kept document adds its length
 *   plus that of "\n\n<sep> NEW DOCUMENT <sep>\n\n" — a separator that is not the one inserted
 *   ("\n\n<sep>\n\n");
 * - answer documents first, in `answer_location` order; the first that does not fit is cut to the
 *   budget left (`decode(encode(doc)[:left])`, special tokens not skipped) and the loop stops; then
 *   the distractors the same way — so after a cut, the next distractor is kept as an empty string;
 * - the kept documents are shuffled with Python's `random.shuffle` (PyRandom here: the same
 *   permutation for the same generator state), joined and formatted into PROMPT_TEMPLATE;
 * - `answer_location` gives each answer span's approximate relative position in the prompt.
 */
import { PyRandom, pyFormat } from "@loomscope/metrics";
import type { Tokenizer } from "@loomscope/spec";
import { PROMPT_TEMPLATE, SEPARATOR } from "./prompts.js";
import type { Question } from "./data.js";

export interface CreatePromptOptions {
  separator?: string;
  optionLabels?: string;
  maxLen?: number;
  tokenizer: Tokenizer;
  shuffle?: boolean;
  /** The generator `random.shuffle` draws from (Python's module-level one in the official code). */
  rng: PyRandom;
  /**
   * Only make the draws and the bookkeeping (a cut document is not decoded, no prompt text is
   * formatted): what a plan of the whole build needs to know each sample's generator state.
   */
  measureOnly?: boolean;
}

export type AnswerLocation = Record<string, { start: number; end: number }[]>;

/** `"\n".join(label.upper() + ": " + question[f"answer_{label}"] for label in option_labels)`. */
export function formatOptions(question: Question & Record<string, unknown>, optionLabels: string): string {
  return Array.from(optionLabels)
    .map((label) => {
      const text = question[`answer_${label}`];
      if (typeof text !== "string") throw new RangeError(`KeyError: 'answer_${label}'`);
      return `${label.toUpperCase()}: ${text}`;
    })
    .join("\n");
}

export async function createPrompt(
  answerDocs: readonly [string, string][],
  nonAnswerDocs: readonly string[],
  question: Question & Record<string, unknown>,
  options: CreatePromptOptions,
): Promise<{ prompt: string; answerLocation: AnswerLocation; docTypes: string[] }> {
  const separator = options.separator ?? SEPARATOR;
  const labels = options.optionLabels ?? "abcde";
  const maxLen = options.maxLen ?? 16_000;
  const tok = options.tokenizer;
  const len = async (s: string): Promise<number> => (await tok.encode(s)).length;
  const questionText = question.question;
  const optionsText = formatOptions(question, labels);

  const lenSeparator = await len(`\n\n${separator} NEW DOCUMENT ${separator}\n\n`);
  const lenQuestion = await len(questionText);
  const lenOptions = await len(optionsText);
  const lenTemplate = await len(PROMPT_TEMPLATE);
  const lenAnswer = new Map<string, number>();
  for (const [key, doc] of answerDocs) lenAnswer.set(key, await len(doc));
  const lenNonAnswer: number[] = [];
  for (const doc of nonAnswerDocs) lenNonAnswer.push(await len(doc));

  let docs: string[] = [];
  let types: string[] = [];
  let lengths: number[] = [];
  let total = lenQuestion + lenOptions + lenTemplate;
  const cut = async (doc: string): Promise<string> => (options.measureOnly ? "" : tok.decode((await tok.encode(doc)).slice(0, Math.max(maxLen - total, 0))));

  for (const [name, doc] of answerDocs) {
    const lenDoc = lenAnswer.get(name) as number;
    if (total + lenDoc <= maxLen) {
      docs.push(doc);
      types.push(name);
      lengths.push(lenDoc);
      total += lenDoc + lenSeparator;
    } else {
      docs.push(await cut(doc));
      types.push(name);
      lengths.push(maxLen - total);
      total += maxLen - total;
      break;
    }
  }
  for (const [i, doc] of nonAnswerDocs.entries()) {
    const lenDoc = lenNonAnswer[i] as number;
    if (total + lenDoc <= maxLen) {
      docs.push(doc);
      types.push("distraction");
      lengths.push(lenDoc);
      total += lenDoc + lenSeparator;
    } else {
      docs.push(await cut(doc));
      types.push("distraction");
      lengths.push(maxLen - total);
      total += maxLen - total;
      break;
    }
  }

  if (options.shuffle ?? true) {
    // `zip(*combined)` of an empty list raises ValueError in Python.
    if (docs.length === 0) throw new RangeError("ValueError: not enough values to unpack (expected 3, got 0)");
    const combined = docs.map((d, i) => [d, types[i] as string, lengths[i] as number] as const);
    options.rng.shuffle(combined);
    docs = combined.map((c) => c[0]);
    types = combined.map((c) => c[1]);
    lengths = combined.map((c) => c[2]);
  }

  const totalDocs = lengths.reduce((a, b) => a + b, 0);
  let start = 0;
  const answerLocation: AnswerLocation = {};
  for (const [i, length] of lengths.entries()) {
    const type = types[i] as string;
    if (type === "distraction") {
      start += length;
      continue;
    }
    const spans: { start: number; end: number }[] = [];
    const loc = question.answer_location[type];
    if (!loc) throw new RangeError(`KeyError: '${type}'`);
    const n = Math.min(loc.start.length, loc.end.length);
    for (let k = 0; k < n; k++) {
      spans.push({ start: (start + (loc.start[k] as number) * length) / totalDocs, end: (start + (loc.end[k] as number) * length) / totalDocs });
    }
    answerLocation[type] = spans;
    start += length;
  }

  if (options.measureOnly) return { prompt: "", answerLocation, docTypes: types };
  const documents = docs.join(`\n\n${separator}\n\n`);
  const prompt = pyFormat(PROMPT_TEMPLATE, { documents, question_text: questionText, options: optionsText });
  return { prompt, answerLocation, docTypes: types };
}

/** `sample_distractions(patient_id, benchmark, n)`: `random.sample` of the other patients' texts. */
export function sampleDistractions(patientId: string, patients: readonly { id: string; texts: readonly [string, string][] }[], n: number, rng: PyRandom): string[] {
  const all = patients.filter((p) => p.id !== patientId).flatMap((p) => p.texts.map(([, t]) => t));
  return rng.sample(all, Math.min(n, all.length));
}
