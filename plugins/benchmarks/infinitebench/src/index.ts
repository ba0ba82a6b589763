/**
 * @loomscope/benchmark-infinitebench: InfiniteBench (OpenBMB/InfiniteBench) on the benchmark kit.
 * The default export is the plugin; the named exports are its pieces (task table, prompt values,
 * data format, compute_scores.py's metrics, aggregation, the official-format re-scorer).
 */
export { default, taskTable, DEFAULT_FAMILY, LOOM_DEFAULT_MAX_LENGTH } from "./plugin.js";
export * from "./tasks.js";
export * from "./prompt.js";
export * from "./data.js";
export * from "./score.js";
export * from "./metrics.js";
export * from "./aggregate.js";
export * from "./official.js";
