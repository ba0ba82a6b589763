/**
 * @loomscope/benchmark-niah: needle in a haystack as LOOM-Scope runs it (benchmarks/Retrieve/NIAH):
 * gkamradt's generator (haystack cut in tokens to each context length minus
 * `final_context_length_buffer`, the needle spliced in at the sentence end before each depth),
 * LOOM-Scope's prompt, generation limit and word-overlap score, one sample per (length, depth).
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { z } from "zod";
import { LoomError, type AggregateCell, type BenchmarkAggregate, type BenchmarkContext, type JsonObject, type ResultTable, type Tokenizer } from "@loomscope/spec";
import { RULER_NOISE_SENTENCES, defineGeneratedBenchmark, defineTasks, paulGrahamEssay, pivotTable, readPaulGrahamEssays, type GenerateContext, type OptionValues, type SampleBody } from "@loomscope/benchmark-kit";
import { defineMetric, linspace, linspaceRoundInt, numpyMean as pandasMean, pyMean, pySplit, pythonRound as pyRound } from "@loomscope/metrics";
import { scoreOfficialDir } from "./official.js";

export const GENERATOR_VERSION = "niah-ts-3";

/** NIAH.yaml: context_lengths_min 1000, context_lengths_max 128000, context_lengths_num_intervals 40. */
export const CONTEXT_LENGTHS: readonly number[] = linspaceRoundInt(1000, 128000, 40);
/** Length levels are the official context lengths in tokens ("1000", "4256", …, "128000"). */
export const LENGTH_LEVELS: readonly string[] = CONTEXT_LENGTHS.map(String);

/** NIAH.yaml defaults and NIAH.py's `LLM_param` (max_tokens 50). */
export const DEFAULTS = {
  needle: "\nThe best thing to do in San Francisco is eat a sandwich and sit in Dolores Park on a sunny day.\n",
  question: "What is the best thing to do in San Francisco?",
  answer: "eat a sandwich and sit in Dolores Park on a sunny day.",
  depthMin: 0,
  depthMax: 100,
  depthIntervals: 10,
  depthType: "linear" as const,
  buffer: 200,
  maxNewTokens: 50,
};

/** NIAH.py `process_data`: the prompt LOOM-Scope sends. */
export const PROMPT_TEMPLATE = "<|im_start|> This is a very long story book: <book> {context} </book>.\n Based on the content of the book, Question: {question}\nAnswer:";

/** A haystack that needs no files: RULER's noise sentences (scripts/data/synthetic/niah.py), repeated. */
export const NOISE_TEXT = `${RULER_NOISE_SENTENCES} `;

export const NIAH_OPTIONS = {
  needle: { type: "string", description: "the needle inserted into the haystack (NIAH.yaml needle)", default: DEFAULTS.needle },
  retrieval_question: { type: "string", description: "the question asked (NIAH.yaml retrieval_question)", default: DEFAULTS.question },
  answer: { type: "string", description: "the reference answer scored against (NIAH.yaml)", default: DEFAULTS.answer },
  document_depth_percent_min: { type: "number", description: "smallest needle depth, percent", min: 0, max: 100, default: DEFAULTS.depthMin },
  document_depth_percent_max: { type: "number", description: "largest needle depth, percent", min: 0, max: 100, default: DEFAULTS.depthMax },
  document_depth_percent_intervals: { type: "integer", description: "number of depths", min: 1, default: DEFAULTS.depthIntervals },
  document_depth_percent_interval_type: { type: "string", description: "depth spacing", values: ["linear", "sigmoid"], default: DEFAULTS.depthType },
  document_depth_percents: { type: "number[]", description: "explicit depths (percent) instead of the spaced grid", min: 0, max: 100 },
  final_context_length_buffer: { type: "integer", description: "tokens left free below each context length (NIAH.yaml)", min: 0, default: DEFAULTS.buffer },
  haystack: { type: "string", description: "essay: the Paul Graham essays (official); noise: built-in filler, no download", values: ["essay", "noise"], default: "essay" },
} as const;
export type NiahOptions = OptionValues<typeof NIAH_OPTIONS>;

/** logistic(x, L=100, x0=50, k=.1) of the sigmoid spacing: 0 and 100 stay exact, else np.round(·, 3). */
function logistic(x: number): number {
  if (x === 0 || x === 100) return x;
  return pyRound(100 / (1 + Math.exp(-0.1 * (x - 50))), 3);
}

