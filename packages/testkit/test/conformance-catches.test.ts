import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const root = fileURLToPath(new URL("./fixtures/bad", import.meta.url));

interface Report {
  testResults: { assertionResults: { fullName: string; status: "passed" | "failed" | "skipped" | "pending" }[] }[];
}

let results: [string, string][];
beforeAll(async () => {
  const out = join(mkdtempSync(join(tmpdir(), "testkit-catches-")), "report.json");
  const vitest = join(dirname(fileURLToPath(import.meta.resolve("vitest/package.json"))), "vitest.mjs");
  await run(process.execPath, [vitest, "run", "--root", root, "--config", join(root, "vitest.config.ts"), "--reporter=json", `--outputFile=${out}`], {
    cwd: root,
    env: { ...process.env, CI: "1" },
  }).catch(() => undefined); // failures are expected: the report says which
  const report = JSON.parse(readFileSync(out, "utf8")) as Report;
  results = report.testResults.flatMap((f) => f.assertionResults.map((a): [string, string] => [a.fullName, a.status]));
}, 120_000);

const SCORE_TEST = "score() returns finite numbers (null where the official scorer leaves the sample out) with the headline metric, for empty and perfect predictions";

const failed = (prefix: string, test: string): void => {
  const matches = results.filter(([name]) => name.startsWith(prefix) && name.endsWith(test));
  expect(matches.length, `a test "${prefix} … ${test}" ran`).toBeGreaterThan(0);
  for (const [name, status] of matches) expect(status, name).toBe("failed");
};
const passed = (prefix: string, test: string): void => {
  const matches = results.filter(([name]) => name.startsWith(prefix) && name.endsWith(test));
  expect(matches.length, `a test "${prefix} … ${test}" ran`).toBeGreaterThan(0);
  for (const [name, status] of matches) expect(status, name).toBe("passed");
};

describe("conformance suites catch broken plugins", () => {
  it("duplicate sample ids", () => {
    failed("benchmark conformance: dup-ids", "streams well-formed samples");
    passed("benchmark conformance: dup-ids", "tasks are well-formed");
  });
  it("ids that change between runs", () => {
    failed("benchmark conformance: unstable-ids", "ids are stable across runs, and sampleIds / count() are honoured");
    passed("benchmark conformance: unstable-ids", "streams well-formed samples");
  });
  it("a template placeholder the values do not provide", () => {
    failed("benchmark conformance: missing-placeholder", "prompt() returns valid PromptParts whose placeholders are all provided");
    passed("benchmark conformance: missing-placeholder", SCORE_TEST);
  });
  it("a NaN score and a missing headline metric", () => {
    failed("benchmark conformance: nan-score", SCORE_TEST);
    failed("benchmark conformance: no-headline", SCORE_TEST);
  });
  it("null where the official scorer leaves an empty prediction out, but never for a perfect one", () => {
    passed("benchmark conformance: empty-left-out", SCORE_TEST);
    failed("benchmark conformance: perfect-left-out", SCORE_TEST);
  });
  it("a number invented for an empty prediction the official scorer stops on; a clear error and null values pass", () => {
    failed("benchmark conformance: invents-empty", SCORE_TEST);
    passed("benchmark conformance: rejects-empty", SCORE_TEST);
  });
  it("a manifest naming another id, and an entry that is not built", () => {
    failed("benchmark conformance: fixture-qa", "package.json manifest matches the default export (kind, id, apiVersion)");
    failed("benchmark conformance: fixture-qa", 'package.json has the "loomscope-plugin" keyword and peer-depends on @loomscope/spec');
    expect(results.some(([name, status]) => name.includes("(skipped: entry not built yet)") && status === "skipped")).toBe(true);
  });
  it("a backend that ignores the abort signal", () => {
    failed("backend conformance: ignores-abort", "an already aborted signal makes generate() reject promptly");
    failed("backend conformance: ignores-abort", "aborting mid-generation makes generate() reject promptly");
    passed("backend conformance: ignores-abort", "generate() answers a short prompt with text, usage and timings");
    passed("backend conformance: ignores-abort", "tokenizer() (when present) round-trips ASCII text");
  });
  it("a tokenizer that does not round-trip and capabilities without prompt modes", () => {
    failed("backend conformance: broken-tokenizer", "tokenizer() (when present) round-trips ASCII text");
    failed("backend conformance: broken-tokenizer", "has an id, a model, well-formed capabilities and a JSON describe()");
    passed("backend conformance: broken-tokenizer", "an already aborted signal makes generate() reject promptly");
  });
});
