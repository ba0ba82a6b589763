/**
 * The InfiniteBench plugin on the benchmark kit: the task table of the chosen model family
 * (src/prompt.py's template set, eval_utils.py's budgets, the family's inference script's chat,
 * sampling and truncation), the hub's `<task>.jsonl` files, compute_scores.py's metrics and the
 * official-format re-scorer.
 */
import { LoomError } from "@loomscope/spec";
import { defineDatasetBenchmark, defineTasks, hfFile, promptFromRow, type TaskRow } from "@loomscope/benchmark-kit";
import { pyDictsToObjects, pyJsonLoads } from "@loomscope/metrics";
import { aggregateInfiniteBench } from "./aggregate.js";
import { HF_REPO, HF_REVISION, InfiniteBenchRecordSchema, LOOM_QUERY_KEY, OFFICIAL_COUNTS, dataFile, getAnswer, localCandidates, toSample } from "./data.js";
import { TASK_METRICS } from "./metrics.js";
import { scoreOfficialDir } from "./official.js";
import {
  FAMILY_PROMPT_SET,
  GENERATION,
  GPT4_MATH_CALC_EXAMPLE,
  GPT4_SYSTEM,
  LOOM,
  MATH_CALC_SYSTEM,
  MAX_NEW_TOKENS,
  MODEL_FAMILIES,
  TASK_IDS,
  TASK_INFO,
  TEMPLATES,
  TRUNCATION,
  UNFILLABLE,
  type ModelFamily,
  type TaskId,
} from "./tasks.js";

/** The family's task row (official), or LOOM-Scope's (yarn-mistral templates in the model's chat template). */
function row(task: TaskId, family: ModelFamily, loom: boolean): TaskRow {
  const info = TASK_INFO[task];
  const base = { id: task, language: info.language, tags: info.tags, description: info.name, metrics: [TASK_METRICS[task]], retrieval: info.retrieval };
  const queryKey = info.queryKey !== undefined ? { queryKey: info.queryKey } : {};
  if (loom) {
    // InfiniteBench.py: max_tokens per task, temperature 0.8 / top_p 0.95, two decodes when cutting.
    return {
      ...base,
      maxNewTokens: MAX_NEW_TOKENS[task],
      generation: { temperature: LOOM.temperature, topP: LOOM.topP },
      prompt: { template: TEMPLATES[LOOM.promptSet][task], queryKey: LOOM_QUERY_KEY, truncation: "middle", chat: "model" },
    };
  }
  const gen = GENERATION[family];
  const set = FAMILY_PROMPT_SET[family];
  // create_msgs: GPT-4's Math.Calc is the bare expression after a system prompt and a worked example.
  const gpt4MathCalc = family === "gpt4" && task === "math_calc";
  return {
    ...base,
    // The vLLM scripts (yi, chatglm3) never pass max_tokens: vLLM's default of 16 new tokens.
    maxNewTokens: typeof gen.maxNewTokens === "number" ? gen.maxNewTokens : MAX_NEW_TOKENS[task],
    ...(gen.temperature !== undefined ? { generation: { temperature: gen.temperature, ...(gen.topP !== undefined ? { topP: gen.topP } : {}) } } : {}),
    prompt: {
      template: gpt4MathCalc ? "{context}" : TEMPLATES[set][task],
      ...(gpt4MathCalc ? {} : queryKey),
      truncation: "middle-joined",
      chat: gen.chat ? "model" : "raw",
      ...(family === "gpt4" ? { system: gpt4MathCalc ? MATH_CALC_SYSTEM : GPT4_SYSTEM } : {}),
      ...(gpt4MathCalc ? { history: [{ role: "user", content: GPT4_MATH_CALC_EXAMPLE.user }, { role: "system", content: GPT4_MATH_CALC_EXAMPLE.system }] } : {}),
    },
  };
}