/** The depth grid: linear `np.round(np.linspace(min, max, n)).astype(int)`, or the logistic spacing. */
export function depthPercents(o: {
  document_depth_percent_min: number;
  document_depth_percent_max: number;
  document_depth_percent_intervals: number;
  document_depth_percent_interval_type: string;
  document_depth_percents?: readonly number[] | undefined;
}): number[] {
  if (o.document_depth_percents) return [...o.document_depth_percents];
  const lo = o.document_depth_percent_min;
  const hi = o.document_depth_percent_max;
  const n = o.document_depth_percent_intervals;
  if (o.document_depth_percent_interval_type === "linear") return linspaceRoundInt(lo, hi, n);
  return linspace(lo, hi, n).map(logistic);
}

/** A length level in tokens: the official grid's plain numbers ("4256"), or "4k" = 4000. */
export function lengthTokens(level: string): number {
  const m = /^(\d+)(k?)$/.exec(level);
  if (!m) throw new LoomError("UNKNOWN_LENGTH", `niah lengths are token counts such as "4256" (got "${level}")`, { hint: `lengths: ${LENGTH_LEVELS.join(", ")}` });
  return Number(m[1]) * (m[2] ? 1000 : 1);
}

/** LOOM-Scope's own haystack file (`{"text": …}`), used when present under --data-dir. */
export const OFFICIAL_HAYSTACK_PATH = "NIAH/PaulGrahamEssays.json";

/** The haystack text once: LOOM-Scope's PaulGrahamEssays.json if given, else the 49 essays in order, or the noise filler. */
async function haystackText(ctx: BenchmarkContext, kind: NiahOptions["haystack"]): Promise<{ text: string; source: string }> {
  if (kind === "noise") return { text: NOISE_TEXT.repeat(64), source: "noise" };
  const local = ctx.data.local(OFFICIAL_HAYSTACK_PATH);
  if (local) {
    const parsed = z.object({ text: z.string().min(1) }).safeParse(JSON.parse(await readFile(local, "utf8")));
    if (!parsed.success) throw new LoomError("DATA", `${local}: expected {"text": "..."} as LOOM-Scope's PaulGrahamEssays.json`);
    ctx.recordProvenance("essays", { [OFFICIAL_HAYSTACK_PATH]: createHash("sha256").update(parsed.data.text).digest("hex") });
    return { text: parsed.data.text, source: OFFICIAL_HAYSTACK_PATH };
  }
  return { text: (await readPaulGrahamEssays(ctx, "essays")).join(""), source: "PaulGrahamEssays/*.txt" };
}

/** Tokenized haystacks, keyed by (tokenizer, haystack source): a cache only, never read by scoring. */
const haystacks = new Map<string, Promise<{ ids: number[] }>>();

/** read_context_files + encode: the text appended to itself until it holds `need` tokens, encoded once. */
async function haystackIds(ctx: BenchmarkContext, tokenizer: Tokenizer, kind: NiahOptions["haystack"], need: number): Promise<number[]> {
  const key = `${tokenizer.id}\u0000${kind}\u0000${ctx.cacheDir}\u0000${ctx.data.local(OFFICIAL_HAYSTACK_PATH) ?? ctx.data.local(paulGrahamEssay("addiction").path) ?? ""}`;
  const load = async () => {
    const { text: one } = await haystackText(ctx, kind);
    let text = one;
    // One exact encoding after a generous estimate (>= 6 characters per token is rare).
    while (text.length < need * 6) text += one;
    let ids = await tokenizer.encode(text, { addSpecialTokens: false });
    while (ids.length < need) {
      text += one;
      ids = await tokenizer.encode(text, { addSpecialTokens: false });
    }
    return { ids };
  };
  let entry = haystacks.get(key);
  if (!entry || (await entry).ids.length < need) {
    entry = load();
    haystacks.set(key, entry);
    entry.catch(() => haystacks.delete(key));
  }
  return (await entry).ids;
}

/** encode_and_trim: cut to `contextLength` tokens, decode, and (as insert_needle does) encode the text again. */
export async function encodeAndTrim(tokenizer: Tokenizer, ids: readonly number[], contextLength: number): Promise<number[]> {
  const text = await tokenizer.decode(ids.slice(0, contextLength), { skipSpecialTokens: false });
  return tokenizer.encode(text, { addSpecialTokens: false });
}

