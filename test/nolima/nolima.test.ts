/**
 * NoLiMa end to end: its needle set and books (amodaresi/NoLiMa's `needlesets/`, `haystack/rand_shuffle/`)
 * from a hub stand-in → `loom run nolima` against the testkit's scripted OpenAI server, the haystacks
 * built with the server's tokenizer (over /tokenize and /detokenize) → every request is the prompt
 * the generator builds in process with the same tokenizer (the official placement, proven against the
 * official code in the plugin's tests), after "You are a helpful assistant", 192 tokens; contains is
 * case-sensitive, so a lower-cased name scores 0; then --data-dir offline with a malformed needle-set
 * row; `loom score nolima --predictions` writes gathered_results.csv as the notebook does.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeTokenizer, startOpenAIServer, type FakeOpenAIServer, type ScriptRequest } from "@loomscope/testkit";
import { BOOKS, NeedleSetSchema, buildTests, filledTemplate, generate } from "@loomscope/benchmark-nolima";
import { OPENAI_BACKEND, project, recordLines, REPO, runCli } from "../helpers.js";
import { startHubStandIn, type HubStandIn } from "../hub-standin.js";

const NOLIMA = join(REPO, "plugins/benchmarks/nolima");
const FIXTURES = join(NOLIMA, "test/fixtures");
const NEEDLE_SET = readFileSync(join(FIXTURES, "data", "needlesets", "needle_set.json"), "utf8");
/** The fixture's two books stand in for the five (books 3-5 repeat them; the runs below read book 1 only). */
const bookText = (name: string): string => readFileSync(join(FIXTURES, "data", "books", `${Number(name.slice(-1)) % 2 === 1 ? "rand_book_1" : "rand_book_2"}.txt`), "utf8");

/** The scripted model: the character the needle names (Kiasma museum), lower-cased for Lake Como. */
function answer(request: ScriptRequest): string {
  const m = /Actually, (\w+) lives next to the (Kiasma museum|Lake Como)\./.exec(request.messages?.at(-1)?.content ?? "");
  if (!m) return "I cannot tell.";
  return m[2] === "Kiasma museum" ? m[1]! : m[1]!.toLowerCase();
}

