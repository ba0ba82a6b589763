/**
 * The run's stages one by one, each with fakes of its neighbours: plan (a fake registry), stream
 * (a fake benchmark counting what it builds), prepare (fake tokenizer and template), dispatch (a
 * fake backend and the cache), score (a fake benchmark and judge).
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  BackendRequestError,
  type Backend,
  type Benchmark,
  type BenchmarkContext,
  type ChatTemplater,
  type GenerateRequest,
  type SampleHandle,
  type SampleRecord,
  type TaskSpec,
  type Tokenizer,
} from "@loomscope/spec";
import type { PluginRegistry } from "../src/plugins/registry.js";
import { buildPlan, type Unit } from "../src/run/plan.js";
import { streamSamples } from "../src/run/stream.js";
import { preparePrompt, type PrepareContext } from "../src/run/prepare.js";
import { dispatch, type DispatchContext } from "../src/run/dispatch.js";
import { AdaptiveLimiter } from "../src/run/limiter.js";
import { ResponseCache } from "../src/run/cache.js";
import { scoreRecord, judgeMetricsOf } from "../src/run/score.js";
import { sampleKey } from "../src/run/store.js";
import { aggregateBenchmark } from "../src/run/aggregate.js";

const task = (id: string, lengths: string[] = []): TaskSpec => ({ id, language: "en", lengths, maxNewTokens: 8, metrics: ["m"] });

/** A benchmark whose ids are `<task>_<length>-<i>` and which counts the samples it builds. */
function fakeBenchmark(n = 10, extra: Partial<Benchmark> = {}): Benchmark & { built: string[] } {
  const built: string[] = [];
  return {
    kind: "benchmark",
    apiVersion: 1,
    id: "fake",
    version: "1",
    capability: "general",
    description: "fake",
    tasks: [task("a", ["4k", "8k"]), task("b")],
    built,
    async *samples() {
      throw new Error("handles() is preferred");
    },
    async *handles(request): AsyncGenerator<SampleHandle> {
      for (let i = 0; i < n; i++) {
        const id = `${request.task}_${request.length ?? "x"}-${i}`;
        yield {
          id,
          load: async () => {
            built.push(id);
            return { id, task: request.task, ...(request.length ? { length: request.length } : {}), input: { context: `c${i}` }, references: [`r${i}`] };
          },
        };
      }
    },
    prompt: (sample) => ({ template: "{context}", values: sample.input }),
    score: ({ prediction, references }) => ({ m: prediction === references[0] ? 1 : 0 }),
    options: { mode: { type: "string", values: ["fast", "slow"], default: "fast", description: "d" } },
    protocols: ["official"],
    ...extra,
  };
}

function fakeRegistry(benchmark: Benchmark): PluginRegistry {
  const plugin = { manifest: { kind: "benchmark", id: benchmark.id, apiVersion: 1, entry: "x" }, packageName: "fake", version: "1", description: undefined, dir: "/" };
  return {
    find: (kind: string, id: string) => (kind === "benchmark" && id === benchmark.id ? plugin : undefined),
    load: async () => benchmark,
    require: () => plugin,
    list: (kind?: string) => (kind === undefined || kind === "benchmark" ? [plugin] : []),
  } as unknown as PluginRegistry;
}

