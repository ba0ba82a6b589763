/**
 * BABILong's scorer, babilong/metrics.py (booydar/babilong @ 7a6efee): `compare_answers` over the
 * task's label set, with its quirks kept:
 * - only the first sentence counts (`output.split('.')[0]` after lower-casing);
 * - `split('Question')` runs after lower-casing, so it never cuts anything;
 * - labels are found as substrings, so "none" also holds "one" (qa7's "none" can never be right),
 *   "nothing" holds "no", "n,w" is not found in "n, w";
 * - labels that occur in the question are never counted;
 * - a target with a comma and more than 3 characters (qa8's "apple,milk") needs exactly its parts;
 *   qa19's "n,w" (3 characters) is a single label.
 * LOOM-Scope's copy (loom-scope 0.1, benchmarks/Reasoning/babilong/utils/evaluation/metrics.py) is the
 * same except `output.lower() if output else ''`: a missing (None) output scores as empty text instead of
 * raising.
 */
import { OfficialScorerError, defineMetric, pyLower } from "@loomscope/metrics";
import { LoomError } from "@loomscope/spec";
import type { BabilongTask } from "./tasks.js";

export const TASK_LABELS: Readonly<Record<BabilongTask, readonly string[]>> = {
  qa1: ["bathroom", "bedroom", "garden", "hallway", "kitchen", "office"],
  qa2: ["bathroom", "bedroom", "garden", "hallway", "kitchen", "office"],
  qa3: ["bathroom", "bedroom", "garden", "hallway", "kitchen", "office"],
  qa4: ["bathroom", "bedroom", "garden", "hallway", "kitchen", "office"],
  qa5: ["Bill", "Fred", "Jeff", "Mary", "apple", "football", "milk"],
  qa6: ["no", "yes"],
  qa7: ["none", "one", "three", "two"],
  qa8: ["apple", "football", "milk", "nothing"],
  qa9: ["no", "yes"],
  qa10: ["maybe", "no", "yes"],
  qa11: ["bathroom", "bedroom", "garden", "hallway", "kitchen", "office"],
  qa12: ["bathroom", "bedroom", "garden", "hallway", "kitchen", "office"],
  qa13: ["bathroom", "bedroom", "garden", "hallway", "kitchen", "office"],
  qa14: ["bedroom", "cinema", "kitchen", "office", "park", "school"],
  qa15: ["cat", "mouse", "sheep", "wolf"],
  qa16: ["gray", "green", "white", "yellow"],
  qa17: ["no", "yes"],
  qa18: ["no", "yes"],
  qa19: ["e,e", "e,n", "e,s", "n,e", "n,n", "n,w", "s,e", "s,s", "s,w", "w,n", "w,s", "w,w"],
  qa20: ["bedroom", "bored", "garden", "hungry", "kitchen", "thirsty", "tired"],
};

/** `preprocess_output`: lower-case, first sentence, cut at `<context>` / `<example>` (and 'Question', never found). */
export function preprocessOutput(output: string): string {
  let out = pyLower(output);
  out = out.split(".")[0] as string;
  out = out.split("<context>")[0] as string;
  out = out.split("<example>")[0] as string;
  out = out.split("Question")[0] as string;
  return out;
}

/**
 * `compare_answers(target, output, question, task_labels)`. `output` null is Python's None: the
 * official code raises AttributeError on it (`protocol: "official"`), LOOM-Scope's scores it as ''.
 */
export function compareAnswers(
  target: string,
  output: string | null,
  question: string,
  taskLabels: readonly string[],
  protocol: "official" | "loom" = "official",
): boolean {
  if (output === null) {
    if (protocol === "official") {
      throw new OfficialScorerError("AttributeError", "compare_answers got None as the output");
    }
    output = "";
  }
  const out = preprocessOutput(output);
  const tgt = pyLower(target);
  const labels = new Set(taskLabels.map(pyLower));
  const q = pyLower(question);
  const inQuestion = new Set([...labels].filter((l) => q.includes(l)));
  const inOutput = new Set([...labels].filter((l) => out.includes(l) && !inQuestion.has(l)));
  if (tgt.includes(",") && Array.from(tgt).length > 3) {
    const parts = tgt.split(",");
    return parts.every((t) => inOutput.has(t)) && inOutput.size === parts.length;
  }
  return inOutput.has(tgt) && inOutput.size === 1;
}

/**
 * The metric: 1 when compare_answers holds. References hold the target; `scoring.question` the
 * question (labels named there are ignored).
 */
export const babilongAccuracy = defineMetric({
  id: "babilong_accuracy",
  description: "babilong/metrics.py compare_answers: the target is the only task label in the first sentence of the output",
  binary: true,
  score: ({ prediction, references, scoring, task, protocol }) => {
    const labels = TASK_LABELS[task as BabilongTask];
    if (!labels) throw new LoomError("UNKNOWN_TASK", `babilong has no task "${task}"`);
    const question = scoring?.["question"];
    if (typeof question !== "string") throw new LoomError("SCORING", "babilong needs scoring.question (the sample's question)");
    const target = references[0];
    if (target === undefined) throw new LoomError("SCORING", "babilong needs the target as the first reference");
    return compareAnswers(target, prediction, question, labels, protocol) ? 1 : 0;
  },
});
