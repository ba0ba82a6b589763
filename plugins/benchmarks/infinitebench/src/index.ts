/**
 * @loomscope/benchmark-infinitebench: InfiniteBench (OpenBMB/InfiniteBench) as data, prompts,
 * metrics, aggregation and the official re-scorer. No default export yet: the benchmark object is
 * assembled with @loomscope/benchmark-kit.
 */
export * from "./tasks.js";
export * from "./prompt.js";
export * from "./data.js";
export * from "./score.js";
export * from "./metrics.js";
export * from "./aggregate.js";
export * from "./official.js";
