/**
 * The cost plan (`loom plan`): what a run will send before it sends anything. Every prompt is built
 * by the run's own prepare stage (benchmark prompt → accelerators → format → truncation → window
 * check), so "will be truncated" and "too long for the window" are the run's verdicts, not a guess.
 * Samples already recorded in the run directory, or whose exact request is in the response cache,
 * are subtracted. Tokens are counted with the bound tokenizer (exact when it is the backend's), and
 * estimated at 4 characters a token without one, labelled so. Cost from a price per 1M tokens; GPU
 * hours from prefill/decode throughput given or measured by a short probe of the live server.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { isLoomError, LoomError, type GeneratePrompt, type SampleRecord } from "@loomscope/spec";
import { DEFAULT_RETRY_POLICY, withRetry } from "../retry.js";
import type { Bound } from "./bind.js";
import { ResponseCache } from "./cache.js";
import { responseCacheKey } from "./dispatch.js";
import { firstPromptParts, prepareContextOf, type PrepareSource } from "./pipeline.js";
import type { Unit } from "./plan.js";
import { preparePrompt } from "./prepare.js";
import { benchmarkContext, bindSession, checkBeforeRun, maxLengthRule, openSession, systemPromptOf, windowRule, type RunOptions, type Session } from "./runner.js";
import { parseShard } from "./specs.js";
import { RunStore, sampleKey } from "./store.js";
import { streamSamples } from "./stream.js";

/** Characters a token when no tokenizer is bound (English prose with BPE tokenizers): an estimate, labelled so. */
export const CHARS_PER_TOKEN_ESTIMATE = 4;

export interface EstimateRow {
  benchmark: string;
  task: string;
  length: string | null;
  /** Samples of the plan (this shard's, with `--shard`). */
  samples: number;
  /** Already in the run directory (ok or skipped; failed ones run again unless `--no-retry-errors`). */
  recorded: number;
  /** Answered by the response cache: the exact request was sent before. */
  cached: number;
  /** Requests the run will send (first turns; a multi-turn sample sends more). */
  requests: number;
  /** Prompt tokens of those requests: raw prompts as sent (template and the tokenizer's special tokens included); chat messages without the server's template. */
  promptTokens: number;
  /** Generation tokens at most: each request's budget. */
  maxNewTokens: number;
  /** Prompts cut to the max input (sent or cached). */
  truncated: number;
  /** Prompts over the model's window: recorded as skipped, never sent. */
  tooLong: number;
  /** Samples whose prompt could not be built (the run records them as failed). */
  failed: number;
  /** The unit's data could not be read: why. */
  error?: string;
  /** The benchmark sends follow-up turns: only the first is counted. */
  multiTurn?: boolean;
}

export type EstimateTotals = Omit<EstimateRow, "benchmark" | "task" | "length" | "error" | "multiTurn">;

export interface PriceOption {
  /** USD per 1M input tokens. */
  inputPerMTok: number;
  /** USD per 1M output tokens. */
  outputPerMTok: number;
}

export interface ThroughputOption {
  /** Prompt tokens a second (aggregate, all requests in flight). */
  prefill: number;
  /** Generated tokens a second (aggregate). */
  decode: number;
}

export interface EstimateOptions {
  price?: PriceOption;
  throughput?: ThroughputOption;
  /** Time a prefill-heavy and a decode-heavy request on the live server for the throughput (sends two requests). */
  measure?: boolean;
  /**
   * No tokenizer call (`loom run`'s line before it starts, which must not tokenize every prompt
   * twice): prompts are built (without prompt accelerators) but not cut, tokens estimated from
   * characters and capped at the max input, nothing is checked against the window or the response cache.
   */
  quick?: boolean;
}

export interface RunEstimate {
  model: string;
  runDir: string;
  /** How prompt tokens were counted: `exact` with the backend's tokenizer, `tokenizer` with the one given, `estimate` from characters. */
  tokens: { basis: "exact" | "tokenizer" | "estimate"; tokenizer: string | null };
  rows: EstimateRow[];
  totals: EstimateTotals;
  /** Upper bound (every answer at its budget); null without a price. */
  cost: (PriceOption & { usd: number; source: string }) | null;
  /** Upper bound in GPU-hours at the throughput; null without one. */
  gpu: (ThroughputOption & { source: string; prefillHours: number; decodeHours: number; hours: number; measured?: MeasuredThroughput }) | null;
  notices: string[];
}

export interface MeasuredThroughput {
  prefill: { promptTokens: number; ms: number };
  decode: { completionTokens: number; ms: number };
}

const EMPTY_TOTALS = (): EstimateTotals => ({ samples: 0, recorded: 0, cached: 0, requests: 0, promptTokens: 0, maxNewTokens: 0, truncated: 0, tooLong: 0, failed: 0 });

