/**
 * The LongBench v2 plugin on the benchmark kit: data.json streamed from the hub (or --data-dir),
 * pred.py's settings as options, its chained-replace prompts, its truncation, the CoT answer turn as
 * a second request, extract_answer, and result.py's table.
 */
import { LoomError, type JsonObject, type PromptParts, type Sample } from "@loomscope/spec";
import { pyStrip } from "@loomscope/metrics";
import { defineDatasetBenchmark, hfFile } from "@loomscope/benchmark-kit";
import { LENGTHS, MODEL2MAXLEN, PROMPTS } from "./config.js";
import { DATA_FILE, HF_REPO, HF_REVISION, LOCAL_CANDIDATES, LongBenchV2RecordSchema, OFFICIAL_COUNTS, toSample } from "./data.js";
import { ACCURACY, ACCURACY_COMPENSATED } from "./metrics.js";
import { PLACEHOLDERS, ragContext, type RetrievedChunk } from "./prompt.js";
import { COT_KEY, COT_REPLACEMENTS, GENERATION, REPLACEMENTS, TASKS, TRUNCATION, firstTemplate, type V2Settings } from "./tasks.js";
import { aggregateLongBenchV2 } from "./aggregate.js";
import { scoreOfficialDir } from "./official.js";

const OFFICIAL_MODELS = Object.keys(MODEL2MAXLEN);

/** `item['question'].strip()` … : the template fields as pred.py puts them in, `context` being the setting's context. */
function strippedFields(sample: Sample, context: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [, key] of PLACEHOLDERS) values[key] = pyStrip(key === "context" ? context : (sample.input[key] ?? ""));
  return values;
}

/** pred.py `--rag N`: `$DOC$` is the first N retrieved chunks in document order. */
function ragDocument(sample: Sample, n: number): string {
  const raw = sample.input["retrieved_context"];
  if (raw === undefined) {
    throw new LoomError("DATA_MISSING", `longbench-v2 sample ${sample.id} has no retrieved_context, which --rag needs (pred.py: KeyError)`, {
      hint: "data.json has none: prepare the records with LongCite's retrieve.py (each gets retrieved_context: [{c_idx, content}]) and pass them with --data-dir",
    });
  }
  return ragContext(JSON.parse(raw) as RetrievedChunk[], n);
}

