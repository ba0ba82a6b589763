/**
 * RULER's sample generators (NVIDIA/RULER scripts/data/synthetic/{niah,variable_tracking,
 * common_words_extraction,freq_words_extraction,qa}.py at RULER_COMMIT), ported draw for draw:
 * Python's `random` is `PyRandom` (CPython's Mersenne Twister), `np.random` is `NumpyRandomState`,
 * and every call consumes the streams in the official order, so given the same tokenizer, seed and
 * template the text is the official generator's byte for byte.
 *
 * Each task has two parts, as the official scripts do: `plan` (the size estimate and the binary search
 * for the largest haystack that fits, plus vt's in-context example and fwe's word count) and `sample`
 * (one sample: try the planned size, shrink by the increment while it does not fit).
 */
import { LoomError } from "@loomscope/spec";
import { NumpyRandomState, PyRandom, pyFormat, pySplit, pyStrip } from "@loomscope/metrics";
import { BASE_TASKS, NIAH_NEEDLE, NOISE_HAYSTACK, QA_DOCUMENT_PROMPT, type NiahArgs, type NeedleType } from "./constants.js";
import type { QaData } from "./data.js";
import { linspaceRoundInt } from "@loomscope/metrics";
import { sentTokenize } from "./text.js";
import type { WonderWords } from "./words.js";

/** Python's global `random` and numpy's global `np.random`, as one script run seeds them. */
export interface Streams {
  random: PyRandom;
  np: NumpyRandomState;
}
/** `random.seed(seed); np.random.seed(seed)` as the scripts' first lines do. */
export const seededStreams = (seed: number): Streams => ({ random: new PyRandom(seed), np: new NumpyRandomState(seed) });

/** A Python exception the official sample loop swallows (`except: used -= incremental`). */
export class PyLoopError extends Error {}

/** What one script run is given: its arguments, and how the budget counts tokens. */
export interface GenEnv {
  /** `--template`: prepare.py's model template around the task template, plus the answer prefix. */
  template: string;
  /** `--random_seed`: also the seed of every fresh `random.Random(args.random_seed)` shuffle. */
  randomSeed: number;
  /** `--max_seq_length`. */
  maxSeqLength: number;
  tokensToGenerate: number;
  /** Tokens of a formatted prompt as the length budget counts them (the official: `len(TOKENIZER.text_to_tokens(text))`). */
  measure(text: string): Promise<number>;
  /** `len(TOKENIZER.text_to_tokens(text))` of a text outside the prompt's templating (vt's in-context example). */
  count(text: string): Promise<number>;
}

export interface Generated {
  /** The formatted prompt before the answer-prefix split. */
  text: string;
  answer: string[];
  /** The official `length`: prompt tokens + tokens_to_generate. */
  length: number;
  /** The haystack size used (noises, words, documents). */
  haystack: number;
  /** Distractor keys redrawn because they equalled a needle's key (niah_multikey_2/3). */
  redrawn: number;
}

export interface TaskGenerator<P> {
  plan(s: Streams, env: GenEnv): Promise<P>;
  sample(s: Streams, env: GenEnv, plan: P, index: number): Promise<Generated>;
  /** The official answer prefix's first 10 characters, where the prompt is split. */
  prefixKey: string;
}

const UPPER = [..."ABCDEFGHIJKLMNOPQRSTUVWXYZ"];
const LOWER = [..."abcdefghijklmnopqrstuvwxyz"];
/** niah.py / variable_tracking.py `DEPTHS = list(np.round(np.linspace(0, 100, num=40)).astype(int))`. */
export const DEPTHS: readonly number[] = linspaceRoundInt(0, 100, 40);
/** scipy.special.zeta(2.0), as freq_words_extraction.py divides by it (alpha is 2.0 in synthetic.yaml). */
export const ZETA_2 = 1.6449340668482264;
/** Tries of the official `while(True)` sample loop before we give up (the official loops forever). */
const MAX_TRIES = 1000;

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
/** Python `str.replace(old, new)`: every occurrence, left to right. */
const pyReplace = (text: string, old: string, value: string): string => text.split(old).join(value);
/** Python `float // float` for the positive operands it is used on (floor of the exact quotient, as float_floor_div does). */
export function pyFloorDiv(a: number, b: number): number {
  const mod = a % b;
  const div = (a - mod) / b;
  if (div === 0) return 0;
  let floor = Math.floor(div);
  if (div - floor > 0.5) floor += 1;
  return floor;
}

