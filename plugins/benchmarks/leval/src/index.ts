/**
 * @loomscope/benchmark-leval: LEval (OpenLMLab/LEval) as data, prompts, metrics, aggregation and the
 * official re-scorer. No default export yet: the benchmark object is assembled with @loomscope/benchmark-kit.
 */
export * from "./process.js";
export * from "./autoeval.js";
export * from "./official.js";
export * from "./loom.js";