const promptChars = (p: GeneratePrompt): number => (p.kind === "raw" ? p.text.length : p.messages.reduce((a, m) => a + m.content.length, 0));
const promptText = (p: GeneratePrompt): string => (p.kind === "raw" ? p.text : p.messages.map((m) => m.content).join("\n"));

/** `loom plan`: bind the backend (no generation request, unless `measure`), build every prompt, count. */
export async function estimateRun(options: RunOptions & { estimate?: EstimateOptions }): Promise<RunEstimate> {
  const { estimate: costs = {}, ...runOptions } = options;
  const s = await openSession(runOptions);
  const bound = await bindSession(s);
  try {
    const maxLengthFor = maxLengthRule(s, bound);
    const notices: string[] = [];
    // What loom run would refuse (no judge, no tokenizer, …) is said; the plan still says what it would cost.
    checkBeforeRun(s, bound, maxLengthFor, (refusal) =>
      notices.push(`loom run would refuse: ${refusal.message}${refusal.hint ? ` (${refusal.hint})` : ""}${isLoomError(refusal, "TOKENIZER") ? "; tokens are estimated and nothing is truncated here" : ""}`),
    );
    let throughput = costs.throughput ? { ...costs.throughput, source: "--throughput" } : undefined;
    let measured: MeasuredThroughput | undefined;
    if (costs.measure) {
      measured = await measureThroughput(bound, s.controller.signal);
      throughput = {
        prefill: measured.prefill.promptTokens / (measured.prefill.ms / 1000),
        decode: measured.decode.completionTokens / (measured.decode.ms / 1000),
        source: "measured (one request at a time: servers that batch reach more in aggregate)",
      };
    }
    const estimate = await estimateBound(s, bound, maxLengthFor, { ...costs, ...(throughput ? { throughput } : {}) });
    if (estimate.gpu && throughput) estimate.gpu = { ...estimate.gpu, source: throughput.source, ...(measured ? { measured } : {}) };
    estimate.notices.unshift(...notices);
    return estimate;
  } finally {
    await bound.dispose();
  }
}

/**
 * The samples the run directory already holds, which the run would not send again (a failed one
 * is sent again unless --no-retry-errors). A directory of another configuration adds a notice: the
 * run itself refuses it.
 */
async function recordedKeys(s: Session, notices: string[]): Promise<Set<string>> {
  const done = new Set<string>();
  if (!existsSync(join(s.runDir, "manifest.json"))) return done;
  const store = RunStore.openForReading(s.runDir);
  try {
    const manifest = store.readManifest();
    if (manifest && manifest.configHash !== s.identity.hash) {
      notices.push(`${s.runDir} holds a run with a different configuration: loom run will refuse it (use another --run-dir)`);
      return done;
    }
    const retryErrors = s.settings.retryErrors ?? true;
    for (const [key, record] of await store.records()) if ((record as SampleRecord).status !== "error" || !retryErrors) done.add(key);
  } finally {
    store.close();
  }
  return done;
}

/** The run's prepare inputs for the estimate; `windowOf` unset (quick mode) skips the window check. */
function prepareSourceOf(s: Session, bound: Bound, windowOf: Bound | undefined, maxLengthFor: (unit: Unit) => number | undefined): PrepareSource {
  return {
    bound,
    maxLengthFor,
    systemPrompt: systemPromptOf(s.settings.systemPrompt, s.cwd),
    settings: s.settings,
    retry: s.settings.retry ?? DEFAULT_RETRY_POLICY,
    signal: s.controller.signal,
    onRawAsChat: () => undefined,
    ...(windowOf ? { windowFor: windowRule(s, windowOf) } : {}),
  };
}

function totalsOf(rows: readonly EstimateRow[]): EstimateTotals {
  const totals = EMPTY_TOTALS();
  for (const row of rows) for (const k of Object.keys(totals) as (keyof EstimateTotals)[]) totals[k] += row[k];
  return totals;
}

