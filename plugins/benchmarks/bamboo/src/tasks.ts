/**
 * BAMBOO's task table (RUCAIBox/BAMBOO @ f230f206148396c12774ef3a632df291d96dc6ab).
 *
 * Generation (run_for_transformers.py `Evaluator.generate`): fastchat's "vicuna" conversation
 * template (vicuna_v1.1: its system message, "USER: <prompt> ASSISTANT:") whatever the model,
 * `max_new_tokens=32, temperature=0.7, use_cache=False`; prompt.json's `system` messages are never
 * sent. No truncation: the 4k and 16k files are built to fit. Field mapping (`Evaluator.evaluate`):
 * showssort ("reorder"): content = "\n".join("[i] ```paragraph```" for i from 0);
 * reportsumsort ("event_reorder"): content, events = "\n".join("[i] ```summary```" for i from 1);
 * meetingqa/paperqa ("question_answering"): content, question, options = "\t".join(options);
 * senhallu/abshallu ("hallucination"): content, hypothesis; meetingpred/showspred
 * ("speaker_complete") and altqa ("wikiqa"): content; private_eval ("api_completion"): content =
 * the row's `prompt`. For the ordering tasks the prediction is `[int(x) for x in re.findall(r"\d+", reply)]`.
 * The script as released does not run: it reads prompt.json by --prompt_name but branches on other
 * names ("reorder", "event_reorder", ...), and reads `sample["text"]`, `sample["events"]`,
 * `sample["original_order"]`, `sample["order"]`, `sample["target"]` where the released files have
 * `content`, `summaries` and `answer`. The mapping above is its evident intent.
 */
import { defineTasks, tokenLevels } from "@loomscope/benchmark-kit";
import { BAMBOO_TASKS, LENGTHS, PROMPTS, type BambooTaskId } from "./prompts.js";
import { METRIC_OBJECTS } from "./metrics.js";

export { BAMBOO_TASKS, LENGTHS, PROMPTS, type BambooTaskId };

export const GENERATION = { template: "fastchat vicuna (vicuna_v1.1)", maxNewTokens: 32, temperature: 0.7, useCache: false } as const;
export const TRUNCATION = { where: "none" } as const;

/** fastchat's vicuna_v1.1 conversation with one user turn and an open assistant turn (SeparatorStyle.ADD_COLON_TWO, sep " "). */
export const VICUNA_SYSTEM = "A chat between a curious user and an artificial intelligence assistant. The assistant gives helpful, detailed, and polite answers to the user's questions.";
export const vicunaPrompt = (message: string): string => `${VICUNA_SYSTEM} USER: ${message} ASSISTANT:`;

export type BambooMetricId = "accuracy" | "precision/recall/f1" | "concordance_index" | "pass@1";
/** What evaluate.py prints per file. */
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

const QUERY_KEY: Partial<Record<BambooTaskId, string>> = { meetingqa: "question", paperqa: "question", senhallu: "hypothesis", abshallu: "hypothesis" };

export const TASKS = defineTasks(
  BAMBOO_TASKS.map((id) => ({
    id,
    language: id === "private_eval" ? ("code" as const) : ("en" as const),
    levels: tokenLevels(...LENGTHS),
    maxNewTokens: GENERATION.maxNewTokens,
    prompt: { template: PROMPTS[id].template, contextKey: "content", ...(QUERY_KEY[id] ? { queryKey: QUERY_KEY[id] } : {}), truncation: "none" as const, chat: "raw" as const },
    metrics: METRIC_OBJECTS[id],
    generation: { temperature: GENERATION.temperature },
    retrieval: id === "showssort" || id === "reportsumsort" || id === "private_eval" ? ("unsuitable" as const) : ("suitable" as const),
  })),
);
