/**
 * @loomscope/benchmark-longhealth: LongHealth (github.com/kbressem/LongHealth, arXiv 2401.14490)
 * for loomscope: 20 fictional patients' discharge letters, three multiple-choice tasks, documents
 * placed to a token budget and shuffled with CPython's Mersenne Twister (PyRandom), and scoring.
 * Both protocols: `official` and `loom` (LOOM-Scope 0.1). No default export yet. See the README
 * for which pieces could not be checked against the official repository.
 */
export { PROMPT_TEMPLATE, SEPARATOR, SYSTEM_PROMPT, UNANSWERABLE } from "./prompts.js";
export { DATA_FILE, PatientSchema, QuestionSchema, dataDirLayouts, parseBenchmark, type Benchmark, type Patient, type Question } from "./data.js";
export { createPrompt, formatOptions, sampleDistractions, type AnswerLocation, type CreatePromptOptions } from "./placement.js";
export { buildSamples, type BuildOptions, type LongHealthTask } from "./build.js";
export { containsCorrect, correctLetter, longhealthAccuracy, longhealthLetter, parseChoiceLetter } from "./metrics.js";
export { GENERATION, TASKS, TRUNCATION, type TaskRow } from "./tasks.js";
export { aggregateLongHealth } from "./aggregate.js";
