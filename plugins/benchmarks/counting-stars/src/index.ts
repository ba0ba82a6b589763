/**
 * @loomscope/benchmark-counting-stars: Counting-Stars (github.com/nick7nlp/Counting-Stars,
 * arXiv 2403.11802) on the benchmark kit: multi-evidence retrieval in English and Chinese,
 * acquisition ("searching") and reasoning variants. Two protocols: `official` (gen_test_data.ipynb's
 * prompts, viz.ipynb's strict parsing and scores; the official code sets no generation budget) and
 * `loom` (LOOM-Scope's Counting_Stars.py and metrics.py: 128 new tokens, json_repair on every answer,
 * two-decimal sample scores, the prompt cut in the middle to the max length).
 */
import { createHash } from "node:crypto";
import { type AggregateCell, type BenchmarkAggregate, type Protocol } from "@loomscope/spec";
import { defineGeneratedBenchmark, defineTasks, type GenerateContext, type SampleBody } from "@loomscope/benchmark-kit";
import { JSON_REPAIR_VERSION, defineMetric } from "@loomscope/metrics";
import { A_STARS_32, LENGTH_LEVELS, M, MAX_CONTEXT_LENGTH, N, R_STARS_32, TASKS, TASK_IDS, isTask, question, officialName } from "./constants.js";
import { contextSize, haystack, sprinkle, type HaystackKind } from "./generate.js";
import { parseAnswer, starScores } from "./score.js";
import { scoreOfficialDir } from "./official.js";
import { loomSampleScore, loomTaskAcc, scoreLoomDir } from "./loom.js";

export const GENERATOR_VERSION = "counting-stars-ts-2";

/**
 * The official code sets no generation budget (the model stops on its own); a budget is needed to
 * send a request, so the official protocol asks for at most this many tokens, far above a full answer
 * (32 counts in JSON, about 100–200 tokens), and records it.
 */
export const OFFICIAL_MAX_NEW_TOKENS = 1024;
/** LOOM-Scope's Counting_Stars.py `LLM_param`: max_tokens 128, num_beams 3, greedy. */
export const LOOM_GENERATION = { max_tokens: 128, num_beams: 3, do_sample: false } as const;

export const COUNTING_STARS_OPTIONS = {
  haystack: { type: "string", description: "essay: the official texts (Paul Graham essays / 红楼梦); noise: built-in filler, no download", values: ["essay", "noise"], default: "essay" },
  maxNewTokens: {
    type: "integer",
    min: 1,
    default: OFFICIAL_MAX_NEW_TOKENS,
    description: `the official code sets no generation budget: the ceiling used (default ${OFFICIAL_MAX_NEW_TOKENS}; the loom protocol uses LOOM-Scope's 128)`,
  },
} as const;

/** The per-sample score (0–1): the official mean of the 32 star scores (0 where viz.ipynb raises), or LOOM-Scope's round(score/32, 2). */
export const COUNTING_STARS_METRIC = defineMetric({
  id: "counting_stars",
  description: `official: mean of the 32 star scores after viz.ipynb's parsing (json.loads; json_repair ${JSON_REPAIR_VERSION} for fenced and Chinese answers); loom: LOOM-Scope's round(score / 32, 2) after json_repair ${JSON_REPAIR_VERSION}`,
  score: ({ prediction, task, protocol }) => {
    if (!isTask(task)) return 0;
    const { language, variant } = TASKS[task];
    if (protocol === "loom") return loomSampleScore(prediction, language, variant);
    const parsed = parseAnswer(prediction, language);
    const scores = parsed.ok ? starScores(parsed.value, variant, A_STARS_32, M) : undefined;
    return scores ? scores.reduce((a, b) => a + b, 0) / scores.length : 0;
  },
});

/** The task table; the official generation ceiling is an option (the official code sets none). */
export const countingStarsTasks = (maxNewTokens: number = OFFICIAL_MAX_NEW_TOKENS) => defineTasks(
  TASK_IDS.map((id) => ({
    id,
    language: TASKS[id].language === "EN" ? ("en" as const) : ("zh" as const),
    // The official nominal context lengths (4,000 … 128,000); the text holds int(L x 0.8) words (EN) or int(L x 0.7) characters (ZH).
    levels: LENGTH_LEVELS.map((label, i) => ({ label, unit: "tokens" as const, value: ((i + 1) * MAX_CONTEXT_LENGTH) / N })),
    maxNewTokens,
    prompt: { template: "{context}{question}", contextKey: "context", queryKey: "question", truncation: "none" as const },
    metrics: [COUNTING_STARS_METRIC],
    tags: [TASKS[id].variant === "searching" ? "acquisition" : "reasoning"],
    description: officialName(id),
    retrieval: "unsuitable" as const,
    // LOOM-Scope: 128 tokens; Counting_Stars.py process_data cuts the whole prompt in the middle to the max length.
    loom: { maxNewTokens: LOOM_GENERATION.max_tokens, prompt: { truncation: "middle" as const } },
  })),
);
export const COUNTING_STARS_TASKS = countingStarsTasks();

