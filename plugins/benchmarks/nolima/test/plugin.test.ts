/**
 * The plugin as core runs it, on a --data-dir in the hub layout built from the fixture's needle sets
 * and books: ids in the official order from the needle set, samples through the kit equal to what the
 * official code sent (test/fixtures/runs, made by scripts/make-parity-fixture.py with the regex
 * tokenizer), the prompt with the connector's system prompt, malformed rows reported, the options,
 * and no haystack without a tokenizer.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { optionDefaults, type KitBenchmark } from "@loomscope/benchmark-kit";
import { pyFormat } from "@loomscope/metrics";
import { createTestBenchmarkContext } from "@loomscope/testkit";
import type { JsonObject, Sample } from "@loomscope/spec";
import nolima, { NOLIMA_OPTIONS } from "../src/index.js";
import { FIXTURES } from "./helpers.js";
import { toyTokenizer } from "./toy-tokenizer.js";

/** A --data-dir as data/download_NoLiMa_data.sh lays it out (books 1 and 2 from the fixture). */
function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "nolima-data-"));
  mkdirSync(join(dir, "needlesets"));
  mkdirSync(join(dir, "haystack", "rand_shuffle"), { recursive: true });
  for (const f of readdirSync(join(FIXTURES, "data", "needlesets"))) copyFileSync(join(FIXTURES, "data", "needlesets", f), join(dir, "needlesets", f));
  for (const b of ["rand_book_1", "rand_book_2"]) copyFileSync(join(FIXTURES, "data", "books", `${b}.txt`), join(dir, "haystack", "rand_shuffle", `${b}.txt`));
  return dir;
}
const configured = (options: JsonObject = {}) => nolima.configure!({ protocol: "official", options: { ...optionDefaults(NOLIMA_OPTIONS), ...options } }) as KitBenchmark;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : [join(dir, n)]));
}
interface ResultFile {
  test_name: string;
  haystack_path: string;
  results: { sent_user_prompt: string; sent_system_prompt: string; metric: number; response: string }[];
}

describe("nolima plugin", () => {
  it("declares its options, one protocol, and no truncation", () => {
    expect(optionDefaults(nolima.options)).toEqual({ metric: "contains", depthPercentMin: 0, depthPercentMax: 100, depthPercentIntervals: 26 });
    expect(nolima.protocols).toEqual(["official"]);
    expect(nolima.capability).toBe("retrieval");
    expect(nolima.tasks[0]).toMatchObject({ id: "needle_set", maxNewTokens: 192, lengths: ["250", "500", "1K", "2K", "4K", "8K", "16K", "32K"], generation: { temperature: 0, topP: 1 } });
    expect(nolima.tasks[0]!.levels![2]).toEqual({ label: "1K", unit: "tokens", value: 1000 });
  });

  it("builds every sample the official code built at 250 tokens, and its prompt", async () => {
    const tokenizer = toyTokenizer();
    const ctx = createTestBenchmarkContext({ dataDir: dataDir(), tokenizer });
    // The fixture runs used 6 depths (document_depth_percent_intervals: 6) to stay small.
    const b = configured({ depthPercentIntervals: 6 });
    let checked = 0;
    let expected = 0;
    for (const set of ["needle_set", "needle_set_w_Distractor"]) {
      const outputs = files(join(FIXTURES, "runs", set, "CL250")).map((f) => JSON.parse(readFileSync(f, "utf8")) as ResultFile);
      expected += outputs.reduce((n, o) => n + o.results.length, 0);
      const wanted = outputs.flatMap((o) => o.results.map((_, k) => `${o.haystack_path.split("/").pop()!.replace(/\.txt$/, "")}/${o.test_name}/${k}`));
      const samples: Sample[] = [];
      for await (const s of b.samples({ task: set, length: "250", sampleIds: wanted }, ctx)) samples.push(s);
      expect(samples.length).toBe(wanted.length);
      for (const o of outputs) {
        const bookName = o.haystack_path.split("/").pop()!.replace(/\.txt$/, "");
        for (const [k, r] of o.results.entries()) {
          const s = samples.find((x) => x.id === `${bookName}/${o.test_name}/${k}`)!;
          const parts = await b.prompt(s, b.tasks.find((t) => t.id === set)!);
          expect(pyFormat(parts.template, parts.values)).toBe(r.sent_user_prompt);
          expect(parts).toMatchObject({ system: r.sent_system_prompt, truncation: "none", chat: true, contextKey: "haystack", queryKey: "question" });
          expect((await b.score({ task: set, length: "250", references: s.references, scoring: s.scoring!, prediction: r.response })).nolima_metric).toBe(r.metric);
          checked++;
        }
      }
    }
    expect(checked).toBe(expected);
    expect(checked).toBe((16 + 2) * 6);
    // Each book was encoded once for the whole run.
    expect(tokenizer.encodeCalls).toBe(2);
    expect(Object.keys(ctx.provenance).sort()).toEqual([
      "data:haystack/rand_shuffle/rand_book_1.txt",
      "data:haystack/rand_shuffle/rand_book_2.txt",
      "data:needlesets/needle_set.json",
      "data:needlesets/needle_set_w_Distractor.json",
    ]);
  });

  it("lists ids in the official order without building a haystack; the depth options change the grid", async () => {
    const ctx = createTestBenchmarkContext({ dataDir: dataDir() });
    const handles: string[] = [];
    for await (const h of configured().handles!({ task: "needle_set", length: "1K" }, ctx)) handles.push(h.id);
    expect(handles.length).toBe(5 * 8 * 26);
    expect(handles.slice(0, 2)).toEqual(["rand_book_1/0401_T01_onehop/0", "rand_book_1/0401_T01_onehop/1"]);
    expect(handles[8 * 26]).toBe("rand_book_2/0401_T01_onehop/0");
    expect(await configured({ depthPercentIntervals: 3 }).count!({ task: "needle_set", length: "1K" }, ctx)).toBe(5 * 8 * 3);
  });

  it("reports a malformed needle-set row with file:line and runs the others", async () => {
    const dir = dataDir();
    const rows = JSON.parse(readFileSync(join(FIXTURES, "data", "needlesets", "needle_set.json"), "utf8")) as object[];
    writeFileSync(join(dir, "needlesets", "needle_set_hard.json"), "[\n" + [JSON.stringify({ id: "0" }), ...rows.map((r) => JSON.stringify(r))].join(",\n") + "\n]\n");
    const ctx = createTestBenchmarkContext({ dataDir: dir });
    expect(await nolima.count!({ task: "needle_set_hard", length: "250" }, ctx)).toBe(5 * 8 * 26);
    expect(ctx.issues).toEqual([{ file: expect.stringMatching(/needle_set_hard\.json$/), line: 2, message: expect.stringMatching(/^id: /) }]);
  });

  it("needs the run's tokenizer to build a haystack", async () => {
    const ctx = createTestBenchmarkContext({ dataDir: dataDir() });
    const run = async () => {
      for await (const _ of nolima.samples({ task: "needle_set", length: "250", limit: 1 }, ctx)) void _;
    };
    await expect(run()).rejects.toMatchObject({ code: "TOKENIZER_REQUIRED", hint: expect.stringMatching(/--tokenizer/) });
  });
});