describe("plan", () => {
  it("validates options (with a guess), applies defaults, notes a protocol the benchmark lacks, and makes units", async () => {
    const b = fakeBenchmark();
    const plan = await buildPlan(fakeRegistry(b), { targets: ["fake"], cwd: "/", protocol: "loom", benchmarkOptions: {} });
    expect(plan.units.map((u) => [u.task.id, u.length])).toEqual([["a", "4k"], ["a", "8k"], ["b", undefined]]);
    expect(plan.entries[0]!.options).toEqual({ mode: "fast" });
    expect(plan.entries[0]!.protocol).toBe("official");
    expect(plan.notices[0]).toMatch(/one protocol \(official\)/);
    await expect(buildPlan(fakeRegistry(b), { targets: ["fake"], cwd: "/", benchmarkOptions: { fake: { mdoe: "slow" } } })).rejects.toThrow(/no option "mdoe" \(did you mean "mode"\?\)/);
    await expect(buildPlan(fakeRegistry(b), { targets: ["fake"], cwd: "/", benchmarkOptions: { fake: { mode: "turbo" } } })).rejects.toThrow(/"turbo" is not allowed/);
    await expect(buildPlan(fakeRegistry(b), { targets: ["fake"], cwd: "/", tasks: ["a", "zz"] })).rejects.toThrow(/--tasks: no planned benchmark has task "zz"/);
    await expect(buildPlan(fakeRegistry(b), { targets: ["fake"], cwd: "/", lengths: ["16k"] })).rejects.toThrow(/--lengths: no planned task has length level "16k"/);
    await expect(buildPlan(fakeRegistry(b), { targets: ["fkae"], cwd: "/" })).rejects.toThrow(/did you mean "fake"/);
  });
});

describe("stream", () => {
  const ctxFor = (): BenchmarkContext => ({ cacheDir: "/", data: {} as never, seed: 0, options: {}, signal: new AbortController().signal, log: () => {}, reportDataIssue: () => {}, recordProvenance: () => {} });
  async function drain(units: readonly Unit[], done: Set<string>, shard?: { index: number; count: number }) {
    const planned = new Set<string>();
    const completed: string[][] = [];
    const out: string[] = [];
    for await (const { sample } of streamSamples(units, {
      contextFor: ctxFor,
      done,
      shard,
      signal: new AbortController().signal,
      planned,
      onUnitStart: () => {},
      onUnitEnd: () => {},
      onUnitError: () => {},
      onDuplicate: () => {},
      onUnitComplete: (_u, ids) => completed.push([...ids]),
    })) {
      out.push(sample.id);
    }
    return { out, planned, completed };
  }

  it("applies limit, resume and shard to ids, building only the samples that run", async () => {
    const b = fakeBenchmark(10);
    const plan = await buildPlan(fakeRegistry(b), { targets: ["fake"], cwd: "/", tasks: ["a"], lengths: ["4k"], limit: 6 });
    const key = (id: string) => sampleKey({ benchmark: "fake", task: "a", length: "4k", id });
    // Resumed: the first four are done; only two are built.
    const resumed = await drain(plan.units, new Set([0, 1, 2, 3].map((i) => key(`a_4k-${i}`))));
    expect(resumed.out).toEqual(["a_4k-4", "a_4k-5"]);
    expect(b.built).toEqual(["a_4k-4", "a_4k-5"]);
    expect(resumed.planned.size).toBe(6);
    expect(resumed.completed).toEqual([["a_4k-0", "a_4k-1", "a_4k-2", "a_4k-3", "a_4k-4", "a_4k-5"]]);
    // A finished unit: nothing is built.
    b.built.length = 0;
    expect((await drain(plan.units, new Set([0, 1, 2, 3, 4, 5].map((i) => key(`a_4k-${i}`))))).out).toEqual([]);
    expect(b.built).toEqual([]);
    // Shards: disjoint, together the plan, each builds only its own.
    const seen: string[] = [];
    for (let index = 0; index < 3; index++) {
      b.built.length = 0;
      const part = await drain(plan.units, new Set(), { index, count: 3 });
      expect(b.built).toEqual(part.out);
      seen.push(...part.out);
    }
    expect(seen.sort()).toEqual(["a_4k-0", "a_4k-1", "a_4k-2", "a_4k-3", "a_4k-4", "a_4k-5"]);
  });
});

