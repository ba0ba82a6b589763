/**
 * @loomscope/benchmark-longsafety: LongSafety (github.com/thu-coai/LongSafety, arXiv 2502.16971) on
 * the benchmark kit: 1,543 long-context safety instructions, each answered with the instruction
 * before ("front") and after ("end") the context, judged by the official multi-agent LLM judge.
 */
import { defineDatasetBenchmark, hfFile } from "@loomscope/benchmark-kit";
import { aggregate } from "./aggregate.js";
import { HF_FILE, HF_REPO, HF_REVISION, INSTANCE_COUNT, LOCAL_LAYOUTS, LongSafetyRowSchema, toSample } from "./data.js";
import { scoreOfficialLongSafety } from "./official.js";
import { TASKS } from "./tasks.js";

const longsafety = defineDatasetBenchmark({
  id: "longsafety",
  version: "0.2.0",
  capability: "specialization",
  description: "LongSafety: 1,543 long-context safety instructions over 7 safety types and 6 task types, answered with the instruction before and after the context, judged by the official multi-agent LLM judge (needs --judge; the official judge is gpt-4o-mini).",
  tasks: TASKS,
  // gen_model_response.py has no error handling: every response of the file is judged; a sample
  // that failed here is left out (and its instance out of safety_rate).
  failedSamples: "exclude",
  source: {
    remote: () => hfFile(HF_REPO, HF_FILE, { revision: HF_REVISION, format: "json" }),
    local: () => LOCAL_LAYOUTS,
    count: () => INSTANCE_COUNT,
  },
  record: LongSafetyRowSchema,
  // The instance id: the front and end samples of an instance share it, and the aggregate pairs on it.
  sampleId: (record) => String(record.id),
  toSample: (record) => toSample(record),
  aggregate: (cells) => aggregate(cells),
  scoreOfficial: scoreOfficialLongSafety,
});

export default longsafety;
export * from "./prompts.js";
export * from "./judge.js";
export * from "./tasks.js";
export * from "./data.js";
export * from "./aggregate.js";
export * from "./official.js";
