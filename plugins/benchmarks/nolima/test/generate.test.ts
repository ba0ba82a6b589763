/**
 * The generator against the official one: scripts/make-parity-fixture.py ran run_tests.py and
 * NoLiMa_Tester (with data/book_haystack.py) on two books and two needle sets at 250 and 600 tokens,
 * with a regex tokenizer (test/toy-tokenizer.ts) in place of a model's and a prompt-recording API
 * stand-in. Each recorded user prompt, character, placement and metric must come out of `generate`.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  NeedleSetSchema,
  buildTests,
  evaluateResponse,
  filledTemplate,
  generate,
  ids,
  type EncodedBook,
} from "../src/index.js";
import { FIXTURES } from "./helpers.js";
import { toyTokenizer } from "./toy-tokenizer.js";

interface ResultFile {
  test_name: string;
  haystack_path: string;
  context_length: number;
  seed: number;
  gold_answers: unknown;
  metric: string;
  document_depth_percent_intervals: number;
  results: {
    selected_character?: string;
    placement_metadata: Record<string, number>;
    metric: number;
    response: string;
    sent_system_prompt: string | null;
    sent_user_prompt: string;
  }[];
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : [join(dir, n)]));
}
const BOOKS = ["rand_book_1", "rand_book_2"];
const bookText = (name: string): string => readFileSync(join(FIXTURES, "data", "books", `${name}.txt`), "utf8");

describe("NoLiMa generator parity (official code, regex tokenizer)", () => {
  for (const set of ["needle_set", "needle_set_w_Distractor"]) {
    it(`reproduces every prompt, character, placement and metric of ${set}`, async () => {
      const rows = NeedleSetSchema.parse(JSON.parse(readFileSync(join(FIXTURES, "data", "needlesets", `${set}.json`), "utf8")));
      const tests = buildTests(rows);
      const tokenizer = toyTokenizer();
      const cache = new Map<string, Promise<EncodedBook>>();
      const outputs = files(join(FIXTURES, "runs", set)).map((f) => JSON.parse(readFileSync(f, "utf8")) as ResultFile);
      expect(outputs.length).toBe(tests.length * BOOKS.length * 2);
      let checked = 0;
      for (const out of outputs) {
        const book = (out.haystack_path.split("/").pop() as string).replace(/\.txt$/, "");
        const test = tests.find((t) => t.test_name === out.test_name)!;
        expect(out.seed).toBe(test.seed + BOOKS.indexOf(book));
        const options = { depthPercentIntervals: out.document_depth_percent_intervals, metric: out.metric };
        for (const [k, r] of out.results.entries()) {
          const sample = await generate(`${book}/${out.test_name}/${k}`, {
            task: set, length: out.context_length, tests, books: BOOKS, bookText, tokenizer, options, cache,
          });
          expect(filledTemplate(sample, test.task_template)).toBe(r.sent_user_prompt);
          expect(sample.meta!["selected_character"]).toBe(r.selected_character);
          expect(sample.meta!["placement_metadata"]).toEqual(r.placement_metadata);
          expect(sample.scoring!["gold_answers"]).toEqual(r.selected_character !== undefined ? [r.selected_character] : out.gold_answers);
          expect(evaluateResponse(r.response, sample.scoring!["gold_answers"] as string[], out.metric)).toBe(r.metric);
          expect(r.sent_system_prompt).toBe("You are a helpful assistant");
          checked++;
        }
      }
      expect(checked).toBeGreaterThanOrEqual(24);
      // The books are encoded once per tokenizer, however many samples are built.
      expect(tokenizer.encodeCalls).toBe(BOOKS.length);
    });
  }

  it("lists sample ids in the official order (haystack, test, depth)", () => {
    const rows = NeedleSetSchema.parse(JSON.parse(readFileSync(join(FIXTURES, "data", "needlesets", "needle_set.json"), "utf8")));
    const tests = buildTests(rows);
    const list = ids(tests, BOOKS);
    expect(list.length).toBe(BOOKS.length * tests.length * 26);
    expect(list[0]).toBe(`rand_book_1/${tests[0]!.test_name}/0`);
    expect(list[26]).toBe(`rand_book_1/${tests[1]!.test_name}/0`);
    expect(list[26 * tests.length]).toBe(`rand_book_2/${tests[0]!.test_name}/0`);
    expect(tests.map((t) => t.test_name)).toEqual([
      "0401_T01_onehop", "0401_T02_onehop", "0401_T01_twohop", "0401_T02_twohop",
      "0502_T01_onehop", "0502_T02_onehop", "0502_T01_direct", "0502_T02_direct",
    ]);
  });
});
