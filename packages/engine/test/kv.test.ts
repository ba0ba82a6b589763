import { describe, expect, it } from "vitest";
import {
  HeadCache,
  PyramidKVPolicy,
  Transformer,
  gaussian,
  kvPolicy,
  mulberry32,
  pyramidBudgets,
  randomModel,
  resolveKvParams,
  snapkvSelect,
  softmaxScores,
  syntheticHead,
  type HeadInput,
  type KVPolicy,
  attendHead,
  newCounter,
} from "../src/index.js";
import { columnSums, prefillCaches, sessionOver } from "./helpers.js";

describe("snapkv follows the paper's selection", () => {
  it("hand-checked: votes are pooled (avg, kernel 3, zero padding counted) before top-k", () => {
    // Summed window attention over a 6-token prefix.
    const votes = [0.3, 0.05, 0.4, 0.1, 0.0, 0.25];
    // avg-pooled: [0.35/3, 0.75/3, 0.55/3, 0.5/3, 0.35/3, 0.25/3] = [.117, .250, .183, .167, .117, .083]
    expect(snapkvSelect(votes, 2, 3, "avgpool")).toEqual([1, 2]);
    // Without pooling (kernel 1) the raw top-2 would be tokens 2 and 0: pooling keeps clusters, not spikes.
    expect(snapkvSelect(votes, 2, 1, "avgpool")).toEqual([0, 2]);
    // max-pooled (−∞ padding): [.3, .4, .4, .4, .25, .25] → ties go to the earlier token
    expect(snapkvSelect(votes, 2, 3, "maxpool")).toEqual([1, 2]);
  });

  it("the policy keeps the selected prefix plus the whole observation window", () => {
    const normal = gaussian(mulberry32(5));
    const n = 12;
    const d = 4;
    const mk = () => Float32Array.from({ length: n * d }, () => normal());
    const input: HeadInput = { q: mk(), k: mk(), v: mk(), n, d, scale: 0.5 };
    const W = 2;
    // The definition, written out: window queries' causal softmax rows summed over the prefix.
    const votes = new Array<number>(n - W).fill(0);
    for (let i = n - W; i < n; i++) {
      const p = softmaxScores(input.q, i * d, input.k, i + 1, d, input.scale);
      for (let j = 0; j < n - W; j++) votes[j]! += p[j]!;
    }
    const expected = [...snapkvSelect(votes, 3, 3, "avgpool"), 10, 11];
    const policy = kvPolicy("snapkv", resolveKvParams("snapkv", { budget: 5, windowSize: W, kernelSize: 3, pooling: "avgpool" }));
    expect(prefillCaches(input, policy, 0, 1).positionList()).toEqual(expected);
  });
});

describe("pyramidkv budgets", () => {
  it.each([
    [1024, 32, 32, 20, 32768],
    [2048, 32, 28, 20, 32768],
    [128, 8, 4, 20, 1000],
    [64, 8, 7, 5, 100],
  ])("total %i, window %i, %i layers: per-layer budgets add up to layers × total and fall with depth", (total, window, layers, beta, n) => {
    const b = pyramidBudgets(total, window, layers, beta, n);
    expect(b).toHaveLength(layers);
    expect(b.reduce((a, x) => a + x, 0)).toBe(layers * total);
    for (let l = 1; l < layers; l++) expect(b[l]!).toBeLessThanOrEqual(b[l - 1]!);
    expect(b[0]!).toBeGreaterThan(b[layers - 1]!);
  });
  it("the policy gives each layer its pyramid budget", () => {
    const head = syntheticHead({ n: 600, d: 8, width: 32 });
    const policy = new PyramidKVPolicy(resolveKvParams("pyramidkv", { budget: 100, windowSize: 8 }) as never);
    const sizes = [0, 1, 2, 3].map((l) => prefillCaches(head, policy, l, 4).size);
    expect(sizes).toEqual(pyramidBudgets(100, 8, 4, 20, 600));
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(400);
  });
});

