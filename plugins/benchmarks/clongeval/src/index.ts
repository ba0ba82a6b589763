export * from "./config.js";
export * from "./metrics.js";
export * from "./tasks.js";
export * from "./data.js";
export * from "./aggregate.js";
export * from "./official.js";
