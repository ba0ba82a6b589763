/**
 * suite-loombench end to end through a local stand-in for the Hugging Face hub serving a small
 * fixture in LOOMBench's layout (one folder per benchmark) at a pinned revision: the suite's lock
 * (LOOMBENCH_LOCK) pins each file's sha256 and sample-id list; the run downloads the pinned files at
 * that revision, checks them, records them in the manifest, and scores a partial suite (members not
 * run are named); a tampered file is refused; LOOMBench is expressible as a suite file; a malformed
 * pinned entry is refused with the file's line.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sampleIdsPin } from "@loomscope/benchmark-kit";
import { startOpenAIServer, type FakeOpenAIServer } from "@loomscope/testkit";
import { suiteFromLock, type LoomBenchLock } from "@loomscope/suite-loombench";
import { buildPlan, PluginRegistry } from "@loomscope/core";
import { loadFileTarget, loadTaskFile } from "@loomscope/benchmark-kit";
import { completeLock } from "../../plugins/suites/loombench/scripts/lock.mjs";
import { OPENAI_BACKEND, project, REPO, runCli } from "../helpers.js";
import { startHubStandIn, type HubStandIn } from "../hub-standin.js";

const REVISION = "0123456789abcdef0123456789abcdef01234567";
const REPO_ID = "LCM-Lab/LOOMBench";
const MEMBERS = ["l-citeeval", "leval", "ruler", "longbench", "babilong", "counting-stars", "lveval", "longbench-v2", "niah", "infinitebench", "longwriter", "libra"];
const plugin = (id: string) => join(REPO, "plugins/benchmarks", id);
/** A member is installable when its package declares a loomscope plugin (LEval and InfiniteBench are wired in another branch). */
const wired = (id: string) => existsSync(join(plugin(id), "package.json")) && "loomscope" in (JSON.parse(readFileSync(join(plugin(id), "package.json"), "utf8")) as { loomscope?: unknown });
const INSTALLED = MEMBERS.filter(wired);
const SUITE = join(REPO, "plugins/suites/loombench");

const jsonl = (rows: readonly object[]) => rows.map((r) => JSON.stringify(r)).join("\n") + "\n";
const sha = (text: string) => createHash("sha256").update(text).digest("hex");

// Three small files in LOOMBench's folders, in each benchmark's record shape.
const TREC = jsonl(
  [0, 1, 2].map((i) => ({ input: `What is question ${i}?`, context: `Question: What is A${i}?\nType: Abbreviation\n`, answers: ["Abbreviation"], length: 12, dataset: "trec", language: "en", all_classes: ["Abbreviation", "Entity"], _id: `t${i}` })),
);
const QA1 = jsonl([0, 1, 2].map((i) => ({ input: `Mary went to the kitchen ${i}. John went to the garden.`, question: "Where is Mary?", target: "kitchen" })));
const V2 = jsonl(
  [0, 1, 2].map((i) => ({ _id: `v${i}`, domain: "Single-Document QA", sub_domain: "Academic", difficulty: "easy", length: "short", question: `Which is right ${i}?`, choice_A: "a", choice_B: "b", choice_C: "c", choice_D: "d", answer: "A", context: `Document ${i}.` })),
);
const FILES: Record<string, string> = { "LongBench/trec.jsonl": TREC, "babilong/qa1_0k.jsonl": QA1, "LongBench_v2/longbench_v2.jsonl": V2 };

