/**
 * @loomscope/benchmark-ruler: RULER (github.com/NVIDIA/RULER, arXiv 2404.06654) on the benchmark kit:
 * the 13 synthetic tasks generated to a token length with the run's tokenizer by a draw-for-draw port
 * of the official generators, the official templates, answer prefixes, generation limits and metrics.
 * Sample ids come first; a sample is generated only when core runs it (resume and shards generate
 * nothing they skip).
 */
import { createHash } from "node:crypto";
import { LoomError, type BenchmarkContext, type ChatTemplater, type JsonObject, type Sample, type Tokenizer } from "@loomscope/spec";
import { defineGeneratedBenchmark, defineTasks, tokenLevels, type GenerateContext, type OptionValues, type SampleBody } from "@loomscope/benchmark-kit";
import { defineMetric, pyFormat } from "@loomscope/metrics";
import {
  BASE_TASKS,
  LENGTH_LEVELS,
  NUM_SAMPLES,
  RULER_COMMIT,
  RULER_RANDOM_SEED,
  RULER_TASK_IDS,
  RULER_TASKS,
  RULER_TEMPLATE_NAMES,
  RULER_TEMPLATES,
  isRulerTask,
  lengthTokens,
  type RulerTaskId,
  type RulerTemplate,
} from "./constants.js";
import { englishWords, essayWords, qaData } from "./data.js";
import { matchAll, matchPart, postprocessPred } from "./score.js";
import { scoreOfficialDir } from "./official.js";
import { cweGenerator, fweGenerator, niahGenerator, qaGenerator, seededStreams, vtGenerator, type GenEnv, type Generated, type Streams, type TaskGenerator } from "./synthetic.js";
import { wonderWords } from "./words.js";

export const GENERATOR_VERSION = "ruler-ts-3";

export const RULER_OPTIONS = {
  samples: { type: "integer", description: "samples per task and length (config_tasks.sh NUM_SAMPLES)", min: 1, default: NUM_SAMPLES },
  random_seed: {
    type: "integer",
    description: "prepare.py --random_seed; default 42 + --seed, so a default run uses RULER's 42",
    min: 0,
    max: 2 ** 32 - 1,
  },
  sampling: {
    type: "string",
    description:
      "independent: each sample draws from its own seeded streams, so any sample is generated alone (resume, shards); stream: RULER's one stream per task and length, byte-identical to its generator, generated in order (a skipped sample is replayed)",
    values: ["independent", "stream"],
    default: "independent",
  },
  template: {
    type: "string",
    description: "model: the model's chat template (its tokens counted in the length budget); or a RULER template.py family, formatted into the prompt and sent raw as RULER does",
    values: ["model", ...RULER_TEMPLATE_NAMES],
    default: "model",
  },
  template_reserve: {
    type: "integer",
    description: "with template=model and no chat template known (chat backends without --chat-template): tokens the budget keeps for the backend's template",
    min: 0,
    default: 64,
  },
} as const;
type Options = OptionValues<typeof RULER_OPTIONS>;

/** RULER's metrics (scripts/eval/synthetic/constants.py) per sample, after evaluate.py's postprocess_pred; the task mean × 100 is RULER's score. */
export const STRING_MATCH_ALL = defineMetric({
  id: "string_match_all",
  description: "RULER string_match_all: share of the references found in the prediction (lower-cased, after postprocess_pred)",
  score: ({ prediction, references }) => (references.length ? matchAll(postprocessPred(prediction), references) : 0),
});
export const STRING_MATCH_PART = defineMetric({
  id: "string_match_part",
  description: "RULER string_match_part: 1 when any reference is found in the prediction (lower-cased, after postprocess_pred)",
  binary: true,
  score: ({ prediction, references }) => (references.length ? matchPart(postprocessPred(prediction), references) : 0),
});

