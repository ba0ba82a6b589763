export { runBenchmarkConformance, type BenchmarkConformanceOptions } from "./benchmark.js";
export { runBackendConformance, fakeServerSlowdown, type BackendConformanceOptions, type BackendAbortOptions } from "./backend.js";
export { runAcceleratorConformance, type AcceleratorConformanceOptions } from "./accelerator.js";
export { runDirectiveConformance } from "./directives.js";
export { runSuiteConformance, type SuiteConformanceOptions } from "./suite.js";
export { type PackageDir } from "./shared.js";
