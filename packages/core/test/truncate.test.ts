import { describe, expect, it } from "vitest";
import type { Tokenizer } from "@loomscope/spec";
import { middleTruncate } from "../src/text/truncate.js";
import { counting, qwen3, randomText } from "./helpers.js";

/** The official rule, on the fully tokenized text. */
async function reference(text: string, max: number, tokenizer: Tokenizer): Promise<string> {
  const ids = await tokenizer.encode(text, { addSpecialTokens: true });
  if (ids.length <= max) return text;
  const half = Math.floor(max / 2);
  return (
    (await tokenizer.decode(ids.slice(0, half), { skipSpecialTokens: true })) +
    (await tokenizer.decode(ids.slice(-half), { skipSpecialTokens: true }))
  );
}

describe("middleTruncate", () => {
  const tokenizer = qwen3();

  it.each([
    ["middle-joined", 1001],
    ["keep-head", 700],
    ["keep-tail", 700],
  ] as const)("%s equals its rule on the fully tokenized text (max %i)", async (mode, max) => {
    const text = randomText(6000, 11, "mixed");
    const ids = await tokenizer.encode(text, { addSpecialTokens: true });
    const decode = (x: number[]) => tokenizer.decode(x, { skipSpecialTokens: true });
    // LongBench v2: ids[:max//2] + ids[-max//2:] (Python's -max//2 keeps ceil(max/2)), one decode.
    const expected =
      mode === "middle-joined"
        ? await decode([...ids.slice(0, Math.floor(max / 2)), ...ids.slice(-Math.ceil(max / 2))])
        : mode === "keep-head"
          ? await decode(ids.slice(0, max))
          : await decode(ids.slice(-max));
    const result = await middleTruncate(text, max, tokenizer, { mode });
    expect(result.text).toBe(expected);
    expect(result.tokens).toBe(max);
    // Only windows were tokenized, not the text.
    expect(result.charsTokenized).toBeLessThan(text.length / 2);
  });

  it.each([
    ["mixed", 6000, 1000, 1],
    ["mixed", 6000, 1001, 2],
    ["en", 9000, 2048, 3],
    ["zh", 8000, 1500, 4],
    ["mixed", 3000, 4096, 5],
    ["en", 400, 256, 6],
  ] as const)("equals truncating the fully tokenized text (%s, %i words, max %i)", async (mix, words, max, seed) => {
    const text = randomText(words, seed, mix);
    const result = await middleTruncate(text, max, tokenizer);
    expect(result.text).toBe(await reference(text, max, tokenizer));
    const full = (await tokenizer.encode(text)).length;
    expect(result.truncated).toBe(full > max);
    if (result.truncated) expect(result.tokens).toBe(2 * Math.floor(max / 2));
    else expect(result.tokens).toBe(full);
  });

  it("keeps an untouched text and reports exact counts when it fits", async () => {
    const text = "A short prompt. 一个短的提示。";
    const result = await middleTruncate(text, 1000, tokenizer);
    expect(result).toMatchObject({ text, truncated: false, originalTokensExact: true });
    expect(result.tokens).toBe((await tokenizer.encode(text)).length);
  });

  it("handles a tokenizer that adds BOS and EOS (specials stay off the kept text)", async () => {
    // A word-level tokenizer with BOS=1 and EOS=2 around every encoding.
    const vocab = new Map<string, number>();
    const words: string[] = [];
    const toy: Tokenizer = {
      id: "toy",
      async encode(text, options) {
        const ids = text.split(/(?<= )/).filter(Boolean).map((w) => {
          if (!vocab.has(w)) {
            vocab.set(w, words.length + 10);
            words.push(w);
          }
          return vocab.get(w)!;
        });
        return options?.addSpecialTokens === false ? ids : [1, ...ids, 2];
      },
      async decode(ids, options) {
        return ids.map((id) => (id < 10 ? (options?.skipSpecialTokens ? "" : `<${id}>`) : words[id - 10]!)).join("");
      },
    };
    const text = Array.from({ length: 5000 }, (_, i) => `w${i} `).join("");
    const result = await middleTruncate(text, 100, toy, { charsPerToken: 1 });
    expect(result.text).toBe(await reference(text, 100, toy));
  });

  it("costs in proportion to the max input, not to the text (counted work)", async () => {
    const short = counting(tokenizer);
    const long = counting(tokenizer);
    const max = 2000;
    await middleTruncate(randomText(20_000, 7), max, short);
    await middleTruncate(randomText(200_000, 7), max, long);
    // Ten times the text, the same work: windows sized by the budget.
    expect(long.chars).toBeLessThanOrEqual(short.chars * 1.2);
    expect(long.chars).toBeLessThan(200_000); // far below the ~1.3M characters of the long text
  });

  it("rejects a nonsensical budget", async () => {
    await expect(middleTruncate("x", 1, tokenizer)).rejects.toThrow(/>= 2/);
  });
});