export const RULER_TASK_TABLE = defineTasks(
  RULER_TASK_IDS.map((id) => {
    const base = BASE_TASKS[RULER_TASKS[id].task];
    return {
      id,
      language: "en" as const,
      levels: tokenLevels(...LENGTH_LEVELS),
      maxNewTokens: base.tokensToGenerate,
      prompt: { template: "{input}", contextKey: "input", truncation: "none" as const },
      metrics: [base.metric === "string_match_all" ? STRING_MATCH_ALL : STRING_MATCH_PART],
      tags: [RULER_TASKS[id].task],
      retrieval: RULER_TASKS[id].task === "niah" || RULER_TASKS[id].task === "qa" ? ("suitable" as const) : ("unsuitable" as const),
    };
  }),
);

/** `prepare.py`: the model template around the task template, then the answer prefix. */
export function rulerTemplate(task: RulerTaskId, template: Options["template"]): string {
  const base = BASE_TASKS[RULER_TASKS[task].task];
  if (template === "model") return base.template + base.answerPrefix;
  return pyFormat(RULER_TEMPLATES[template as RulerTemplate], { task_template: base.template }) + base.answerPrefix;
}

/** How the length budget counts a prompt: what was done is recorded with every unit. */
export interface Budget {
  counted: "in-text" | "chat-template" | "reserve";
  measure(text: string): Promise<number>;
  describe: JsonObject;
}

export function budgetOf(options: Options, prefixKey: string, tokenizer: Tokenizer, chatTemplate: ChatTemplater | undefined): { budget: Budget; count: (t: string) => Promise<number> } {
  const count = async (text: string) => (await tokenizer.encode(text, { addSpecialTokens: false })).length;
  if (options.template !== "model") {
    return { count, budget: { counted: "in-text", measure: count, describe: { template: options.template, counted: "RULER's template is in the prompt text, so its tokens are counted (as prepare.py does)" } } };
  }
  if (chatTemplate) {
    const templater = chatTemplate;
    const measure = async (text: string) => {
      const at = text.lastIndexOf(prefixKey);
      const user = at >= 0 ? text.slice(0, at) : text;
      const prefix = at >= 0 ? text.slice(at) : "";
      return count(templater.apply([{ role: "user", content: user }], { addGenerationPrompt: true }) + prefix);
    };
    return { count, budget: { counted: "chat-template", measure, describe: { template: "model", counted: "the model's chat template applied before counting", chatTemplate: templater.id } } };
  }
  const reserve = options.template_reserve;
  return {
    count,
    budget: {
      counted: "reserve",
      measure: async (text) => (await count(text)) + reserve,
      describe: { template: "model", counted: `no chat template known (a chat backend applies its own): ${reserve} tokens kept for it`, reserveTokens: reserve },
    },
  };
}

/** The seed of sample `index`'s own streams in `independent` sampling (random.seed and np.random.seed). */
export function sampleSeed(randomSeed: number, index: number): number {
  return createHash("sha256").update(`ruler/${randomSeed}/${index}`).digest().readUInt32BE(0);
}

/** Everything a (task, length) needs across its samples: the generator, the plan (searched once), the stream. */
interface UnitRuntime {
  generator: TaskGenerator<unknown>;
  env: GenEnv;
  budget: Budget;
  plan?: Promise<unknown>;
  stream?: { streams: Streams; plan: unknown; next: number };
  queue: Promise<unknown>;
  /** Samples generated only to advance the stream to a later one (stream sampling). */
  replayed: number;
  record: { tokens: Record<string, number>; hashes: Record<string, string> };
}

const runtimes = new WeakMap<Tokenizer, Map<string, Promise<UnitRuntime>>>();

