// The files of a new plugin package, as a pure function of (kind, id), so tests can check them
// without nx. Paths are relative to the repository root.
"use strict";

const { readFileSync } = require("node:fs");
const { join } = require("node:path");
const { withPublishFields } = require("../../scripts/publish-fields.cjs");

const REPO_ROOT = join(__dirname, "../../..");
const SPEC_VERSION = "1.0.0";
const TESTKIT_VERSION = "0.1.0";

function pascal(id) {
  return id.replace(/(^|[-_.])([a-z0-9])/g, (_, __, c) => c.toUpperCase());
}

const SOURCES = {
  benchmark: (id) => `import { fileURLToPath } from "node:url";
import { z } from "zod";
import { defineDatasetBenchmark, defineTasks } from "@loomscope/benchmark-kit";
import { metricById } from "@loomscope/metrics";

/**
 * ${id} on the benchmark kit: the task table (official prompt byte for byte, generation limit, metrics),
 * where the rows are, and how a row becomes a sample. See docs/writing-a-benchmark.md.
 */
export const tasks = defineTasks([
  {
    id: "default",
    language: "en",
    maxNewTokens: 32,
    prompt: { template: "{context}\\n\\nQuestion: {question}\\nAnswer:", contextKey: "context", queryKey: "question" },
    metrics: [metricById("exact_match")],
  },
]);

/** One line of the data. Replace with the official data format of your benchmark. */
const RecordSchema = z.object({ context: z.string(), question: z.string(), answer: z.string() }).passthrough();

/** The rows bundled with the package (a path, not a URL: folders may have spaces). */
const BUNDLED = fileURLToPath(new URL("../data/samples.jsonl", import.meta.url));

export default defineDatasetBenchmark({
  id: "${id}",
  version: "0.1.0",
  capability: "general",
  description: "TODO: what ${id} measures, and the official repository it follows",
  tasks,
  source: {
    // The official layout under --data-dir first, then the bundled sample rows.
    local: () => ["${id}/samples.jsonl", BUNDLED],
    // TODO: the official data on the hub, e.g. hfFile("<owner>/<dataset>", "data/test.jsonl") (import hfFile from the kit).
    remote: () => [],
  },
  record: RecordSchema,
  toSample: (row) => ({ input: { context: row.context, question: row.question }, references: [row.answer] }),
});
`,
  backend: (id) => `import { defineBackend, type Backend } from "@loomscope/spec";

/** TODO: talk to your engine. This skeleton echoes the last word of the prompt. */
export default defineBackend({
  kind: "backend",
  apiVersion: 1,
  id: "${id}",
  description: "TODO: which engine ${id} drives",
  /** Directives (\`<accelerator>:<method>\`, spec's catalogue) this backend interprets; any other is refused at bind time. */
  directives: [],
  create({ model }): Backend {
    return {
      id: "${id}",
      model,
      capabilities: () => ({ promptModes: ["chat"], exactTokenizer: false, features: [] }),
      async generate(request) {
        const t0 = performance.now();
        if (request.signal.aborted) throw request.signal.reason;
        const prompt = request.prompt.kind === "chat" ? request.prompt.messages.map((m) => m.content).join("\\n") : request.prompt.text;
        const text = prompt.trim().split(/\\s+/).at(-1) ?? "";
        return { text, usage: {}, timings: { totalMs: performance.now() - t0 } };
      },
      describe: () => ({ model }),
    };
  },
});
`,
  accelerator: (id) => `import { defineAccelerator } from "@loomscope/spec";

/** TODO: a prompt-stage accelerator that keeps the context unchanged, with stats. */
export default defineAccelerator({
  kind: "accelerator",
  apiVersion: 1,
  id: "${id}",
  stage: "prompt",
  description: "TODO: what ${id} does",
  methods: [{ id: "identity", description: "keeps the context", defaults: {} }],
  defaultMethod: "identity",
  bind({ method, params }) {
    return {
      stage: "prompt",
      accelerator: "${id}",
      method,
      params,
      label: "${id}:" + method,
      async transform(parts) {
        const context = parts.values[parts.contextKey ?? "context"] ?? "";
        return { parts, stats: { contextChars: context.length } };
      },
    };
  },
});
`,
  suite: (id) => `import { defineSuite } from "@loomscope/spec";

export default defineSuite({
  kind: "suite",
  apiVersion: 1,
  id: "${id}",
  version: "0.1.0",
  description: "TODO: what ${id} covers",
  entries: [{ benchmark: "my-benchmark", limit: 10 }], // TODO: the benchmarks this suite runs
  aggregation: { rule: "mean", capabilityMeans: true },
});
`,
};

