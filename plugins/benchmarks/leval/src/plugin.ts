/**
 * The LEval plugin on the benchmark kit: the task table (LEval_config.py's tasks and budget, the
 * baseline script's prompt style), the hub's per-task jsonl files filtered as build_key_data_pairs
 * filters them, the document cut word by word to the token budget, Sci-Fi's second question,
 * auto_eval.py's metrics or llm_eval.py's judge, and the official-format re-scorer.
 */
import { readFile } from "node:fs/promises";
import { LoomError, type Tokenizer } from "@loomscope/spec";
import { defineDatasetBenchmark, defineTasks, hfFile, type TaskRow } from "@loomscope/benchmark-kit";
import { aggregateLeval } from "./aggregate.js";
import { HF_REPO, HF_REVISION, LevalRecordSchema, OFFICIAL_COUNTS, hfPath, isEvaluated, localCandidates, toSamples } from "./data.js";
import { battleAnswers, battleFile } from "./judge.js";
import { taskMetrics } from "./metrics.js";
import { scoreOfficialDir } from "./official.js";
import { factTurn, promptParts, sciFiPrediction, turboTemplate, type Style } from "./prompt.js";
import { GENERATION, MAX_NEW_TOKENS, OPEN_EVALS, PROMPT_STYLES, TASK_CONFIG, TASK_IDS, isClosedTask, systemPromptOf, type OpenEval, type TaskId } from "./tasks.js";
import { kToNumber, truncateDocument } from "./truncate.js";

/** The baseline scripts' `--max_length` defaults (turbo16k-test.py "16k", llama2-chat-test.py "4k"); LOOM-Scope's CLI default. */
export const DEFAULT_MAX_LENGTH = { turbo16k: kToNumber("16k"), "llama2-chat": kToNumber("4k"), loom: 128000 } as const;

/**
 * The document cut once per document, as the official loop cuts it before asking its questions:
 * the samples of one document (up to dozens of questions) share the cut of the latest documents.
 */
const cuts = new Map<string, Map<string, Promise<string>>>();
function cutDocument(document: string, budget: number, tokenizer: Tokenizer, fromLeft: boolean): Promise<string> {
  let byDocument = cuts.get(document);
  if (!byDocument) {
    if (cuts.size >= 16) cuts.delete(cuts.keys().next().value as string);
    cuts.set(document, (byDocument = new Map()));
  }
  const key = `${tokenizer.id}\u0000${budget}\u0000${fromLeft}`;
  let cut = byDocument.get(key);
  if (!cut) {
    cut = truncateDocument(document, budget, async (t) => (await tokenizer.encode(t)).length, fromLeft).then((r) => r.document);
    cut.catch(() => byDocument.delete(key));
    byDocument.set(key, cut);
  }
  return cut;
}

const styleOf = (protocol: string, promptStyle: (typeof PROMPT_STYLES)[number]): Style => (protocol === "loom" ? "loom" : promptStyle);

/** One task row under a style and open-ended evaluation (the prompt itself is built per sample: the document is cut first). */
function row(task: TaskId, style: Style, openEval: OpenEval): TaskRow {
  return {
    id: task,
    language: task === "codeU" ? "code" : "en",
    tags: [isClosedTask(task) ? "closed-ended" : "open-ended", isClosedTask(task) ? "exam" : openEval === "ngram_eval" ? TASK_CONFIG[task] : openEval],
    maxNewTokens: MAX_NEW_TOKENS,
    generation: { temperature: style === "turbo16k" ? GENERATION.turbo16k.temperature : 0 },
    prompt: { template: turboTemplate(task), contextKey: "document", queryKey: "inst", system: systemPromptOf(task), truncation: "none", chat: style === "llama2-chat" ? "raw" : "model" },
    metrics: taskMetrics(task, openEval),
    // GSM's shots and the topic record are the task itself; llama2-chat puts CodeU's document inside its text.
    retrieval: task === "gsm100" || task === "topic_retrieval_longchat" || (task === "codeU" && style === "llama2-chat") ? "unsuitable" : "suitable",
  };
}

export function taskTable(style: Style, openEval: OpenEval): readonly TaskRow[] {
  return defineTasks(TASK_IDS.map((t) => row(t, style, openEval)));
}

