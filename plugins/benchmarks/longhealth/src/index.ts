/**
 * @loomscope/benchmark-longhealth: LongHealth (github.com/kbressem/LongHealth, arXiv 2401.14490)
 * on the benchmark kit: 20 fictional patients' discharge letters, three multiple-choice tasks,
 * documents placed to a token budget with the model's tokenizer and shuffled with CPython's
 * Mersenne Twister (PyRandom) seeded with the run's seed, and scoring. Both protocols: `official`
 * and `loom` (LOOM-Scope 0.1). See the README for which pieces could not be checked against the
 * official repository.
 */
import { LoomError } from "@loomscope/spec";
import { defineGeneratedBenchmark, defineTasks } from "@loomscope/benchmark-kit";
import { TASKS } from "./tasks.js";
import { aggregateLongHealth } from "./aggregate.js";
import { buildPlanned, buildSteps, stepId } from "./build.js";
import { OFFICIAL_DATA_URL, loadBenchmark, planFor } from "./source.js";

export const LONGHEALTH_TASKS = defineTasks(TASKS);

const longhealth = defineGeneratedBenchmark({
  id: "longhealth",
  version: "0.2.0",
  capability: "specialization",
  description:
    "LongHealth: 20 fictional patients' discharge letters and 400 multiple-choice questions; information extraction (task 1), identification among other patients' letters (task 2), and noticing the answer is absent (task 3).",
  tasks: LONGHEALTH_TASKS,
  protocols: ["official", "loom"],
  options: {
    maxLen: {
      type: "integer",
      min: 1,
      default: 16_000,
      description:
        "the token budget documents are placed into (utils.py create_prompt's max_len, default 16000; LOOM-Scope's propmt_max_len); the system prompt's tokens are taken off first",
    },
    dataUrl: {
      type: "string",
      default: OFFICIAL_DATA_URL,
      description: "where benchmark_v5.json is downloaded from when --data-dir has none (the repository's file; a mirror of it)",
    },
  },
  // The official evaluation scripts could not be read: a sample without an answer is left out.
  failedSamples: "exclude",
  dataSources: [`${OFFICIAL_DATA_URL} (or data/benchmark_v5.json under --data-dir)`],
  async ids({ task, protocol, options }, ctx) {
    const benchmark = await loadBenchmark(ctx, options.dataUrl);
    return [...buildSteps(benchmark, protocol)].filter((s) => s.task === task.id).map(stepId);
  },
  async generate(id, { protocol, options, ctx }) {
    if (!ctx.tokenizer) {
      throw new LoomError("TOKENIZER_MISSING", "LongHealth places documents to a token budget with the model's tokenizer, and this run has none", {
        hint: "use a backend that tokenizes (vLLM, llama.cpp) or pass --tokenizer <tokenizer.json>",
      });
    }
    const benchmark = await loadBenchmark(ctx, options.dataUrl);
    const plan = await planFor(benchmark, ctx.tokenizer, { seed: ctx.seed, maxLen: options.maxLen, protocol });
    const sample = await buildPlanned(plan, id);
    if (!sample) throw new LoomError("UNKNOWN_SAMPLE", `longhealth has no sample ${id}`);
    return { input: sample.input, references: sample.references, ...(sample.scoring ? { scoring: sample.scoring } : {}), meta: { ...sample.meta, seed: ctx.seed } };
  },
  aggregate: (cells) => aggregateLongHealth(cells),
});

export default longhealth;
export { PROMPT_TEMPLATE, SEPARATOR, SYSTEM_PROMPT, UNANSWERABLE } from "./prompts.js";
export { DATA_FILE, PatientSchema, QuestionSchema, dataDirLayouts, parseBenchmark, patientOf, type Benchmark, type Patient, type Question } from "./data.js";
export { createPrompt, formatOptions, sampleDistractions, type AnswerLocation, type CreatePromptOptions } from "./placement.js";
export { buildPlanned, buildSamples, buildSteps, memoTokenizer, planBuild, stepId, type BuildOptions, type BuildPlan, type BuildStep, type LongHealthTask } from "./build.js";
export { OFFICIAL_DATA_URL, dataFile, loadBenchmark, planFor } from "./source.js";
export { containsCorrect, correctLetter, longhealthAccuracy, longhealthLetter, parseChoiceLetter } from "./metrics.js";
export { GENERATION, TASKS, TRUNCATION, type TaskRow } from "./tasks.js";
export { aggregateLongHealth } from "./aggregate.js";