describe("planted needle on the engine's KV cache", () => {
  // 1000 tokens of one head. Context keys and queries are small random vectors, so context
  // attention is nearly uniform. Token 500 (the needle) has a key 8·u; the last 8 tokens (the
  // question) have queries 10·u, so the question attends almost only to the needle (logit 20).
  // Its value is all 5s. Budget: 10% (100 entries).
  const n = 1000;
  const d = 16;
  const needle = 500;
  const normal = gaussian(mulberry32(11));
  const u = Float32Array.from({ length: d }, () => normal());
  const norm = Math.hypot(...u);
  for (let t = 0; t < d; t++) u[t] = u[t]! / norm;
  const q = Float32Array.from({ length: n * d }, () => 0.3 * normal());
  const k = Float32Array.from({ length: n * d }, () => 0.3 * normal());
  const v = Float32Array.from({ length: n * d }, () => normal());
  for (let t = 0; t < d; t++) {
    k[needle * d + t] = 8 * u[t]!;
    v[needle * d + t] = 5;
    for (let i = n - 8; i < n; i++) q[i * d + t] = 10 * u[t]!;
  }
  const input: HeadInput = { q, k, v, n, d, scale: 1 / Math.sqrt(d) };
  const sums = columnSums(input);

  /** The question asked again after pruning: attention over what is left, read out as the value. */
  const answer = (policy: KVPolicy) => {
    const cache = prefillCaches(input, policy, 0, 1, sums);
    expect(cache.size).toBeLessThanOrEqual(100);
    const query = Float32Array.from(u, (x) => 10 * x);
    const p = softmaxScores(query, 0, cache.keys, cache.size, d, input.scale);
    let out = 0;
    for (let j = 0; j < cache.size; j++) out += p[j]! * cache.values[j * d]!;
    return { kept: cache.positionList().includes(needle), out };
  };

  it("snapkv keeps it: the question sits in the observation window and votes for the needle", () => {
    const r = answer(kvPolicy("snapkv", resolveKvParams("snapkv", { budget: 0.1 })));
    expect(r.kept).toBe(true);
    expect(r.out).toBeCloseTo(5, 1);
  });
  it("h2o keeps it: the question's attention makes the needle a heavy hitter", () => {
    const r = answer(kvPolicy("h2o", resolveKvParams("h2o", { budget: 0.1 })));
    expect(r.kept).toBe(true);
    expect(r.out).toBeCloseTo(5, 1);
  });
  it("streamingllm loses it: it keeps only the first 4 and the last 96 tokens, whatever attention says", () => {
    const r = answer(kvPolicy("streamingllm", resolveKvParams("streamingllm", { sinkTokens: 4, windowTokens: 96 })));
    expect(r.kept).toBe(false);
    expect(Math.abs(r.out - 5)).toBeGreaterThan(3);
  });
});

describe("each KV method reads at most its budget per decode step at 32k tokens", () => {
  // Caches for 32k tokens come from a synthetic head (no 32k model forward); decode then runs the
  // engine's real decodeStep over them, evicting before each append.
  const n = 32768;
  const layers = 4;
  const net = new Transformer(randomModel({ layers, hidden: 16, heads: 1, kvHeads: 1, headDim: 8, intermediate: 16, seed: 2 }));
  const head = syntheticHead({ n, d: 8, width: 128 });
  // H2O needs the prefill's accumulated attention; a local-band pattern stands in for a full 32k prefill here.
  let sums: Float64Array | undefined;
  const bandSums = () => {
    if (sums) return sums;
    sums = new Float64Array(n);
    const ranges: Int32Array[] = [];
    for (let g0 = 0; g0 < n; g0 += 128) ranges.push(Int32Array.of(Math.max(0, g0 - 512), Math.min(n, g0 + 128)));
    attendHead(head, { rowBlock: 128, ranges }, newCounter(), { columnSums: sums });
    return sums;
  };
  it.each([
    ["streamingllm", {}, 1024],
    ["h2o", {}, 1024],
    ["snapkv", {}, 1024],
    ["pyramidkv", {}, undefined],
    ["l2norm", { skipLayers: [] }, 1024],
    ["tova", {}, 1024],
  ])("%s", (method, params, budget) => {
    const policy = kvPolicy(method, resolveKvParams(method, params));
    const caches = Array.from({ length: layers }, (_, l) => [prefillCaches(head, policy, l, layers, method === "h2o" ? bandSums() : undefined)]);
    const session = sessionOver(caches as HeadCache[][], policy, n);
    for (let s = 0; s < 12; s++) net.decodeStep(session, 65 + s);
    const budgets = Array.from({ length: layers }, (_, l) => policy.budget(l));
    if (budget !== undefined) expect(budgets).toEqual(new Array(layers).fill(budget));
    else expect(budgets.reduce((a, b) => a + b, 0)).toBe(layers * 1024);
    session.decode.maxEntriesRead.forEach((m, l) => expect(m).toBeLessThanOrEqual(budgets[l]!));
    expect(session.counter.entriesRead).toBeLessThanOrEqual(12 * budgets.reduce((a, b) => a + b, 0));
    expect(session.decode.maxEntriesRead.every((m, l) => m === budgets[l])).toBe(true);
  });
});

describe("params errors", () => {
  it("are one readable line per problem with the names the method takes, not zod JSON", () => {
    let error: unknown;
    try {
      resolveKvParams("snapkv", { budget: "abc", windoSize: 8 });
    } catch (e) {
      error = e;
    }
    const { message, hint } = error as { message: string; hint: string };
    expect(message).toBe("snapkv: budget: Invalid input: expected number, received string; unknown param windoSize");
    expect(message).not.toMatch(/[[{]/);
    expect(hint).toBe("snapkv takes budget, windowSize, kernelSize, pooling");
  });
});
