/**
 * Needle Threading end to end: json_data.zip (records in the dataset card's fields) from a hub
 * stand-in → `loom run nthread` against the testkit's scripted OpenAI server → the README's prompt
 * (`haystack + '\n' + question`, 100 tokens) in every request; the README rule scores a quoted answer,
 * gives 0 to a wrong one and to a list on a multi-value task, and fails the sample whose answer is
 * not a Python literal (the README loop would stop there: the score is marked partial); LOOM-Scope's
 * scorer on the same answers; --data-dir offline with a malformed record; `loom score nthread
 * --predictions` on official and LOOM-Scope prediction files.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeZip } from "@loomscope/core";
import { startOpenAIServer, type FakeOpenAIServer, type ScriptRequest } from "@loomscope/testkit";
import { OPENAI_BACKEND, project, recordLines, REPO, runCli } from "../helpers.js";
import { startHubStandIn, type HubStandIn } from "../hub-standin.js";

const NTHREAD = join(REPO, "plugins/benchmarks/nthread");
const FIXTURES = join(NTHREAD, "test/fixtures");

const U = ["e3e70682-c209-4cac-629f-6fbed82c07cd", "f728b4fa-4248-5e3a-0a5d-2f346baa9455", "247a8333-f7b0-b7d2-cda8-056c3d15eef7", "1759edc3-72ae-2244-8b01-63c1cd9d2b7d", "964a870c-7c87-9b74-1d87-8f9f9cdf5a86", "eb1167b3-67a9-c378-7c65-c1e582e2e662"];
const haystack = (pairs: [string, string][]) => JSON.stringify(Object.fromEntries(pairs)).replace(/":"/g, '": "').replace(/","/g, '", "');
const common = { num_kv_pairs: 3, repeat_number: 0, needle_placement: "depthwise", conditional_character: "N/A", thread_length: 1, thread_direction: "N/A", num_threads: 0 };
/** Records as the dataset card describes them, and what the scripted model answers to each. */
const SINGLE = [
  { id: 0, key: U[0]!, value: U[1]!, context_length: 2000, answer: `'${U[1]}'` }, // a str literal starting with the value: right
  { id: 1, key: U[2]!, value: U[3]!, context_length: 2000, answer: `"${U[4]}"` }, // another value: wrong
  { id: 2, key: U[4]!, value: U[5]!, context_length: 4000, answer: U[5]! }, // not a Python literal: the README loop stops
].map((r) => ({
  record: {
    id: r.id,
    haystack: haystack([[U[0]!, U[1]!], [U[2]!, U[3]!], [U[4]!, U[5]!]]),
    keys: r.key,
    values: r.value,
    question: `Extract the value corresponding to the specified key in the JSON object. Key: "${r.key}"\n Corresponding value: `,
    context_length: r.context_length,
    needle_depth: "50",
    num_needles: 1,
    ...common,
  },
  answer: r.answer,
}));
const pair = `['${U[1]}', '${U[3]}']`;
const MULTI = [
  { id: 0, answer: JSON.stringify(pair) }, // the repr as a quoted string: equal to str(answer)
  { id: 1, answer: pair }, // a list: never equal to a str
].map((r) => ({
  record: {
    id: r.id,
    haystack: haystack([[U[0]!, U[1]!], [U[2]!, U[3]!], [U[4]!, U[5]!]]),
    keys: `['${U[0]}', '${U[2]}']`,
    values: pair,
    question: `Extract the values corresponding to the specified keys in the JSON object. Keys: ['${U[0]}', '${U[2]}'] (case ${r.id})\n Corresponding values: `,
    context_length: 2000,
    needle_depth: "50",
    num_needles: 2,
    ...common,
  },
  answer: r.answer,
}));
const ALL = [...SINGLE, ...MULTI];
const jsonl = (rows: readonly object[]) => rows.map((r) => JSON.stringify(r)).join("\n") + "\n";