/** The fixture's lock: the twelve members, three of them with pinned files (sha256 and ids as loomscope reads them). */
function fixtureLock(overrides: Partial<Record<string, string>> = {}): LoomBenchLock {
  const file = (path: string, task: string, ids: string[], length?: string) => ({ path, task, ...(length ? { length } : {}), sha256: sha(overrides[path] ?? FILES[path]!), ids: sampleIdsPin(ids) });
  const none = (benchmark: string, folder: string) => ({ benchmark, folder, column: folder, files: [] as never[] });
  return {
    source: "huggingface",
    repo: REPO_ID,
    revision: REVISION,
    members: [
      none("l-citeeval", "L_CiteEval"),
      none("leval", "LEval"),
      { benchmark: "ruler", folder: "RULER", column: "RULER", files: "generated" },
      { benchmark: "longbench", folder: "LongBench", column: "LongBench", protocol: "loom", tasks: ["trec"], files: [file("LongBench/trec.jsonl", "trec", ["trec-0", "trec-1", "trec-2"])] },
      { benchmark: "babilong", folder: "babilong", column: "BaBILong", protocol: "loom", tasks: ["qa1"], lengths: ["0k"], files: [file("babilong/qa1_0k.jsonl", "qa1", ["qa1_0k-0", "qa1_0k-1", "qa1_0k-2"], "0k")] },
      { benchmark: "counting-stars", folder: "Counting_Stars", column: "Counting★", files: "generated" },
      none("lveval", "LVEval"),
      { benchmark: "longbench-v2", folder: "LongBench_v2", column: "LongBench_v2", protocol: "loom", lengths: ["short"], files: [{ ...file("LongBench_v2/longbench_v2.jsonl", "longbench_v2", []), ids: undefined, idsByLength: { short: sampleIdsPin(["v0", "v1", "v2"]) } }] },
      { benchmark: "niah", folder: "NIAH", column: "NIAH", files: "generated" },
      none("infinitebench", "InfiniteBench"),
      none("longwriter", "LongWriter"),
      none("libra", "LIBRA"),
    ],
  } as LoomBenchLock;
}