describe("prepare", () => {
  const words: Tokenizer = {
    id: "words",
    encode: async (text) => text.split(" ").map((_, i) => i + 10),
    decode: async (ids) => ids.map(() => "w").join(" "),
  };
  const template: ChatTemplater = { id: "tpl", apply: (messages) => messages.map((m) => `<${m.role}>${m.content}`).join("") + "<assistant>" };
  const ctx = (over: Partial<PrepareContext> = {}): PrepareContext => ({
    promptBindings: [],
    tokenizer: words,
    templater: template,
    capabilities: { promptModes: ["raw"], exactTokenizer: true, features: [] },
    maxLengthFor: () => undefined,
    systemPrompt: undefined,
    logPrompts: "snippet",
    retry: { attempts: 1, baseDelayMs: 0, maxDelayMs: 0 },
    signal: new AbortController().signal,
    onRawAsChat: () => {},
    ...over,
  });
  const t = task("t");

  it("templates chat prompts with the model's template and sends raw prompts as they are", async () => {
    const chat = await preparePrompt({ template: "Q: {q}", values: { q: "hi" }, history: [{ role: "user", content: "ex" }, { role: "assistant", content: "ok" }] }, t, "s", ctx());
    expect(chat.request).toEqual({ kind: "raw", text: "<user>ex<assistant>ok<user>Q: hi<assistant>" });
    expect(chat.stats.mode).toBe("chat-template");
    const raw = await preparePrompt({ template: "Q: {q}", values: { q: "hi" }, chat: false, assistantPrefix: " A:" }, t, "s", ctx());
    expect(raw.request).toEqual({ kind: "raw", text: "Q: hi A:" });
    let warned = 0;
    const asChat = await preparePrompt({ template: "Q: {q}", values: { q: "hi" }, chat: false }, t, "s", ctx({ capabilities: { promptModes: ["chat"], exactTokenizer: false, features: [] }, onRawAsChat: () => warned++ }));
    expect(asChat.request).toEqual({ kind: "chat", messages: [{ role: "user", content: "Q: hi" }] });
    expect([asChat.stats.mode, warned]).toEqual(["raw-as-chat", 1]);
    await expect(preparePrompt({ template: "x", values: {}, chat: false, history: [{ role: "user", content: "a" }] }, t, "s", ctx())).rejects.toThrow(/earlier turns/);
  });

  it("renders chained str.replace templates (a placeholder inside an earlier value is replaced too) and cuts as asked", async () => {
    const replaced = await preparePrompt(
      { template: "DOC: $DOC$ Q: $Q$", values: { doc: "about $Q$", q: "why" }, replacements: [{ placeholder: "$DOC$", key: "doc" }, { placeholder: "$Q$", key: "q" }], chat: false },
      t,
      "s",
      ctx(),
    );
    expect(replaced.request).toEqual({ kind: "raw", text: "DOC: about why Q: why" });
    const long = "one two three four five six seven eight nine ten";
    const cut = await preparePrompt({ template: "{context}", values: { context: long }, truncation: "keep-head", chat: false }, t, "s", ctx({ maxLengthFor: () => 4 }));
    expect(cut.stats).toMatchObject({ truncated: true, tokens: 4 });
    const none = await preparePrompt({ template: "{context}", values: { context: long }, truncation: "none", chat: false }, t, "s", ctx({ maxLengthFor: () => 4 }));
    expect(none.stats.truncated).toBe(false);
  });

  it("refuses to send a prompt the model's window cannot hold: counted even when not cut, with the budget of the turn", async () => {
    const ten = "one two three four five six seven eight nine ten";
    const fit = (window: number) => ctx({ windowFor: (_task, turn) => ({ window, budget: turn ?? 2 }) });
    // 10 tokens + a 2-token answer fit a 12-token window; not an 11-token one.
    await expect(preparePrompt({ template: "{context}", values: { context: ten }, truncation: "none", chat: false }, t, "s", fit(12))).resolves.toBeDefined();
    await expect(preparePrompt({ template: "{context}", values: { context: ten }, truncation: "none", chat: false }, t, "s", fit(11))).rejects.toMatchObject({
      code: "PROMPT_TOO_LONG",
      message: "the prompt is 10 tokens, longer than the 9 the model's 11-token window leaves after the 2-token answer",
    });
    // A turn with its own generation limit is checked against that one.
    await expect(preparePrompt({ template: "{context}", values: { context: ten }, truncation: "none", chat: false, maxNewTokens: 3 }, t, "s", fit(12))).rejects.toMatchObject({ code: "PROMPT_TOO_LONG" });
    // A cut prompt is checked after the cut.
    await expect(preparePrompt({ template: "{context}", values: { context: ten }, truncation: "keep-head", chat: false }, t, "s", { ...fit(11), maxLengthFor: () => 4 })).resolves.toMatchObject({ stats: { tokens: 4 } });
  });
});