const leval = defineDatasetBenchmark({
  id: "leval",
  version: "0.2.0",
  capability: "general",
  description:
    "LEval (OpenLMLab): 7 closed-ended exam tasks and 13 open-ended tasks over long documents, prompted as its baseline scripts prompt, scored by auto_eval.py (exact match, F1, ROUGE) or llm_eval.py's pairwise judge.",
  tasks: ({ protocol, options }) => taskTable(styleOf(protocol, options.promptStyle), options.openEval),
  protocols: ["official", "loom"],
  options: {
    promptStyle: {
      type: "string",
      values: PROMPT_STYLES,
      default: "turbo16k",
      description: "turbo16k: turbo16k-test.py's chat messages (system + user); llama2-chat: llama2-chat-test.py's raw [INST] text. Not read under --protocol loom (LOOM-Scope sends turbo16k's messages in the model's chat template)",
    },
    openEval: {
      type: "string",
      values: OPEN_EVALS,
      default: "ngram_eval",
      description: "how the open-ended tasks are evaluated: ngram_eval (auto_eval.py F1/ROUGE), llm_gpt4_eval or llm_turbo_eval (llm_eval.py's pairwise judge against turbo-16k-0613 over the documents marked LLM, or human and LLM; needs --judge)",
    },
  },
  // A failed request is retried by the scripts until it answers: a sample without a prediction is not in their files.
  failedSamples: "exclude",
  validate: ({ protocol, options }) => {
    if (protocol === "loom" && options.openEval !== "ngram_eval") {
      throw new LoomError("USAGE", `leval.openEval=${options.openEval} is llm_eval.py's judged evaluation, which LOOM-Scope's LEval does not run`, {
        hint: "use --protocol official for the judged evaluation",
      });
    }
  },
  source: {
    remote: ({ task }) => hfFile(HF_REPO, hfPath(task.id as TaskId), { revision: HF_REVISION, format: "jsonl" }),
    local: ({ task }) => localCandidates(task.id as TaskId).map((path) => ({ path, format: "jsonl" as const })),
    count: ({ task, options }) => (isClosedTask(task.id) || options.openEval === "ngram_eval" ? OFFICIAL_COUNTS[task.id as TaskId] : undefined),
  },
  record: LevalRecordSchema,
  // The battle model's answers a judged evaluation compares with (llm_eval.py --battle_with turbo-16k-0613).
  side: async ({ task, options }, files) => {
    if (isClosedTask(task.id) || options.openEval === "ngram_eval") return undefined;
    const path = await files.path([`Predictions/${options.openEval}/turbo-16k-0613.pred.jsonl`], battleFile(options.openEval));
    const lines: Record<string, unknown>[] = [];
    for (const line of (await readFile(path, "utf8")).split("\n")) {
      try {
        const value: unknown = JSON.parse(line);
        if (value !== null && typeof value === "object" && !Array.isArray(value)) lines.push(value as Record<string, unknown>);
      } catch {
        // llm_eval.py read_jsonl: `except: continue`
      }
    }
    return battleAnswers(lines);
  },
  filter: (record, { task, options }) => isEvaluated(record, task.id as TaskId, options.openEval),
  toSamples: (record, { task, line, side, protocol, options }) => {
    const style = styleOf(protocol, options.promptStyle);
    // What the script writes as the prediction: turbo16k strips it, llama2-chat drops "</s>" (Sci-Fi: see sciFiPrediction).
    const rule = style === "turbo16k" ? "strip" : style === "llama2-chat" && task.id !== "sci_fi" ? "drop-eos" : undefined;
    return toSamples(record, { task: task.id as TaskId, row: line - 1, ...(side instanceof Map ? { battle: side as Map<string, string> } : {}) }).map(({ task: _t, ...body }) =>
      rule ? { ...body, scoring: { ...body.scoring, prediction_rule: rule } } : body,
    );
  },
  // The official loop cuts the document (not the prompt), by words, until it fits max_length tokens.
  prompt: async (sample, task, { protocol, options }, ctx) => {
    let document = sample.input["document"] ?? "";
    if (ctx.tokenizer && ctx.maxLength !== undefined) {
      // Official: k_to_number(--max_length) - max_new_tokens; LOOM-Scope reserves nothing.
      document = await cutDocument(document, ctx.maxLength - (protocol === "loom" ? 0 : MAX_NEW_TOKENS), ctx.tokenizer, task.id === "codeU");
    }
    return promptParts(sample, task.id as TaskId, styleOf(protocol, options.promptStyle), document);
  },
  followUp: (sample, task, turns, { protocol, options }) => (task.id === "sci_fi" && turns.length === 1 ? factTurn(sample, styleOf(protocol, options.promptStyle), turns[0]!) : undefined),
  prediction: (_sample, _task, turns, { protocol, options }) => sciFiPrediction(turns[0]!.output, turns[1]!.output, styleOf(protocol, options.promptStyle)),
  maxLength: (_task, _window, { protocol, options }) => DEFAULT_MAX_LENGTH[styleOf(protocol, options.promptStyle)],
  aggregate: (cells) => aggregateLeval(cells),
  scoreOfficial: scoreOfficialDir,
});

export default leval;
