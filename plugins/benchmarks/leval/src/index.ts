/**
 * @loomscope/benchmark-leval: LEval (OpenLMLab/LEval) as data, prompts, metrics, aggregation and the
 * official re-scorer. No default export yet: the benchmark object is assembled with @loomscope/benchmark-kit.
 */
export * from "./process.js";
export * from "./autoeval.js";
export * from "./official.js";
export * from "./loom.js";
export * from "./tasks.js";
export * from "./data.js";
export * from "./prompt.js";
export * from "./truncate.js";
export * from "./metrics.js";
export * from "./aggregate.js";
export * from "./judge.js";
