export * from "./tasks.js";
export * from "./data.js";
export * from "./metrics.js";
export * from "./aggregate.js";
export { OutputLineSchema, scoreOfficial, type OutputLine } from "./official.js";