async function generatorFor(task: RulerTaskId, ctx: BenchmarkContext, randomSeed: number): Promise<TaskGenerator<unknown>> {
  const config = RULER_TASKS[task];
  switch (config.task) {
    case "niah":
      return niahGenerator(config.args, wonderWords(), config.args.type_haystack === "essay" ? await essayWords(ctx) : undefined) as TaskGenerator<unknown>;
    case "variable_tracking":
      return vtGenerator(config.args) as TaskGenerator<unknown>;
    case "common_words_extraction":
      return cweGenerator({ ...config.args, num_fewshot: 1 }, wonderWords().cweWords, () => englishWords(ctx), randomSeed) as TaskGenerator<unknown>;
    case "freq_words_extraction":
      return fweGenerator({ alpha: config.args.alpha, coded_wordlen: 6, vocab_size: -1 }) as TaskGenerator<unknown>;
    case "qa":
      return qaGenerator(await qaData(ctx, config.args.dataset)) as TaskGenerator<unknown>;
  }
}

function runtimeFor(task: RulerTaskId, length: string, options: Options, ctx: BenchmarkContext, tokenizer: Tokenizer, randomSeed: number): Promise<UnitRuntime> {
  let perTokenizer = runtimes.get(tokenizer);
  if (!perTokenizer) runtimes.set(tokenizer, (perTokenizer = new Map()));
  const key = JSON.stringify([task, length, randomSeed, options.sampling, options.template, options.template_reserve, ctx.chatTemplate?.id ?? null, ctx.cacheDir, ctx.data.local("ruler") ?? null]);
  let runtime = perTokenizer.get(key);
  if (!runtime) {
    runtime = (async () => {
      const generator = await generatorFor(task, ctx, randomSeed);
      const { budget, count } = budgetOf(options, generator.prefixKey, tokenizer, ctx.chatTemplate);
      const env: GenEnv = {
        template: rulerTemplate(task, options.template),
        randomSeed,
        maxSeqLength: lengthTokens(length),
        tokensToGenerate: BASE_TASKS[RULER_TASKS[task].task].tokensToGenerate,
        measure: budget.measure,
        count,
      };
      return { generator, env, budget, queue: Promise.resolve(), replayed: 0, record: { tokens: {}, hashes: {} } };
    })();
    runtime.catch(() => perTokenizer.delete(key));
    perTokenizer.set(key, runtime);
  }
  return runtime;
}

/** One sample: its own streams (independent), or the unit's one stream advanced to it (stream). */
async function generateOne(rt: UnitRuntime, options: Options, randomSeed: number, index: number): Promise<Generated> {
  if (options.sampling === "independent") {
    rt.plan ??= rt.generator.plan(seededStreams(randomSeed), rt.env);
    const plan = await rt.plan;
    return rt.generator.sample(seededStreams(sampleSeed(randomSeed, index)), rt.env, plan, index);
  }
  const run = async (): Promise<Generated> => {
    if (!rt.stream || rt.stream.next > index) {
      const streams = seededStreams(randomSeed);
      rt.stream = { streams, plan: await rt.generator.plan(streams, rt.env), next: 0 };
    }
    const st = rt.stream;
    for (; st.next < index; st.next++, rt.replayed++) await rt.generator.sample(st.streams, rt.env, st.plan, st.next);
    st.next = index + 1;
    return rt.generator.sample(st.streams, rt.env, st.plan, index);
  };
  const next = rt.queue.then(run, run);
  rt.queue = next.catch(() => undefined);
  return next;
}

const parseIndex = (id: string): number => Number(id.slice(id.lastIndexOf("-") + 1));

