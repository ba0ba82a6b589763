/**
 * BAMBOO task table. Generation (run_for_transformers.py `Evaluator.generate`): fastchat's
 * "vicuna" conversation template, max_new_tokens=32, temperature=0.7 (sampling on), use_cache
 * False; no truncation (the 4k/16k files are built to fit). Field mapping (`Evaluator.evaluate`):
 * showssort ("reorder"): content = "\n".join("[i] ```paragraph```" for i from 0);
 * reportsumsort ("event_reorder"): events = "\n".join("[i] ```summary```" for i from 1);
 * meetingqa/paperqa ("question_answering"): options = "\t".join(options);
 * senhallu/abshallu: content + hypothesis; meetingpred/showspred: content; altqa: content;
 * private_eval ("api_completion"): content = the task's prompt.
 * For the ordering tasks the prediction becomes `[int(x) for x in re.findall(r"\d+", reply)]`.
 * Note: the script keys prompt.json by --prompt_name but branches on other names ("reorder",
 * "event_reorder", ...), and reads `sample["text"]`, `sample["events"]`, `sample["original_order"]`,
 * `sample["order"]` where the released files have `content`, `summaries`, `answer`: the official
 * generation script does not run as released; the mapping above is its evident intent.
 */
import { BAMBOO_TASKS, LENGTHS, PROMPTS, type BambooTaskId } from "./prompts.js";

export { BAMBOO_TASKS, LENGTHS, PROMPTS, type BambooTaskId };

export const GENERATION = { template: "fastchat vicuna", maxNewTokens: 32, temperature: 0.7, doSample: true, useCache: false } as const;
export const TRUNCATION = { where: "none" } as const;

export type BambooMetricId = "accuracy" | "precision/recall/f1" | "concordance_index" | "pass@1";
export const METRIC_OF: Readonly<Record<BambooTaskId, BambooMetricId>> = {
  meetingqa: "accuracy",
  paperqa: "accuracy",
  altqa: "accuracy",
  meetingpred: "accuracy",
  showspred: "accuracy",
  senhallu: "precision/recall/f1",
  abshallu: "precision/recall/f1",
  reportsumsort: "concordance_index",
  showssort: "concordance_index",
  private_eval: "pass@1",
};

export const TASKS = BAMBOO_TASKS.map((id) => ({
  id,
  language: id === "private_eval" ? ("code" as const) : ("en" as const),
  lengths: [...LENGTHS],
  maxNewTokens: GENERATION.maxNewTokens,
  prompt: { template: PROMPTS[id].template, system: PROMPTS[id].system, contextKey: "content", truncation: "none" as const, chat: "model" as const },
  metric: METRIC_OF[id],
}));