describe("Needle Threading end to end", () => {
  let model: FakeOpenAIServer;
  let hub: HubStandIn;
  const requests: ScriptRequest[] = [];

  beforeAll(async () => {
    model = await startOpenAIServer({
      models: [{ id: "test-model", maxModelLen: 32768 }],
      script: (r) => {
        requests.push(r);
        return ALL.find((x) => r.messages?.[0]?.content.endsWith(x.record.question))?.answer ?? "no idea";
      },
    });
    // datasets' to_json writes JSON Lines: json_data.zip holds them under .json names.
    const zip = makeZip({
      "json_data/Single_Needle.json": jsonl(SINGLE.map((x) => x.record)),
      "json_data/Multiple_Needles.json": jsonl(MULTI.map((x) => x.record)),
    });
    hub = await startHubStandIn(new Map([["jonathan-roberts1/needle-threading/json_data.zip", zip]]));
  });
  afterAll(async () => {
    await model.close();
    await hub.close();
  });

  const run = (cwd: string, runDir: string, extra: string[], env: Record<string, string> = {}) =>
    runCli(["run", "nthread", "--tasks", "Single_Needle,Multi_Needle", "--model", "openai:test-model", "--backend-opt", `baseURL=${model.baseURL}`, "--run-dir", runDir, ...extra], { cwd, env });

  it("downloads json_data.zip, sends the README prompt, scores by the README rule with the unparseable answer failed", async () => {
    const cwd = project({ plugins: [NTHREAD, OPENAI_BACKEND] });
    const cache = join(cwd, "cache");
    requests.length = 0;
    const result = await run(cwd, join(cwd, "run"), ["--cache-dir", cache], { HF_ENDPOINT: hub.url });
    expect(hub.requests.filter((u) => u.endsWith("json_data.zip"))).toEqual(["/datasets/jonathan-roberts1/needle-threading/resolve/main/json_data.zip"]);
    expect(requests.length).toBe(5);
    for (const r of requests) {
      const x = ALL.find((y) => r.messages?.[0]?.content.endsWith(y.record.question))!;
      expect(r.messages).toEqual([{ role: "user", content: `${x.record.haystack}\n${x.record.question}` }]);
      expect(r.maxTokens).toBe(100);
    }
    const records = recordLines(join(cwd, "run"));
    const failed = records.filter((r) => r.status === "error");
    expect(failed.map((r) => r.id)).toEqual(["Single_Needle-2"]);
    expect(failed[0]!.error?.message).toMatch(/SyntaxError|ValueError/);
    expect(result.code).toBe(3); // finished, with a failed sample
    const b = JSON.parse(readFileSync(join(cwd, "run", "results.json"), "utf8")).benchmarks[0];
    // Single_Needle: 1 right of the 2 scored; Multi_Needle: the quoted repr right, the list wrong.
    expect(b.tasks).toEqual({ Single_Needle: 50, Multi_Needle: 50 });
    expect(b.cells).toEqual({ Single_Needle: { "2000": 50 }, Multi_Needle: { "2000": 50 } });
    expect(b.partial).toBe(true);
    expect(result.stdout).toMatch(/Needle Threading accuracy \(README rule\) by task and context length[^\n]*2000\n/);
    expect(result.stdout).toMatch(/1 sample\(s\) failed/);

    // The same data under LOOM-Scope's scorer (from the cache, offline): substring presence of every value.
    const loom = await run(cwd, join(cwd, "run-loom"), ["--cache-dir", cache, "--offline", "--protocol", "loom"]);
    expect(loom.code).toBe(0);
    expect(hub.requests.filter((u) => u.endsWith("json_data.zip")).length).toBe(1);
    const lb = JSON.parse(readFileSync(join(cwd, "run-loom", "results.json"), "utf8")).benchmarks[0];
    expect(lb.tasks).toEqual({ Single_Needle: 66.67, Multi_Needle: 100 });
    expect(lb.score).toBe(80);
    expect(loom.stdout).toMatch(/LOOM-Scope's scorer \(eval\.py\)[^\n]*README's \(LOOM-Scope's NThread\.py was not available\)/);
  });

  it("reads the README's data/json_data layout offline and reports a malformed record with file:line", async () => {
    const cwd = project({ plugins: [NTHREAD, OPENAI_BACKEND] });
    const dataDir = join(cwd, "data");
    mkdirSync(join(dataDir, "data", "json_data"), { recursive: true });
    const rows = SINGLE.map((x) => JSON.stringify(x.record));
    writeFileSync(join(dataDir, "data", "json_data", "Single_Needle.json"), `[\n${rows[0]},\n${JSON.stringify({ id: "one", haystack: "{}" })},\n${rows[1]}\n]\n`);
    const before = hub.requests.length;
    const result = await runCli(
      ["run", "nthread", "--tasks", "Single_Needle", "--model", "openai:test-model", "--backend-opt", `baseURL=${model.baseURL}`, "--run-dir", join(cwd, "run"), "--data-dir", dataDir, "--offline", "--cache-dir", mkdtempSync(join(tmpdir(), "c-"))],
      { cwd },
    );
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/data\/json_data\/Single_Needle\.json:3: id: /);
    expect(hub.requests.length).toBe(before);
    expect(recordLines(join(cwd, "run")).map((r) => [r.id, r.score]).sort()).toEqual([
      ["Single_Needle-0", 1],
      ["Single_Needle-2", 0],
    ]);
  });
});

describe("loom score nthread --predictions", () => {
  it("prints the README loop's accuracy per file, LOOM-Scope's files under --protocol loom, and stops on an unscorable answer", async () => {
    const cwd = project({ plugins: [NTHREAD] });
    const official = await runCli(["score", "nthread", "--predictions", join(FIXTURES, "predictions"), "--out", join(cwd, "official")], { cwd });
    expect(official.code).toBe(0);
    expect(JSON.parse(readFileSync(join(cwd, "official", "score_official.json"), "utf8"))).toEqual(JSON.parse(readFileSync(join(FIXTURES, "official-result", "printed.json"), "utf8")));
    expect(official.stdout).toMatch(/Single_Needle: 70\.83%/);

    const loom = await runCli(["score", "nthread", "--predictions", join(FIXTURES, "loom_preds"), "--protocol", "loom", "--out", join(cwd, "loom")], { cwd });
    expect(loom.code).toBe(0);
    expect(readFileSync(join(cwd, "loom", "Total.txt"), "utf8")).toBe(readFileSync(join(FIXTURES, "loom-result", "Total.txt"), "utf8"));
    expect(JSON.parse(readFileSync(join(cwd, "loom", "length.json"), "utf8"))).toEqual(JSON.parse(readFileSync(join(FIXTURES, "loom-result", "length.json"), "utf8")));

    const crash = await runCli(["score", "nthread", "--predictions", join(FIXTURES, "crash_predictions"), "--out", join(cwd, "crash")], { cwd });
    expect(crash.code).not.toBe(0);
    expect(crash.stderr).toMatch(/Error/);
  });
});
