/**
 * @loomscope/testkit: fake OpenAI/vLLM and Ollama servers with fault injection, a deterministic
 * tokenizer, a test BenchmarkContext, conformance suites for plugin packages, and a tiny GGUF writer.
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
export { writeTinyGguf, buildTinyGguf, type TinyGgufOptions, type TinyGgufInfo } from "./gguf.js";
