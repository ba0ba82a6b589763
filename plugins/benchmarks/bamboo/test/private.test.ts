/**
 * private_eval parity with BAMBOO's own executor (fixtures by scripts/make-private-eval-fixture.py:
 * private_eval/evaluation.py's evaluate_functional_correctness on ~100 completions, Debian's python3).
 * Ours runs each program in a sandboxed child of the same Python with the same time limit.
 */
import { mkdtemp, readFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { fixtureFiles } from "@loomscope/testkit";
import { pyJsonLoads } from "@loomscope/metrics";
import { evaluatePrivate, passAtKLine, readProblems, resultsJsonl, scoreOfficial } from "../src/index.js";
import { DEBIAN_PYTHON, requireDebianPython } from "./python.js";

// PARITY_FIXTURES points at another set (the scripts' --seed N: predictions these scorers were never checked on).
const FIX = fixtureFiles(new URL("./fixtures/", import.meta.url)).dir;
const parity = JSON.parse(readFileSync(join(FIX, "private-parity.json"), "utf8")) as { timeout: number; printed: string; results: string[]; results_jsonl: string };
const sandbox = { allowCodeExecution: true, python: DEBIAN_PYTHON, timeoutSeconds: parity.timeout };

beforeAll(requireDebianPython);

describe("private_eval equals evaluation.py's executor", () => {
  it(`every completion's result, the printed pass@k and _results.jsonl (${parity.results.length} completions)`, async () => {
    expect(parity.results.length).toBeGreaterThanOrEqual(100);
    const lines = readFileSync(join(FIX, "private", "private_eval_4k.jsonl"), "utf8").trim().split("\n").map((l) => pyJsonLoads(l));
    const problems = await readProblems(join(FIX, "private", "real_all_eval_v3.jsonl.gz"));
    const { passAtK, results } = await evaluatePrivate(lines, problems, sandbox, "private_eval_4k.jsonl");
    expect(results).toEqual(parity.results);
    expect(passAtKLine(passAtK)).toBe(parity.printed);
    expect(resultsJsonl(lines, results)).toBe(parity.results_jsonl);
  }, 300_000);

  it("loom score bamboo --predictions writes the printed line and <file>_results.jsonl; without allowCodeExecution it refuses, writing nothing", async () => {
    const out = await mkdtemp(join(tmpdir(), "bamboo-private-"));
    await expect(scoreOfficial({ predictions: join(FIX, "private"), out, log: () => {} })).rejects.toThrow(/needs --allow-code-execution/);
    const { readdir } = await import("node:fs/promises");
    expect(await readdir(out)).toEqual([]);
    const res = await scoreOfficial({ predictions: join(FIX, "private"), out, options: { allowCodeExecution: true, python: DEBIAN_PYTHON, timeoutSeconds: parity.timeout }, log: () => {} });
    expect(res.written).toEqual([join(out, "private_eval_4k.jsonl_results.jsonl"), join(out, "score_official.json")]);
    expect(await readFile(join(out, "private_eval_4k.jsonl_results.jsonl"), "utf8")).toBe(parity.results_jsonl);
    expect(JSON.parse(await readFile(join(out, "score_official.json"), "utf8"))["private_eval_4k.jsonl"].printed).toBe(parity.printed);
  }, 300_000);
});