/** The estimate over a bound backend (also what `loom run` prints before it starts). */
export async function estimateBound(s: Session, bound: Bound, maxLengthFor: (unit: Unit) => number | undefined, costs: EstimateOptions): Promise<RunEstimate> {
  const signal = s.controller.signal;
  const notices = [...s.plan.notices];
  const done = await recordedKeys(s, notices);
  const quick = costs.quick === true;
  const cache = s.settings.cache !== false && !quick ? new ResponseCache(join(s.cacheDir, "responses", "generate")) : undefined;
  // Quick: the prompts as built without a tokenizer (no cut, no window check) and without prompt
  // accelerators (a retrieval per sample would be paid twice).
  const prepareBound: Bound = quick ? { ...bound, tokenizer: undefined, promptBindings: [] } : bound;
  const source = prepareSourceOf(s, prepareBound, quick ? undefined : bound, maxLengthFor);
  const modelIdentity = { backend: bound.backendId, ...(bound.backend.identity?.() ?? { model: bound.model }) };
  const tokenizer = prepareBound.tokenizer;
  const rows = new Map<Unit, EstimateRow>();
  const rowOf = (unit: Unit): EstimateRow => {
    let row = rows.get(unit);
    if (!row) {
      row = { benchmark: unit.entry.benchmark.id, task: unit.task.id, length: unit.length ?? null, ...EMPTY_TOTALS(), ...(unit.entry.benchmark.followUp ? { multiTurn: true } : {}) };
      rows.set(unit, row);
    }
    return row;
  };
  for (const unit of s.plan.units) rowOf(unit);
  const planned = new Set<string>();
  const shard = s.settings.shard ? parseShard(s.settings.shard, s.env) : undefined;
  const iterator = streamSamples(s.plan.units, {
    // Data issues are reported as the run reports them (once per session: the run that follows
    // does not repeat them); the benchmark's own log lines are left to the run.
    contextFor: (unit) => ({ ...benchmarkContext(s, unit, () => undefined, { maxLengthFor, bound }), log: () => undefined }),
    done,
    shard,
    signal,
    planned,
    onUnitStart: () => undefined,
    onUnitEnd: () => undefined,
    onUnitError: (unit, error) => {
      rowOf(unit).error = s.redact(error instanceof Error ? error.message : String(error));
    },
    onDuplicate: () => undefined,
    onUnitComplete: () => undefined,
  });
  const encode = async (text: string): Promise<number> => (await withRetry(() => tokenizer!.encode(text), { policy: source.retry, signal })).value.length;
  const countTokens = async (counted: number | null, request: GeneratePrompt): Promise<number> => {
    // A raw prompt is the text the server tokenizes, chat template included: counted as sent.
    if (tokenizer && request.kind === "raw") return encode(request.text);
    if (counted !== null) return counted;
    if (tokenizer) return encode(promptText(request));
    return Math.ceil(promptChars(request) / CHARS_PER_TOKEN_ESTIMATE);
  };
  /** Quick mode's estimate of a prompt cut to the unit's max input: [tokens, cut]. */
  const quickTokens = (unit: Unit, request: GeneratePrompt): [number, boolean] => {
    const estimate = Math.ceil(promptChars(request) / CHARS_PER_TOKEN_ESTIMATE);
    const limit = maxLengthFor(unit);
    return limit !== undefined && estimate > limit ? [limit, true] : [estimate, false];
  };
  const workers = Math.max(1, s.settings.prepareConcurrency ?? 4);
  await Promise.all(
    Array.from({ length: workers }, async () => {
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        const { unit, sample } = next.value;
        const row = rowOf(unit);
        try {
          // The benchmark builds its prompt as in the run (some cut it themselves with the tokenizer).
          const parts = await firstPromptParts({ ...source, bound }, unit, sample);
          const prepared = await preparePrompt(parts, unit.task, sample.id, prepareContextOf(source, unit));
          const [quickCount, quickCut] = quick ? quickTokens(unit, prepared.request) : [0, false];
          if (prepared.stats.truncated || quickCut) row.truncated++;
          const maxNewTokens = parts.maxNewTokens ?? unit.task.maxNewTokens;
          const request = { prompt: prepared.request, maxNewTokens, expectedPromptTokens: null, generation: unit.task.generation };
          if (cache?.has(responseCacheKey(request, { modelIdentity, gen: s.settings.gen ?? {}, engine: bound.engineDirectives }))) {
            row.cached++;
            continue;
          }
          row.requests++;
          row.promptTokens += quick ? quickCount : await countTokens(prepared.countedTokens, prepared.request);
          row.maxNewTokens += s.settings.gen?.max_tokens ?? maxNewTokens;
        } catch (error) {
          if (signal.aborted) throw error;
          if (isLoomError(error, "PROMPT_TOO_LONG")) row.tooLong++;
          else if (isLoomError(error, "TOKENIZER") || isLoomError(error, "BACKEND_FATAL")) throw error;
          else row.failed++;
        }
      }
    }),
  );
  for (const key of planned) {
    const unit = s.plan.units.find((u) => key.startsWith(u.key));
    if (unit) {
      const row = rowOf(unit);
      row.samples++;
      if (done.has(key)) row.recorded++;
    }
  }
  const list = s.plan.units.map(rowOf);
  const totals = totalsOf(list);
  if (quick) notices.push("quick estimate: tokens at 4 characters a token, capped at the max input; prompt accelerators not applied; the window and the response cache not checked (loom plan counts exactly)");
  if (list.some((r) => r.multiTurn)) notices.push("some benchmarks send follow-up turns: only the first turn of each sample is counted");
  const price = costs.price ? { ...costs.price, source: "--price" } : backendPricing(s);
  const cost = price ? { ...price, usd: (totals.promptTokens * price.inputPerMTok + totals.maxNewTokens * price.outputPerMTok) / 1e6 } : null;
  const tp = costs.throughput;
  const gpu = tp ? { prefill: tp.prefill, decode: tp.decode, source: "--throughput", ...gpuHours(totals, tp) } : null;
  return {
    model: s.settings.model!,
    runDir: s.runDir,
    tokens: { basis: tokenizer ? (bound.tokenizerSource.startsWith("backend") ? "exact" : "tokenizer") : "estimate", tokenizer: tokenizer?.id ?? null },
    rows: list,
    totals,
    cost,
    gpu,
    notices,
  };
}

