/**
 * NoLiMa as a generated benchmark: `ids` lists a run's samples in the official order, `generate`
 * builds one from the needle set, a book and the run's tokenizer exactly as
 * evaluation/run_tests.py + async_evaluate.py `NoLiMa_Tester.evaluate` would.
 *
 * Official order for one context length (one run config): for each haystack file (as
 * `os.listdir` lists them; we sort: rand_book_1 … rand_book_5), for each test (needle-set row ×
 * question type × test), for each of the 26 depths `np.linspace(0, 100, 26) / 100`.
 * Per (test, haystack) the tester seeds numpy with `base_seed + int(id[:4]) + haystack_index` and,
 * depth by depth, draws the `{CHAR}` character (`np.random.choice`) and, for distractor sets, the
 * distractor depth (`np.random.uniform`); `generate` replays the draws of the depths before.
 * Sample ids: `<book>/<test name>/<depth index>`.
 */
import { NumpyRandomState, linspace, pyFormat } from "@loomscope/metrics";
import type { JsonObject, PromptParts, Sample, Tokenizer } from "@loomscope/spec";
import { testerGoldAnswers, type NolimaTest } from "./data.js";
import { encodeBook, generateWithNeedle, type EncodedBook } from "./haystack.js";
import { DEFAULT_SYSTEM_PROMPT, LENGTH_TOKENS, RUN_CONFIG } from "./tasks.js";

export interface NolimaOptions {
  depthPercentMin: number;
  depthPercentMax: number;
  depthPercentIntervals: number;
  metric: string;
  shift: number;
}
export const DEFAULT_NOLIMA_OPTIONS: NolimaOptions = {
  depthPercentMin: RUN_CONFIG.documentDepthPercentMin,
  depthPercentMax: RUN_CONFIG.documentDepthPercentMax,
  depthPercentIntervals: RUN_CONFIG.documentDepthPercentIntervals,
  metric: RUN_CONFIG.metric,
  shift: RUN_CONFIG.shift,
};

/** The depths of a run: `np.linspace(min, max, intervals)` in percent. */
export const depthPercents = (o: NolimaOptions = DEFAULT_NOLIMA_OPTIONS): number[] =>
  linspace(o.depthPercentMin, o.depthPercentMax, o.depthPercentIntervals);

/** Sample ids in the official order. Cheap: no book, no tokenizer. */
export function ids(tests: readonly NolimaTest[], books: readonly string[], options: Partial<NolimaOptions> = {}): string[] {
  const o = { ...DEFAULT_NOLIMA_OPTIONS, ...options };
  const n = depthPercents(o).length;
  const out: string[] = [];
  for (const book of books) for (const t of tests) for (let k = 0; k < n; k++) out.push(`${book}/${t.test_name}/${k}`);
  return out;
}

export function parseId(id: string): { book: string; testName: string; depthIndex: number } {
  const m = /^([^/]+)\/(.+)\/(\d+)$/.exec(id);
  if (!m) throw new Error(`not a nolima sample id: "${id}"`);
  return { book: m[1] as string, testName: m[2] as string, depthIndex: Number(m[3]) };
}

export interface GenerateContext {
  /** The needle set's name (the task). */
  task: string;
  /** A length label ("1K") or a token count. */
  length: string | number;
  tests: readonly NolimaTest[];
  /** Haystack names in order (their index is `haystack_no`). */
  books: readonly string[];
  /** The text of a book by name. */
  bookText(name: string): Promise<string> | string;
  tokenizer: Tokenizer;
  options?: Partial<NolimaOptions>;
  /** Encoded books, reused across samples (keyed by tokenizer id and book name). */
  cache?: Map<string, Promise<EncodedBook>>;
}

/** The prompt the tester sends: the filled task template as the user turn, the API's system prompt. */
export function nolimaPrompt(sample: Sample, taskTemplate: string, systemPrompt: string = DEFAULT_SYSTEM_PROMPT): PromptParts {
  const parts: PromptParts = {
    template: taskTemplate,
    values: { haystack: sample.input["haystack"] ?? "", question: sample.input["question"] ?? "" },
    contextKey: "haystack",
    queryKey: "question",
    truncation: "none",
    chat: true,
  };
  if (systemPrompt !== "") parts.system = systemPrompt;
  return parts;
}

