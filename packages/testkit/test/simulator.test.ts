import { describe, expect, it } from "vitest";
import { blockHashes, ServingSimulator, startOpenAIServer, type SimRequest } from "../src/index.js";

/** A prompt of `shared` tokens of document `doc` then `own` tokens of its own. */
function prompt(doc: number, shared: number, own: number, seed: number, outputTokens = 1): SimRequest {
  const ids = [...Array.from({ length: shared }, (_, i) => doc * 100_000 + i), ...Array.from({ length: own }, (_, i) => 50_000_000 + seed * 100_000 + i)];
  return { blocks: blockHashes(ids, 16), promptTokens: ids.length, outputTokens };
}

describe("ServingSimulator", () => {
  it("follows its cost model: chunked prefill, then one decode token per step", async () => {
    const sim = new ServingSimulator({ stepMs: 1, prefillMsPerToken: 0.01, decodeMsPerToken: 0.1, maxBatchedTokens: 1000, blockSize: 16 });
    const done = sim.submit(prompt(1, 2500, 0, 0, 3));
    sim.drain();
    const r = await done;
    // 2500 prompt tokens in chunks of 1000: three steps (1 + 10, 1 + 10, 1 + 5 ms); the first token comes with the last.
    expect(r.firstTokenAt).toBeCloseTo(28, 9);
    // Two more decode steps of 1.1 ms.
    expect(r.finishedAt).toBeCloseTo(30.2, 9);
    expect(sim.stats).toMatchObject({ prefillTokens: 2500, cachedTokens: 0, decodeTokens: 3, steps: 5, finished: 1 });
    expect(sim.stats.makespanMs).toBeCloseTo(30.2, 9);
  });

  it("serves a finished prefix from the cache in whole blocks, and not to a sibling that ran beside it", async () => {
    const sim = new ServingSimulator({ maxBatchedTokens: 100_000 });
    const a = sim.submit(prompt(7, 1000, 10, 1));
    const b = sim.submit(prompt(7, 1000, 10, 2)); // at the same time: nothing cached yet
    sim.drain();
    expect((await a).cachedTokens).toBe(0);
    expect((await b).cachedTokens).toBe(0);
    const c = sim.submit(prompt(7, 1000, 10, 3));
    sim.drain();
    // 1000 shared tokens are 62 full blocks of 16 (992 tokens); the partial block is computed again.
    expect((await c).cachedTokens).toBe(992);
    expect(sim.stats.prefillTokens).toBe(3 * 1010 - 992);
  });

  it("evicts the least recently used cached blocks when the KV budget needs room", async () => {
    const sim = new ServingSimulator({ kvBlocks: 200, blockSize: 16, maxBatchedTokens: 100_000 });
    for (const doc of [1, 2, 3]) {
      const done = sim.submit(prompt(doc, 1600, 0, doc)); // 100 blocks + 1 for the output
      sim.drain();
      await done;
    }
    expect(sim.stats.evictedBlocks).toBeGreaterThan(0);
    const again3 = sim.submit(prompt(3, 1600, 0, 9));
    sim.drain();
    expect((await again3).cachedTokens).toBe(1599);
    const again1 = sim.submit(prompt(1, 1600, 0, 9));
    sim.drain();
    expect((await again1).cachedTokens).toBe(0);
  });

  it("evicts a finished request's tail before its head, so the shared head survives longest (vLLM frees in reverse)", async () => {
    const sim = new ServingSimulator({ kvBlocks: 162, blockSize: 16, maxBatchedTokens: 100_000 });
    const run = async (r: SimRequest) => {
      const done = sim.submit(r);
      sim.drain();
      return done;
    };
    await run(prompt(1, 1600, 0, 1)); // 100 prompt blocks cached
    await run(prompt(2, 1600, 0, 2)); // needs 101 blocks: 39 of the first document's are evicted
    expect(sim.stats.evictedBlocks).toBe(39);
    // The first document's first 61 blocks are still there.
    expect((await run(prompt(1, 1600, 16, 3))).cachedTokens).toBe(61 * 16);
  });

  it("runs at most maxSeqs sequences and admits the rest as they finish", async () => {
    const sim = new ServingSimulator({ maxSeqs: 2, maxBatchedTokens: 100_000 });
    const all = [1, 2, 3, 4].map((d) => sim.submit(prompt(d, 64, 0, d, 4)));
    sim.drain();
    const results = await Promise.all(all);
    expect(sim.stats.peakRunning).toBe(2);
    expect(results[2]!.admittedAt).toBe(results[0]!.finishedAt);
  });

  it("refuses a request larger than the KV budget", async () => {
    const sim = new ServingSimulator({ kvBlocks: 10, blockSize: 16 });
    await expect(sim.submit(prompt(1, 500, 0, 1))).rejects.toThrow(/KV blocks/);
  });

  it("behind the OpenAI fake: answers when the virtual clock gets there and reports cached_tokens like vLLM", async () => {
    const sim = new ServingSimulator({ clock: { settleMs: 2 } });
    const server = await startOpenAIServer({ simulator: sim });
    try {
      const doc = "The quick brown fox jumps over the lazy dog. ".repeat(200);
      const ask = async (q: string) => {
        const res = await fetch(`${server.baseURL}/chat/completions`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ model: "test-model", max_tokens: 8, messages: [{ role: "user", content: `${doc}\n${q}` }] }),
        });
        return (await res.json()) as { usage: { prompt_tokens: number; prompt_tokens_details: { cached_tokens: number } } };
      };
      const first = await ask("Who?");
      expect(first.usage.prompt_tokens_details.cached_tokens).toBe(0);
      const second = await ask("What?");
      expect(second.usage.prompt_tokens_details.cached_tokens).toBeGreaterThan(first.usage.prompt_tokens * 0.9);
      expect(sim.stats.finished).toBe(2);
      expect(sim.stats.makespanMs).toBeGreaterThan(0);
    } finally {
      sim.dispose();
      await server.close();
    }
  });
});
