// JSON files with line:column errors: one implementation, in spec (the run-directory reader uses it too).
export { parseJsonFile, jsonErrorLocation } from "@loomscope/spec";