/** Build one sample. Throws PlacementError where the official code raises (book too short, …). */
export async function generate(id: string, ctx: GenerateContext): Promise<Sample> {
  const o = { ...DEFAULT_NOLIMA_OPTIONS, ...ctx.options };
  const { book, testName, depthIndex } = parseId(id);
  const haystackNo = ctx.books.indexOf(book);
  if (haystackNo < 0) throw new Error(`unknown haystack ${book}`);
  const test = ctx.tests.find((t) => t.test_name === testName);
  if (!test) throw new Error(`unknown test ${testName}`);
  const percents = depthPercents(o);
  if (depthIndex >= percents.length) throw new Error(`depth index ${depthIndex} out of range`);
  const contextLength = typeof ctx.length === "number" ? ctx.length : (LENGTH_TOKENS[ctx.length] ?? Number(ctx.length));
  const key = `${ctx.tokenizer.id}\u0000${book}`;
  const cache = ctx.cache ?? new Map<string, Promise<EncodedBook>>();
  let encoded = cache.get(key);
  if (!encoded) {
    encoded = Promise.resolve(ctx.bookText(book)).then((text) => encodeBook(text, ctx.tokenizer));
    cache.set(key, encoded);
  }
  const encodedBook = await encoded;

  const seed = test.seed + haystackNo;
  const rng = new NumpyRandomState(seed);
  const hasChar = test.needle.includes("{CHAR}");
  if (hasChar && !Array.isArray(test.character_set)) throw new Error("ValueError: Character set not provided");
  const chars = hasChar ? (test.character_set as readonly string[]) : [];
  // Replay the draws of the earlier depths: one choice per depth (CHAR needles), one uniform per
  // depth inside the placement (distractor sets).
  for (let k = 0; k < depthIndex; k++) {
    if (hasChar) rng.choice(chars);
    if (test.distractor !== null) rng.randomSample();
  }
  const selected = hasChar ? String(rng.choice(chars)) : undefined;
  const needle = selected !== undefined ? test.needle.replaceAll("{CHAR}", selected) : test.needle;
  if (test.retrieval_question.includes("{CHAR}") && selected === undefined) {
    throw new Error("UnboundLocalError: selected_character (a {CHAR} question with a needle without {CHAR})");
  }
  const question = selected !== undefined ? test.retrieval_question.replaceAll("{CHAR}", selected) : test.retrieval_question;
  const depth = (percents[depthIndex] as number) / 100;
  const placement = await generateWithNeedle(encodedBook, ctx.tokenizer, needle, contextLength, depth, o.shift, test.distractor, rng);

  const gold = selected !== undefined ? [selected] : testerGoldAnswers(test);
  const meta: JsonObject = {
    book,
    haystack_hash: encodedBook.hash,
    test_name: test.test_name,
    seed,
    depth_percent: percents[depthIndex] as number,
    placement_metadata: {
      static_depth: placement.static_depth,
      token_depth: placement.token_depth,
      depth: placement.depth,
      context_length_wo_needle: placement.context_length_wo_needle,
      ...(placement.distractor_depth !== undefined ? { distractor_depth: placement.distractor_depth } : {}),
    },
    book_token_span: [placement.span.start, placement.span.end],
  };
  if (selected !== undefined) meta["selected_character"] = selected;
  const references = typeof gold === "string" ? [gold] : Array.isArray(gold) ? gold.map(String) : [];
  return {
    id,
    task: ctx.task,
    length: typeof ctx.length === "number" ? String(ctx.length) : ctx.length,
    input: { haystack: placement.text, question },
    references,
    scoring: { gold_answers: gold as JsonObject[keyof JsonObject], metric: o.metric },
    meta,
  };
}

/** The user turn the tester sends: `task_template.format(haystack=..., question=...)`. */
export const filledTemplate = (sample: Sample, taskTemplate: string): string =>
  pyFormat(taskTemplate, { haystack: sample.input["haystack"] ?? "", question: sample.input["question"] ?? "" });
