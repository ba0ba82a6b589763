// `loom plan` figures for a LOOMBench-sized workload: prompt tokens per benchmark counted with the
// Qwen3 tokenizer, and GPU-hours for an 8B model at a stated vLLM throughput, beside LOOM-Scope's
// published "complete 8B LCLM assessment in ~6 hours". It runs core's estimateRun — the code behind
// `loom plan` — against a testkit stand-in for a vLLM server (a 128k window, nothing generated), so
// the counts are the run's own: its prompts, truncation to the max length, its window check.
//
// Usage: node tools/bench/plan-loombench.mjs [targets…] [--prefill 20000] [--decode 2500]
//          [--window 131072] [--max-length N] [--data-dir DIR] [--cache-dir DIR] [--offline] [--limit N]
// Targets default to the `loombench` suite. Data comes from the loomscope cache (or --data-dir);
// units whose data is not there are listed as errors, never counted as zero.
import { parseArgs } from "node:util";
import { join } from "node:path";
import { estimateRun, gpuHours, PluginRegistry } from "@loomscope/core";
import { loadFileTarget, loadTaskFile } from "@loomscope/benchmark-kit";
import { startFakeServer } from "./fake-server.mjs";
import { QWEN3_DIR } from "./lib.mjs";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    prefill: { type: "string", default: "20000" },
    decode: { type: "string", default: "2500" },
    window: { type: "string", default: "131072" },
    "max-length": { type: "string" },
    "data-dir": { type: "string" },
    "cache-dir": { type: "string" },
    offline: { type: "boolean", default: false },
    limit: { type: "string" },
  },
});
const throughput = { prefill: Number(values.prefill), decode: Number(values.decode) };
const PUBLISHED_HOURS = 6; // LOOMBench card: "Complete 8B LCLM assessment in just 6 hours"
const MODEL = "Qwen/Qwen3-8B";
const cwd = process.cwd();
const registry = new PluginRegistry({ cwd });
const targets = positionals.length ? positionals : ["loombench"];
for (const t of targets) {
  if (!/\.(ya?ml|json)$/i.test(t) && !registry.find("suite", t) && !registry.find("benchmark", t)) {
    console.error(`${t} is not installed here (suites: ${registry.list("suite").map((p) => p.manifest.id).join(", ") || "none"}); pass installed benchmark ids or a suite file`);
    process.exit(2);
  }
}

const int = (n) => Math.round(n).toLocaleString("en-US");
const h = (x) => x.toFixed(2);
console.log(`model: ${MODEL} (vLLM stand-in, window ${int(Number(values.window))}); tokenizer: Qwen3 (${QWEN3_DIR}/tokenizer.json)`);
console.log(`throughput (stated, aggregate over the batch): prefill ${int(throughput.prefill)} tok/s, decode ${int(throughput.decode)} tok/s`);
console.log(`LOOM-Scope's 6 h at these rates buys ${int(PUBLISHED_HOURS * 3600 * throughput.prefill / 1e6)}M prompt tokens of prefill alone, or ${int(PUBLISHED_HOURS * 3600 * throughput.decode / 1e6)}M generated tokens alone\n`);

const server = await startFakeServer("openai", ["--model", `${MODEL}=${values.window}`]);
try {
  const estimate = await estimateRun({
    targets,
    cwd,
    registry,
    loadTaskFile,
    loadFileTarget,
    model: `vllm:${MODEL}`,
    backendOptions: { baseURL: `${server.url}/v1` },
    tokenizer: join(QWEN3_DIR, "tokenizer.json"),
    runDir: join(cwd, ".plan-loombench-run"),
    ...(values["max-length"] ? { maxLength: Number(values["max-length"]) } : {}),
    ...(values["data-dir"] ? { dataDir: values["data-dir"] } : {}),
    ...(values["cache-dir"] ? { cacheDir: values["cache-dir"] } : {}),
    ...(values.limit ? { limit: Number(values.limit) } : {}),
    ...(values.offline ? { offline: true } : {}),
    cache: false,
    estimate: { throughput },
  });
  const byBenchmark = new Map();
  for (const r of estimate.rows) {
    const b = byBenchmark.get(r.benchmark) ?? { samples: 0, promptTokens: 0, maxNewTokens: 0, truncated: 0, tooLong: 0, errors: 0 };
    // A unit whose data could not be read counts no samples (its error is listed below).
    if (!r.error) b.samples += r.samples;
    b.promptTokens += r.promptTokens;
    b.maxNewTokens += r.maxNewTokens;
    b.truncated += r.truncated;
    b.tooLong += r.tooLong;
    if (r.error) b.errors++;
    byBenchmark.set(r.benchmark, b);
  }
  console.log("| benchmark | samples | prompt tokens (Qwen3) | max gen tokens | truncated | too long | units not read | prefill h | decode h | GPU-h |");
  console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const [id, b] of byBenchmark) {
    const g = gpuHours(b, throughput);
    console.log(`| ${id} | ${int(b.samples)} | ${int(b.promptTokens)} | ${int(b.maxNewTokens)} | ${int(b.truncated)} | ${int(b.tooLong)} | ${b.errors} | ${h(g.prefillHours)} | ${h(g.decodeHours)} | ${h(g.hours)} |`);
  }
  const t = estimate.totals;
  const g = estimate.gpu;
  const readSamples = [...byBenchmark.values()].reduce((a, b) => a + b.samples, 0);
  console.log(`| **total** | ${int(readSamples)} | ${int(t.promptTokens)} | ${int(t.maxNewTokens)} | ${int(t.truncated)} | ${int(t.tooLong)} | ${estimate.rows.filter((r) => r.error).length} | ${h(g.prefillHours)} | ${h(g.decodeHours)} | **${h(g.hours)}** |`);
  console.log(`\nplan: ≤ ${h(g.hours)} GPU-hours (every answer at its budget) vs LOOM-Scope's published ~${PUBLISHED_HOURS} h for an 8B model`);
  const failed = estimate.rows.filter((r) => r.error);
  if (failed.length) {
    console.log(`\n${failed.length} unit(s) could not be read (their samples are not in the figures above); the first: ${failed[0].benchmark}/${failed[0].task}${failed[0].length ? `/${failed[0].length}` : ""}: ${failed[0].error}`);
  }
  for (const n of estimate.notices) console.log(`note: ${n}`);
} finally {
  server.close();
}
