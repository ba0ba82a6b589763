export * from "./prompts.js";
export * from "./judge.js";
export * from "./tasks.js";
export * from "./data.js";
export * from "./aggregate.js";
export * from "./official.js";