/** insert_needle: trim to length − buffer − needle, back up to a `.` token before the depth, splice; 100 appends. */
export async function insertNeedle(tokenizer: Tokenizer, contextIds: readonly number[], needle: string, depth: number, contextLength: number, buffer: number): Promise<{ ids: number[]; insertAt: number; needleIds: number[] }> {
  const needleIds = await tokenizer.encode(needle, { addSpecialTokens: false });
  const budget = contextLength - buffer;
  const ctxIds = contextIds.length + needleIds.length > budget ? contextIds.slice(0, Math.max(0, budget - needleIds.length)) : [...contextIds];
  if (depth === 100) return { ids: [...ctxIds, ...needleIds], insertAt: ctxIds.length, needleIds };
  const periods = new Set(await tokenizer.encode(".", { addSpecialTokens: false }));
  let at = Math.trunc(ctxIds.length * (depth / 100));
  while (at > 0 && !periods.has(ctxIds[at - 1] as number)) at--;
  return { ids: [...ctxIds.slice(0, at), ...needleIds, ...ctxIds.slice(at)], insertAt: at, needleIds };
}

export const METRIC = "niah_score";

/**
 * NIAH.py `process_data`: a passage longer than the max length is cut in the middle —
 * `decode(ids[:half], skip_special_tokens=True) + decode(ids[-half:], …)` with `half = int(max_length / 2)`
 * over `tokenizer.encode(passage)` (special tokens added) — and only then wrapped in the prompt, so the
 * prompt's own words are never cut and are not counted in the max length.
 */
export async function cutPassage(tokenizer: Tokenizer, passage: string, maxLength: number): Promise<{ passage: string; truncated: boolean }> {
  const ids = await tokenizer.encode(passage, { addSpecialTokens: true });
  if (ids.length <= maxLength) return { passage, truncated: false };
  const half = Math.trunc(maxLength / 2);
  const head = await tokenizer.decode(ids.slice(0, half), { skipSpecialTokens: true });
  const tail = await tokenizer.decode(ids.slice(ids.length - half), { skipSpecialTokens: true });
  return { passage: head + tail, truncated: true };
}

const haystackKey = (o: NiahOptions): string => JSON.stringify([o.haystack]);
const trimmedCache = new WeakMap<Tokenizer, Map<string, Promise<number[]>>>();

async function generate(id: string, g: GenerateContext<typeof NIAH_OPTIONS>): Promise<SampleBody> {
  const ctx = g.ctx;
  const tokenizer = ctx.tokenizer;
  if (!tokenizer) throw new LoomError("TOKENIZER", "niah cuts the haystack in tokens and needs the model's tokenizer", { hint: "pass --tokenizer or use a backend that provides one" });
  const o = g.options;
  const length = g.length as string;
  const L = lengthTokens(length);
  const depth = Number(id.slice(id.lastIndexOf("-d") + 2));
  ctx.recordProvenance("generator", { version: GENERATOR_VERSION, tokenizer: tokenizer.id, depths: depthPercents(o), needle: o.needle, haystack: o.haystack });
  // The haystack encoded and trimmed once per (tokenizer, haystack, length): each depth splices into it.
  let perTokenizer = trimmedCache.get(tokenizer);
  if (!perTokenizer) trimmedCache.set(tokenizer, (perTokenizer = new Map()));
  const key = `${haystackKey(o)}\u0000${ctx.cacheDir}\u0000${ctx.data.local(OFFICIAL_HAYSTACK_PATH) ?? ctx.data.local(paulGrahamEssay("addiction").path) ?? ""}\u0000${L}`;
  let trimmed = perTokenizer.get(key);
  if (!trimmed) {
    trimmed = (async () => encodeAndTrim(tokenizer, await haystackIds(ctx, tokenizer, o.haystack, L), L))();
    trimmed.catch(() => perTokenizer.delete(key));
    perTokenizer.set(key, trimmed);
  }
  const { ids: cellIds, insertAt } = await insertNeedle(tokenizer, await trimmed, o.needle, depth, L, o.final_context_length_buffer);
  const generated = await tokenizer.decode(cellIds, { skipSpecialTokens: false });
  const tokens = (await tokenizer.encode(generated, { addSpecialTokens: false })).length;
  const cut = ctx.maxLength !== undefined ? await cutPassage(tokenizer, generated, ctx.maxLength) : { passage: generated, truncated: false };
  const hash = createHash("sha256").update(JSON.stringify([cut.passage, o.retrieval_question, o.answer])).digest("hex");
  return {
    input: { context: cut.passage, question: o.retrieval_question },
    references: [o.answer],
    meta: {
      depth,
      context_length: L,
      tokens,
      needle_token_index: insertAt,
      hash,
      haystack: o.haystack,
      generator: GENERATOR_VERSION,
      ...(cut.truncated ? { passage_cut_to: ctx.maxLength as number } : {}),
    },
  };
}