describe("dispatch", () => {
  it("retries what the server asks to retry, sends task and user generation settings, and answers repeats from the cache", async () => {
    const seen: GenerateRequest[] = [];
    let fail = 1;
    const backend = {
      id: "fake",
      model: "m",
      capabilities: () => ({ promptModes: ["chat"], exactTokenizer: false, features: [] }),
      describe: () => ({}),
      generate: async (request: GenerateRequest) => {
        seen.push(request);
        if (fail-- > 0) throw new BackendRequestError("busy", { status: 503, retryable: true, retryAfterMs: 1 });
        return { text: "answer", usage: { promptTokens: 5, completionTokens: 1 }, timings: { totalMs: 1 }, finishReason: "stop" as const };
      },
    } as unknown as Backend;
    const ctx: DispatchContext = {
      backend,
      modelIdentity: { backend: "fake", model: "m" },
      limiter: new AdaptiveLimiter(2),
      retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 2 },
      timeoutMs: 5000,
      engine: [],
      gen: { top_p: 0.9 },
      cache: new ResponseCache(mkdtempSync(join(tmpdir(), "loom-dispatch-"))),
      signal: new AbortController().signal,
      onRetry: () => {},
    };
    const request = { prompt: { kind: "chat" as const, messages: [{ role: "user" as const, content: "q" }] }, maxNewTokens: 8, expectedPromptTokens: null, generation: { stop: ["\n"], minNewTokens: 1 } };
    const first = await dispatch(request, ctx);
    expect([first.result.text, first.attempts, first.cached]).toEqual(["answer", 2, false]);
    expect(seen[1]).toMatchObject({ maxNewTokens: 8, temperature: 0, topP: 0.9, stop: ["\n"], minNewTokens: 1 });
    const again = await dispatch(request, ctx);
    expect([again.result.text, again.attempts, again.cached, seen.length]).toEqual(["answer", 0, true, 2]);
    const hotter = await dispatch(request, { ...ctx, gen: { top_p: 0.9, temperature: 0.5 } });
    expect([hotter.cached, seen.length]).toEqual([false, 3]);
    ctx.limiter.dispose();
  });
});