const TESTS = {
  benchmark: () => `import { runBenchmarkConformance } from "@loomscope/testkit";
import plugin from "../src/index.js";

runBenchmarkConformance(plugin, { packageDir: new URL("..", import.meta.url) });
`,
  backend: () => `import { createTestBackendOptions, runBackendConformance, runDirectiveConformance } from "@loomscope/testkit";
import plugin from "../src/index.js";

runBackendConformance(() => plugin.create(createTestBackendOptions({ model: "demo" })), {
  plugin,
  packageDir: new URL("..", import.meta.url),
  abort: false,
});
runDirectiveConformance(plugin, []);
`,
  accelerator: () => `import { runAcceleratorConformance } from "@loomscope/testkit";
import plugin from "../src/index.js";

runAcceleratorConformance(plugin, {
  packageDir: new URL("..", import.meta.url),
  supported: { id: "openai", model: "demo", capabilities: { promptModes: ["chat"], exactTokenizer: false, features: [] } },
});
`,
  suite: () => `import { runSuiteConformance } from "@loomscope/testkit";
import plugin from "../src/index.js";

runSuiteConformance(plugin, { packageDir: new URL("..", import.meta.url) });
`,
};

const FOLDERS = { benchmark: "benchmarks", backend: "backends", accelerator: "accelerators", suite: "suites" };

function pluginFiles(kind, id) {
  if (!SOURCES[kind]) throw new Error(`kind must be one of ${Object.keys(SOURCES).join(", ")}`);
  if (!/^[a-z0-9][a-z0-9._-]*$/.test(id)) throw new Error(`id "${id}" must be lower-case letters, digits, '.', '_' or '-'`);
  const root = `plugins/${FOLDERS[kind]}/${id}`;
  const name = `@loomscope/${kind}-${id}`;
  const pkg = {
    name,
    version: "0.1.0",
    description: `loomscope ${kind} plugin: ${id}`,
    type: "module",
    license: "Apache-2.0",
    keywords: ["loomscope-plugin"],
    loomscope: { kind, id, apiVersion: 1, entry: "./dist/index.js" },
    exports: { ".": { types: "./dist/index.d.ts", default: "./dist/index.js" } },
    files: ["dist", ...(kind === "benchmark" ? ["data"] : []), "README.md"],
    scripts: {
      build: "tsc -p tsconfig.build.json",
      test: "vitest run --reporter=default --reporter=json --outputFile.json=.test-report.json",
      lint: "tsc -p tsconfig.json --noEmit",
    },
    peerDependencies: { "@loomscope/spec": `^${SPEC_VERSION}` },
    dependencies: kind === "benchmark" ? { "@loomscope/benchmark-kit": "0.1.0", "@loomscope/metrics": "0.1.0", zod: "4.6.7" } : {},
    devDependencies: { "@loomscope/spec": SPEC_VERSION, "@loomscope/testkit": TESTKIT_VERSION },
  };
  // The same publishing fields as every package here: engines, repository, LICENSE, prepack, ./package.json.
  const rootPkg = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8"));
  const files = {
    [`${root}/package.json`]: JSON.stringify(withPublishFields(pkg, root, rootPkg), null, 2) + "\n",
    [`${root}/LICENSE`]: readFileSync(join(REPO_ROOT, "LICENSE"), "utf8"),
    [`${root}/tsconfig.json`]: JSON.stringify({ extends: "../../../tsconfig.base.json", compilerOptions: { rootDir: ".", noEmit: true }, include: ["src", "test"] }, null, 2) + "\n",
    [`${root}/tsconfig.build.json`]: JSON.stringify({ extends: "../../../tsconfig.base.json", compilerOptions: { rootDir: "src", outDir: "dist" }, include: ["src"] }, null, 2) + "\n",
    [`${root}/src/index.ts`]: SOURCES[kind](id),
    [`${root}/test/${id}.test.ts`]: TESTS[kind](id),
    [`${root}/README.md`]: `# ${name}

A loomscope ${kind} plugin. TODO: describe it, and list which official file each piece follows.

\`\`\`sh
npm i ${name}
npx loom list --kind ${kind}
${kind === "benchmark" ? `npx loom run ${id} --model ollama:qwen3:8b --limit 5` : kind === "backend" ? `npx loom run quickstart --model ${id}:demo` : kind === "accelerator" ? `npx loom run quickstart --model ollama:qwen3:8b --accelerator ${id}` : `npx loom run ${id} --model ollama:qwen3:8b`}
\`\`\`

Develop: \`npm run build -w ${name}\`, \`npm test -w ${name}\` (runs the testkit conformance suite).
`,
  };
  if (kind === "benchmark") {
    files[`${root}/data/samples.jsonl`] =
      [
        { context: "The vault code is 4512. The door is red.", question: "What is the vault code?", answer: "4512" },
        { context: "Alice was born in Lyon. Bob was born in Porto.", question: "Where was Bob born?", answer: "Porto" },
      ]
        .map((r) => JSON.stringify(r))
        .join("\n") + "\n";
  }
  return { root, name, className: pascal(id), files };
}

module.exports = { pluginFiles };