export function lengthOf(level: string): number {
  return ((LENGTH_LEVELS.indexOf(level) + 1) * MAX_CONTEXT_LENGTH) / N;
}

async function generate(_id: string, g: GenerateContext<typeof COUNTING_STARS_OPTIONS>): Promise<SampleBody> {
  const task = g.task.id;
  if (!isTask(task)) throw new Error(`counting-stars has no task ${task}`);
  const { language, variant } = TASKS[task];
  const ctx = g.ctx;
  const level = g.length as string;
  const kind = g.options.haystack as HaystackKind;
  ctx.recordProvenance("generator", {
    version: GENERATOR_VERSION,
    tokenizer: ctx.tokenizer?.id ?? null,
    haystack: kind,
    protocol: g.protocol,
    generation:
      g.protocol === "loom"
        ? `LOOM-Scope generates ${LOOM_GENERATION.max_tokens} tokens with num_beams=${LOOM_GENERATION.num_beams}; here ${LOOM_GENERATION.max_tokens} tokens are decoded greedily (the backends do not offer beam search), so outputs can differ`
        : `the official code sets no generation budget; here at most ${OFFICIAL_MAX_NEW_TOKENS} tokens, greedy`,
  });
  const j = contextSize(lengthOf(level), language);
  const context = sprinkle(await haystack(ctx, language, kind, j), language, variant, j);
  const q = question(language, variant);
  const hash = createHash("sha256").update(context + q).digest("hex");
  const tokens = ctx.tokenizer ? (await ctx.tokenizer.encode(context + q, { addSpecialTokens: false })).length : null;
  return {
    input: { context, question: q },
    references: A_STARS_32.map(String),
    scoring: { context_size: j, variant, language },
    meta: { hash, context_size: j, tokens, haystack: kind, generator: GENERATOR_VERSION, ...(variant === "reasoning" ? { wrong_stars: R_STARS_32 } : {}) },
  };
}

/**
 * Per task: official, the mean over context sizes of the per-sample means (each already a mean over
 * the 32 stars), 0–100; loom, eval.py's `round(100 * sum / len, 2)` of the two-decimal sample scores.
 */
export function aggregateCountingStars(cells: readonly AggregateCell[], protocol: Protocol): BenchmarkAggregate {
  const tasks: Record<string, number | null> = {};
  const byTask: Record<string, Record<string, number | null>> = {};
  const perTask = new Map<string, number[]>();
  const mean = (v: readonly number[]) => (protocol === "loom" ? loomTaskAcc(v) : (v.reduce((a, b) => a + b, 0) / v.length) * 100);
  for (const c of cells) {
    const v = c.values["counting_stars"] ?? [];
    (byTask[c.task] ??= {})[c.length ?? ""] = v.length ? mean(v) : null;
    perTask.set(c.task, [...(perTask.get(c.task) ?? []), ...v]);
  }
  for (const [t, v] of perTask) tasks[t] = v.length ? mean(v) : null;
  const vals = Object.values(tasks).filter((x): x is number => x !== null);
  return { score: vals.length ? vals.reduce((a, b) => a + b, 0) / vals.length : null, tasks, cells: byTask };
}

const countingStars = defineGeneratedBenchmark({
  id: "counting-stars",
  version: "0.2.0",
  capability: "retrieval",
  description: "Counting-Stars: collect the 32 star counts a little penguin sprinkles through a long English or Chinese text (acquisition), or only the corrected ones (reasoning).",
  tasks: ({ options }) => countingStarsTasks(options.maxNewTokens),
  protocols: ["official", "loom"],
  options: COUNTING_STARS_OPTIONS,
  dataSources: ["generated locally over the Paul Graham essays (EN) and The_Story_of_the_Stone.txt (ZH, nick7nlp/Counting-Stars context_data)"],
  ids: ({ task, length }) => [`${task.id}-${length as string}`],
  generate,
  aggregate: (cells, settings) => aggregateCountingStars(cells, settings.protocol),
  scoreOfficial: (options) => (options.protocol === "loom" ? scoreLoomDir(options) : scoreOfficialDir(options)),
});

export default countingStars;
export * from "./constants.js";
export { sprinkle, contextSize, haystack, noiseHaystack, NOISE_FILLER, STONE_FILE, type HaystackKind } from "./generate.js";
export { parseAnswer, repairJson, reduceDuplicate, reasoningScore, starScores, pivotMean, npRound3 } from "./score.js";
export { scoreOfficialDir, scoreFile, detect } from "./official.js";
export { loomPredicted, loomSampleScore, loomTaskAcc, scoreLoomDir } from "./loom.js";
