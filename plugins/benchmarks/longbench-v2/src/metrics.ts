/**
 * LongBench v2's one metric: pred.py `item['judge'] = extract_answer(response) == item['answer']`,
 * averaged by result.py. result.py also has a `compensated` switch (off in the file): an answer
 * that could not be extracted counts 0.25, the chance rate.
 */
import { defineMetric, type Metric, type MetricInput } from "@loomscope/metrics";
import { extractAnswer } from "./prompt.js";

function answerOf(input: MetricInput): string {
  const fromScoring = input.scoring?.["answer"];
  const answer = typeof fromScoring === "string" ? fromScoring : input.references[0];
  if (answer === undefined) throw new RangeError("longbench-v2 needs the answer letter (references[0] or scoring.answer)");
  return answer;
}

/** `judge`: 1 when the extracted letter equals the answer, else 0 (no letter: 0). */
export function judge(response: string, answer: string): number {
  return extractAnswer(response) === answer ? 1 : 0;
}

/** result.py with `compensated = True`: no extracted letter counts 0.25. */
export function compensatedJudge(response: string, answer: string): number {
  const pred = extractAnswer(response);
  if (pred === null) return 0.25;
  return pred === answer ? 1 : 0;
}

export const ACCURACY: Metric = defineMetric({
  id: "accuracy",
  description: "LongBench v2: extract_answer(response) == answer (pred.py judge), averaged by result.py",
  binary: true,
  score: (input) => judge(input.prediction, answerOf(input)),
});

export const ACCURACY_COMPENSATED: Metric = defineMetric({
  id: "accuracy_compensated",
  description: "LongBench v2 result.py with compensated = True: an answer that cannot be extracted counts 0.25",
  binary: false,
  score: (input) => compensatedJudge(input.prediction, answerOf(input)),
});