describe("NoLiMa end to end", () => {
  let model: FakeOpenAIServer;
  let hub: HubStandIn;
  const requests: ScriptRequest[] = [];

  beforeAll(async () => {
    model = await startOpenAIServer({
      models: [{ id: "test-model", maxModelLen: 32768 }],
      script: (r) => {
        requests.push(r);
        return answer(r);
      },
    });
    const files = new Map<string, string>([["amodaresi/NoLiMa/needlesets/needle_set.json", NEEDLE_SET]]);
    for (const b of BOOKS) files.set(`amodaresi/NoLiMa/haystack/rand_shuffle/${b}.txt`, bookText(b));
    hub = await startHubStandIn(files);
  });
  afterAll(async () => {
    await model.close();
    await hub.close();
  });

  const args = (runDir: string, extra: string[]) => [
    "run", "nolima", "--tasks", "needle_set", "--lengths", "250", "--limit", "4", "--benchmark-opt", "nolima.depthPercentIntervals=2",
    "--model", "openai:test-model", "--backend-opt", `baseURL=${model.baseURL}`, "--run-dir", runDir, ...extra,
  ];

  it("fetches the needle set and the one book it needs, sends the generated prompts, scores contains case-sensitively", async () => {
    const cwd = project({ plugins: [NOLIMA, OPENAI_BACKEND] });
    requests.length = 0;
    const result = await runCli(args(join(cwd, "run"), ["--cache-dir", join(cwd, "cache")]), { cwd, env: { HF_ENDPOINT: hub.url } });
    expect(result.stderr.split("\n").filter((l) => /^error/.test(l))).toEqual([]);
    expect(result.code).toBe(0);
    expect(hub.requests.sort()).toEqual([
      "/datasets/amodaresi/NoLiMa/resolve/main/haystack/rand_shuffle/rand_book_1.txt",
      "/datasets/amodaresi/NoLiMa/resolve/main/needlesets/needle_set.json",
    ]);

    // The same samples built in process with the server's tokenizer: the requests carry exactly them.
    const tests = buildTests(NeedleSetSchema.parse(JSON.parse(NEEDLE_SET)));
    const ids = ["rand_book_1/0401_T01_onehop/0", "rand_book_1/0401_T01_onehop/1", "rand_book_1/0401_T02_onehop/0", "rand_book_1/0401_T02_onehop/1"];
    const tokenizer = new FakeTokenizer();
    const expected = await Promise.all(
      ids.map((id) => generate(id, { task: "needle_set", length: "250", tests, books: BOOKS, bookText, tokenizer, options: { depthPercentIntervals: 2 } })),
    );
    expect(requests.length).toBe(4);
    for (const s of expected) {
      const test = tests.find((t) => s.id.includes(t.test_name))!;
      const user = filledTemplate(s, test.task_template);
      const r = requests.find((x) => x.messages?.at(-1)?.content === user);
      expect(r, `a request carries the prompt of ${s.id}`).toBeDefined();
      expect(r!.messages).toEqual([
        { role: "system", content: "You are a helpful assistant" },
        { role: "user", content: user },
      ]);
      expect(r!.maxTokens).toBe(192);
      expect(r!.temperature).toBe(0);
    }
    const records = recordLines(join(cwd, "run")).sort((a, b) => (a.id < b.id ? -1 : 1));
    expect(records.map((r) => [r.id, r.score])).toEqual([
      [ids[0], 1],
      [ids[1], 1],
      [ids[2], 0],
      [ids[3], 0],
    ]);
    const b = JSON.parse(readFileSync(join(cwd, "run", "results.json"), "utf8")).benchmarks[0];
    expect(b.cells).toEqual({ needle_set: { "250": 50 } });
    expect(result.stdout).toMatch(/NoLiMa accuracy by needle set and context length[^\n]*250\n[^\n]*\nneedle_set\s+50\.00\n/);
    const manifest = readFileSync(join(cwd, "run", "manifest.json"), "utf8");
    expect(manifest).toContain("needlesets/needle_set.json");
    expect(manifest).toContain("haystack/rand_shuffle/rand_book_1.txt");
  });

  it("reads the repository's data/ layout offline and reports a malformed needle-set row with file:line", async () => {
    const cwd = project({ plugins: [NOLIMA, OPENAI_BACKEND] });
    const dataDir = join(cwd, "repo");
    mkdirSync(join(dataDir, "data", "needlesets"), { recursive: true });
    mkdirSync(join(dataDir, "data", "haystack", "rand_shuffle"), { recursive: true });
    const rows = (JSON.parse(NEEDLE_SET) as object[]).map((r) => JSON.stringify(r));
    writeFileSync(join(dataDir, "data", "needlesets", "needle_set.json"), `[\n${JSON.stringify({ id: "0", needle: "x" })},\n${rows.join(",\n")}\n]\n`);
    writeFileSync(join(dataDir, "data", "haystack", "rand_shuffle", "rand_book_1.txt"), bookText("rand_book_1"));
    const before = hub.requests.length;
    requests.length = 0;
    const result = await runCli(args(join(cwd, "run"), ["--data-dir", dataDir, "--offline", "--cache-dir", mkdtempSync(join(tmpdir(), "c-"))]), { cwd });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/data\/needlesets\/needle_set\.json:2: /);
    expect(hub.requests.length).toBe(before);
    expect(recordLines(join(cwd, "run")).sort((a, b) => (a.id < b.id ? -1 : 1)).map((r) => r.score)).toEqual([1, 1, 0, 0]);
  });
});

describe("loom score nolima --predictions", () => {
  it("writes gathered_results.csv as gather_results.ipynb does for the tester's result files", async () => {
    const cwd = project({ plugins: [NOLIMA] });
    // The notebook ran from the package folder on this relative path, which result_name repeats.
    cpSync(join(FIXTURES, "runs"), join(cwd, "test", "fixtures", "runs"), { recursive: true });
    const out = join(cwd, "out");
    const result = await runCli(["score", "nolima", "--predictions", "test/fixtures/runs/needle_set/", "--out", out], { cwd });
    expect(result.stderr.split("\n").filter((l) => /^error/.test(l))).toEqual([]);
    expect(result.code).toBe(0);
    expect(readFileSync(join(out, "gathered_results.csv"), "utf8")).toBe(readFileSync(join(FIXTURES, "gathered", "needle_set.csv"), "utf8"));
    // A results folder mixing runs whose files have different keys: DictWriter's ValueError, nothing written.
    const mixed = await runCli(["score", "nolima", "--predictions", "test/fixtures/runs/", "--out", join(cwd, "mixed")], { cwd });
    expect(mixed.code).not.toBe(0);
    expect(mixed.stderr).toMatch(/ValueError/);
  });
});