describe("suite-loombench through a hub stand-in", () => {
  let hub: HubStandIn;
  let server: FakeOpenAIServer;
  beforeAll(async () => {
    hub = await startHubStandIn(new Map(Object.entries(FILES).map(([path, text]) => [`${REPO_ID}@${REVISION}/${path}`, text])));
    server = await startOpenAIServer({ models: ["test-model"], script: () => "The correct answer is (A) kitchen Abbreviation" });
  });
  afterAll(async () => {
    await hub.close();
    server.close();
  });

  /** LOOMBench as a suite file: the package's entries from the fixture lock, members not installed left out. */
  function suiteFile(cwd: string, lock: LoomBenchLock): string {
    const suite = suiteFromLock(lock);
    const entries = suite.entries.filter((e) => INSTALLED.includes(e.benchmark));
    const path = join(cwd, "loombench.yaml");
    writeFileSync(path, JSON.stringify({ suite: "loombench-file", aggregation: "mean", entries }, null, 2));
    return path;
  }
  const TARGET_TASKS = "trec,qa1,longbench_v2";
  const runArgs = (target: string, runDir: string) => ["run", target, "--model", "openai:test-model", "--tokenizer", "tiktoken:o200k_base", "--tasks", TARGET_TASKS, "--run-dir", runDir, "-q"];

  it("shows the pinned files, downloads them at the pinned revision, checks them and scores a partial suite", async () => {
    const cwd = project({ plugins: [...INSTALLED.map(plugin), OPENAI_BACKEND], backends: { openai: { baseURL: server.baseURL } } });
    const file = suiteFile(cwd, fixtureLock());
    const show = await runCli(["suite", "show", file], { cwd, env: { HF_ENDPOINT: hub.url } });
    expect(show.stderr).toBe("");
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/longbench\s+trec\s+—\s+3\s+loom/);
    expect(show.stdout).toMatch(/babilong\s+qa1\s+0k\s+3\s+loom/);
    expect(show.stdout).toMatch(/longbench-v2\s+longbench_v2\s+short\s+3\s+loom/);
    expect(show.stdout).toContain(`hf:${REPO_ID}@${REVISION}/LongBench/trec.jsonl (trec, sha256 ${sha(TREC).slice(0, 12)}…, 3 ids)`);
    expect(show.stdout).toMatch(/data l-citeeval: pinned, but the suite's lock lists no file of it yet/);
    expect(show.stdout).toMatch(/data niah: generated/);

    const runDir = join(cwd, "run");
    const run = await runCli(runArgs(file, runDir), { cwd, env: { HF_ENDPOINT: hub.url } });
    expect(run.stderr).not.toMatch(/unexpected error|CHECKSUM|DATA_PINNED/);
    expect([0, 3]).toContain(run.code);
    for (const path of Object.keys(FILES)) expect(hub.requests).toContain(`/datasets/${REPO_ID}/resolve/${REVISION}/${path}`);
    const manifest = JSON.parse(readFileSync(join(runDir, "manifest.json"), "utf8"));
    expect(manifest.provenance["longbench"]["data:LongBench/trec.jsonl"]).toMatchObject({ repo: REPO_ID, revision: REVISION, sha256: sha(TREC), origin: "download" });
    // The pins are part of the run's identity.
    expect(JSON.stringify(manifest.config.benchmarks)).toContain(sha(QA1));
    const results = JSON.parse(readFileSync(join(runDir, "results.json"), "utf8"));
    const scored = results.benchmarks.map((b: { benchmark: string; score: number | null; samples: { ok: number } }) => [b.benchmark, b.samples.ok]);
    expect(scored).toEqual([["longbench", 3], ["babilong", 3], ["longbench-v2", 3]]);
    expect(results.suite.id).toBe("loombench-file");
    // Nine members did not run here: the suite score says partial and names them.
    expect(results.suite.partial).toBe(true);
    expect(results.suite.missing).toEqual(expect.arrayContaining(INSTALLED.filter((id) => !["longbench", "babilong", "longbench-v2"].includes(id))));
  });

  it("refuses a tampered file: the unit does not run, the others do, the score is partial", async () => {
    const cwd = project({ plugins: [...INSTALLED.map(plugin), OPENAI_BACKEND], backends: { openai: { baseURL: server.baseURL } } });
    // The lock pins the official bytes; the hub now serves other bytes for trec.jsonl.
    const tampered = await startHubStandIn(
      new Map(Object.entries({ ...FILES, "LongBench/trec.jsonl": TREC.replace("Abbreviation", "Entity") }).map(([path, text]) => [`${REPO_ID}@${REVISION}/${path}`, text])),
    );
    try {
      const file = suiteFile(cwd, fixtureLock());
      const runDir = join(cwd, "run");
      const run = await runCli(runArgs(file, runDir), { cwd, env: { HF_ENDPOINT: tampered.url } });
      expect(run.stderr).not.toMatch(/unexpected error/);
      expect(run.stdout + run.stderr).toMatch(new RegExp(`sha256 [0-9a-f]{64}, expected ${sha(TREC)}`));
      const results = JSON.parse(readFileSync(join(runDir, "results.json"), "utf8"));
      const longbench = results.benchmarks.find((b: { benchmark: string }) => b.benchmark === "longbench");
      expect(longbench?.score ?? null).toBeNull();
      expect(results.suite.partial).toBe(true);
      expect(results.benchmarks.find((b: { benchmark: string }) => b.benchmark === "babilong").samples.ok).toBe(3);
    } finally {
      await tampered.close();
    }
  });

  it("plans the pins into the entries; an explicit --protocol that differs from an entry's is noted, the entry's kept", async () => {
    const cwd = project({});
    const file = suiteFile(cwd, fixtureLock());
    const registry = new PluginRegistry({ cwd, packages: INSTALLED.map(plugin) });
    const plan = await buildPlan(registry, { targets: [file], cwd, loadTaskFile, loadFileTarget, tasks: TARGET_TASKS.split(","), protocol: "official" });
    expect(plan.entries.map((e) => [e.benchmark.id, e.protocol, e.pinnedData?.length])).toEqual([["longbench", "loom", 1], ["babilong", "loom", 1], ["longbench-v2", "loom", 1]]);
    expect(plan.notices).toContain("longbench runs protocol loom, as its suite entry says, not --protocol official");
    const wrong = { ...fixtureLock(), members: fixtureLock().members.map((m) => (m.benchmark === "babilong" ? { ...m, files: [{ path: "babilong/qa1_0k.jsonl", task: "qa1", length: "3k" }] } : m)) } as LoomBenchLock;
    await expect(buildPlan(registry, { targets: [suiteFile(cwd, wrong)], cwd, loadTaskFile, loadFileTarget })).rejects.toMatchObject({ code: "PLAN", message: expect.stringContaining('babilong: pinned data names length "3k" of task qa1') });
  });

  it("refuses a run whose planned units have unchecked or unlisted pins before any request", async () => {
    const cwd = project({ plugins: [...INSTALLED.map(plugin), OPENAI_BACKEND], backends: { openai: { baseURL: server.baseURL } } });
    const unchecked = fixtureLock();
    const babilong = unchecked.members.find((m) => m.benchmark === "babilong")!;
    if (Array.isArray(babilong.files)) delete babilong.files[0]!.sha256;
    const before = server.requests.length;
    const run = await runCli(runArgs(suiteFile(cwd, unchecked), join(cwd, "run")), { cwd, env: { HF_ENDPOINT: hub.url } });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/1 planned unit\(s\) cannot read the data their suite pins: babilong\/qa1\/0k: babilong\/qa1_0k\.jsonl has no sha256 in the suite/);
    expect(run.stderr).toMatch(/fix: complete the lock of suite loombench-file/);
    expect(server.requests.length).toBe(before);
    // A member whose lock lists no file refuses its units too (here: l-citeeval, asked for by --tasks).
    const cite = await runCli(["run", suiteFile(cwd, fixtureLock()), "--model", "openai:test-model", "--tasks", "narrativeqa", "--lengths", "8k", "--run-dir", join(cwd, "run2"), "-q"], { cwd, env: { HF_ENDPOINT: hub.url } });
    expect(cite.code).toBe(2);
    expect(cite.stderr).toMatch(/l-citeeval\/narrativeqa\/8k: no pinned file/);
  });

  it("refuses a malformed pinned entry with the suite file's line", async () => {
    const cwd = project({ plugins: [plugin("longbench"), OPENAI_BACKEND] });
    writeFileSync(
      join(cwd, "bad.yaml"),
      `suite: s
entries:
  - benchmark: longbench
    tasks: [trec]
    data:
      - task: trec
        file: { source: huggingface, repo: ${REPO_ID}, revision: ${REVISION}, path: LongBench/trec.jsonl }
        ids: { count: 3, sha256: not-a-hash }
`,
    );
    const result = await runCli(["suite", "show", "bad.yaml"], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/bad\.yaml:8: entries\.0\.data\.0\.ids\.sha256: /);
    writeFileSync(join(cwd, "agg.yaml"), `suite: s\naggregation: median\nentries:\n  - benchmark: longbench\n    tasks: [trec]\n`);
    const agg = await runCli(["suite", "show", "agg.yaml"], { cwd });
    expect(agg.code).toBe(2);
    expect(agg.stderr).toMatch(/agg\.yaml:2: aggregation: .*"mean".*"weighted-mean".*"capability-mean"/);
  });

  it("completes a lock from a snapshot: each file's sha256 and the ids the members read", async () => {
    const cwd = project({});
    const snapshot = join(cwd, "snapshot");
    for (const [path, text] of Object.entries(FILES)) {
      mkdirSync(dirname(join(snapshot, path)), { recursive: true });
      writeFileSync(join(snapshot, path), text);
    }
    const pinned = fixtureLock();
    const bare = { ...pinned, members: pinned.members.map((m) => (Array.isArray(m.files) ? { ...m, files: m.files.map(({ path, task, length }) => ({ path, task, ...(length ? { length } : {}) })) } : m)) } as LoomBenchLock;
    const registry = new PluginRegistry({ cwd, packages: INSTALLED.map(plugin) });
    const { lock, missing } = await completeLock(bare, snapshot, { registry });
    expect(missing).toEqual([]);
    expect(JSON.parse(JSON.stringify(lock))).toEqual(JSON.parse(JSON.stringify(pinned)));
    const short = { ...bare, members: bare.members.map((m) => (m.benchmark === "babilong" ? { ...m, files: [{ path: "babilong/qa2_0k.jsonl", task: "qa2", length: "0k" }] } : m)) } as LoomBenchLock;
    expect((await completeLock(short, snapshot, { registry })).missing).toEqual(["babilong/qa2_0k.jsonl"]);
  });

  it("loom plan loombench: per-benchmark samples from the pins, and prompt tokens as the run then sends them", async () => {
    const cwd = project({ plugins: [...INSTALLED.map(plugin), SUITE, OPENAI_BACKEND], backends: { openai: { baseURL: server.baseURL } } });
    const lock = join(cwd, "lock.json");
    writeFileSync(lock, JSON.stringify(fixtureLock()));
    const env = { HF_ENDPOINT: hub.url, LOOMBENCH_LOCK: lock };
    const generations = () => server.requests.filter((r) => /\/(chat\/)?completions$/.test(r.path));
    const before = generations().length;
    // No --tokenizer: the openai backend counts with the server's /tokenize, one token per UTF-8 byte.
    const plan = await runCli(["plan", "loombench", "--model", "openai:test-model", "--tasks", TARGET_TASKS, "--json"], { cwd, env });
    expect(plan.code).toBe(0);
    expect(generations().length).toBe(before);
    const table = JSON.parse(plan.stdout) as { tokens: { basis: string }; rows: { benchmark: string; samples: number; requests: number; promptTokens: number }[] };
    expect(table.tokens.basis).toBe("exact");
    const planned = new Map<string, { samples: number; requests: number; promptTokens: number }>();
    for (const row of table.rows) {
      const sum = planned.get(row.benchmark) ?? { samples: 0, requests: 0, promptTokens: 0 };
      planned.set(row.benchmark, { samples: sum.samples + row.samples, requests: sum.requests + row.requests, promptTokens: sum.promptTokens + row.promptTokens });
    }
    expect([...planned.keys()]).toEqual(["longbench", "babilong", "longbench-v2"]);
    for (const p of planned.values()) expect(p).toMatchObject({ samples: 3, requests: 3 });

    // The hand count: the bytes of the messages the run sends for each benchmark's samples.
    const run = await runCli(["run", "loombench", "--model", "openai:test-model", "--tasks", TARGET_TASKS, "--run-dir", join(cwd, "run"), "-q"], { cwd, env });
    expect([0, 3]).toContain(run.code);
    const sent = generations().slice(before);
    expect(sent.length).toBe(9);
    const bytesOf = (body: unknown) => {
      const messages = (body as { messages?: { content: string }[] }).messages ?? [];
      return messages.reduce((n, m) => n + Buffer.byteLength(m.content, "utf8"), 0);
    };
    const counted = { longbench: 0, babilong: 0, "longbench-v2": 0 } as Record<string, number>;
    for (const request of sent) {
      const text = JSON.stringify(request.body);
      const benchmark = text.includes("Mary went to the kitchen") ? "babilong" : text.includes("Which is right") ? "longbench-v2" : "longbench";
      counted[benchmark]! += bytesOf(request.body);
    }
    expect(Object.fromEntries([...planned].map(([id, p]) => [id, p.promptTokens]))).toEqual(counted);
  });

  it.skipIf(INSTALLED.length < MEMBERS.length)("the installed suite resolves its twelve members and their pinned files", async () => {
    const cwd = project({ plugins: [...INSTALLED.map(plugin), SUITE, OPENAI_BACKEND], backends: { openai: { baseURL: server.baseURL } } });
    const lock = join(cwd, "lock.json");
    writeFileSync(lock, JSON.stringify(fixtureLock()));
    const show = await runCli(["suite", "show", "loombench", "--json"], { cwd, env: { HF_ENDPOINT: hub.url, LOOMBENCH_LOCK: lock } });
    expect(show.code).toBe(0);
    const shown = JSON.parse(show.stdout);
    expect(shown.entries.map((e: { benchmark: string }) => e.benchmark)).toEqual(MEMBERS);
    const runDir = join(cwd, "run");
    const run = await runCli(runArgs("loombench", runDir), { cwd, env: { HF_ENDPOINT: hub.url, LOOMBENCH_LOCK: lock } });
    expect([0, 3]).toContain(run.code);
    const results = JSON.parse(readFileSync(join(runDir, "results.json"), "utf8"));
    expect(results.suite.id).toBe("loombench");
    expect(results.suite.missing).toHaveLength(9);
  });
});
