// The harness's own overhead: requests/s of a whole `loom run` (prompt building, truncation,
// HTTP, scoring, JSONL store, events) against a zero-latency fake server, short prompts,
// concurrency 64. Target: >= 2,000 requests/s on the 2-core reference machine.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { EventBus, PluginRegistry, runEvaluation } from "@loomscope/core";
import { startFakeServer } from "./fake-server.mjs";

const REPO = fileURLToPath(new URL("../../", import.meta.url));
const samples = Number(process.env.SAMPLES ?? 10_000);
const server = await startFakeServer("openai", ["--model", "test-model", "--answer", "1234"]);
const ollama = await startFakeServer("ollama", ["--model", "test-model", "--answer", "1234"]);
const registry = new PluginRegistry({
  cwd: REPO,
  packages: [
    join(REPO, "test/fixtures/plugins/benchmark-fixture"),
    ...["openai", "vllm", "ollama"].map((id) => join(REPO, "plugins/backends", id)),
  ],
});

async function once(label, backendOptions, n, model = "openai:test-model", schedule = undefined) {
  const runDir = mkdtempSync(join(tmpdir(), "loom-bench-"));
  const bus = new EventBus();
  let done = 0;
  bus.on("sample:done", () => done++);
  const t0 = performance.now();
  const outcome = await runEvaluation({
    targets: ["fixture-qa"],
    tasks: ["lookup"],
    model,
    registry,
    bus,
    runDir,
    concurrency: 64,
    ...(schedule ? { schedule } : {}),
    backendOptions,
    benchmarkOptions: { "fixture-qa": { samples: n, words: 20 } },
  });
  const seconds = (performance.now() - t0) / 1000;
  rmSync(runDir, { recursive: true, force: true });
  if (outcome.counts.errors > 0) throw new Error(`${outcome.counts.errors} samples failed`);
  if (label) console.log(`${label.padEnd(44)} ${String(done).padStart(6)} samples in ${seconds.toFixed(2)} s = ${(done / seconds).toFixed(0)} requests/s`);
}

const baseURL = `${server.url}/v1`;
await once("", { baseURL, stream: false }, 500); // warm-up
await once("openai: non-streaming, server tokenizer (/tokenize)", { baseURL, stream: false }, samples);
// The dispatch order's own cost (prefix is the default here: prompts hashed, the window scanned per request).
await once("  the same, --schedule official", { baseURL, stream: false }, samples, undefined, "official");
await once("  the same, --schedule longest", { baseURL, stream: false }, samples, undefined, "longest");
await once("  the same, --schedule prefix", { baseURL, stream: false }, samples, undefined, "prefix");
await once("openai: streaming (SSE), server tokenizer", { baseURL, stream: true }, samples);
await once("openai: non-streaming, tiktoken o200k_base locally", { baseURL, stream: false, tokenizer: "tiktoken:o200k_base" }, samples);
await once("openai: streaming (SSE), tiktoken locally", { baseURL, stream: true, tokenizer: "tiktoken:o200k_base" }, samples);
console.log("target: >= 2,000 requests/s at concurrency 64 (harness overhead)\n");
await once("vllm (attached): streaming, exact /tokenize", { baseURL }, samples, "vllm:test-model");
await once("ollama: streaming NDJSON (official client)", { host: ollama.url, tokenizer: "tiktoken:o200k_base" }, samples, "ollama:test-model");
await once("ollama: non-streaming (official client)", { host: ollama.url, stream: false, tokenizer: "tiktoken:o200k_base" }, samples, "ollama:test-model");
console.log("target: >= 1,000 requests/s through each network backend at concurrency 64");
server.close();
ollama.close();
