/**
 * @loomscope/benchmark-leval: LEval (OpenLMLab/LEval) on the benchmark kit. The default export is
 * the plugin; the named exports are its pieces (task constants, data format, prompts, answer
 * processing, metrics, judge, aggregation, the official-format re-scorer).
 */
export { default, taskTable, DEFAULT_MAX_LENGTH } from "./plugin.js";
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