async function generate(id: string, g: GenerateContext<typeof RULER_OPTIONS>): Promise<SampleBody> {
  const task = g.task.id;
  if (!isRulerTask(task)) throw new LoomError("UNKNOWN_TASK", `ruler has no task "${task}"`);
  const length = g.length as string;
  const ctx = g.ctx;
  const tokenizer = ctx.tokenizer;
  if (!tokenizer) {
    throw new LoomError("TOKENIZER", "ruler generates samples to a token length and needs the model's tokenizer", {
      hint: "use a backend that provides its tokenizer, or pass --tokenizer <tokenizer.json | tiktoken:name>",
    });
  }
  const options = g.options;
  const randomSeed = options.random_seed ?? RULER_RANDOM_SEED + ctx.seed;
  const rt = await runtimeFor(task, length, options, ctx, tokenizer, randomSeed);
  const index = parseIndex(id);
  const out = await generateOne(rt, options, randomSeed, index);
  // generate_samples: the prompt is cut where the answer prefix starts (rfind of its first 10 characters).
  let at = out.text.lastIndexOf(rt.generator.prefixKey);
  if (at < 0) at = out.text.length - 1;
  const input = out.text.slice(0, at);
  const answerPrefix = out.text.slice(at);
  const hash = createHash("sha256").update(JSON.stringify([input, answerPrefix, out.answer])).digest("hex");
  rt.record.tokens[String(index)] = out.length;
  rt.record.hashes[String(index)] = hash;
  ctx.recordProvenance("generator", { version: GENERATOR_VERSION, ruler: RULER_COMMIT, random_seed: randomSeed, sampling: options.sampling, tokenizer: tokenizer.id, budget: rt.budget.describe });
  ctx.recordProvenance(`samples:${task}/${length}`, {
    max_seq_length: rt.env.maxSeqLength,
    ...(options.sampling === "stream" ? { replayed: rt.replayed } : {}),
    tokens: rt.record.tokens,
    hashes: rt.record.hashes,
  });
  const meta: JsonObject = { tokens: out.length, haystack: out.haystack, hash, tokenizer: tokenizer.id, generator: GENERATOR_VERSION, template: options.template, budget: rt.budget.counted };
  if (out.redrawn > 0) meta["redrawn_distractors"] = out.redrawn;
  return { input: { input, answer_prefix: answerPrefix }, references: out.answer, meta };
}

const ruler = defineGeneratedBenchmark({
  id: "ruler",
  version: "0.2.0",
  capability: "retrieval",
  description: "RULER: 13 synthetic tasks (needle retrieval, multi-hop tracing, aggregation, QA) generated to 4k-128k tokens of the model's own tokenizer.",
  tasks: RULER_TASK_TABLE,
  options: RULER_OPTIONS,
  failedSamples: "score-empty",
  dataSources: [
    "generated locally (NVIDIA/RULER generators); needle keys and cwe words from wonderwords' lists shipped in the package",
    "Paul Graham essays (gkamradt/LLMTest_NeedleInAHaystack), or RULER's PaulGrahamEssays.json at <data-dir>/ruler/",
    "SQuAD v2 dev and HotpotQA dev (qa_1, qa_2); english_words.json (cwe at long lengths)",
  ],
  ids: ({ task, length, options }) => Array.from({ length: options.samples }, (_, i) => `${task.id}-${length as string}-${i}`),
  generate,
  prompt: (sample: Sample, _task, settings) => ({
    template: "{input}",
    values: { input: sample.input["input"] ?? "" },
    contextKey: "input",
    assistantPrefix: sample.input["answer_prefix"] ?? "",
    truncation: "none",
    // RULER's own templates are in the text, sent raw as RULER sends them; `model` applies the model's.
    chat: settings.options.template === "model",
  }),
  scoreOfficial: scoreOfficialDir,
});

export default ruler;
export { RULER_TASKS, RULER_TASK_IDS, BASE_TASKS, LENGTH_LEVELS, lengthTokens, RULER_TEMPLATES, RULER_TEMPLATE_NAMES, RULER_COMMIT, RULER_RANDOM_SEED } from "./constants.js";
export { stringMatchAll, stringMatchPart, matchAll, matchPart, postprocessPred } from "./score.js";
export { scoreOfficialDir, evaluateTask, summaryCsv } from "./official.js";
export { sentTokenize } from "./text.js";
export { essayWords, qaData, readSquad, readHotpot, QA_FILES, ENGLISH_WORDS } from "./data.js";
export { wonderWords, type WonderWords } from "./words.js";
export { niahGenerator, vtGenerator, cweGenerator, fweGenerator, qaGenerator, seededStreams, uuid4, pyFloorDiv, DEPTHS, ZETA_2, type GenEnv, type Generated, type TaskGenerator } from "./synthetic.js";