/** The task table under some settings: tasks whose template the family's create_prompt cannot fill are not offered. */
export function taskTable(family: ModelFamily, protocol: "official" | "loom"): readonly TaskRow[] {
  const unfillable = protocol === "loom" ? [] : (UNFILLABLE[FAMILY_PROMPT_SET[family]] ?? []);
  return defineTasks(TASK_IDS.filter((t) => !unfillable.includes(t)).map((t) => row(t, family, protocol === "loom")));
}

/** LOOM-Scope's --max_length default (its CLI's, as for LongBench). */
export const LOOM_DEFAULT_MAX_LENGTH = 128000;
export const DEFAULT_FAMILY: ModelFamily = "gpt4";

const infinitebench = defineDatasetBenchmark({
  id: "infinitebench",
  version: "0.2.0",
  capability: "retrieval",
  description:
    "InfiniteBench (OpenBMB): 12 tasks beyond 100k tokens (retrieval, novels, dialogue, math, code) with the prompt set of the chosen model family, cut to the family's 128k/200k tokens, scored by compute_scores.py.",
  tasks: ({ protocol, options }) => taskTable(options.family ?? DEFAULT_FAMILY, protocol === "loom" ? "loom" : "official"),
  protocols: ["official", "loom"],
  options: {
    family: {
      type: "string",
      values: MODEL_FAMILIES,
      description:
        "the official script whose prompt set (src/prompt.py), chat rule, sampling and truncation to reproduce, and the --model_name compute_scores.py scores with (gpt4 drops Math.Calc's first number); kimi has no book tasks or Code.Debug and claude2 no En.QA (create_prompt cannot fill their templates). Default gpt4; not read under --protocol loom",
    },
  },
  // The official loop writes one line per example and compute_scores.py averages the lines present.
  failedSamples: "exclude",
  validate: ({ protocol, options }) => {
    if (protocol === "loom" && options.family !== undefined) {
      throw new LoomError("USAGE", "infinitebench.family picks an official prompt set; LOOM-Scope's code uses yarn-mistral's templates for every model", {
        hint: "drop --benchmark-opt infinitebench.family under --protocol loom",
      });
    }
  },
  source: {
    remote: ({ task }) => hfFile(HF_REPO, dataFile(task.id as TaskId), { revision: HF_REVISION, format: "jsonl" }),
    local: ({ task }) => localCandidates(task.id as TaskId),
    count: ({ task }) => OFFICIAL_COUNTS[task.id as TaskId],
  },
  // json.loads as the official code reads lines: 88 and 88.0 stay apart (Math.Find branches on it).
  parse: (text) => pyDictsToObjects(pyJsonLoads(text)),
  // get_answer must be able to read the row's answer for the task (code_debug/En.MC look it up in options).
  record: ({ task }) =>
    InfiniteBenchRecordSchema.superRefine((record, ctx) => {
      try {
        getAnswer(record, task.id as TaskId);
      } catch (e) {
        ctx.addIssue({ code: "custom", path: ["answer"], message: (e as Error).message });
      }
    }),
  toSample: (record, { task, index, protocol, options }) => {
    const { id: _id, task: _task, ...body } = toSample(record, { task: task.id as TaskId, index, protocol, family: options.family ?? DEFAULT_FAMILY });
    return body;
  },
  prompt: (sample, task) => {
    const error = sample.meta?.["create_prompt_error"];
    if (typeof error === "string") throw new LoomError("PROMPT_TEMPLATE", `create_prompt raises for this record: ${error}`);
    return promptFromRow(task, sample);
  },
  maxLength: (_task, window, { protocol, options }) => {
    if (protocol === "loom") return LOOM_DEFAULT_MAX_LENGTH;
    // claude2 and kimi were run through their APIs: no cut in the repository; the model's window then.
    return TRUNCATION[options.family ?? DEFAULT_FAMILY] ?? window;
  },
  aggregate: (cells) => aggregateInfiniteBench(cells),
  scoreOfficial: scoreOfficialDir,
});

export default infinitebench;