/** `uuid.UUID(int=random.getrandbits(128), version=4)` as a string. */
export function uuid4(bits: bigint): string {
  let n = (bits & ~(0xc000n << 48n)) | (0x8000n << 48n);
  n = (n & ~(0xf000n << 64n)) | (4n << 76n);
  const hex = n.toString(16).padStart(32, "0");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The official binary search: the largest size in [lo, hi] whose total fits, or undefined. */
async function binarySearch(lower: number, upper: number, total: (size: number) => Promise<number>, max: number): Promise<number | undefined> {
  let lo = lower;
  let hi = upper;
  let best: number | undefined;
  while (lo <= hi) {
    const mid = Math.floor((lo + hi) / 2);
    if ((await total(mid)) <= max) {
      best = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best;
}

/** The official per-sample loop: try `size`, shrink by `incremental` while the sample does not fit or raised. */
async function fitSample(size: number, incremental: number, max: number, build: (used: number) => Promise<{ text: string; answer: string[]; length: number; redrawn?: number }>): Promise<Generated> {
  let used = size;
  for (let tries = 0; tries < MAX_TRIES; tries++) {
    try {
      const out = await build(used);
      if (out.length <= max) return { text: out.text, answer: out.answer, length: out.length, haystack: used, redrawn: out.redrawn ?? 0 };
    } catch (error) {
      // The official loop's bare `except:` catches the generator's own Python errors (and its length assert).
      if (!(error instanceof PyLoopError) && !(error instanceof RangeError)) throw error;
    }
    if (used > incremental) used -= incremental;
  }
  throw new LoomError("GENERATION", `no sample fits in ${max} tokens after ${MAX_TRIES} tries (the official generator would loop forever here)`, {
    hint: "use a longer length level",
  });
}

/** The estimate the searches start from: `int((max_seq_length / tokens_per_unit) * 3)`. */
const estimateUpper = (max: number, tokens: number, units: number): number => Math.trunc((max / (tokens / units)) * 3);

// ---------------------------------------------------------------------------------------------- niah

export interface NiahPlan {
  size: number;
  incremental: number;
}

export function niahGenerator(args: NiahArgs, words: WonderWords, essay: readonly string[] | undefined): TaskGenerator<NiahPlan> {
  const numK = Math.max(args.num_needle_k, args.num_needle_q);
  const single = args.num_needle_q * args.num_needle_v === 1;
  const draw = (r: PyRandom, type: NeedleType): string => {
    if (type === "numbers") return String(r.randint(10 ** 6, 10 ** 7 - 1));
    if (type === "words") return words.pair(r.randbelow(words.pairCount));
    return uuid4(r.getrandbits(128));
  };
  const needleText = (key: string, value: string) => pyFormat(NIAH_NEEDLE, { type_needle_v: args.type_needle_v, key, value });

  const call = (s: Streams, env: GenEnv, n: number): { text: string; answer: string[]; redrawn: number } => {
    const keys: string[] = [];
    const values: string[][] = [];
    const needles: string[] = [];
    for (let k = 0; k < numK; k++) {
      keys.push(draw(s.random, args.type_needle_k));
      const value: string[] = [];
      for (let v = 0; v < args.num_needle_v; v++) {
        value.push(draw(s.random, args.type_needle_v));
        needles.push(needleText(keys.at(-1) as string, value.at(-1) as string));
      }
      values.push(value);
    }
    new PyRandom(env.randomSeed).shuffle(needles);
    let context: string;
    let redrawn = 0;
    if (args.type_haystack === "essay") {
      const hay = essay as readonly string[];
      let words: readonly string[];
      if (n <= hay.length) words = hay.slice(0, n);
      else {
        const repeats = Math.floor((n + hay.length - 1) / hay.length);
        const all: string[] = [];
        for (let i = 0; i < repeats; i++) all.push(...hay);
        words = all.slice(0, n);
      }
      const sents = sentTokenize(pyStrip(words.join(" ")));
      const depths = s.random.sample(DEPTHS, needles.length);
      const positions = [0, ...depths.map((d) => Math.trunc(sents.length * (d / 100))).sort((a, b) => a - b), sents.length];
      const parts: string[] = [];
      for (let i = 1; i < positions.length; i++) {
        parts.push(sents.slice(positions[i - 1], positions[i]).join(" "));
        if (i - 1 < needles.length) parts.push(needles[i - 1] as string);
      }
      context = parts.join(" ");
    } else {
      let sentences: string[];
      if (args.type_haystack === "noise") sentences = new Array<string>(n).fill(NOISE_HAYSTACK);
      else {
        sentences = [];
        for (let i = 0; i < n; i++) {
          let key = draw(s.random, args.type_needle_k);
          let value = draw(s.random, args.type_needle_v);
          // A distractor never reuses a needle's key (with another value the query would be ambiguous).
          while (keys.includes(key)) {
            redrawn++;
            key = draw(s.random, args.type_needle_k);
            value = draw(s.random, args.type_needle_v);
          }
          sentences.push(needleText(key, value));
        }
      }
      const indexes = s.random.sample(range(n), needles.length).sort((a, b) => b - a);
      indexes.forEach((index, i) => sentences.splice(index, 0, needles[i] as string));
      context = sentences.join("\n");
    }
    const picked = s.random.sample(range(numK), args.num_needle_q);
    const queries = picked.map((i) => keys[i] as string);
    const answer = picked.flatMap((i) => values[i] as string[]);
    const query = queries.length > 1 ? `${queries.slice(0, -1).join(", ")}, and ${queries.at(-1) as string}` : (queries[0] as string);
    let template = env.template;
    let typeV: string = args.type_needle_v;
    if (single) {
      template = pyReplace(pyReplace(pyReplace(pyReplace(template, "Some", "A"), "are all", "is"), "are", "is"), "answers", "answer");
      typeV = typeV.slice(0, -1);
    }
    return { text: pyFormat(template, { type_needle_v: typeV, context, query }), answer, redrawn };
  };

  return {
    prefixKey: BASE_TASKS.niah.answerPrefix.slice(0, 10),
    async plan(s, env) {
      let incremental = args.type_haystack === "essay" ? 500 : 25;
      if (args.type_haystack !== "essay" && env.maxSeqLength < 4096) incremental = 5;
      const probe = call(s, env, incremental);
      const upper = Math.max(estimateUpper(env.maxSeqLength, await env.measure(probe.text), incremental), incremental * 2);
      const size = await binarySearch(incremental, upper, async (mid) => (await env.measure(call(s, env, mid).text)) + env.tokensToGenerate, env.maxSeqLength);
      return { size: size ?? incremental, incremental };
    },
    sample(s, env, plan) {
      return fitSample(plan.size, plan.incremental, env.maxSeqLength, async (used) => {
        const out = call(s, env, used);
        return { ...out, length: (await env.measure(out.text)) + env.tokensToGenerate };
      });
    },
  };
}

// ------------------------------------------------------------------------------------------------ vt

export interface VtPlan {
  size: number;
  incremental: number;
  /** `icl_example['input'] + " " + ' '.join(icl_example['outputs']) + '\n'`. */
  iclExample: string;
  exampleTokens: number;
}

export function vtGenerator(args: { num_chains: number; num_hops: number }): TaskGenerator<VtPlan> {
  const base = BASE_TASKS.variable_tracking;
  const bare = base.template + base.answerPrefix;

  const chains = (s: Streams, isIcl: boolean): { vars: string[][]; chains: string[][] } => {
    const k = isIcl ? 3 : 5;
    const hops = isIcl ? Math.min(10, args.num_hops) : args.num_hops;
    const name = () => s.random.choices(UPPER, k).join("");
    const all = range((hops + 1) * args.num_chains).map(name);
    while (new Set(all).size < args.num_chains * (hops + 1)) all.push(name());
    const vars: string[][] = [];
    const out: string[][] = [];
    for (let i = 0; i < all.length; i += hops + 1) {
      const these = all.slice(i, i + hops + 1);
      vars.push(these);
      const chain = [isIcl ? `VAR ${these[0] as string} = 12345` : `VAR ${these[0] as string} = ${s.np.randint(10000, 99999)}`];
      for (let j = 0; j < hops; j++) {
        // A short last slice (a repeated name made the list longer) raises IndexError in the official code.
        if (j + 1 >= these.length) throw new PyLoopError("IndexError: list index out of range");
        chain.push(`VAR ${these[j + 1] as string} = VAR ${these[j] as string} `);
      }
      out.push(chain);
    }
    return { vars, chains: out };
  };

  const call = (s: Streams, env: GenEnv, noises: number, isIcl: boolean): { text: string; answer: string[] } => {
    const { vars, chains: cs } = chains(s, isIcl);
    const value = pyStrip(((cs[0] as string[])[0] as string).split("=").at(-1) as string);
    const sentences = new Array<string>(noises).fill(NOISE_HAYSTACK);
    for (const chain of cs) {
      const positions = s.random.sample(range(sentences.length), chain.length).sort((a, b) => a - b);
      positions.forEach((p, j) => sentences.splice(p + j, 0, chain[j] as string));
    }
    const context = pyReplace(sentences.join("\n"), ". \n", ".\n");
    const template = isIcl && env.template !== bare ? bare : env.template;
    return { text: pyFormat(template, { context, query: value, num_v: String(args.num_hops + 1) }), answer: vars[0] as string[] };
  };

  /** variable_tracking.py randomize_icl. */
  const randomizeIcl = (s: Streams, example: string): string => {
    let out = example;
    for (const item of pySplit(pyStrip(example)).slice(-args.num_hops - 1)) {
      out = pyReplace(out, item, s.random.choices(UPPER, item.length).join(""));
    }
    return pyReplace(out, "12345", String(s.np.randint(10000, 99999)));
  };

  return {
    prefixKey: base.answerPrefix.slice(0, 10),
    async plan(s, env) {
      // main(): the in-context example first: sys_vartrack_w_noise_random(num_samples=1, max_seq_length=500), no generation budget.
      const iclIncremental = 5;
      const probe = call(s, env, iclIncremental, true);
      const iclUpper = Math.max(estimateUpper(500, await env.count(probe.text), iclIncremental), iclIncremental * 2);
      const iclSize = (await binarySearch(iclIncremental, iclUpper, async (mid) => env.count(call(s, env, mid, true).text), 500)) ?? iclIncremental;
      const icl = await fitSample(iclSize, iclIncremental, 500, async (used) => {
        const out = call(s, env, used, true);
        return { ...out, length: await env.count(out.text) };
      });
      const iclExample = `${icl.text} ${icl.answer.join(" ")}\n`;
      const exampleTokens = await env.count(iclExample);
      // Then the samples, with the example inserted.
      const incremental = env.maxSeqLength < 4096 ? 5 : 10;
      const first = call(s, env, incremental, false);
      const upper = Math.max(estimateUpper(env.maxSeqLength, await env.measure(first.text), incremental), incremental * 2);
      const size = await binarySearch(
        incremental,
        upper,
        async (mid) => (await env.measure(call(s, env, mid, false).text)) + exampleTokens + env.tokensToGenerate,
        env.maxSeqLength,
      );
      return { size: size ?? incremental, incremental, iclExample, exampleTokens };
    },
    sample(s, env, plan) {
      return fitSample(plan.size, plan.incremental, env.maxSeqLength, async (used) => {
        const out = call(s, env, used, false);
        const cutoff = out.text.indexOf(base.template.slice(0, 20));
        if (cutoff < 0) throw new PyLoopError("ValueError: substring not found");
        const text = out.text.slice(0, cutoff) + randomizeIcl(s, plan.iclExample) + "\n" + out.text.slice(cutoff);
        return { text, answer: out.answer, length: (await env.measure(text)) + env.tokensToGenerate };
      });
    },
  };
}

// ----------------------------------------------------------------------------------------------- cwe

export interface CwePlan {
  size: number;
  incremental: number;
}

export interface CweArgs {
  freq_cw: number;
  freq_ucw: number;
  num_cw: number;
  num_fewshot: number;
}

export function cweGenerator(args: CweArgs, cweWords: readonly string[], randleWords: () => Promise<readonly string[]>, randomSeed: number): TaskGenerator<CwePlan> {
  const base = BASE_TASKS.common_words_extraction;
  // words = sorted(set(nouns + adjs + verbs)); random.Random(args.random_seed).shuffle(words)
  const words = [...cweWords];
  new PyRandom(randomSeed).shuffle(words);

  const example = async (s: Streams, env: GenEnv, numWords: number, common: number, uncommon: number, commonNums: number) => {
    const full = numWords <= words.length ? s.random.sample(words, numWords) : s.random.sample(await randleWords(), numWords);
    const cw = full.slice(0, commonNums);
    const ucw = full.slice(commonNums);
    const list: string[] = [];
    for (let i = 0; i < common; i++) list.push(...cw);
    for (let i = 0; i < uncommon; i++) list.push(...ucw);
    new PyRandom(env.randomSeed).shuffle(list);
    return { context: list.map((w, i) => `${i + 1}. ${w}`).join(" "), answer: cw };
  };

  const call = async (s: Streams, env: GenEnv, numWords: number): Promise<{ text: string; answer: string[] }> => {
    const shots: { context: string; answer: string[] }[] = [];
    let main: { context: string; answer: string[] };
    if (env.maxSeqLength < 4096) {
      for (let i = 0; i < args.num_fewshot; i++) shots.push(await example(s, env, 20, 3, 1, args.num_cw));
      main = await example(s, env, numWords, 6, 1, args.num_cw);
    } else {
      for (let i = 0; i < args.num_fewshot; i++) shots.push(await example(s, env, 40, 10, 3, args.num_cw));
      main = await example(s, env, numWords, args.freq_cw, args.freq_ucw, args.num_cw);
    }
    const fmt = (context: string) => pyFormat(env.template, { num_cw: String(args.num_cw), context, query: "" });
    const fewShots = shots.map((x) => `${fmt(x.context)} ${x.answer.map((w, i) => `${i + 1}. ${w}`).join(" ")}`).join("\n");
    return { text: `${fewShots}\n${fmt(main.context)}`, answer: main.answer };
  };

  return {
    prefixKey: base.answerPrefix.slice(0, 10),
    async plan(s, env) {
      const incremental = 10;
      const probe = await call(s, env, 4096);
      const perWord = (await env.measure(probe.text)) / 4096;
      const upper = Math.max(Math.trunc(pyFloorDiv(env.maxSeqLength, perWord)) * 2, incremental * 2);
      const size = await binarySearch(incremental, upper, async (mid) => (await env.measure((await call(s, env, mid)).text)) + env.tokensToGenerate, env.maxSeqLength);
      return { size: size ?? incremental, incremental };
    },
    sample(s, env, plan) {
      return fitSample(plan.size, plan.incremental, env.maxSeqLength, async (used) => {
        const out = await call(s, env, used);
        return { ...out, length: (await env.measure(out.text)) + env.tokensToGenerate };
      });
    },
  };
}

// ----------------------------------------------------------------------------------------------- fwe

export interface FwePlan {
  numWords: number;
  vocabSize: number;
  maxLen: number;
  incremental: number;
}

export function fweGenerator(args: { coded_wordlen: number; vocab_size: number; alpha: number }): TaskGenerator<FwePlan> {
  const base = BASE_TASKS.freq_words_extraction;
  if (args.alpha !== 2) throw new LoomError("DEFINITION", "fwe: only alpha 2.0 (synthetic.yaml) is ported: zeta(2.0) is a constant here");

  /** generate_input_output: a fresh vocabulary (global random), then the zeta-distributed words. */
  const call = async (s: Streams, env: GenEnv, maxLen: number, numWords: number, vocabSize: number, incremental: number) => {
    const drawn: string[] = [];
    for (let i = 0; i < vocabSize; i++) drawn.push(s.random.choices(LOWER, args.coded_wordlen).join(""));
    while (new Set(drawn).size < vocabSize) drawn.push(s.random.choices(LOWER, args.coded_wordlen).join(""));
    const vocab = [...new Set(drawn)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    new PyRandom(env.randomSeed).shuffle(vocab);
    vocab[0] = "...";
    const genText = (n: number): string => {
      const sampled: string[] = [];
      vocab.forEach((w, i) => {
        // num_words * (k ** -alpha) / zeta(alpha), truncated by astype(int).
        const count = Math.trunc((n * (1 / ((i + 1) * (i + 1)))) / ZETA_2);
        for (let c = 0; c < count; c++) sampled.push(w);
      });
      new PyRandom(env.randomSeed).shuffle(sampled);
      return pyFormat(env.template, { context: sampled.join(" "), query: "" });
    };
    let n = numWords;
    if (n > 0) {
      let text = genText(n);
      while ((await env.measure(text)) > maxLen) {
        n -= incremental;
        text = genText(n);
      }
    } else {
      n = Math.floor(maxLen / args.coded_wordlen);
      let text = genText(n);
      while ((await env.measure(text)) < maxLen) {
        n += incremental;
        text = genText(n);
      }
      n -= incremental;
    }
    return { text: genText(n), answer: vocab.slice(1, 4), numWords: n };
  };

  return {
    prefixKey: base.answerPrefix.slice(0, 10),
    async plan(s, env) {
      const maxLen = env.maxSeqLength - env.tokensToGenerate;
      const vocabSize = args.vocab_size === -1 ? Math.floor(maxLen / 50) : args.vocab_size;
      const incremental = Math.floor(maxLen / 32);
      const { numWords } = await call(s, env, maxLen, -1, vocabSize, incremental);
      return { numWords, vocabSize, maxLen, incremental };
    },
    async sample(s, env, plan) {
      const out = await call(s, env, plan.maxLen, plan.numWords, plan.vocabSize, plan.incremental);
      return { text: out.text, answer: out.answer, length: (await env.measure(out.text)) + env.tokensToGenerate, haystack: out.numWords, redrawn: 0 };
    },
  };
}

// ------------------------------------------------------------------------------------------------ qa

export interface QaPlan {
  size: number;
  incremental: number;
}

export function qaGenerator(data: QaData, preSamples = 0): TaskGenerator<QaPlan> {
  const base = BASE_TASKS.qa;
  const call = (s: Streams, env: GenEnv, index: number, numDocs: number): { text: string; answer: string[] } => {
    const item = data.qas[index];
    if (!item) throw new LoomError("DATA", `the qa dataset has ${data.qas.length} answerable questions; sample ${index} has none`, { hint: "ask for fewer samples (--benchmark-opt ruler.samples=<n>)" });
    const own = item.context;
    const more = item.more_context ?? [];
    let docs: string[];
    if (numDocs < data.docs.length) {
      let picked: number[];
      if (numDocs - own.length > more.length) {
        const exclude = new Set([...own, ...more]);
        const addition = range(data.docs.length).filter((i) => !exclude.has(i));
        picked = [...own, ...more, ...s.random.sample(addition, Math.max(0, numDocs - own.length - more.length))];
      } else picked = [...own, ...s.random.sample(more, numDocs - own.length)];
      docs = picked.map((i) => data.docs[i] as string);
    } else {
      const repeats = Math.floor((numDocs + data.docs.length - 1) / data.docs.length);
      docs = [];
      for (let r = 0; r < repeats; r++) docs.push(...data.docs);
      docs = docs.slice(0, numDocs);
    }
    new PyRandom(env.randomSeed).shuffle(docs);
    const context = docs.map((d, i) => pyFormat(QA_DOCUMENT_PROMPT, { i: String(i + 1), document: d })).join("\n\n");
    return { text: pyFormat(env.template, { context, query: item.query }), answer: item.outputs };
  };
  return {
    prefixKey: base.answerPrefix.slice(0, 10),
    async plan(s, env) {
      const incremental = 10;
      const probe = call(s, env, 0, incremental);
      const upper = Math.max(estimateUpper(env.maxSeqLength, await env.measure(probe.text), incremental), incremental * 2);
      const size = await binarySearch(incremental, upper, async (mid) => (await env.measure(call(s, env, 0, mid).text)) + env.tokensToGenerate, env.maxSeqLength);
      return { size: size ?? incremental, incremental };
    },
    sample(s, env, plan, index) {
      return fitSample(plan.size, plan.incremental, env.maxSeqLength, async (used) => {
        const out = call(s, env, index + preSamples, used);
        return { ...out, length: (await env.measure(out.text)) + env.tokensToGenerate };
      });
    },
  };
}
