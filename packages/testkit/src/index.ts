/**
 * @loomscope/testkit: fake OpenAI/vLLM and Ollama servers with fault injection, a deterministic
 * tokenizer, a test BenchmarkContext, conformance suites for plugin packages, fixture files that
 * `PARITY_FIXTURES` can point at an unseen set, a scripted judge, and a tiny GGUF writer.
 *
 * `@loomscope/testkit/servers` has the servers and tokenizer without importing vitest.
 */
export * from "./servers.js";
export {
  createTestBenchmarkContext,
  createTestBackendOptions,
  createLocalDataAccess,
  type TestBenchmarkContext,
  type TestBenchmarkContextOptions,
  type TestBackendOptions,
} from "./context.js";
export {
  runBenchmarkConformance,
  runBackendConformance,
  fakeServerSlowdown,
  runAcceleratorConformance,
  runDirectiveConformance,
  runSuiteConformance,
  type BenchmarkConformanceOptions,
  type BackendConformanceOptions,
  type BackendAbortOptions,
  type AcceleratorConformanceOptions,
  type SuiteConformanceOptions,
  type PackageDir,
} from "./conformance/index.js";
export { PARITY_FIXTURES_ENV, expandFixtureText, fixtureFiles, paritySeeds, scriptedJudge, type FixtureFiles, type FixtureText, type ScriptedJudge } from "./fixtures.js";
export { writeTinyGguf, buildTinyGguf, type TinyGgufOptions, type TinyGgufInfo } from "./gguf.js";
