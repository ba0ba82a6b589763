/**
 * NoLiMa on the benchmark kit, as a generated benchmark: `ids` lists a run config's samples in the
 * official order (haystack, test, depth) from the needle set's rows; `generate` builds one with the
 * run's tokenizer as run_tests.py + NoLiMa_Tester + book_haystack.py do; the prompt is the test's
 * task template after the connector's system prompt.
 */
import { defineGeneratedBenchmark } from "@loomscope/benchmark-kit";
import { LoomError, type JsonObject } from "@loomscope/spec";
import { aggregateNolima } from "./aggregate.js";
import { HF_REPO } from "./data.js";
import { generate, ids, nolimaPrompt, type NolimaOptions } from "./generate.js";
import { book, needleSetTests } from "./load.js";
import { NOLIMA_METRICS } from "./metrics.js";
import { scoreOfficial } from "./official.js";
import { BOOKS, DEFAULT_SYSTEM_PROMPT, DEFAULT_TASK_TEMPLATE, RUN_CONFIG, TASK_TABLE, type NeedleSetName } from "./tasks.js";

/** The run config's settings a user may change (evaluation/run_config/*.yaml); defaults are every official config's. */
export const NOLIMA_OPTIONS = {
  metric: {
    type: "string",
    values: NOLIMA_METRICS,
    default: RUN_CONFIG.metric,
    description: "run config `metric`: how a response is checked against the gold answers (every official config: contains)",
  },
  depthPercentMin: { type: "number", min: 0, max: 100, default: RUN_CONFIG.documentDepthPercentMin, description: "run config `document_depth_percent_min`" },
  depthPercentMax: { type: "number", min: 0, max: 100, default: RUN_CONFIG.documentDepthPercentMax, description: "run config `document_depth_percent_max`" },
  depthPercentIntervals: {
    type: "integer",
    min: 1,
    default: RUN_CONFIG.documentDepthPercentIntervals,
    description: "run config `document_depth_percent_intervals`: needle depths per (test, haystack), np.linspace(min, max, n)",
  },
} as const;

const nolimaOptions = (o: { metric: string; depthPercentMin: number; depthPercentMax: number; depthPercentIntervals: number }): Partial<NolimaOptions> => ({
  metric: o.metric,
  depthPercentMin: o.depthPercentMin,
  depthPercentMax: o.depthPercentMax,
  depthPercentIntervals: o.depthPercentIntervals,
});

const nolima = defineGeneratedBenchmark({
  id: "nolima",
  version: "0.2.0",
  capability: "retrieval",
  description:
    "NoLiMa: needles whose questions share almost no words with them, placed at 26 depths in shuffled books at 250 to 32K tokens of the model's own tokenizer; contains-match against the gold answers.",
  tasks: TASK_TABLE,
  options: NOLIMA_OPTIONS,
  // The tester scores every response it gets; a request that fails leaves no response to score.
  failedSamples: "exclude",
  dataSources: [`huggingface:${HF_REPO}/needlesets/<set>.json`, `huggingface:${HF_REPO}/haystack/rand_shuffle/rand_book_{1..5}.txt`],
  ids: async ({ task, options }, ctx) => ids(await needleSetTests(ctx, task.id as NeedleSetName), BOOKS, nolimaOptions(options)),
  async generate(id, { task, length, options, ctx }) {
    if (!ctx.tokenizer) {
      throw new LoomError("TOKENIZER_REQUIRED", "nolima builds each haystack to its length in the evaluated model's tokens, and this run has no tokenizer", {
        hint: "use a backend that tokenizes (vllm, llamacpp, an OpenAI-compatible server with /tokenize) or pass --tokenizer path/to/tokenizer.json",
      });
    }
    const tests = await needleSetTests(ctx, task.id as NeedleSetName);
    const name = id.slice(0, id.indexOf("/"));
    const haystack = await book(ctx, name);
    const sample = await generate(id, {
      task: task.id,
      length: length!,
      tests,
      books: BOOKS,
      bookText: haystack.text,
      tokenizer: ctx.tokenizer,
      options: nolimaOptions(options),
      cache: haystack.cache,
    });
    const test = tests.find((t) => id.startsWith(`${name}/${t.test_name}/`));
    // A row's own task template is what the tester formats; kept with the sample so the prompt can use it.
    const meta: JsonObject = { ...(sample.meta ?? {}), ...(test && test.task_template !== DEFAULT_TASK_TEMPLATE ? { task_template: test.task_template } : {}) };
    return { ...sample, meta };
  },
  prompt: (sample) => {
    const own = sample.meta?.["task_template"];
    return nolimaPrompt(sample, typeof own === "string" ? own : DEFAULT_TASK_TEMPLATE, DEFAULT_SYSTEM_PROMPT);
  },
  aggregate: (cells) => aggregateNolima(cells),
  scoreOfficial,
});

export default nolima;