/**
 * LOOM-Scope's NIAH score (utils/evaluation/eval.py), 0–100: the share of the answer's distinct
 * lower-cased whitespace-separated words (punctuation kept) that occur in the response,
 * `round(|set(resp) ∩ set(ans)| / |set(ans)| * 100, 2)`. An empty answer scores 0 (Python raises).
 */
export function loomNiahScore(response: string, answer: string): number {
  const expected = new Set(pySplit(answer.toLowerCase()));
  if (expected.size === 0) return 0;
  const got = new Set(pySplit(response.toLowerCase()));
  let hit = 0;
  for (const w of got) if (expected.has(w)) hit++;
  return pyRound((hit / expected.size) * 100, 2);
}

/** The per-sample score on the natural 0–1 scale; aggregate() recovers the official 2-decimal value. */
export const NIAH_SCORE = defineMetric({
  id: METRIC,
  description: "LOOM-Scope NIAH score: share of the answer's distinct lower-cased words in the response (eval.py)",
  score: ({ prediction, references }) => Math.max(0, ...references.map((r) => loomNiahScore(prediction, r))) / 100,
});

export const NIAH_TASKS = defineTasks([
  {
    id: "niah",
    language: "en",
    levels: CONTEXT_LENGTHS.map((n) => ({ label: String(n), unit: "tokens" as const, value: n })),
    maxNewTokens: DEFAULTS.maxNewTokens,
    // The passage was already cut to the max length by the generator (NIAH.py process_data); the prompt is not cut again.
    prompt: { template: PROMPT_TEMPLATE, contextKey: "context", queryKey: "question", truncation: "none" },
    metrics: [NIAH_SCORE],
    tags: ["needle"],
    retrieval: "suitable",
  },
]);

/** A stored 0–1 value back to the official 0–100 score with two decimals. */
const official = (v: number) => pyRound(v * 100, 2);
const depthOf = (meta: JsonObject | null): number | undefined => {
  const d = meta?.["depth"];
  return typeof d === "number" && Number.isFinite(d) ? d : undefined;
};
const tokensOf = (level: string): number => {
  try {
    return lengthTokens(level);
  } catch {
    return Number.POSITIVE_INFINITY;
  }
};

/**
 * eval.py's numbers from the cells core builds (no state kept between calls, so `loom score` in a
 * fresh process gives the same): the total `round(df["Score"].mean(), 2)`, the per-length
 * `round(sum / len, 2)`, and the depth × length pivot of mean scores (the heatmap), grouped by each
 * sample's `meta.depth` as `AggregateCell.meta` carries it.
 */
export function aggregateNiah(cells: readonly AggregateCell[]): BenchmarkAggregate {
  const byLength: Record<string, number | null> = {};
  const all: number[] = [];
  for (const c of cells) {
    const values = (c.values[METRIC] ?? []).map(official);
    all.push(...values);
    byLength[c.length ?? ""] = values.length ? pyRound(pyMean(values), 2) : null;
  }
  const total = all.length ? pyRound(pandasMean(all), 2) : null;
  const out: BenchmarkAggregate = { score: total, tasks: { niah: total }, cells: { niah: byLength } };
  // The heatmap eval.py draws, declared as a view of the results: reports draw it without knowing NIAH.
  const heatmap = pivotTable({
    cells,
    rowOf: depthOf,
    metric: METRIC,
    value: official,
    cellScore: (v) => pyRound(pandasMean(v), 2),
    columnOrder: tokensOf,
    title: "NIAH: needle depth (%) x context length (tokens)",
    rowAxis: "needle depth (%)",
    columnAxis: "context length (tokens)",
    view: "heatmap",
    range: [0, 100],
  });
  if (heatmap) out.tables = [heatmap];
  return out;
}

const niah = defineGeneratedBenchmark({
  id: "niah",
  version: "0.3.0",
  capability: "retrieval",
  description: "Needle in a haystack as LOOM-Scope runs it: one fact hidden at depths 0-100% of Paul Graham essays cut to 40 context lengths (1k-128k tokens); a length x depth heatmap.",
  tasks: NIAH_TASKS,
  options: NIAH_OPTIONS,
  dataSources: ["generated locally over the Paul Graham essays (gkamradt/LLMTest_NeedleInAHaystack), or LOOM-Scope's PaulGrahamEssays.json at <data-dir>/NIAH/"],
  ids: ({ length, options }) => depthPercents(options).map((d) => `niah-${length as string}-d${d}`),
  generate,
  aggregate: (cells) => aggregateNiah(cells),
  scoreOfficial: scoreOfficialDir,
});
export default niah;
export { pySplit } from "@loomscope/metrics";
