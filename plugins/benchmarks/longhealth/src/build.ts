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
    id: stepId({ ...b, patient: { id: b.patient } }),
    task: b.task,
    input: { prompt: b.prompt },
    references: [b.correct],
    scoring: { correct: b.correct, options: b.options },
    meta: { patient: b.patient, question: b.question, round: b.round, answer_location: b.answerLocation },
  };
}

type PatientEntry = Benchmark["patients"][number];

/** One sample of the build, before its draws: which question of which patient, which task and round. */
export interface BuildStep {
  task: LongHealthTask;
  patient: PatientEntry;
  question: number;
  round: number;
}

/** The samples in the order the protocol draws them (see the module comment). */
export function* buildSteps(benchmark: Benchmark, protocol: "official" | "loom"): Generator<BuildStep> {
  const task1 = function* (p: PatientEntry, qi: number): Generator<BuildStep> {
    for (let j = 0; j < 5; j++) yield { task: "task1", patient: p, question: qi, round: j };
  };
  const tasks23 = function* (p: PatientEntry, qi: number): Generator<BuildStep> {
    for (let j = 0; j < 10; j++) yield { task: j % 2 === 0 ? "task3" : "task2", patient: p, question: qi, round: j };
  };
  if (protocol === "loom") {
    for (const p of benchmark.patients) {
      for (const qi of p.questions.keys()) {
        yield* tasks23(p, qi);
        yield* task1(p, qi);
      }
    }
  } else {
    for (const p of benchmark.patients) for (const qi of p.questions.keys()) yield* task1(p, qi);
    for (const p of benchmark.patients) for (const qi of p.questions.keys()) yield* tasks23(p, qi);
  }
}

/** The id of a step's sample: `<task>-<patient>-q<question index>-r<round>`. */
export const stepId = (step: Pick<BuildStep, "task" | "question" | "round"> & { patient: { id: string } }): string =>
  `${step.task}-${step.patient.id}-q${step.question}-r${step.round}`;

/** `{text_id: patient["texts"][text_id] for text_id in question["answer_location"]}` (KeyError when missing). */
function answerDocsOf(p: PatientEntry, qi: number, q: Question): [string, string][] {
  const texts = new Map(p.texts);
  return Object.keys(q.answer_location).map((id): [string, string] => {
    const t = texts.get(id);
    if (t === undefined) throw new RangeError(`KeyError: '${id}' (patient ${p.id}, question ${qi})`);
    return [id, t];
  });
}

/** One step's draws and placement (task 1: create_prompt; tasks 2/3: sample_distractions, then create_prompt). */
async function runStep(step: BuildStep, benchmark: Benchmark, rng: PyRandom, tok: Tokenizer, maxLen: number, measureOnly: boolean): Promise<Built> {
  const { patient: p, question: qi, round: j } = step;
  const q = p.questions[qi] as Question;
  const base = { task: step.task, patient: p.id, question: qi, round: j };
  if (step.task === "task1") {
    const locs = Object.keys(q.answer_location);
    const nonAnswer = p.texts.filter(([id]) => !locs.includes(id)).map(([, t]) => t);
    const r = await createPrompt(answerDocsOf(p, qi, q), nonAnswer, q, { maxLen, tokenizer: tok, rng, measureOnly });
    return { ...base, prompt: r.prompt, correct: q.correct, options: optionsOf(q, "abcde"), answerLocation: r.answerLocation };
  }
  const withF = { ...q, answer_f: UNANSWERABLE };
  const distractors = sampleDistractions(p.id, benchmark.patients, 10, rng);
  const answerDocs: [string, string][] = step.task === "task3" ? [] : answerDocsOf(p, qi, q);
  const r = await createPrompt(answerDocs, distractors, withF, { optionLabels: "abcdef", maxLen, tokenizer: tok, rng, measureOnly });
  return { ...base, prompt: r.prompt, correct: step.task === "task3" ? UNANSWERABLE : q.correct, options: optionsOf(withF, "abcdef"), answerLocation: r.answerLocation };
}

/** The tokenizer with `encode` remembered per text: the same letters are measured thousands of times. */
export function memoTokenizer(tok: Tokenizer): Tokenizer {
  const memo = new Map<string, Promise<number[]>>();
  return {
    id: tok.id,
    encode: (text, options) => {
      const key = `${options?.addSpecialTokens === false ? 0 : 1}${text}`;
      let ids = memo.get(key);
      if (!ids) memo.set(key, (ids = tok.encode(text, options)));
      return ids.then((x) => [...x]);
    },
    decode: (ids, options) => tok.decode(ids, options),
  };
}

/** The budget create_prompt gets: `max_len - len(tokenizer.encode(SYSTEM_PROMPT))`. */
async function budgetOf(tok: Tokenizer, maxLen: number): Promise<number> {
  return maxLen - (await tok.encode(SYSTEM_PROMPT)).length;
}

/** Every sample of the three tasks, in the order the chosen protocol draws them. */
export async function buildSamples(benchmark: Benchmark, options: BuildOptions): Promise<Sample[]> {
  const rng = new PyRandom(options.seed);
  const tok = options.tokenizer;
  const maxLen = await budgetOf(tok, options.maxLen);
  const out: Sample[] = [];
  for (const step of buildSteps(benchmark, options.protocol)) out.push(toSample(await runStep(step, benchmark, rng, tok, maxLen, false)));
  return out;
}

/**
 * The whole build without its texts: every sample's step and the generator's state before its
 * draws (2.5 kB each), found by making all the draws in order. `buildPlanned` then builds any one
 * sample alone, equal to what `buildSamples` builds for it.
 */
export interface BuildPlan {
  benchmark: Benchmark;
  tokenizer: Tokenizer;
  maxLen: number;
  steps: Map<string, { step: BuildStep; state: ReturnType<PyRandom["getstate"]> }>;
}

export async function planBuild(benchmark: Benchmark, options: BuildOptions): Promise<BuildPlan> {
  const rng = new PyRandom(options.seed);
  const tok = options.tokenizer;
  const maxLen = await budgetOf(tok, options.maxLen);
  const steps: BuildPlan["steps"] = new Map();
  for (const step of buildSteps(benchmark, options.protocol)) {
    steps.set(stepId(step), { step, state: rng.getstate() });
    await runStep(step, benchmark, rng, tok, maxLen, true);
  }
  return { benchmark, tokenizer: tok, maxLen, steps };
}

/** One sample of a planned build (undefined for an id the build does not have). */
export async function buildPlanned(plan: BuildPlan, id: string): Promise<Sample | undefined> {
  const entry = plan.steps.get(id);
  if (!entry) return undefined;
  const rng = new PyRandom(0);
  rng.setstate(entry.state);
  return toSample(await runStep(entry.step, plan.benchmark, rng, plan.tokenizer, plan.maxLen, false));
}
