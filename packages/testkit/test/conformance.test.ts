import { fileURLToPath } from "node:url";
import { afterAll, beforeAll } from "vitest";
import { runAcceleratorConformance, runBackendConformance, runBenchmarkConformance, runSuiteConformance, startOpenAIServer, type FakeOpenAIServer } from "../src/index.js";
import type { Benchmark, Judge } from "@loomscope/spec";
import qa from "./fixtures/qa-benchmark/plugin.js";
import backendPlugin, { createFakeOpenAIBackend } from "./fixtures/echo-backend/plugin.js";
import { eraser, keepTopK } from "./fixtures/accelerators/plugins.js";
import suite from "./fixtures/suite/plugin.js";

const fixture = (p: string): string => fileURLToPath(new URL(`./fixtures/${p}`, import.meta.url));

// A benchmark reading a JSONL fixture through the test context's DataAccess.
runBenchmarkConformance(qa, {
  packageDir: fixture("qa-benchmark"),
  context: { dataDir: fixture("qa-benchmark/data") },
});
runBenchmarkConformance(qa, {
  context: { dataDir: fixture("qa-benchmark/data") },
  requests: [{ task: "qa" }, { task: "qa", limit: 1 }],
});

// A judge-scored benchmark in Russian: score() gets the judge given to the suite.
const judge: Judge = { id: "fake:judge", complete: async (request) => (request.messages[0]?.content.includes("Ответ") ? "1" : "0") };
const judged: Benchmark = {
  ...qa,
  id: "fixture-qa-judged",
  tasks: [{ id: "qa", language: "ru", lengths: [], maxNewTokens: 16, metrics: ["judged"] }],
  metrics: { judged: { id: "judged", aggregation: "mean", scale: 100, higherIsBetter: true, binary: true, judge: "LLM judge" } },
  // Judged without a reference answer, as safety benchmarks are.
  samples: async function* (request, ctx) {
    for await (const s of qa.samples(request, ctx)) yield { ...s, references: [] };
  },
  score: async (input) => {
    if (!input.judge) throw new Error("no judge bound");
    return { judged: Number(await input.judge.complete({ messages: [{ role: "user", content: `Ответ: ${input.prediction}` }] })) };
  },
  aggregate: undefined,
};
runBenchmarkConformance(judged, { context: { dataDir: fixture("qa-benchmark/data") }, judge });

// A backend talking to the fake OpenAI/vLLM server, slowed down by it for the abort check.
let server: FakeOpenAIServer;
beforeAll(async () => {
  server = await startOpenAIServer({ models: ["fixture-model"] });
});
afterAll(async () => {
  await server.close();
});
runBackendConformance(() => createFakeOpenAIBackend(server.url, "fixture-model"), {
  plugin: backendPlugin,
  packageDir: fixture("echo-backend"),
  abort: {
    slowdown: () => {
      server.setLatency({ ttftMs: 10_000 });
      return () => server.setLatency(undefined);
    },
  },
});

runAcceleratorConformance(keepTopK, {
  supported: { id: "fake-openai", model: "m", capabilities: { promptModes: ["chat"], exactTokenizer: true, features: [] } },
  params: { overlap: { k: 2 } },
});
runAcceleratorConformance(eraser, {
  supported: { id: "llamacpp", model: "m", capabilities: { promptModes: ["raw"], exactTokenizer: true, features: ["kv.erase-range"] } },
  unsupported: { id: "ollama", model: "m", capabilities: { promptModes: ["chat"], exactTokenizer: false, features: ["kv.context-shift"] } },
});

runSuiteConformance(suite, { benchmarks: [qa] });