/**
 * GPU-hours of a workload at an aggregate throughput: prompt tokens at the prefill rate plus the
 * generation budget at the decode rate (an upper bound: answers usually stop before their budget).
 */
export function gpuHours(work: { promptTokens: number; maxNewTokens: number }, throughput: ThroughputOption): { prefillHours: number; decodeHours: number; hours: number } {
  const prefillHours = work.promptTokens / throughput.prefill / 3600;
  const decodeHours = work.maxNewTokens / throughput.decode / 3600;
  return { prefillHours, decodeHours, hours: prefillHours + decodeHours };
}

/** The backend's own `pricing` option (openai), when it has one. */
function backendPricing(s: Session): (PriceOption & { source: string }) | undefined {
  const p = s.backendOptions["pricing"];
  if (p && typeof p === "object" && !Array.isArray(p) && typeof p["inputPerMTok"] === "number" && typeof p["outputPerMTok"] === "number") {
    return { inputPerMTok: p["inputPerMTok"], outputPerMTok: p["outputPerMTok"], source: "backend pricing option" };
  }
  return undefined;
}

/** Tokens of the prefill probe's prompt (capped by the window) and the decode probe's budget. */
const PREFILL_PROBE_TOKENS = 4096;
const DECODE_PROBE_TOKENS = 256;

/**
 * Two requests on the live server, past the response cache: a long prompt with one new token
 * (prefill-heavy) and a short prompt with a long answer (decode-heavy). Each is unique (a nonce), so
 * a server's prefix cache cannot answer it.
 */
export async function measureThroughput(bound: Bound, signal: AbortSignal): Promise<MeasuredThroughput> {
  const nonce = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  const window = bound.capabilities.maxInputTokens;
  const target = Math.max(64, Math.min(PREFILL_PROBE_TOKENS, window !== undefined ? window - 64 : PREFILL_PROBE_TOKENS));
  const sentence = "The quick brown fox jumps over the lazy dog near the quiet river bank. ";
  let filler = `[${nonce}] ` + sentence.repeat(Math.ceil((target * CHARS_PER_TOKEN_ESTIMATE) / sentence.length));
  if (bound.tokenizer) {
    // Cut to the target with the model's tokenizer, so the probe fits the window.
    const ids = await bound.tokenizer.encode(filler, { addSpecialTokens: false });
    if (ids.length > target) filler = await bound.tokenizer.decode(ids.slice(0, target), { skipSpecialTokens: true });
  }
  const promptOf = (text: string): GeneratePrompt => (bound.capabilities.promptModes.includes("chat") ? { kind: "chat", messages: [{ role: "user", content: text }] } : { kind: "raw", text });
  const time = async (text: string, maxNewTokens: number) => {
    const t0 = performance.now();
    const result = await bound.backend.generate({ prompt: promptOf(text), maxNewTokens, temperature: 0, ...(bound.engineDirectives.length ? { engine: bound.engineDirectives } : {}), signal });
    return { result, ms: performance.now() - t0 };
  };
  const prefill = await time(filler, 1);
  const decode = await time(`[${nonce}] Count upwards from 1, one number after another, and never stop:`, DECODE_PROBE_TOKENS);
  const promptTokens = prefill.result.usage.promptTokens;
  const completionTokens = decode.result.usage.completionTokens;
  if (!promptTokens || !completionTokens) {
    throw new LoomError("BACKEND", `--measure: ${bound.backendId} did not report token usage (prompt ${promptTokens ?? "?"}, completion ${completionTokens ?? "?"}), so no throughput can be measured`, {
      hint: "give the throughput instead: --throughput prefill=<tok/s>,decode=<tok/s>",
    });
  }
  return { prefill: { promptTokens, ms: prefill.ms }, decode: { completionTokens, ms: decode.ms } };
}
