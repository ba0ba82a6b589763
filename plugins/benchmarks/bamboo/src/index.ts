/**
 * @loomscope/benchmark-bamboo: BAMBOO (github.com/RUCAIBox/BAMBOO, arXiv 2309.13345) on the
 * benchmark kit: 10 tasks at 4k and 16k (QA, hallucination detection, speaker prediction, ordering,
 * API code completion) with the official data, prompts, generation and evaluate.py scoring;
 * private_eval's code runs only with --allow-code-execution, in a sandboxed Python child.
 */
import { readFileSync } from "node:fs";
import type { ZodType } from "zod";
import type { JsonObject } from "@loomscope/spec";
import { gunzipSync } from "node:zlib";
import { defineMetric } from "@loomscope/metrics";
import { defineDatasetBenchmark, promptFromRow, urlFile } from "@loomscope/benchmark-kit";
import { aggregateBamboo } from "./aggregate.js";
import { DEFAULT_DATA_URL, OFFICIAL_FILES, PROBLEM_FILE, ROW_SCHEMAS, fileName, localCandidates, parseProblems, remoteFile, toSampleBody, type BambooRow, type Problem } from "./data.js";
import { passMetricInfo } from "./metrics.js";
import { sandboxOf, scoreOfficial } from "./official.js";
import { checkProgram, convertBack, domainOf, runProgram, type SandboxOptions } from "./sandbox.js";
import { PROMPTS, TASKS, vicunaPrompt, type BambooTaskId } from "./tasks.js";

/** private_eval's metric with the run's sandbox: 1 when the completion passes the problem's test. */
export function passMetric(sandbox: SandboxOptions) {
  return defineMetric({
    ...passMetricInfo,
    score: async ({ prediction, scoring }) => {
      const problem = scoring?.["problem"] as Problem | undefined;
      if (!problem) throw new Error("private_eval: the sample has no problem (real_all_eval_v3.jsonl.gz)");
      const result = await runProgram(checkProgram(problem, convertBack(prediction, domainOf(problem.task_id))), sandbox);
      return result === "passed" ? 1 : 0;
    },
  });
}

const bamboo = defineDatasetBenchmark({
  id: "bamboo",
  version: "0.2.0",
  capability: "general",
  description:
    "BAMBOO: 10 long-text tasks at 4k and 16k tokens (meeting/paper QA, AltQA, sentence/abstract hallucination, speaker prediction, report/show ordering, private-library code completion), scored as evaluate.py does.",
  tasks: TASKS,
  protocols: ["official", "loom"],
  options: {
    chatTemplate: {
      type: "string",
      values: ["vicuna", "model"],
      default: "vicuna",
      description: "vicuna: fastchat's vicuna_v1.1 conversation as raw text, as run_for_transformers.py does for every model; model: the model's own chat template with prompt.json's system message",
    },
    allowCodeExecution: { type: "boolean", default: false, description: "run private_eval's model-written code (set by --allow-code-execution)" },
    python: { type: "string", default: "python3", description: "the Python that runs private_eval programs (needs numpy and pandas; torchdata for TorchDataEval)" },
    timeoutSeconds: { type: "number", default: 3, min: 0.1, max: 600, description: "per-program time limit (evaluation.py: 3.0)" },
    memoryMb: { type: "integer", default: 4096, min: 64, description: "per-program address-space limit (RLIMIT_AS); the official executor sets none" },
    allowNetworkFallback: { type: "boolean", default: false, description: "run programs without a network namespace where `unshare --net` is unavailable" },
    dataUrl: { type: "string", default: DEFAULT_DATA_URL, description: "where the repository's datasets/ folder is served (a mirror of RUCAIBox/BAMBOO at the pinned commit)" },
    problemFile: { type: "string", description: "loom score --predictions: the path of real_all_eval_v3.jsonl.gz (default: beside the predictions, else ./datasets/)" },
  },
  // run_for_transformers.py skips a sample whose generation raised: it is missing from the file scored.
  failedSamples: "exclude",
  source: {
    remote: ({ task, length, options }) => remoteFile(task.id, length!, options.dataUrl),
    local: ({ task, length }) => localCandidates(task.id, length!),
    count: ({ task, length }) => OFFICIAL_FILES[fileName(task.id, length!)]?.rows,
  },
  record: ({ task }) => ROW_SCHEMAS[task.id as BambooTaskId] as unknown as ZodType<BambooRow>,
  side: async ({ task, options }, files) => {
    if (task.id !== "private_eval") return undefined;
    const remote = urlFile(`${options.dataUrl.replace(/\/+$/, "")}/datasets/${PROBLEM_FILE.name}`, `datasets/${PROBLEM_FILE.name}`, {
      format: "jsonl",
      ...(options.dataUrl === DEFAULT_DATA_URL ? { sha256: PROBLEM_FILE.sha256 } : {}),
    }).file;
    const path = await files.path([PROBLEM_FILE.name, `datasets/${PROBLEM_FILE.name}`], remote);
    return parseProblems(gunzipSync(readFileSync(path)).toString("utf8"));
  },
  toSample: (row, { task, side }) => toSampleBody(task.id as BambooTaskId, row, side as ReadonlyMap<string, Problem> | undefined),
  prompt: (sample, task, { options }) => {
    const parts = promptFromRow(task, sample);
    if (options.chatTemplate === "model") return { ...parts, chat: true, system: PROMPTS[task.id as BambooTaskId].system };
    return { ...parts, template: vicunaPrompt(parts.template), chat: false };
  },
  configureTask: (task, { options }) => (task.id === "private_eval" ? { ...task, metrics: [passMetric(sandboxOf(options as unknown as JsonObject))] } : task),
  aggregate: aggregateBamboo,
  scoreOfficial,
});

export default bamboo;
export * from "./tasks.js";
export * from "./data.js";
export * from "./metrics.js";
export * from "./sandbox.js";
export * from "./aggregate.js";
export { evaluatePrivate, evaluateTask, passAtKLine, readProblems, resultsJsonl, sandboxOf, scoreOfficial } from "./official.js";