describe("score and aggregate", () => {
  it("scores with the judge, records its calls, and lists the metrics that need one", async () => {
    const b = fakeBenchmark(1, {
      metrics: { m: { id: "m" }, judged: { id: "judged", judge: "LLM judge" } },
      tasks: [{ ...task("a"), metrics: ["m", "judged"] }],
      score: async ({ prediction, judge }) => ({ m: 1, judged: Number(await judge!.complete({ messages: [{ role: "user", content: prediction }] })) }),
    });
    expect(judgeMetricsOf(b, ["a"])).toEqual(["fake/a: judged (LLM judge)"]);
    const judge = { id: "fake:j", forSample: (calls: unknown[]) => ({ id: "fake:j", complete: async () => (calls.push({ judge: "fake:j", requestHash: "h", verdict: "0.5", cached: false }), "0.5") }), stats: { calls: 0, cached: 0 }, dispose: async () => {} };
    const scored = await scoreRecord(b, { task: "a", length: null, references: ["x"], prediction: "p" }, { judge: judge as never, protocol: "official" });
    expect(scored).toEqual({ scores: { m: 1, judged: 0.5 }, score: 1, judgeCalls: [{ judge: "fake:j", requestHash: "h", verdict: "0.5", cached: false }] });
  });

  it("shows planned cells that never ran and marks the score partial", () => {
    const b = fakeBenchmark(1);
    const rec = (id: string, status: "ok" | "error", m: number | null): SampleRecord => ({
      v: 1 as const, id, benchmark: "fake", task: "a", length: "4k", status, prediction: null, references: [], scores: m === null ? {} : { m }, score: m,
      prompt: null, usage: { promptTokens: null, completionTokens: null }, timings: { startedAt: "", totalMs: 0 }, accelerators: [], attempts: 1, error: status === "error" ? { code: "X", message: "boom" } : null,
    });
    const planned = new Set(["a_4k-0", "a_4k-1", "a_4k-2", "a_4k-3"].map((id) => sampleKey({ benchmark: "fake", task: "a", length: "4k", id })));
    const result = aggregateBenchmark(b, [rec("a_4k-0", "ok", 1), rec("a_4k-1", "ok", 0), rec("a_4k-2", "error", null)], {
      planned,
      units: [{ task: "a", length: "4k" }, { task: "b", length: null }],
      unitErrors: new Map([["b\u0000", "data missing"]]),
      bootstrap: 0,
    });
    expect(result.status?.cells["a"]?.["4k"]).toMatchObject({ planned: 4, scored: 2, failed: 1, notRun: 1, firstError: "boom", metrics: { m: { mean: 50, n: 2 } } });
    // sd of [1, 0] = 0.7071; / √2 = 0.5; × 100.
    expect(result.status?.cells["a"]?.["4k"]?.metrics["m"]?.stderr).toBeCloseTo(50, 10);
    expect(result.status?.cells["b"]?.["all"]).toMatchObject({ scored: 0, unitError: "data missing" });
    expect(result.partial).toBe(true);
    expect(result.partialReason).toMatch(/1 planned sample\(s\) did not run \(b: data missing\); 1 failed sample/);
  });

  it("counts a sample skipped for the window as not run, apart from failures, and says why", () => {
    const b = fakeBenchmark(1);
    const rec = (id: string, status: "ok" | "skipped", m: number | null): SampleRecord => ({
      v: 1 as const, id, benchmark: "fake", task: "a", length: "4k", status, prediction: null, references: [], scores: m === null ? {} : { m }, score: m,
      prompt: null, usage: { promptTokens: null, completionTokens: null }, timings: { startedAt: "", totalMs: 0 }, accelerators: [], attempts: 0,
      error: status === "skipped" ? { code: "PROMPT_TOO_LONG", message: "the prompt is 9 tokens, longer than 8" } : null,
    });
    const planned = new Set(["a_4k-0", "a_4k-1"].map((id) => sampleKey({ benchmark: "fake", task: "a", length: "4k", id })));
    const result = aggregateBenchmark(b, [rec("a_4k-0", "ok", 1), rec("a_4k-1", "skipped", null)], { planned, units: [{ task: "a", length: "4k" }], bootstrap: 0 });
    expect(result.status?.cells["a"]?.["4k"]).toMatchObject({ planned: 2, scored: 1, failed: 0, notRun: 1, skipped: 1, skipReason: "the prompt is 9 tokens, longer than 8", firstError: null });
    expect(result.status?.total).toMatchObject({ notRun: 1, skipped: 1 });
    expect(result.samples).toEqual({ ok: 1, errors: 0 });
    expect(result.partial).toBe(true);
    expect(result.partialReason).toBe("1 planned sample(s) did not run (1 skipped: the prompt is 9 tokens, longer than 8)");
  });
});

