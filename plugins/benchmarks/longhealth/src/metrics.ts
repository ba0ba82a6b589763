/**
 * LongHealth's scoring. The evaluation scripts of kbressem/LongHealth were not reachable from here
 * (see the README); what is implemented:
 *
 * - `longhealth_accuracy` (headline): 1 when the text of the correct option occurs in the response
 *   (Python `correct in answer`: exact, case-sensitive substring). This is the rule of the
 *   repository's evaluate_accuracy_task1.py as a published third-party comparison quotes it
 *   (`sum(1 for ans in answers if correct_answer in ans)`), and the only one LOOM-Scope's stored
 *   records (`prompt` dropped, `correct` text and `response` kept) allow. For task 3 the correct text
 *   is "Question cannot be answered with provided documents". Consequences: a response that lists
 *   every option counts as correct; "The correct answer is C" without the text counts as wrong.
 * - `longhealth_letter` (secondary, diagnostic): the letter of `The correct answer is (\w):` (first
 *   match) equals the letter of the first option whose text contains `correct` — the parse of
 *   TIO-IKIM/CLUE's eval_LongHealth.py, a third-party re-implementation; task 3 expects F.
 */
import { defineMetric, isPyWordChar } from "@loomscope/metrics";
import { UNANSWERABLE } from "./prompts.js";

export function containsCorrect(response: string, correct: string): boolean {
  return response.includes(correct);
}

/** `re.findall(r"The correct answer is (\w):", pred)[0]` or "" (Python's \w: a Unicode word character). */
export function parseChoiceLetter(response: string): string {
  const phrase = "The correct answer is ";
  for (let at = response.indexOf(phrase); at >= 0; at = response.indexOf(phrase, at + 1)) {
    const ch = String.fromCodePoint(response.codePointAt(at + phrase.length) ?? 0);
    if (isPyWordChar(ch) && response[at + phrase.length + ch.length] === ":") return ch;
  }
  return "";
}

/** The letter CLUE's `get_correct_answer` gives: the first option (a…f) whose text contains `correct`. */
export function correctLetter(options: Readonly<Record<string, string>>, correct: string): string | null {
  for (const label of "abcdef") {
    const text = options[label];
    if (text !== undefined && text.includes(correct)) return label.toUpperCase();
  }
  return null;
}

export const longhealthAccuracy = defineMetric({
  id: "longhealth_accuracy",
  description: "LongHealth: the correct option's text occurs in the response (Python `correct in answer`); task 3: the 'cannot be answered' text",
  binary: true,
  score: ({ prediction, references, scoring }) => {
    const correct = typeof scoring?.["correct"] === "string" ? (scoring["correct"] as string) : references[0];
    if (correct === undefined) throw new TypeError("longhealth_accuracy needs the correct option text");
    return containsCorrect(prediction, correct) ? 1 : 0;
  },
});

export const longhealthLetter = defineMetric({
  id: "longhealth_letter",
  description: "Diagnostic (third-party parse, CLUE): 'The correct answer is X:' names the correct option's letter; task 3: F",
  binary: true,
  score: ({ prediction, scoring, task }) => {
    const choice = parseChoiceLetter(prediction);
    if (choice === "") return 0;
    if (task === "task3") return choice === "F" ? 1 : 0;
    const options = (scoring?.["options"] ?? {}) as Record<string, string>;
    const correct = scoring?.["correct"];
    if (typeof correct !== "string") throw new TypeError("longhealth_letter needs scoring.correct");
    return choice === correctLetter(options, correct) ? 1 : 0;
  },
});

export { UNANSWERABLE };
