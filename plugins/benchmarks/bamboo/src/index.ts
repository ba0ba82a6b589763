export * from "./tasks.js";
export * from "./metrics.js";
export * from "./sandbox.js";
export { evaluatePrivate, evaluateTask, readProblems, scoreOfficial } from "./official.js";
