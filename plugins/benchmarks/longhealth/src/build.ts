/**
 * Building LongHealth's three tasks from benchmark_v5.json.
 *
 * - task1 (information extraction): the question's answer documents, then the same patient's other
 *   documents as distractors, options A–E; asked 5 times per question (`create_prompt` reshuffles
 *   each time). Correct: the `correct` option text.
 * - task2 (identification): the answer documents plus 10 texts sampled from the other patients,
 *   options A–F with F = "Question cannot be answered with provided documents". Correct: `correct`.
 * - task3 (negation): only the 10 sampled texts, options A–F. Correct: option F's text.
 *   For each question 10 rounds: even rounds are task3, odd rounds task2, each with a fresh sample.
 *
 * The budget is `max_len - len(tokenizer.encode(SYSTEM_PROMPT))`. Randomness is Python's `random`
 * (`random.sample` of the distractors, `random.shuffle` of the kept documents) — neither LongHealth's
 * scripts (as copied) nor LOOM-Scope seed it, so their documents' order differs run to run; here the
 * generator is PyRandom seeded with the run's seed, so a Python run seeded alike is reproduced.
 *
 * Order of draws. LOOM-Scope (LongHealth.py `download_data`): one pass, per patient and question:
 * the 10 task2/3 rounds, then the 5 task1 prompts. Official (task scripts, as copied): task 1 over
 * all patients, then tasks 2/3 over all patients (separate processes in the repository: separate
 * generators; here one generator for the whole build).
 */
import { PyRandom } from "@loomscope/metrics";
import type { Sample, Tokenizer } from "@loomscope/spec";
import type { Benchmark, Question } from "./data.js";
import { createPrompt, sampleDistractions } from "./placement.js";
import { SYSTEM_PROMPT, UNANSWERABLE } from "./prompts.js";

export type LongHealthTask = "task1" | "task2" | "task3";

export interface BuildOptions {
  tokenizer: Tokenizer;
  /** The prompt budget before the system prompt is taken off (LOOM-Scope's `propmt_max_len`; utils.py's default 16 000). */
  maxLen: number;
  seed: number | bigint | string;
  protocol: "official" | "loom";
}

interface Built {
  task: LongHealthTask;
  patient: string;
  question: number;
  round: number;
  prompt: string;
  correct: string;
  options: Record<string, string>;
  answerLocation: Record<string, { start: number; end: number }[]>;
}

function optionsOf(q: Question & Record<string, unknown>, labels: string): Record<string, string> {
  return Object.fromEntries(Array.from(labels, (l) => [l, q[`answer_${l}`] as string]));
}

function toSample(b: Built): Sample {
  return {
    id: `${b.task}-${b.patient}-q${b.question}-r${b.round}`,
    task: b.task,
    input: { prompt: b.prompt },
    references: [b.correct],
    scoring: { correct: b.correct, options: b.options },
    meta: { patient: b.patient, question: b.question, round: b.round, answer_location: b.answerLocation },
  };
}

/** Every sample of the three tasks, in the order the chosen protocol draws them. */
export async function buildSamples(benchmark: Benchmark, options: BuildOptions): Promise<Sample[]> {
  const rng = new PyRandom(options.seed);
  const tok = options.tokenizer;
  const maxLen = options.maxLen - (await tok.encode(SYSTEM_PROMPT)).length;
  const out: Built[] = [];

  /** `{text_id: patient["texts"][text_id] for text_id in question["answer_location"]}` (KeyError when missing). */
  const answerDocsOf = (p: Benchmark["patients"][number], qi: number, q: Question): [string, string][] => {
    const texts = new Map(p.texts);
    return Object.keys(q.answer_location).map((id): [string, string] => {
      const t = texts.get(id);
      if (t === undefined) throw new RangeError(`KeyError: '${id}' (patient ${p.id}, question ${qi})`);
      return [id, t];
    });
  };
  const task1 = async (p: Benchmark["patients"][number], qi: number, q: Question): Promise<void> => {
    const locs = Object.keys(q.answer_location);
    const answerDocs = answerDocsOf(p, qi, q);
    const nonAnswer = p.texts.filter(([id]) => !locs.includes(id)).map(([, t]) => t);
    for (let j = 0; j < 5; j++) {
      const r = await createPrompt(answerDocs, nonAnswer, q, { maxLen, tokenizer: tok, rng });
      out.push({ task: "task1", patient: p.id, question: qi, round: j, prompt: r.prompt, correct: q.correct, options: optionsOf(q, "abcde"), answerLocation: r.answerLocation });
    }
  };
  const tasks23 = async (p: Benchmark["patients"][number], qi: number, q: Question): Promise<void> => {
    const withF = { ...q, answer_f: UNANSWERABLE };
    for (let j = 0; j < 10; j++) {
      const distractors = sampleDistractions(p.id, benchmark.patients, 10, rng);
      const answerDocs: [string, string][] = j % 2 === 0 ? [] : answerDocsOf(p, qi, q);
      const r = await createPrompt(answerDocs, distractors, withF, { optionLabels: "abcdef", maxLen, tokenizer: tok, rng });
      out.push({
        task: j % 2 === 0 ? "task3" : "task2",
        patient: p.id,
        question: qi,
        round: j,
        prompt: r.prompt,
        correct: j % 2 === 0 ? UNANSWERABLE : q.correct,
        options: optionsOf(withF, "abcdef"),
        answerLocation: r.answerLocation,
      });
    }
  };

  if (options.protocol === "loom") {
    for (const p of benchmark.patients) {
      for (const [qi, q] of p.questions.entries()) {
        await tasks23(p, qi, q);
        await task1(p, qi, q);
      }
    }
  } else {
    for (const p of benchmark.patients) for (const [qi, q] of p.questions.entries()) await task1(p, qi, q);
    for (const p of benchmark.patients) for (const [qi, q] of p.questions.entries()) await tasks23(p, qi, q);
  }
  return out.map(toSample);
}