const longbenchV2 = defineDatasetBenchmark({
  id: "longbench-v2",
  version: "0.2.0",
  capability: "general",
  description:
    "LongBench v2 (THUDM): 503 four-choice questions over 8k–2M-word contexts in six domains, with pred.py's 0-shot, chain-of-thought, no-context and RAG settings and result.py's table.",
  tasks: TASKS,
  protocols: ["official", "loom"],
  options: {
    cot: {
      type: "boolean",
      default: false,
      description:
        "pred.py --cot: reason first (prompts/0shot_cot.txt, 1,024 new tokens), then ask for the answer in a second, fresh request (prompts/0shot_cot_ans.txt with the reasoning, 128 tokens); the second response is scored",
    },
    noContext: {
      type: "boolean",
      default: false,
      description: "pred.py --no_context: the question and choices without the document (prompts/0shot_no_context.txt), measuring memorization",
    },
    rag: {
      type: "integer",
      default: 0,
      min: 0,
      description:
        "pred.py --rag N: the document is the first N chunks of each record's retrieved_context in document order (prompts/0shot_rag.txt); 0 = off. Needs records prepared by LongCite's retrieve.py",
    },
    model: {
      type: "string",
      values: OFFICIAL_MODELS,
      description: "a model of config/model2maxlen.json whose prompt budget to use (claude-3.5-sonnet-20241022: 200000); default 120000, every other model's",
    },
    compensated: {
      type: "boolean",
      default: false,
      description: "result.py's compensated switch (False in the file): an answer that could not be extracted counts 0.25, the chance rate",
    },
  },
  // pred.py does not write a sample whose request failed (or answered ''): result.py averages the rest.
  failedSamples: "exclude",
  validate: ({ protocol, options }) => {
    if (protocol !== "loom") return;
    const official: string[] = [];
    if (options.rag > 0) official.push("rag (LOOM-Scope has no RAG template: its retrievers replace the document in the 0-shot prompt; use --accelerator)");
    if (options.model !== undefined) official.push("model (LOOM-Scope takes --max-length, default 128000, not config/model2maxlen.json)");
    if (options.compensated) official.push("compensated (a switch of result.py; LOOM-Scope's own v2 scorer is not available to reproduce)");
    if (official.length > 0) {
      throw new LoomError("USAGE", `longbench-v2 under --protocol loom: ${official.join("; ")}`, { hint: "run these settings with --protocol official" });
    }
  },
  source: {
    // 465 MB, one JSON array: streamed record by record, never held whole.
    remote: () => hfFile(HF_REPO, DATA_FILE, { revision: HF_REVISION, format: "json" }),
    local: () => LOCAL_CANDIDATES,
    count: ({ length }) => (length !== undefined && (LENGTHS as readonly string[]).includes(length) ? OFFICIAL_COUNTS.length[length as (typeof LENGTHS)[number]] : undefined),
  },
  record: LongBenchV2RecordSchema,
  filter: (record, row) => row.length === undefined || record.length === row.length,
  // pred.py keys its results (and its resume cache) by `_id`.
  sampleId: (record) => record._id,
  toSample: (record, row) => {
    const { id: _id, task: _task, length: _length, ...body } = toSample(record, { task: row.task.id, index: row.index, protocol: row.protocol });
    return body;
  },
  prompt: (sample, task, { protocol, options }): PromptParts => {
    const context = protocol === "official" && options.rag > 0 ? ragDocument(sample, options.rag) : (sample.input["context"] ?? "");
    return {
      template: firstTemplate(protocol, options),
      values: strippedFields(sample, context),
      contextKey: "context",
      queryKey: "question",
      replacements: REPLACEMENTS,
      truncation: task.prompt.truncation,
      chat: true,
      ...(options.cot ? { maxNewTokens: GENERATION.cotMaxNewTokens } : {}),
    };
  },
  // The CoT answer turn: a fresh single user message (not a continuation), 0shot_cot_ans.txt filled
  // by the same chain and then `$COT$` ← the first response, stripped; cut by the same rule; 128 tokens.
  followUp: (_sample, _task, turns, { protocol, options }) => {
    if (!options.cot || turns.length !== 1) return undefined;
    const first = turns[0]!;
    // pred.py: `if output == '': continue` — the sample is dropped before the second request (LOOM-Scope asks anyway).
    if (protocol === "official" && first.output === "") return undefined;
    return { ...first.prompt, template: PROMPTS.cotAnswer, values: { ...first.prompt.values, [COT_KEY]: pyStrip(first.output) }, replacements: COT_REPLACEMENTS, maxNewTokens: GENERATION.maxNewTokens };
  },
  score: async (input, task, { protocol }) => {
    // pred.py writes no line for an empty response, so result.py never counts it; LOOM-Scope scores it wrong.
    if (protocol === "official" && input.prediction === "") return { accuracy: null, accuracy_compensated: null };
    const metricInput = { prediction: input.prediction, references: input.references, ...(input.scoring ? { scoring: input.scoring } : {}), task: input.task, protocol };
    const scores: Record<string, number | null> = {};
    for (const metric of task.metrics) scores[metric.id] = await metric.score(metricInput);
    return scores;
  },
  maxLength: (_task, window, { protocol, options }) => {
    const budget = protocol === "loom" ? TRUNCATION.loom.defaultMaxLength : options.model !== undefined ? MODEL2MAXLEN[options.model]! : TRUNCATION.officialMaxLen;
    // Core keeps the task's 128 new tokens free in the window; the CoT reasoning turn needs 1,024.
    return options.cot && window !== undefined ? Math.min(budget, window - GENERATION.cotMaxNewTokens) : budget;
  },
  aggregate: (cells, settings) => aggregateLongBenchV2(cells, settings),
  scoreOfficial: (options) => scoreOfficialDir({ ...options, compensated: (options.options as JsonObject | undefined)?.["compensated"] === true }),
});

export default longbenchV2;
