/**
 * LEval's data: the Hugging Face dataset `L4NLP/LEval` (what build_key_data_pairs loads with
 * `load_dataset('L4NLP/LEval', task, split='test')`), one jsonl file per task:
 * `LEval/Exam/<task>.jsonl` (closed-ended) and `LEval/Generation/<task>.jsonl` (open-ended); the
 * repository carries the same files as `LEval-data/Closed-ended-tasks/<task>.jsonl` and
 * `LEval-data/Open-ended-tasks/<task>.jsonl` (the --task_path layout). One record is one document
 * with its questions: `{instructions: [...], outputs: [...], input, source, evaluation}`; every
 * (instruction, output) pair is one sample, as the baseline scripts loop over them.
 */
import { z } from "zod";
import { pySplit } from "@loomscope/metrics";
import type { JsonObject, Sample } from "@loomscope/spec";
import { isClosedTask, type OpenEval, type TaskId } from "./tasks.js";

export const HF_REPO = "L4NLP/LEval";
export const HF_REVISION = "main";

/** The file of a task in the Hugging Face repository. */
export function hfPath(task: TaskId): string {
  return isClosedTask(task) ? `LEval/Exam/${task}.jsonl` : `LEval/Generation/${task}.jsonl`;
}

/** Where a task is looked for under `--data-dir`: the repository's LEval-data layout, the HF layout, or bare. */
export function localCandidates(task: TaskId): string[] {
  const sub = isClosedTask(task) ? "Closed-ended-tasks" : "Open-ended-tasks";
  return [`LEval-data/${sub}/${task}.jsonl`, hfPath(task), `${task}.jsonl`];
}

/**
 * Questions per task that exam_eval / ngram_eval read (documents whose `evaluation` is not "human"
 * or "LLM"), counted in the repository's LEval-data files and, for codeU and narrative_qa, in its
 * Predictions files. (The judged evaluations read 96 (llm_gpt4_eval) and 181 (llm_turbo_eval) questions over all open-ended tasks.)
 */
export const OFFICIAL_COUNTS: Readonly<Record<TaskId, number>> = {
  coursera: 172,
  quality: 202,
  topic_retrieval_longchat: 150,
  tpo: 269,
  gsm100: 100,
  codeU: 90,
  sci_fi: 64,
  financial_qa: 52,
  gov_report_summ: 13,
  legal_contract_qa: 130,
  meeting_summ: 156,
  multidoc_qa: 136,
  narrative_qa: 182,
  natural_question: 104,
  news_summ: 11,
  paper_assistant: 60,
  patent_summ: 13,
  review_summ: 120,
  scientific_qa: 160,
  tv_show_summ: 13,
};

/** One document of a task file. Unknown fields are kept. */
export const LevalRecordSchema = z
  .object({
    instructions: z.array(z.string()),
    outputs: z.array(z.string()),
    input: z.string(),
    source: z.string().optional(),
    evaluation: z.string(),
  })
  .passthrough();
export type LevalRecord = z.infer<typeof LevalRecordSchema>;

/** build_key_data_pairs's filter: which documents a task's evaluation reads (closed-ended tasks: exam_eval). */
export function isEvaluated(record: LevalRecord, task: TaskId, openEval: OpenEval = "ngram_eval"): boolean {
  const evaluation = isClosedTask(task) ? "exam_eval" : openEval;
  if (evaluation === "llm_gpt4_eval") return record.evaluation === "LLM";
  if (evaluation === "llm_turbo_eval") return record.evaluation === "human" || record.evaluation === "LLM";
  return record.evaluation !== "human" && record.evaluation !== "LLM";
}

export interface ToSampleOptions {
  task: TaskId;
  /** 0-based row of the document in its file. */
  row: number;
  /** Judged evaluations: the battle model's answers by `query + gt` (llm_eval.py construct_pairs). */
  battle?: ReadonlyMap<string, string>;
}

/**
 * The samples of one document: one per (instruction, output) pair (zip: extra entries of the longer
 * list are dropped, as zip drops them), ids `<task>-<row>-<question>`. Under a judged evaluation a
 * question the battle file does not answer carries no battle answer: llm_eval.py skips it.
 */
export function toSamples(record: LevalRecord, options: ToSampleOptions): Sample[] {
  const { task, row } = options;
  const n = Math.min(record.instructions.length, record.outputs.length);
  const out: Sample[] = [];
  for (let q = 0; q < n; q++) {
    const inst = record.instructions[q] as string;
    const gt = record.outputs[q] as string;
    const scoring: JsonObject = { evaluation: record.evaluation, question_index: q };
    if (options.battle) {
      const battle = options.battle.get(inst + gt);
      scoring["battle_answer"] = battle ?? null;
      scoring["query"] = inst; // the judge prompt's {question}
    }
    const meta: JsonObject = { row, question: q };
    if (record.source !== undefined) meta["source"] = record.source;
    out.push({
      id: `${task}-${row}-${q}`,
      task,
      input: { document: record.input, inst, n_words: String(pySplit(gt).length) },
      references: [gt],
      scoring,
      meta,
    });
  }
  return out;
}
