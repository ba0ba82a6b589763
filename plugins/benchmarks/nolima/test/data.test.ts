/**
 * Needle sets in the official format (test/fixtures/data/needlesets, as the fixture script wrote them for
 * the official code), the row schema, run_tests.py's test building with its quirks, and the task table.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BOOKS, GENERATION, LENGTHS, NEEDLE_SETS, NeedleSetRowSchema, NeedleSetSchema, TASK_TABLE, buildTests, bookFile, needleSetFile } from "../src/index.js";
import { FIXTURES } from "./helpers.js";

describe("NoLiMa needle sets", () => {
  it("accepts the official row layout and rejects a malformed row", () => {
    const rows = JSON.parse(readFileSync(join(FIXTURES, "data", "needlesets", "needle_set.json"), "utf8")) as unknown[];
    expect(NeedleSetSchema.safeParse(rows).success).toBe(true);
    expect(NeedleSetRowSchema.safeParse({ ...(rows[0] as object), tests: { T01: { input_args: "Helsinki" } } }).success).toBe(false);
    expect(NeedleSetRowSchema.safeParse({ ...(rows[0] as object), id: "04" }).success).toBe(false);
  });

  it("builds tests as run_tests.py does, quirks included", () => {
    const tests = buildTests(
      NeedleSetSchema.parse([
        {
          id: "0105",
          system_prompt: "",
          needle: "{1} met {2} near {3}.",
          questions: { twohop: "Who met {1} near {3}?" },
          tests: { T1: { input_args: ["Ann", "Bo", "Rome"], gold_answers: ["Bo"] } },
          distractors: { twohop: "{1} and {2} were not near {3}." },
        },
      ]),
    );
    expect(tests).toHaveLength(1);
    const t = tests[0]!;
    expect(t.test_name).toBe("0105_T1_twohop");
    expect(t.needle).toBe("Ann met Bo near Rome."); // the needle is filled cumulatively
    expect(t.retrieval_question).toBe("Who met {1} near Rome?"); // the question only by its last placeholder
    expect(t.distractor).toBe("{1} and {2} were not near Rome.");
    expect(t.seed).toBe(42 + 105);
    expect(t.gold_answers).toEqual(["Bo"]);
  });

  it("knows the files, lengths and generation settings", () => {
    expect(needleSetFile("needle_set_hard")).toMatchObject({ repo: "amodaresi/NoLiMa", path: "needlesets/needle_set_hard.json" });
    expect(bookFile(BOOKS[4])).toMatchObject({ path: "haystack/rand_shuffle/rand_book_5.txt" });
    expect(TASK_TABLE.map((r) => r.id)).toEqual([...NEEDLE_SETS]);
    for (const r of TASK_TABLE) {
      expect(r.levels!.map((l) => l.label)).toEqual([...LENGTHS]);
      expect(r.maxNewTokens).toBe(GENERATION.maxNewTokens);
      expect(r.prompt.system).toBe("You are a helpful assistant");
      expect(r.metrics[0]!.id).toBe("nolima_metric");
    }
  });
});
